"""What every console page shares: rendering helpers for values, and error pages in Chinese."""
import logging
from datetime import datetime

from flask import Blueprint, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from api.errors import HTTP_MESSAGES
from api.services import context
from cases import statuses
from catalog.china_time import CHINA, as_utc
from cases.errors import CaseError, InvalidForm
from models import db
from models.staff import ROLES

log = logging.getLogger(__name__)
CSRF_MESSAGE = "页面已过期或来源不明，请刷新页面后重新提交"
NUL_MESSAGE = "提交的内容含有空字符（常见于从PDF复制的文字），无法保存，请删除后重新输入"
SERVER_ERROR_MESSAGE = "服务器内部错误，请稍后再试"
PAGE_SIZE = 50  # rows a console list shows on one page


def wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def error_page(status: int, message: str, fields: dict | None = None):
    """An error as the console shows it: a page, or JSON for the page's own fetch() calls."""
    if wants_json():
        body = {"code": HTTP_MESSAGES.get(status, ("error",))[0], "message": message}
        if fields:
            body["fields"] = fields
        return jsonify({"error": body}), status
    return render_template("console/error.html", status=status, message=message, fields=fields or {}), status


def server_error_page():
    """The 500 page. A failed statement leaves the session unusable until it is rolled back, and the page
    leaves out the signed-in staff member, so that rendering it reads nothing from the database."""
    db.session.rollback()
    g.staff = None
    return error_page(500, SERVER_ERROR_MESSAGE)


def refuse_nul() -> None:
    """No form or query value may hold a NUL: PostgreSQL cannot store one."""
    if any("\x00" in key or "\x00" in value for key, value in request.values.items(multi=True)):
        raise InvalidForm("invalid_characters", NUL_MESSAGE)


def validation_message(exc: ValidationError, labels: dict[str, str] | None = None) -> tuple[str, dict]:
    """A marshmallow refusal of a console form, as one Chinese sentence and per-field reasons."""
    fields = _flat(exc.messages) if isinstance(exc.messages, dict) else {"_form": "；".join(exc.messages)}
    shown = "；".join(f"{(labels or {}).get(k, k)}：{v}" for k, v in fields.items())
    return f"提交的内容有误：{shown}", fields


def _flat(messages: dict, prefix: str = "") -> dict[str, str]:
    flat = {}
    for key, value in messages.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = "；".join(map(str, value)) if isinstance(value, list) else str(value)
    return flat


def form_action(action, page_again, labels: dict[str, str]):
    """Run a staff form's action and return its answer (a redirect). A bad form (422) or a refused action
    shows the page again with why: `page_again(error, status)`, undoing first what the action had changed
    before it was refused, so the page shows what is stored. A missing case or matter stays a 404."""
    try:
        return action()
    except ValidationError as exc:
        db.session.rollback()
        message, fields = validation_message(exc, labels)
        return page_again(InvalidForm("invalid_form", message, fields), 422)
    except CaseError as exc:
        if exc.status == 404:
            raise
        db.session.rollback()
        return page_again(exc, exc.status)


def form_values(*names: str) -> dict:
    """The named form fields that were filled in, trimmed; empty ones left out (the schemas want text)."""
    values = {}
    for name in names:
        value = (request.form.get(name) or "").strip()
        if value:
            values[name] = value
    return values


def page_problem(page: str) -> str | None:
    """Why a `page` query value is no page number, if it is not."""
    return None if page.isdigit() and 1 <= int(page) <= 10000 else "页码应为正整数"


def page_of(items: list, page: int) -> tuple[list, int]:
    """(the items on `page`, PAGE_SIZE a page, how many pages there are); a page beyond the last is refused
    like page 0."""
    pages_total = max(1, -(-len(items) // PAGE_SIZE))
    if page > pages_total:
        raise InvalidForm("invalid_filter", f"筛选条件不正确：页码超出范围（共{pages_total}页）", {"page": "页码超出范围"})
    return items[(page - 1) * PAGE_SIZE:page * PAGE_SIZE], pages_total


def region_name(code: str | None) -> str:
    if not code:
        return "—"
    region = context().regions.get(code.ljust(6, "0"))
    return region.full_name if region else code


def show_value(key: str, value) -> str:
    """A form value as a person reads it: places by name, yes/no by the field's own words."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        return value.get("name") or value.get("code") or "—"
    if isinstance(value, bool):
        field = context().profile.fields.get(key)
        return (field.yes_label if value else field.no_label) if field else ("是" if value else "否")
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def china_time(moment) -> str:
    """A stored moment (ISO text or datetime; naive ones are UTC) as China's wall-clock time."""
    if not moment:
        return "—"
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return as_utc(moment).astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def _helpers() -> dict:
    ctx = context()
    return {"profile": ctx.profile, "staff": g.get("staff"), "roles": ROLES, "region_name": region_name,
            "show_value": show_value, "china_time": china_time, "case_labels": statuses.CASE_LABELS, "matter_labels": statuses.MATTER_LABELS}


def setup(bp: Blueprint) -> Blueprint:
    """Give a console blueprint its template helpers, its refusal of NUL characters and Chinese error pages."""
    bp.context_processor(_helpers)
    bp.before_request(refuse_nul)

    @bp.errorhandler(CaseError)
    def refused(exc: CaseError):
        return error_page(exc.status, exc.message, exc.fields)

    @bp.errorhandler(CSRFError)
    def csrf_failed(exc: CSRFError):
        return error_page(400, CSRF_MESSAGE)

    @bp.errorhandler(ValidationError)
    def invalid(exc: ValidationError):
        message, fields = validation_message(exc)
        return error_page(422, message, fields)

    @bp.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code == 500:  # also what Flask hands here when an error handler itself failed
            return server_error_page()
        return error_page(exc.code, HTTP_MESSAGES.get(exc.code, ("error", "请求失败"))[1])

    @bp.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("console error")
        return server_error_page()

    return bp
