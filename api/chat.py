"""The chat guide as the API uses it: one place that runs a turn and records it."""
from flask import current_app

from bot.engine import Turn
from models import Case, ChatTurn, Veteran, db

RECORD = ChatTurn.__table__.insert()


def converse(veteran: Veteran, unfinished_case: Case | None, text: str | None = None,
             payload: dict | None = None) -> dict:
    """Run one turn for `veteran`, whose unfinished case (`queries.unfinished_case_of_veteran`) the caller
    has read, and keep it in the history (needs an app context)."""
    turn: Turn = current_app.extensions["guide"].respond(veteran, unfinished_case, text=text, payload=payload)
    return _record(veteran, turn, text, payload)


def restart(veteran: Veteran) -> dict:
    return _record(veteran, current_app.extensions["guide"].restart(veteran), None, None)


def _record(veteran: Veteran, turn: Turn, text: str | None, payload: dict | None) -> dict:
    # A Core INSERT: the ORM's unit of work would build and track an object for a row never read back.
    db.session.execute(RECORD, {"veteran_id": veteran.id, "case_id": turn.case_id, "text": text, "payload": payload,
                                "replies": turn.replies, "expecting": turn.expecting})
    db.session.commit()
    return {"replies": turn.replies, "expecting": turn.expecting, "case_id": turn.case_id}
