"""Roster import (接收安置名册) by window staff: a CSV or XLSX file, a report per row."""
from dataclasses import asdict

from flask import Blueprint, g, jsonify

from api.multipart import uploaded_file
from api.services import context
from roster import importing

bp = Blueprint("roster", __name__, url_prefix="/api/v1/staff/roster")


@bp.post("")
def import_roster():
    """Import a roster file (multipart `file`, CSV in UTF-8 or GBK, or XLSX)."""
    data, _ = uploaded_file("file")
    report = importing.import_roster(context(), g.staff, data)
    return jsonify({
        "imported": report.count(importing.IMPORTED), "updated": report.count(importing.UPDATED),
        "refused": report.count(importing.REFUSED), "ignored_columns": report.ignored_columns,
        "rows": [{k: v for k, v in asdict(row).items() if v not in (None, {})} for row in report.rows],
    })
