"""Deadline alerts for staff: the window's cases, or a department's, due by the next working day or overdue."""
from flask import Blueprint, g, jsonify

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


@window_bp.get("")
def window_alerts():
    """Cases of the staff member's region due by the next working day, or overdue."""
    return jsonify({"items": [alert_json(a) for a in staff_alerts.alerts_for(g.staff)]})


@department_bp.get("")
def department_alerts():
    """Such cases where the officer's department still has a matter to finish."""
    return jsonify({"items": [alert_json(a) for a in staff_alerts.alerts_for(g.staff)]})
