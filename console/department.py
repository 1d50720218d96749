"""A department officer's pages: their matters, one matter with only the granted fields and
materials (the API's presenter), and its transitions."""
from flask import Blueprint, flash, g, jsonify, redirect, render_template, request, url_for

from api.presenters import department_matter_json
from api.schemas.requests import MatterTransitionSchema
from api.services import context
from cases import department_work, disclosure, form, queries, statuses
from cases.errors import CaseError, InvalidForm
from catalog.china_time import today_in_china
from console import pages

bp = pages.setup(Blueprint("console_department", __name__, url_prefix="/console/matters"))
FIELD_LABELS = {"to": "办理状态", "note": "说明", "result": "办理结果"}
ACTION_LABELS = {statuses.PROCESSING: "开始办理", statuses.COMPLETED: "办结", statuses.RETURNED: "退回"}


def _work_order(matter) -> tuple:
    if matter.status == statuses.COMPLETED:
        return (1, 0, -matter.id)
    return (0, matter.case.deadline.toordinal() if matter.case.deadline else 0, matter.id)


@bp.get("")
def queue():
    ctx, today = context(), today_in_china()
    status, page = request.args.get("status") or None, request.args.get("page", "1")
    problems = {}
    if status and status not in statuses.MATTER_LABELS:
        problems["status"] = "没有这个办理状态"
    if problem := pages.page_problem(page):
        problems["page"] = problem
    if problems:
        raise InvalidForm("invalid_filter", "筛选条件不正确：" + "；".join(problems.values()), problems)
    matters = queries.matters_for_department(g.staff, status)
    # Work still to do first, by the case's deadline; finished work after it, newest first.
    matters.sort(key=_work_order)
    shown, pages_total = pages.page_of(matters, int(page))
    rows = [{**department_matter_json(ctx, m, detailed=False),
             "overdue": m.status != statuses.COMPLETED and m.case.deadline is not None and m.case.deadline < today,
             "due_today": m.status != statuses.COMPLETED and m.case.deadline == today} for m in shown]
    return render_template("console/matters.html", rows=rows, status=status, page=int(page), pages_total=pages_total,
                           total=len(matters), statuses=[s for s in statuses.MATTER_LABELS
                                                         if s not in (statuses.WAITING, statuses.NOT_APPLICABLE)])


def _matter_page(matter_id: int, error: CaseError | None = None, status: int = 200):
    ctx = context()
    matter = queries.matter_for_department(g.staff, matter_id)
    data = department_matter_json(ctx, matter, detailed=True)
    shown = form.masked(ctx.profile, data["fields"])
    field_rows = [{"key": k, "label": f.label, "value": pages.show_value(k, shown[k]),
                   "personal": f.personal and isinstance(data["fields"][k], str)}
                  for k, f in ctx.profile.fields.items() if k in data["fields"]]
    materials = [{**m, "url": url_for("console_files.material", case_id=matter.case_id, kind=m["key"])
                  if m["status"] == "uploaded" else None} for m in data["materials"]]
    targets = [t for t in ACTION_LABELS if t in statuses.MATTER_TRANSITIONS[matter.status]]
    running = matter.case.status in statuses.RUNNING
    return render_template("console/matter.html", matter=data, field_rows=field_rows, materials=materials,
                           targets=targets if running else [], action_labels=ACTION_LABELS, error=error,
                           form=request.form, today=today_in_china()), status


@bp.get("/<int:matter_id>")
def matter_page(matter_id: int):
    return _matter_page(matter_id)


@bp.post("/<int:matter_id>/transition")
def transition(matter_id: int):
    def run():
        values = pages.form_values("to", "note", "result")
        if "to" in values and values["to"] not in ACTION_LABELS:
            choices = f"应为{'、'.join(ACTION_LABELS.values())}之一"
            raise InvalidForm("invalid_form", f"提交的内容有误：办理状态{choices}", {"to": choices})
        body = MatterTransitionSchema().load(values)
        matter = department_work.officer_transition(context(), g.staff, matter_id, body["to"], body.get("note"),
                                                    body.get("result"))
        flash(f"已将事项改为“{statuses.MATTER_LABELS[matter.status]}”")
        return redirect(url_for("console_department.matter_page", matter_id=matter_id), 303)
    return pages.form_action(run, lambda error, status: _matter_page(matter_id, error, status), FIELD_LABELS)


@bp.post("/<int:matter_id>/reveal/<key>")
def reveal(matter_id: int, key: str):
    """The full value of one granted personal field; the look is written to the timeline."""
    return jsonify({"key": key, "value": disclosure.reveal_for_department(context(), g.staff, matter_id, key)})
