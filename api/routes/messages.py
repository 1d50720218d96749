"""The veteran's in-app inbox: every status push, with its read state."""
from flask import Blueprint, g, jsonify

from api.body import load_args
from api.schemas.notify import MessagesQuerySchema
from api.services import context
from cases.context import Context
from models import Notification
from notify import inbox, messages
from notify.events import EVENT_LABELS

bp = Blueprint("messages", __name__, url_prefix="/api/v1/messages")
DETAILS = ("deadline", "deadline_estimated", "result", "items", "dispatched")


def message_json(ctx: Context, notification: Notification) -> dict:
    title, body = messages.title_and_body(ctx, notification)
    facts = messages.masked(notification.facts)
    return {
        "id": notification.id, "event": notification.event, "event_label": EVENT_LABELS[notification.event],
        "title": title, "body": body, "case_id": notification.case_id, "case_no": notification.case.case_no,
        "matter": facts.get("matter"), "details": {k: facts[k] for k in DETAILS if k in facts},
        "created_at": notification.created_at.isoformat(), "read": notification.read_at is not None,
        "read_at": notification.read_at.isoformat() if notification.read_at else None,
    }


@bp.get("")
def list_messages():
    """Newest first; `unread=true` for unread only; `limit`, and `before=<next_before>` for the next page."""
    args = load_args(MessagesQuerySchema())
    items, next_before = inbox.messages_of(g.veteran.id, args.get("unread", False), args.get("before"),
                                           args.get("limit", 50))
    return jsonify({"items": [message_json(context(), n) for n in items], "next_before": next_before,
                    "unread_count": inbox.unread_count(g.veteran.id)})


@bp.get("/<int:message_id>")
def get_message(message_id: int):
    """The one message a subscribe message opens (its page gets `?id=<message id>`)."""
    return jsonify(message_json(context(), inbox.message_of(g.veteran.id, message_id)))


@bp.post("/<int:message_id>/read")
def mark_read(message_id: int):
    return jsonify(message_json(context(), inbox.mark_read(g.veteran.id, message_id)))


@bp.post("/read-all")
def mark_all_read():
    return jsonify({"marked": inbox.mark_all_read(g.veteran.id), "unread_count": 0})
