from flask import Blueprint, jsonify
from sqlalchemy import text

from api.services import redis_client
from models import db

bp = Blueprint("health", __name__)


@bp.get("/ping")
def ping():
    """A bare JSON answer that touches nothing: the yardstick of bench/chat_load.py."""
    return {"ok": True}


@bp.get("/healthz")
def healthz():
    """200 when the database and Redis answer, 503 (with which failed) otherwise."""
    checks = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception:  # any failure means unhealthy; the details go to the log, not the probe
        db.session.rollback()
        checks["database"] = "unreachable"
    try:
        redis_client().ping()
        checks["redis"] = "ok"
    except Exception:
        checks["redis"] = "unreachable"
    healthy = all(v == "ok" for v in checks.values())
    return jsonify({"status": "ok" if healthy else "unavailable", "checks": checks}), 200 if healthy else 503
