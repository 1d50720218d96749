"""Reading cases and matters, always scoped to who is asking. A row outside the asker's reach
is reported as missing (404), never as forbidden, so its existence is not disclosed."""
from datetime import date, timedelta

from sqlalchemy import bindparam, select

from cases import statuses
from cases.errors import NotFound
from models import Case, Matter, Staff, Veteran, db

CASE_NOT_FOUND = NotFound("case_not_found", "没有找到这件申请")
MATTER_NOT_FOUND = NotFound("matter_not_found", "没有找到这个事项")
FINISHED = {statuses.REJECTED, statuses.WITHDRAWN, statuses.COMPLETED}


def lock_case(case_id: int) -> Case:
    """The case, locked for update until the transaction ends."""
    # populate_existing: a case this request already read is refreshed from the locked row, not kept as first seen
    case = db.session.execute(select(Case).where(Case.id == case_id).with_for_update()
                              .execution_options(populate_existing=True)).scalar_one_or_none()
    if case is None:
        raise CASE_NOT_FOUND
    return case


def case_of_veteran(veteran_id: int, case_id: int, lock: bool = False) -> Case:
    query = select(Case).where(Case.id == case_id, Case.veteran_id == veteran_id)
    case = db.session.execute(query.with_for_update() if lock else query).scalar_one_or_none()
    if case is None:
        raise CASE_NOT_FOUND
    return case


def cases_of_veteran(veteran_id: int) -> list[Case]:
    return list(db.session.scalars(select(Case).where(Case.veteran_id == veteran_id).order_by(Case.id.desc())))


# Built once: every chat turn runs it, and building the statement costs more than running it.
UNFINISHED_CASE = (select(Case).where(Case.veteran_id == bindparam("veteran_id"), Case.status.not_in(FINISHED))
                   .order_by(Case.id))


def unfinished_case_of_veteran(veteran_id: int) -> Case | None:
    """The veteran's one case that is a draft or still being handled, if any."""
    return db.session.scalars(UNFINISHED_CASE, {"veteran_id": veteran_id}).first()


def veteran_by_openid(openid: str) -> Veteran | None:
    """The veteran WeChat knows by `openid`, if they have been seen before."""
    return db.session.scalar(select(Veteran).where(Veteran.openid == openid))


LOCKED_VETERAN = select(Veteran).where(Veteran.id == bindparam("veteran_id")).with_for_update()


def veteran_with_unfinished_case(veteran_id: int) -> tuple[Veteran, Case | None] | None:
    """(the veteran, `unfinished_case_of_veteran`), or None when there is no such veteran.

    The veteran's row stays locked until the transaction ends, so one veteran's chat turns and submissions
    take their turn: two messages sent at once both keep their answers, a double tap submits one case.
    The case is read by a statement of its own, after the lock: one that waited for it sees what the
    turn before it committed (a joined read would see the cases as they were when it began waiting).
    """
    veteran = db.session.scalar(LOCKED_VETERAN, {"veteran_id": veteran_id})
    return None if veteran is None else (veteran, unfinished_case_of_veteran(veteran_id))


def case_for_window(staff: Staff, case_id: int, lock: bool = False) -> Case:
    case = lock_case(case_id) if lock else db.session.get(Case, case_id)
    if case is None or case.status == statuses.DRAFT or not staff.covers(case.handling_region):
        raise CASE_NOT_FOUND
    return case


def window_queue(staff: Staff, today: date, status: str | None = None, veteran_type: str | None = None,
                 overdue: bool = False, due_within_days: int | None = None) -> list[Case]:
    """The cases of the staff member's region, filtered, in the order the window works through them."""
    query = select(Case).where(Case.status != statuses.DRAFT, Case.handling_region.startswith(staff.region))
    if status:
        query = query.where(Case.status == status)
    if veteran_type:
        query = query.where(Case.veteran_type == veteran_type)
    if overdue or due_within_days is not None:
        query = query.where(Case.status.in_(statuses.RUNNING))
    if overdue:
        query = query.where(Case.deadline < today)
    if due_within_days is not None:
        query = query.where(Case.deadline >= today, Case.deadline <= today + timedelta(days=due_within_days))
    return sorted(db.session.scalars(query), key=_queue_order)


def _queue_order(case: Case) -> tuple:
    """Cases waiting for the window first (oldest first), then running ones by deadline, then the rest."""
    if case.status in statuses.AWAITING_WINDOW:
        return (0, case.submitted_at.timestamp() if case.submitted_at else 0, case.id)
    if case.status in statuses.RUNNING:
        return (1, case.deadline.toordinal() if case.deadline else 0, case.id)
    return (2, -case.id, 0)


def matters_for_department(staff: Staff, status: str | None = None) -> list[Matter]:
    query = select(Matter).where(Matter.department == staff.department, Matter.region.startswith(staff.region),
                                 Matter.status.not_in([statuses.WAITING, statuses.NOT_APPLICABLE]))
    if status:
        query = query.where(Matter.status == status)
    return list(db.session.scalars(query.order_by(Matter.id)))


def matter_for_department(staff: Staff, matter_id: int, lock: bool = False) -> Matter:
    matter = db.session.get(Matter, matter_id)
    if (matter is None or matter.department != staff.department or not staff.covers(matter.region)
            or matter.status in (statuses.WAITING, statuses.NOT_APPLICABLE)):
        raise MATTER_NOT_FOUND
    if lock:
        lock_case(matter.case_id)
        db.session.refresh(matter, with_for_update=True)
    return matter
