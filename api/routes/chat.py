"""The veteran's conversation with the guide."""
from flask import Blueprint, g, jsonify
from sqlalchemy import select

from api import chat
from api.body import idempotency_key, load_json
from api.schemas.requests import ChatMessageSchema
from models import ChatTurn, db

bp = Blueprint("chat", __name__, url_prefix="/api/v1/chat")
MESSAGE = ChatMessageSchema()  # built once: building a schema costs more than loading a message with it


@bp.post("/messages")
def post_message():
    """Send `{text}` or a tapped button `{payload: {slot, value}}`; get the replies and what comes next.

    A retry with the same `Idempotency-Key` gets the first answer again and moves the conversation no further.
    """
    body = load_json(MESSAGE)
    answer, replayed = chat.converse(g.veteran, g.unfinished_case, text=body.get("text"),
                                     payload=body.get("payload"), key=idempotency_key())
    response = jsonify(answer)
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@bp.get("/messages")
def history():
    """The conversation so far, oldest first."""
    turns = db.session.scalars(select(ChatTurn).where(ChatTurn.veteran_id == g.veteran.id).order_by(ChatTurn.id))
    items = []
    for turn in turns:
        if turn.text or turn.payload:
            items.append({"from": "veteran", "text": turn.text, "payload": turn.payload,
                          "at": turn.created_at.isoformat()})
        items += [{"from": "guide", **reply, "at": turn.created_at.isoformat()} for reply in turn.replies]
    return jsonify({"items": items})


@bp.post("/restart")
def restart():
    """Start the conversation over; the answers already given stay in the draft."""
    return jsonify(chat.restart(g.veteran))
