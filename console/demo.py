"""The veteran demo page at `/`: a phone-sized stand-in for the mini-program, speaking the same JSON
API (dev login, chat, cases, materials, inbox). Development only: 404 elsewhere."""
from flask import Blueprint, abort, current_app, render_template

from api.services import context
from catalog.field_values import example_id_number
from demo.seed import demo_county

bp = Blueprint("demo_page", __name__)


@bp.get("/")
def page():
    if current_app.config["APP_ENV"] != "development":
        abort(404)
    ctx = context()
    county = demo_county(ctx.profile)
    region = ctx.regions.get(county)
    # The demo roster's people (demo/seed.py): the chat recognises them and fills in what it knows.
    examples = [f"我叫{name}，身份证{example_id_number(county, birth, seq)}，{region.full_name if region else county}"
                for name, birth, seq in (("王磊", "19990315", 11), ("李娜", "20000708", 22))]
    return render_template("demo/index.html", profile=ctx.profile, examples=examples)
