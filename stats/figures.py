"""Per region and per matter figures of the cases a staff member's region covers."""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cases import form, statuses
from cases.context import Context
from catalog.china_time import CHINA, today_in_china
from materials.e_licence import ELicences
from models import Case, db
from stats.burden import NONE, Burden, case_burden


@dataclass
class RegionFigures:
    """One row of the region table: a handling region (county) and its cases."""

    code: str
    name: str
    cases: int = 0        # submitted (drafts are not cases yet)
    accepted: int = 0     # ever accepted: running or completed
    people: set = field(default_factory=set)  # who was served: the ID numbers (hashed) of accepted cases
    completed: int = 0
    completed_on_time: int = 0
    overdue_now: int = 0  # running past their deadline today
    working_days: list[int] = field(default_factory=list)  # acceptance to completion, per completed case
    burden: Burden = NONE  # of the accepted cases: what the one-stop service saved the people it served

    @property
    def served(self) -> int:
        """享受"一站式"办理服务人数 (广东 2020's table): people, not applications; one rejected, withdrawn
        or applied for again is not counted twice."""
        return len(self.people)

    @property
    def on_time_rate(self) -> float | None:
        return self.completed_on_time / self.completed if self.completed else None

    @property
    def average_working_days(self) -> float | None:
        return sum(self.working_days) / len(self.working_days) if self.working_days else None


@dataclass
class MatterFigures:
    key: str
    label: str
    department: str
    applied: int = 0      # matters of submitted cases, display-only ones left out
    completed: int = 0
    in_hand: int = 0      # dispatched, processing or returned
    working_days: list[int] = field(default_factory=list)  # dispatch to completion

    @property
    def average_working_days(self) -> float | None:
        return sum(self.working_days) / len(self.working_days) if self.working_days else None


@dataclass
class Statistics:
    regions: list[RegionFigures]
    matters: list[MatterFigures]
    total: RegionFigures


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), CHINA).astimezone(timezone.utc)


def cases_in_scope(region: str, since: date | None = None, until: date | None = None) -> list[Case]:
    """Submitted cases of `region` (a code prefix), optionally submitted between two dates (inclusive)."""
    query = (select(Case).where(Case.status != statuses.DRAFT, Case.submitted_at.is_not(None),
                                Case.handling_region.startswith(region))
             .options(selectinload(Case.matters)).order_by(Case.id))
    # The calendar's first and last days bound nothing (and their midnights overflow in UTC).
    if since and since > date.min:
        query = query.where(Case.submitted_at >= _start_of(since))
    if until and until < date.max:
        query = query.where(Case.submitted_at < _start_of(until + timedelta(days=1)))
    return list(db.session.scalars(query))


def compute(ctx: Context, e_licences: ELicences, cases: list[Case], today: date) -> Statistics:
    """The region rows (by handling region), the matter rows (in profile order) and the totals."""
    profile = ctx.profile
    regions: dict[str, RegionFigures] = {}
    matters = {key: MatterFigures(key, m.label, profile.departments[m.department])
               for key, m in profile.matters.items() if not m.display_only}
    total = RegionFigures("", "合计")
    for case in cases:
        code = case.handling_region or ""
        if code not in regions:
            region = ctx.regions.get(code)
            regions[code] = RegionFigures(code, region.full_name if region else code or "未填写")
        values = form.unseal(ctx, case.fields)
        burden = case_burden(profile, case.matter_keys or [], values,
                             set(e_licences.replacing(values.get("id_number"), today)))
        for row in (regions[code], total):
            _count_case(ctx, row, case, burden, today)
        for matter in case.matters:
            if matter.key in matters:
                _count_matter(ctx, matters[matter.key], matter)
    return Statistics(sorted(regions.values(), key=lambda r: r.code), list(matters.values()), total)


def _count_case(ctx: Context, row: RegionFigures, case: Case, burden: Burden, today: date) -> None:
    row.cases += 1
    if case.accepted_at is not None:
        row.accepted += 1
        row.people.add(case.id_number_hash or f"case:{case.id}")
        row.burden = row.burden + burden
    if case.status == statuses.COMPLETED and case.completed_at and case.accepted_at:
        row.completed += 1
        finished = today_in_china(case.completed_at)
        if case.deadline is None or finished <= case.deadline:
            row.completed_on_time += 1
        row.working_days.append(ctx.calendar.working_days_between(today_in_china(case.accepted_at), finished))
    if case.status in statuses.RUNNING and case.deadline and case.deadline < today:
        row.overdue_now += 1


def _count_matter(ctx: Context, row: MatterFigures, matter) -> None:
    if matter.status == statuses.NOT_APPLICABLE:
        return
    row.applied += 1
    if matter.status == statuses.COMPLETED:
        row.completed += 1
        if matter.dispatched_at and matter.completed_at:
            row.working_days.append(ctx.calendar.working_days_between(today_in_china(matter.dispatched_at),
                                                                      today_in_china(matter.completed_at)))
    elif matter.status in (statuses.DISPATCHED, statuses.PROCESSING, statuses.RETURNED):
        row.in_hand += 1
