"""The window's side (综合窗口): archive review, acceptance, rejection, supplement requests."""
from datetime import datetime

from cases import queries, statuses
from cases.context import Context
from cases.errors import Conflict, InvalidForm
from cases.routing import dispatch_ready
from cases.transitions import Actor, move_case
from catalog.china_time import today_in_china
from models import Case, Staff, db

def window_actor(staff: Staff) -> Actor:
    return Actor(f"staff:{staff.username}", "综合窗口")

def record_archive_review(ctx: Context, staff: Staff, case_id: int, archive_status: str,
                          archive_missing: str | None, note: str | None) -> Case:
    """审档: the unit's archive has arrived and was checked; 缺失 needs what is missing."""
    if not ctx.profile.archive_review_required:
        raise Conflict("archive_review_not_required", f"{ctx.profile.name}的受理流程不需要单独审档，可直接受理")
    case = queries.case_for_window(staff, case_id, lock=True)
    if case.status != statuses.SUBMITTED:
        raise Conflict("invalid_transition", f"申请当前为“{statuses.CASE_LABELS[case.status]}”，不能审档")
    if archive_status == "缺失" and not archive_missing:
        raise InvalidForm("invalid_form", "档案缺失时请写明缺失内容", {"archive_missing": "请填写缺失内容"})
    move_case(case, statuses.ARCHIVE_REVIEWED, window_actor(staff), note or f"档案{archive_status}")
    case.fields = {**case.fields, "archive_status": archive_status,
                   **({"archive_missing": archive_missing} if archive_missing else {})}
    db.session.commit()
    return case

def accept(ctx: Context, staff: Staff, case_id: int, note: str | None = None, now: datetime | None = None) -> Case:
    """受理: the time limit starts and the matters go to their departments."""
    case = queries.case_for_window(staff, case_id, lock=True)
    if ctx.profile.archive_review_required and case.status == statuses.SUBMITTED:
        raise Conflict("archive_not_reviewed", "请先审档（收到部队档案并审核）后再受理")
    deadline = ctx.calendar.add_working_days(today_in_china(now), ctx.profile.time_limit.working_days)
    case.deadline, case.deadline_estimated = deadline.due, deadline.estimated  # before the move: its message tells it
    move_case(case, statuses.ACCEPTED, window_actor(staff), note or "材料齐全，予以受理")
    case.accepted_at = case.updated_at
    dispatch_ready(ctx, case)
    db.session.commit()
    return case

def reject(staff: Staff, case_id: int, reason: str) -> Case:
    """不予受理, with the reason the veteran will read."""
    case = queries.case_for_window(staff, case_id, lock=True)
    case.decision_reason = reason
    move_case(case, statuses.REJECTED, window_actor(staff), reason)
    db.session.commit()
    return case

def request_supplement(ctx: Context, staff: Staff, case_id: int, items: list[dict], note: str | None) -> Case:
    """补正: one list of every problem at once (一次性告知); each item names a field or a material."""
    case = queries.case_for_window(staff, case_id, lock=True)
    problems = {}
    for index, item in enumerate(items):
        key = item.get("field") or item.get("material")
        known = ctx.profile.fields if item.get("field") else ctx.profile.materials
        if key not in known:
            problems[f"items.{index}"] = f"没有这个填写项或材料：{key}"
    if problems:
        raise InvalidForm("invalid_form", "补正清单中有无法识别的项目", problems)
    listed = [{**item, "label": (ctx.profile.fields.get(item.get("field")) or
                                 ctx.profile.materials[item.get("material")]).label} for item in items]
    summary = "；".join(f"{i['label']}：{i['reason']}" for i in listed)
    case.supplement = {"items": listed, "note": note}  # before the move: its message carries the whole list
    move_case(case, statuses.SUPPLEMENT_REQUESTED, window_actor(staff), f"请补正：{summary}" + (f"。{note}" if note else ""))
    db.session.commit()
    return case
