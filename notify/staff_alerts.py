"""In-app alerts for staff: cases on a time limit that are due by the next working day, or overdue."""
from datetime import date

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import aliased

from cases import statuses
from cases.context import Context
from models import Case, Matter, Staff, StaffAlert, db, paging
from models.staff_alert import DUE_SOON, OVERDUE
from notify import upsert

BATCH = 5000  # rows per insert: three parameters each, well under PostgreSQL's 65,535


def raise_deadline_alerts(ctx: Context, today: date) -> int:
    """Add the alerts that are due and not yet raised, and commit; returns how many were new.

    An alert is kept once per case, kind and deadline, so running this again and again (or in two
    workers at once) repeats nothing.
    """
    due_by = ctx.calendar.add_working_days(today, 1).due
    query = select(Case.id, Case.deadline).where(Case.status.in_(statuses.RUNNING), Case.deadline.is_not(None),
                                                 Case.deadline <= due_by)
    rows = [{"case_id": case_id, "kind": OVERDUE if deadline < today else DUE_SOON, "deadline": deadline}
            for case_id, deadline in db.session.execute(query)]
    added = 0
    for start in range(0, len(rows), BATCH):
        insert = upsert.insert(StaffAlert).values(rows[start:start + BATCH]).on_conflict_do_nothing(
            index_elements=["case_id", "kind", "deadline"]).returning(StaffAlert.id)
        added += len(db.session.execute(insert).all())
    db.session.commit()
    return added


def alerts_for(staff: Staff, before: int | None = None, limit: int = 50) -> tuple[list[StaffAlert], int | None]:
    """A page of the current alerts of the cases this staff member handles: in their region, still running, and for a
    department officer only those where one of their department's matters is not done yet. A case that
    became overdue shows only that, not its earlier "due soon". Newest first, with the `before` of the next page."""
    overdue = aliased(StaffAlert)
    query = (select(StaffAlert).join(Case)
             .where(Case.status.in_(statuses.RUNNING), StaffAlert.deadline == Case.deadline,
                    Case.handling_region.startswith(staff.region),
                    or_(StaffAlert.kind == OVERDUE,
                        ~exists().where(overdue.case_id == StaffAlert.case_id, overdue.kind == OVERDUE,
                                        overdue.deadline == StaffAlert.deadline))))
    if staff.role == "department":
        query = query.where(exists().where(Matter.case_id == Case.id, Matter.department == staff.department,
                                           Matter.status.not_in(statuses.MATTER_DONE | {statuses.WAITING})))
    return paging.newest_first(query, StaffAlert.id, before, limit)
