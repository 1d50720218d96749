"""The window's side (综合窗口): archive review, acceptance, rejection, supplement requests."""
from datetime import datetime

from cases import form, queries, statuses
from cases.context import Context
from cases.errors import Conflict, InvalidForm
from cases.routing import dispatch_ready
from cases.transitions import Actor, move_case
from catalog.china_time import today_in_china
from catalog.profile import Field, Material, Profile
from materials.checklist import E_LICENCE, HANDED_IN, OWED, MaterialStatus, checklist
from materials.e_licence import ELicences
from models import Case, Staff, db
from models.base import utcnow


# The field that decides whose window has the case: the county that reviewed it keeps it (its 审档 counts
# for it alone), so a 补正 never moves it elsewhere.
HANDLING_REGION = "handling_region"
REVIEWED_AGAIN = "重新审档，"


def window_actor(staff: Staff) -> Actor:
    return Actor(f"staff:{staff.username}", "综合窗口")


def record_archive_review(ctx: Context, staff: Staff, case_id: int, archive_status: str,
                          archive_missing: str | None, note: str | None) -> Case:
    """审档: the unit's archive has arrived and was checked; 缺失 needs what is missing. Until acceptance it
    may be recorded again (the missing part arrives from the unit, a finding was wrong): the latest counts,
    and each stays in the timeline."""
    if not ctx.profile.archive_review_required:
        raise Conflict("archive_review_not_required", f"{ctx.profile.name}的受理流程不需要单独审档，可直接受理")
    case = queries.case_for_window(staff, case_id, lock=True)
    if case.status not in statuses.AWAITING_WINDOW:
        raise Conflict("invalid_transition", f"申请当前为“{statuses.CASE_LABELS[case.status]}”，不能审档")
    if archive_status == statuses.ARCHIVE_MISSING and not archive_missing:
        raise InvalidForm("invalid_form", "档案缺失时请写明缺失内容", {"archive_missing": "请填写缺失内容"})
    again = REVIEWED_AGAIN if "archive_status" in case.fields else ""
    finding = f"{again}档案{archive_status}" + (f"：{archive_missing}" if archive_missing else "")
    # What is missing is always told, like a 补正's list, with the clerk's note after it (masked as any staff text).
    told = f"{finding}。{note}" if archive_missing and note else note or finding
    latest = case.events[-1] if case.events else None
    if (again and latest is not None and latest.to_status == statuses.ARCHIVE_REVIEWED
            and (latest.note or "").removeprefix(REVIEWED_AGAIN) == told.removeprefix(REVIEWED_AGAIN)):
        # the button pressed twice, or a page left open while another clerk recorded the same
        raise Conflict("archive_review_recorded", f"已记录过同样的审档结果（档案{archive_status}），无需重复记录")
    earlier = {k: v for k, v in case.fields.items() if k != "archive_missing"}  # a review again replaces it all
    case.fields = {**earlier, "archive_status": archive_status,
                   **({"archive_missing": archive_missing} if archive_missing else {})}
    move_case(case, statuses.ARCHIVE_REVIEWED, window_actor(staff), told)
    db.session.commit()
    return case


def archive_refusal(ctx: Context, case: Case) -> Conflict | None:
    """Why the archive keeps a case awaiting the window from being accepted, if it does (四川 附件3: 受理
    after 审档通过; 四（二）: an incomplete one gets 不予受理 or 补正). A review recorded before a 补正 is
    kept across the resubmission and still counts."""
    if not ctx.profile.archive_review_required:
        return None
    archive = case.fields.get("archive_status")
    if archive is None:
        return Conflict("archive_not_reviewed", "请先审档（收到部队档案并审核）后再受理")
    if archive == statuses.ARCHIVE_MISSING:
        return Conflict("archive_incomplete", "档案缺失，不能受理：请一次性告知申请人补正，或作出不予受理决定")
    return None


def owed_materials(ctx: Context, e_licences: ELicences, case: Case) -> list[Material]:
    """The materials still to be uploaded before acceptance (四川 四（二）: 受理 when 材料齐全, else 补正); not
    those whose original the veteran shows at the window, nor those provided after the matter (吉林 三（一）4–5)."""
    return [item.material for item in checklist(ctx, e_licences, case, form.unseal(ctx, case.fields))
            if item.status == OWED and not item.material.original_at_window]


def acceptance_refusal(ctx: Context, e_licences: ELicences, case: Case) -> Conflict | None:
    """Why a case awaiting the window cannot be accepted yet, if it cannot: its archive, then what it still owes."""
    refusal = archive_refusal(ctx, case)
    if refusal:
        return refusal
    owed = owed_materials(ctx, e_licences, case)
    if owed:
        return Conflict("materials_owed", f"材料不齐，不能受理：尚未上传{'、'.join(m.label for m in owed)}；"
                                          "请一次性告知申请人补正", {m.key: f"尚未上传{m.label}" for m in owed})
    return None


def accept(ctx: Context, e_licences: ELicences, staff: Staff, case_id: int, note: str | None = None,
           now: datetime | None = None) -> Case:
    """受理: the time limit starts and the matters go to their departments."""
    case = queries.case_for_window(staff, case_id, lock=True)
    refusal = acceptance_refusal(ctx, e_licences, case) if case.status in statuses.AWAITING_WINDOW else None
    if refusal:
        raise refusal
    deadline = ctx.calendar.add_working_days(today_in_china(now), ctx.profile.time_limit.working_days)
    case.deadline, case.deadline_estimated = deadline.due, deadline.estimated  # before the move: its message tells it
    accepted = move_case(case, statuses.ACCEPTED, window_actor(staff), note or "予以受理")
    case.accepted_at = case.updated_at
    dispatch_ready(ctx, case, told=accepted)  # one message: accepted, and which matters went where
    db.session.commit()
    return case


def reject(staff: Staff, case_id: int, reason: str) -> Case:
    """不予受理, with the reason the veteran will read; also of a 补正 never answered (逾期未补正)."""
    case = queries.case_for_window(staff, case_id, lock=True)
    case.decision_reason = reason
    move_case(case, statuses.REJECTED, window_actor(staff), reason)
    case.supplement = None  # no longer asked for; the timeline keeps what was
    db.session.commit()
    return case


def request_supplement(ctx: Context, e_licences: ELicences, staff: Staff, case_id: int, items: list[dict],
                       note: str | None) -> Case:
    """补正: one list of every problem at once (一次性告知); each item names a field or a material."""
    case = queries.case_for_window(staff, case_id, lock=True)
    values = form.unseal(ctx, case.fields)
    standing = checklist(ctx, e_licences, case, values)
    fields, materials = supplement_choices(ctx, case, values, standing)
    licensed = {i.material.key: i.licence for i in standing if i.status == E_LICENCE}
    problems, listed, named = {}, [], set()
    for index, item in enumerate(items):
        asked = fields.get(item.get("field")) or materials.get(item.get("material"))
        name = ("field", item.get("field")) if item.get("field") else ("material", item.get("material"))
        if asked is None:
            problems[f"items.{index}"] = _not_askable(ctx.profile, licensed, item)
        elif name in named:
            problems[f"items.{index}"] = f"{asked.label}重复列出，请合并为一项"
        else:
            named.add(name)
            listed.append({**item, "label": asked.label})
    if problems:
        raise InvalidForm("invalid_form", "补正清单中有需要修改的项目：" + "；".join(problems.values()), problems)
    summary = "；".join(f"{i['label']}：{i['reason']}" for i in listed)
    # before the move: its message carries the whole list
    case.supplement = {"items": listed, "note": note, "requested_at": utcnow().isoformat()}
    move_case(case, statuses.SUPPLEMENT_REQUESTED, window_actor(staff), f"请补正：{summary}" + (f"。{note}" if note else ""))
    db.session.commit()
    return case


def supplement_choices(ctx: Context, case: Case, values: dict,
                       standing: list[MaterialStatus]) -> tuple[dict[str, Field], dict[str, Material]]:
    """What a 补正 may ask the veteran for: the fields they fill in for the case's matters (not derived
    ones, not the window's own, not 办理地) and, of the case's `checklist`, the materials the veteran hands in
    (not the generated form, nor one an e-licence stands for: the veteran could not upload it)."""
    needed = {f.key for f in ctx.profile.needed_fields(case.matter_keys, values)}
    fields = {k: f for k, f in ctx.profile.fields.items()
              if (k in needed or k in values) and not f.derived_from and not f.staff_only and k != HANDLING_REGION}
    materials = {item.material.key: item.material for item in standing if item.status in HANDED_IN}
    return fields, materials


def _not_askable(profile: Profile, licensed: dict[str, str], item: dict) -> str:
    """Why a 补正 item is one the veteran could never supply; `licensed` the case's materials an e-licence stands
    for, with the licence."""
    field, material = profile.fields.get(item.get("field")), profile.materials.get(item.get("material"))
    if field is None and material is None:
        return f"没有这个填写项或材料：{item.get('field') or item.get('material')}"
    if field is not None and field.derived_from:
        return f"{field.label}由系统自动生成，申请人无法补正"
    if field is not None and field.staff_only:
        return f"{field.label}由窗口工作人员填写，申请人无法补正"
    if field is not None and field.key == HANDLING_REGION:
        return f"{field.label}不能通过补正更改：应到其他地区办理的，请作出不予受理决定，由申请人向该地申请"
    if material is not None and material.generated:
        return f"{material.label}由系统生成，申请人无法补正"
    if material is not None and material.key in licensed:
        return f"{material.label}已通过{licensed[material.key]}获取，申请人无需也无法上传"
    return f"所申请的事项不需要{(field or material).label}"
