"""The Flask app factory: configuration, extensions, and every blueprint with its access rule."""
import logging
from pathlib import Path

from flask import Flask
from flask_migrate import Migrate
from werkzeug.routing import IntegerConverter

from api.auth import require_staff, require_veteran, require_veteran_in_chat
from api.config import load_config
from api.errors import ApiError, register_error_handlers
from api.services import init_services
from materials import e_licence
from models import db
from models.base import MAX_ROW_ID
from security import number_masking

migrate = Migrate()
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


class RowIdConverter(IntegerConverter):
    """`<int:…>` in a route is a row id, and ids are PostgreSQL integers. A larger number (a case
    number typed as an id) names no row: it reads as 0, which no row has, so the route answers its
    own 404 ("没有找到这件申请") instead of the database refusing the parameter."""

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        return number if number <= MAX_ROW_ID else 0


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    app.url_map.converters["int"] = RowIdConverter  # before any route is registered
    app.config.update(load_config(config))
    app.json.ensure_ascii = False
    logging.basicConfig(level=logging.INFO)
    number_masking.install()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    init_services(app)
    ctx = app.extensions["context"]
    app.extensions["e_licences"] = e_licence.load(ctx.profile, ctx.sealer, app.config["E_LICENCE_SOURCE"])
    register_error_handlers(app)
    register_blueprints(app)
    register_console(app)
    register_commands(app)
    return app


def register_blueprints(app: Flask) -> None:
    """Who may call what, in one place."""
    from api.routes import auth, cases, catalog, chat, department, docs, faq, health, window
    from api.routes import form_pdf, materials, roster
    from api.routes import admin_notifications, alerts, messages, subscriptions, wechat_callback

    # The WeChat callback checks WeChat's signature itself.
    for public in (auth.bp, catalog.bp, faq.bp, health.bp, docs.bp, wechat_callback.bp):
        app.register_blueprint(public)
    guarded = {cases.bp: require_veteran, chat.bp: require_veteran_in_chat, window.bp: require_staff("window", "admin"),
               department.bp: require_staff("department"),
               materials.upload_bp: require_veteran,
               materials.download_bp: require_veteran_or_staff("window", "admin", "department"),
               form_pdf.bp: require_veteran_or_staff("window", "admin", "department"),
               roster.bp: require_staff("window", "admin"),
               messages.bp: require_veteran, subscriptions.bp: require_veteran,
               alerts.window_bp: require_staff("window", "admin"), alerts.department_bp: require_staff("department"),
               admin_notifications.bp: require_staff("admin")}
    for blueprint, guard in guarded.items():
        app.register_blueprint(blueprint)
        app.before_request_funcs.setdefault(blueprint.name, []).append(guard)


def register_console(app: Flask) -> None:
    """The staff console (/console) signs in with a cookie session, not a bearer token; its forms are
    CSRF-checked after the guard. The veteran demo page (/) answers only in development."""
    from console import admin, demo, department, files, session, stats, window

    session.csrf.init_app(app)
    for public in (session.assets, session.bp, demo.bp):
        app.register_blueprint(public)
    guarded = {window.bp: session.require_console("window", "admin"),
               stats.bp: session.require_console("window", "admin"),
               department.bp: session.require_console("department"),
               files.bp: session.require_console("window", "admin", "department"),
               admin.bp: session.require_console("admin")}
    for blueprint, guard in guarded.items():
        app.register_blueprint(blueprint)
        app.before_request_funcs.setdefault(blueprint.name, []).extend([guard, session.check_csrf])


def require_veteran_or_staff(*roles: str):
    """A guard admitting the veteran (the routes then check ownership) or active staff of `roles`."""
    staff_guard = require_staff(*roles)

    def guard() -> None:
        try:
            require_veteran()
        except ApiError as exc:
            if exc.status != 403:  # 403 here means "a staff token": let the staff guard judge it
                raise
            staff_guard()
    return guard


def register_commands(app: Flask) -> None:
    from api.cli import demo_cli, staff_cli
    from api.notify_cli import notify_worker

    app.cli.add_command(staff_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(notify_worker)
