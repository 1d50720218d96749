"""Administrators: staff accounts (list, create, deactivate), and pushes that failed, were refused or wait
(with a banner when WeChat refuses our access_token and holds them all), with a retry."""
from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from accounts import staff as accounts
from api.schemas.notify import PageQuerySchema
from api.services import context, wechat
from cases.errors import CaseError, InvalidForm
from console import pages
from models.notification import FAILED, PENDING, PUSH_LABELS, REFUSED
from notify import outbox, push_health
from notify.events import EVENT_LABELS

bp = pages.setup(Blueprint("console_admin", __name__, url_prefix="/console/admin"))
PAGE = PageQuerySchema()  # the push list's `before` and `limit`, as the API reads them


def _staff_page(error: CaseError | None = None, status: int = 200):
    return render_template("console/staff.html", accounts=accounts.staff_in_region(g.staff.region), error=error,
                           form=request.form, departments=context().profile.departments,
                           choosable=context().profile.departments_with_matters), status


@bp.get("/staff")
def staff_list():
    return _staff_page()


@bp.post("/staff")
def create_staff():
    values = {name: (request.form.get(name) or "").strip() for name in
              ("username", "role", "department", "region", "display_name")}
    account = accounts.AccountInput(values["username"], values["role"],
                                    values["department"] if values["role"] == "department" else None,
                                    values["region"], request.form.get("password") or "", values["display_name"])
    try:
        created = accounts.create_staff(context(), g.staff, account)
    except CaseError as exc:
        return _staff_page(exc, exc.status)
    flash(f"已开设账号 {created.username}")
    return redirect(url_for("console_admin.staff_list"), 303)


@bp.post("/staff/<int:staff_id>/active")
def set_active(staff_id: int):
    wanted = request.form.get("active")
    if wanted not in ("0", "1"):
        raise InvalidForm("invalid_form", "请选择启用或停用")

    def run():
        changed = accounts.set_active(g.staff, staff_id, wanted == "1", request.form.get("password") or "")
        flash(f"已{'启用' if changed.active else '停用'}账号 {changed.username}")
        return redirect(url_for("console_admin.staff_list"), 303)
    return pages.form_action(run, _staff_page, {})


@bp.get("/notifications")
def notifications():
    status = request.args.get("status") or FAILED
    if status not in (FAILED, REFUSED, PENDING):
        raise InvalidForm("invalid_filter", "筛选条件不正确：可查看推送失败（failed）、微信拒收（refused）"
                                            "或待推送（pending）的消息")
    page = PAGE.load({k: v for k, v in request.args.items() if k in PAGE.fields})  # status is checked above
    rows, next_before = outbox.failed_for_admin(g.staff.region, (status,), page.get("before"), page.get("limit", 50))
    return render_template("console/notifications.html", rows=rows, status=status, push_labels=PUSH_LABELS,
                           next_before=next_before, first_page="before" not in page,
                           event_labels=EVENT_LABELS, health=push_health.push_health(wechat(), g.staff.region),
                           held=push_health.TOKEN_REFUSED, retryable=(FAILED, REFUSED),
                           choices={FAILED: PUSH_LABELS[FAILED], REFUSED: "微信拒收", PENDING: PUSH_LABELS[PENDING]})


@bp.post("/notifications/<int:notification_id>/retry")
def retry(notification_id: int):
    notification = outbox.retry(notification_id, g.staff.region)
    flash(f"已重新排队推送消息 #{notification.id}（申请 {notification.case.case_no}）")
    return redirect(url_for("console_admin.notifications", status=request.form.get("status") or FAILED), 303)
