"""For administrators: pushes that failed, that WeChat refused or that wait, whether the pushes are moving at
all, and sending one again."""
from flask import Blueprint, g, jsonify

from api.body import load_args
from api.schemas.notify import FailedNotificationsQuerySchema
from api.services import wechat
from models import Notification
from models.notification import FAILED, PUSH_LABELS
from notify import outbox, push_health

bp = Blueprint("admin_notifications", __name__, url_prefix="/api/v1/admin/notifications")


def notification_json(notification: Notification) -> dict:
    return {"id": notification.id, "case_id": notification.case_id, "case_no": notification.case.case_no,
            "veteran_id": notification.veteran_id, "event": notification.event,
            "push_status": notification.push_status, "push_label": PUSH_LABELS[notification.push_status],
            "template_id": notification.template_id, "attempts": notification.attempts,
            "claims_lost": notification.claims_lost, "last_errcode": notification.last_errcode,
            "last_error": notification.last_error, "created_at": notification.created_at.isoformat(),
            "next_attempt_at": notification.next_attempt_at.isoformat() if notification.next_attempt_at else None,
            "sent_at": notification.sent_at.isoformat() if notification.sent_at else None}


@bp.get("")
def list_failed():
    """`status=failed` (retries used up, the default), `status=refused` (WeChat refused it) or `status=pending`
    (waiting to go out, with the last error: held while WeChat refuses our access_token, see /health).
    Newest first; `limit`, and `before=<next_before>` for the next page."""
    args = load_args(FailedNotificationsQuerySchema())
    items, next_before = outbox.failed_for_admin(g.staff.region, (args.get("status", FAILED),), args.get("before"),
                                                 args.get("limit", 50))
    return jsonify({"items": [notification_json(n) for n in items], "next_before": next_before})


@bp.get("/health")
def health():
    """Whether the pushes are moving: WeChat refusing our access_token stops them all."""
    return jsonify(push_health.push_health(wechat(), g.staff.region))


@bp.post("/<int:notification_id>/retry")
def retry(notification_id: int):
    """Send the push again from a fresh start."""
    return jsonify(notification_json(outbox.retry(notification_id, g.staff.region)))
