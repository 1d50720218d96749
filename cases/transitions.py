"""Every status change of a case or a matter goes through here: checked against the one table
of allowed transitions (cases/statuses.py) and written to the timeline in the same transaction,
together with the veteran's notification of it (notify/outbox.py). Callers set what the message
tells (deadline, result, reason, supplement list) before they move the case or matter.

Callers hold the case row lock (cases.queries.lock_case) so two people cannot both move the
same item out of the same state.
"""
from dataclasses import dataclass

from cases import statuses
from cases.errors import Conflict
from models import Case, CaseEvent, Matter, db
from models.base import utcnow
from notify import outbox


@dataclass(frozen=True)
class Actor:
    """Who made a change: `ref` for the audit trail, `label` for the veteran's timeline."""

    ref: str
    label: str


SYSTEM = Actor("system", "系统")


def _refusal(what: str, labels: dict[str, str], current: str, to: str) -> Conflict:
    """A move the table does not allow; one to the status it already has is a button pressed twice, or on a page
    left open while someone else did it."""
    if current == to:
        return Conflict("invalid_transition", f"该{what}已是“{labels[to]}”，无需重复操作")
    return Conflict("invalid_transition", f"{what}当前为“{labels[current]}”，不能改为“{labels[to]}”")


def move_case(case: Case, to: str, actor: Actor, note: str | None = None) -> CaseEvent:
    if to not in statuses.CASE_TRANSITIONS[case.status]:
        raise _refusal("申请", statuses.CASE_LABELS, case.status, to)
    event = CaseEvent(case=case, actor=actor.ref, actor_label=actor.label,
                      from_status=case.status, to_status=to, note=note)
    case.status = to
    case.updated_at = utcnow()
    db.session.add(event)
    outbox.enqueue(event)
    return event


def move_matter(matter: Matter, to: str, actor: Actor, note: str | None = None) -> CaseEvent:
    if to not in statuses.MATTER_TRANSITIONS[matter.status]:
        raise _refusal("事项", statuses.MATTER_LABELS, matter.status, to)
    event = CaseEvent(case=matter.case, matter=matter, actor=actor.ref, actor_label=actor.label,
                      from_status=matter.status, to_status=to, note=note)
    matter.status = to
    matter.updated_at = utcnow()
    if to == statuses.DISPATCHED:
        matter.dispatched_at = matter.updated_at
    if to == statuses.COMPLETED:
        matter.completed_at = matter.updated_at
    db.session.add(event)
    outbox.enqueue(event)
    return event
