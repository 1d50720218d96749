"""Deadline alerts for staff: the window's cases, or a department's, due by the next working day or overdue."""
from flask import Blueprint, g, jsonify

from api.body import load_args
from api.schemas.notify import PageQuerySchema
from models import StaffAlert
from models.staff_alert import ALERT_LABELS
from notify import staff_alerts

window_bp = Blueprint("window_alerts", __name__, url_prefix="/api/v1/staff/alerts")
department_bp = Blueprint("department_alerts", __name__, url_prefix="/api/v1/dept/alerts")


def alert_json(alert: StaffAlert) -> dict:
    return {"id": alert.id, "kind": alert.kind, "kind_label": ALERT_LABELS[alert.kind], "case_id": alert.case_id,
            "case_no": alert.case.case_no, "deadline": alert.deadline.isoformat(),
            "message": f"申请 {alert.case.case_no} {ALERT_LABELS[alert.kind]}（办结时限 {alert.deadline.isoformat()}）",
            "created_at": alert.created_at.isoformat()}


def _alerts_page():
    args = load_args(PageQuerySchema())
    items, next_before = staff_alerts.alerts_for(g.staff, args.get("before"), args.get("limit", 50))
    return jsonify({"items": [alert_json(a) for a in items], "next_before": next_before})


@window_bp.get("")
def window_alerts():
    """Cases of the staff member's region due by the next working day, or overdue; newest first,
    `limit`, and `before=<next_before>` for the next page."""
    return _alerts_page()


@department_bp.get("")
def department_alerts():
    """Such cases where the officer's department still has a matter to finish; paged like the window's."""
    return _alerts_page()
