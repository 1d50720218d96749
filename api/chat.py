"""The chat guide as the API uses it: one place that runs a turn and records it."""
import logging

from flask import current_app
from redis.exceptions import RedisError
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from bot.engine import Turn
from bot.simplified import simplified
from cases.errors import Conflict
from models import Case, ChatTurn, Veteran, db
from security.number_masking import mask_personal_numbers

log = logging.getLogger(__name__)
RECORD = ChatTurn.__table__.insert()
EARLIER = select(ChatTurn).where(ChatTurn.veteran_id == bindparam("veteran_id"),
                                 ChatTurn.client_key == bindparam("key"))


def converse(veteran: Veteran, unfinished_case: Case | None, text: str | None = None,
             payload: dict | None = None, key: str | None = None) -> tuple[dict, bool]:
    """Run one turn for `veteran`, whose unfinished case (`queries.unfinished_case_of_veteran`) the caller
    has read, and keep it in the history (needs an app context); (answer, replayed).

    A turn already recorded under the same `key` (an Idempotency-Key) is answered again as it was.
    """
    if key is not None:
        earlier = _earlier_answer(veteran, key, text, payload)
        if earlier is not None:
            return earlier, True
    said = simplified(text) if isinstance(text, str) else text  # "自主就業", "錦江區": read as simplified
    turn: Turn = current_app.extensions["guide"].respond(veteran, unfinished_case, text=said, payload=payload)
    try:
        return _record(veteran, turn, text, payload, key), False
    except IntegrityError:
        # The same message, sent twice at once, was recorded by the other request: its turn stands.
        db.session.rollback()
        earlier = _earlier_answer(veteran, key, text, payload) if key is not None else None
        if earlier is None:
            raise
        return earlier, True


def restart(veteran: Veteran) -> dict:
    return _record(veteran, current_app.extensions["guide"].restart(veteran), None, None)


def _earlier_answer(veteran: Veteran, key: str, text: str | None, payload: dict | None) -> dict | None:
    turn = db.session.scalar(EARLIER, {"veteran_id": veteran.id, "key": key})
    if turn is None:
        return None
    if (turn.text, turn.payload) != _as_kept(text, payload):
        raise Conflict("idempotency_key_reused", "这个 Idempotency-Key 已用于另一条消息，请换一个")
    return {"replies": turn.replies, "expecting": turn.expecting, "case_id": turn.case_id}


def _as_kept(text: str | None, payload: dict | None) -> tuple[str | None, dict | None]:
    """The message as the history keeps it: ID, bank and phone numbers masked (the draft holds them sealed)."""
    if payload is not None and isinstance(payload.get("value"), str):
        payload = {**payload, "value": mask_personal_numbers(payload["value"])}
    return (None if text is None else mask_personal_numbers(text)), payload


def _record(veteran: Veteran, turn: Turn, text: str | None, payload: dict | None, key: str | None = None) -> dict:
    text, payload = _as_kept(text, payload)
    # A Core INSERT: the ORM's unit of work would build and track an object for a row never read back.
    db.session.execute(RECORD, {"veteran_id": veteran.id, "case_id": turn.case_id, "text": text, "payload": payload,
                                "replies": turn.replies, "expecting": turn.expecting, "client_key": key})
    db.session.commit()
    try:
        turn.remember()
    except RedisError:  # the turn is kept; the next one rebuilds the dialogue state from the draft
        log.warning("the dialogue state of veteran %s was not saved: Redis is unreachable", veteran.id)
    return {"replies": turn.replies, "expecting": turn.expecting, "case_id": turn.case_id}
