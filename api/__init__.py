"""The Flask app factory: configuration, extensions, and every blueprint with its access rule."""
import logging
from pathlib import Path

from flask import Flask
from flask_migrate import Migrate

from api.auth import require_staff, require_veteran
from api.config import load_config
from api.errors import register_error_handlers
from api.services import init_services
from models import db
from security import log_masking

migrate = Migrate()
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    app.config.update(load_config(config))
    app.json.ensure_ascii = False
    logging.basicConfig(level=logging.INFO)
    log_masking.install()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    init_services(app)
    register_error_handlers(app)
    register_blueprints(app)
    register_commands(app)
    return app


def register_blueprints(app: Flask) -> None:
    """Who may call what, in one place."""
    from api.routes import auth, cases, catalog, department, docs, health, window

    for public in (auth.bp, catalog.bp, health.bp, docs.bp):
        app.register_blueprint(public)
    guarded = {cases.bp: require_veteran, window.bp: require_staff("window", "admin"),
               department.bp: require_staff("department")}
    for blueprint, guard in guarded.items():
        app.register_blueprint(blueprint)
        app.before_request_funcs.setdefault(blueprint.name, []).append(guard)


def register_commands(app: Flask) -> None:
    from api.cli import demo_cli, staff_cli

    app.cli.add_command(staff_cli)
    app.cli.add_command(demo_cli)
