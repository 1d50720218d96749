"""A department officer moves their own matters: processing, completed with a result, returned."""
from cases import queries, statuses
from cases.context import Context
from cases.errors import Conflict, InvalidForm
from cases.routing import after_matter_change
from cases.transitions import Actor, move_matter
from models import Matter, Staff, db


def department_actor(ctx: Context, staff: Staff) -> Actor:
    return Actor(f"staff:{staff.username}", ctx.profile.departments[staff.department])


def officer_transition(ctx: Context, staff: Staff, matter_id: int, to: str, note: str | None,
                       result: str | None) -> Matter:
    if to not in statuses.OFFICER_TARGETS:
        raise InvalidForm("invalid_form", "只能改为办理中（processing）、已办结（completed）或已退回（returned）",
                          {"to": "可选 processing、completed、returned"})
    if to == statuses.COMPLETED and not result:
        raise InvalidForm("invalid_form", "办结时请填写办理结果（如邮寄单号、领取地点）", {"result": "请填写办理结果"})
    if to == statuses.RETURNED and not note:
        raise InvalidForm("invalid_form", "退回时请写明缺少什么", {"note": "请写明退回原因和所缺内容"})
    matter = queries.matter_for_department(staff, matter_id, lock=True)
    if matter.case.status not in statuses.RUNNING:
        raise Conflict("case_not_running", "该申请不在办理中")
    actor = department_actor(ctx, staff)
    if to == statuses.COMPLETED:
        matter.result = result  # before the move: its message tells the result
    move_matter(matter, to, actor, note if to != statuses.COMPLETED else (note or result))
    matter.note = note
    after_matter_change(ctx, matter.case)
    db.session.commit()
    return matter
