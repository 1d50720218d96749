"""The 综合窗口's pages: the queue, a case with its review actions, and the roster import."""
from dataclasses import asdict
from flask import Blueprint, flash, g, jsonify, redirect, render_template, request, url_for
from marshmallow import ValidationError

from api.presenters import case_json, case_summary, e_licences
from api.schemas.base import trimmed
from api.schemas.requests import AcceptSchema, ArchiveReviewSchema, RejectSchema, SupplementRequestSchema
from api.services import context
from cases import disclosure, form, queries, review, statuses
from cases.errors import CaseError, InvalidForm
from catalog.china_time import today_in_china
from console import pages
from materials.checklist import UPLOADED, checklist
from roster import importing

bp = pages.setup(Blueprint("console_window", __name__, url_prefix="/console"))
DUE_FILTERS = {"overdue": "已超期", "today": "今日到期"}
# The queue's counter chips: each counts and lists the cases of its statuses.
STAGES = {"awaiting": ("待审核", statuses.AWAITING_WINDOW), "running": ("办理中", statuses.RUNNING)}
SEARCH_MAX_LENGTH = 40  # a case number is 18 characters, an ID number 18
FIELD_LABELS = {"archive_status": "档案情况", "archive_missing": "缺失内容", "note": "备注", "reason": "原因",
                "items": "补正项目"}


# --- the queue -----------------------------------------------------------------------------------
def _queue_filters() -> dict:
    """The queue's filters from the query string; an unknown value is refused in Chinese."""
    ctx, args = context(), request.args
    problems = {}
    status, kind = args.get("status") or None, args.get("veteran_type") or None
    region, due, stage = (args.get("region") or "").strip() or None, args.get("due") or None, args.get("stage") or None
    if status and status not in statuses.CASE_LABELS or status == statuses.DRAFT:
        problems["status"] = "没有这个办理状态"
    if kind and kind not in ctx.profile.veteran_types:
        problems["veteran_type"] = "没有这个退役类型"
    if region and not (region.isdigit() and region.startswith(g.staff.region)):
        problems["region"] = "只能选择您负责的地区"
    if due and due not in DUE_FILTERS:
        problems["due"] = "时限筛选应为“已超期”或“今日到期”"
    if stage and stage not in STAGES:
        problems["stage"] = "阶段筛选应为“待审核”或“办理中”"
    sought = trimmed(args.get("q") or "") or None
    if sought and len(sought) > SEARCH_MAX_LENGTH:
        problems["q"] = f"查找内容过长（最多{SEARCH_MAX_LENGTH}个字）"
    page = args.get("page", "1")
    if problem := pages.page_problem(page):
        problems["page"] = problem
    if problems:
        raise InvalidForm("invalid_filter", "筛选条件不正确：" + "；".join(problems.values()), problems)
    return {"q": sought, "status": status, "stage": stage, "veteran_type": kind, "region": region, "due": due,
            "page": int(page)}


def _sought(ctx, case, sought: str) -> bool:
    """A veteran at the counter: their case number (or its end), their name, or their whole ID number."""
    values = form.unseal(ctx, case.fields)
    return (sought.upper() in case.case_no or sought in (values.get("name") or "")
            or sought.upper() == values.get("id_number"))


@bp.get("/cases")
def queue():
    ctx, today = context(), today_in_china()
    filters = _queue_filters()
    everything = queries.window_queue(g.staff, today)
    regions = sorted({c.handling_region for c in everything if c.handling_region})
    cases = queries.window_queue(g.staff, today, status=filters["status"], veteran_type=filters["veteran_type"],
                                 overdue=filters["due"] == "overdue",
                                 due_within_days=0 if filters["due"] == "today" else None)
    if filters["region"]:
        cases = [c for c in cases if (c.handling_region or "").startswith(filters["region"])]
    if filters["stage"]:
        cases = [c for c in cases if c.status in STAGES[filters["stage"]][1]]
    if filters["q"]:
        cases = [c for c in cases if _sought(ctx, c, filters["q"])]
    shown, pages_total = pages.page_of(cases, filters["page"])
    rows = [{**case_summary(ctx, c), "due_today": c.status in statuses.RUNNING and c.deadline == today,
             "matter_count": len(c.matters), "returned": any(m.status == statuses.RETURNED for m in c.matters)}
            for c in shown]
    counts = {**{stage: sum(c.status in kept for c in everything) for stage, (_, kept) in STAGES.items()},
              "overdue": sum(c.status in statuses.RUNNING and c.deadline is not None and c.deadline < today
                             for c in everything),
              "due_today": sum(c.status in statuses.RUNNING and c.deadline == today for c in everything)}
    return render_template("console/queue.html", rows=rows, filters=filters, regions=regions, counts=counts,
                           total=len(cases), pages_total=pages_total, due_filters=DUE_FILTERS, stages=STAGES,
                           today=today)


# --- one case --------------------------------------------------------------------------------------
def _case_page(case_id: int, error: CaseError | None = None, status: int = 200):
    ctx = context()
    case = queries.case_for_window(g.staff, case_id)
    data = case_json(ctx, case, for_staff=True)
    values = data["fields"]
    shown = form.masked(ctx.profile, values)
    personal = {k for k, f in ctx.profile.fields.items() if f.personal}
    field_rows = [{"key": k, "label": f.label, "value": pages.show_value(k, shown[k]),
                   "personal": k in personal and isinstance(values[k], str)}
                  for k, f in ctx.profile.fields.items() if k in values]
    uploads = {m["kind"]: m for m in data["materials"] if m["source"] == "upload"}
    materials = [{**m, "upload": uploads.get(m["key"]),
                  "url": url_for("console_files.material", case_id=case.id, kind=m["key"])
                  if m["key"] in uploads else None} for m in data["materials_required"]]
    checkable_fields, checkable_materials = _supplement_checklist(ctx, case)
    awaiting = case.status in statuses.AWAITING_WINDOW
    actions = {
        "archive_review": awaiting and ctx.profile.archive_review_required,
        "accept": awaiting and review.archive_refusal(ctx, case) is None,
        "supplement": awaiting,
        "reject": statuses.REJECTED in statuses.CASE_TRANSITIONS[case.status],
    }
    # What blocks 受理: listed in its panel, and ticked in the 补正's so one list asks for all of it (一次性告知).
    owed = review.owed_materials(ctx, e_licences(), case) if awaiting else []
    return render_template("console/case.html", case=data, field_rows=field_rows, materials=materials,
                           checkable_fields=checkable_fields, checkable_materials=checkable_materials,
                           actions=actions, owed=owed, error=error, form=request.form, today=today_in_china(),
                           region=pages.region_name(case.handling_region)), status


@bp.get("/cases/<int:case_id>")
def case_page(case_id: int):
    return _case_page(case_id)


def _act(case_id: int, action, done: str):
    """Run a review action; on success back to the case with a notice, else the case again with why."""
    def run():
        action()
        flash(done)
        return redirect(url_for("console_window.case_page", case_id=case_id), 303)
    return pages.form_action(run, lambda error, status: _case_page(case_id, error, status), FIELD_LABELS)


@bp.post("/cases/<int:case_id>/archive-review")
def archive_review(case_id: int):
    def action():
        body = ArchiveReviewSchema().load(pages.form_values("archive_status", "archive_missing", "note"))
        review.record_archive_review(context(), g.staff, case_id, body["archive_status"],
                                     body.get("archive_missing"), body.get("note"))
    return _act(case_id, action, "已记录审档结果")


@bp.post("/cases/<int:case_id>/accept")
def accept(case_id: int):
    def action():
        body = AcceptSchema().load(pages.form_values("note"))
        review.accept(context(), e_licences(), g.staff, case_id, body.get("note"))
    return _act(case_id, action, "已受理，各事项已推送到相关部门")


@bp.post("/cases/<int:case_id>/reject")
def reject(case_id: int):
    def action():
        body = RejectSchema().load(pages.form_values("reason"))
        review.reject(g.staff, case_id, body["reason"])
    return _act(case_id, action, "已作出不予受理决定")


def _supplement_checklist(ctx, case) -> tuple[list, list]:
    """What the window can list in a 补正 (review.supplement_choices), with the reason sent when none is
    typed: (key, label, default) per field, (key, label, status, default) per material."""
    values = form.unseal(ctx, case.fields)
    standing = checklist(ctx, e_licences(), case, values)
    fields, materials = review.supplement_choices(ctx, case, values, standing)
    checkable_fields = [(key, spec.label, "请核对并更正") for key, spec in fields.items()]
    checkable_materials = [(item.material.key, item.material.label, item.status,
                            "请重新提交清晰、完整的材料" if item.status == UPLOADED else "请上传此材料")
                           for item in standing if item.material.key in materials]
    return checkable_fields, checkable_materials


def supplement_items(case_id: int) -> tuple[list[dict], dict[str, str]]:
    """The ticked problems of the 补正 checklist: `item` values "field:<key>" / "material:<key>", each
    with its reason in `reason:<kind>:<key>` (the checklist's default reason when left empty); and the label
    of each item's reason, for a refusal to name the item it belongs to."""
    ctx = context()
    checkable_fields, checkable_materials = _supplement_checklist(ctx, queries.case_for_window(g.staff, case_id))
    defaults = {("field", key): (label, default) for key, label, default in checkable_fields}
    defaults.update({("material", key): (label, default) for key, label, _, default in checkable_materials})
    items, reason_labels = [], {}
    for ticked in request.form.getlist("item"):
        kind, _, key = ticked.partition(":")
        if kind not in ("field", "material") or not key:
            raise InvalidForm("invalid_form", "补正项目无法识别", {"items": "补正项目无法识别"})
        label, default = defaults.get((kind, key), (key, "请核对并更正"))
        reason = trimmed(request.form.get(f"reason:{kind}:{key}") or "") or default
        reason_labels[f"items.{len(items)}.reason"] = f"{label}的补正原因"
        items.append({kind: key, "reason": reason})
    return items, reason_labels


@bp.post("/cases/<int:case_id>/supplement")
def supplement(case_id: int):
    def action():
        items, reason_labels = supplement_items(case_id)
        if not items:
            raise InvalidForm("invalid_form", "请至少勾选一项需要补正的内容", {"items": "请至少勾选一项"})
        try:
            body = SupplementRequestSchema().load({"items": items, **pages.form_values("note")})
        except ValidationError as exc:  # name a refused reason by its item, not by its place in the list
            message, fields = pages.validation_message(exc, {**FIELD_LABELS, **reason_labels})
            raise InvalidForm("invalid_form", message, fields)
        review.request_supplement(context(), e_licences(), g.staff, case_id, body["items"], body.get("note"))
    return _act(case_id, action, "已一次性告知申请人需要补正的内容")


@bp.post("/cases/<int:case_id>/reveal/<key>")
def reveal(case_id: int, key: str):
    """The full value of one personal field; the look is written to the case's timeline."""
    return jsonify({"key": key, "value": disclosure.reveal_for_window(context(), g.staff, case_id, key)})


# --- roster import ---------------------------------------------------------------------------------
@bp.route("/roster", methods=["GET", "POST"])
def roster():
    if request.method == "GET":
        return render_template("console/roster.html", report=None)
    upload = request.files.get("file")
    data = upload.read() if upload else b""
    if not data:
        return render_template("console/roster.html", report=None, error="请选择要导入的名册文件（CSV 或 XLSX）"), 422
    try:
        report = importing.import_roster(context(), g.staff, data)
    except CaseError as exc:
        return render_template("console/roster.html", report=None, error=exc.message), exc.status
    rows = [asdict(row) for row in report.rows]
    summary = {"imported": report.count(importing.IMPORTED), "updated": report.count(importing.UPDATED),
               "refused": report.count(importing.REFUSED)}
    return render_template("console/roster.html", report=rows, summary=summary, ignored=report.ignored_columns,
                           filename=upload.filename)
