"""One error shape for every failure: {"error": {"code", "message", "fields"?}} with a Chinese message."""
import logging

from flask import Flask, jsonify
from marshmallow import ValidationError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from cases.errors import CaseError
from security.number_masking import mask_personal_numbers

log = logging.getLogger(__name__)

HTTP_MESSAGES = {
    400: ("bad_request", "请求格式不正确"),
    401: ("unauthorized", "请先登录"),
    403: ("forbidden", "没有权限进行此操作"),
    404: ("not_found", "没有找到请求的内容"),
    405: ("method_not_allowed", "不支持此请求方法"),
    409: ("conflict", "当前状态不允许此操作"),
    413: ("too_large", "提交的内容过大"),
    415: ("unsupported_media_type", "请以 JSON 格式（Content-Type: application/json）提交"),
    422: ("invalid", "提交的内容有误"),
    429: ("too_many_requests", "操作太频繁，请稍后再试"),
    503: ("unavailable", "服务暂时不可用，请稍后再试"),
}


class ApiError(CaseError):
    """An HTTP-level refusal raised by the API layer itself (auth, body shape)."""

    def __init__(self, status: int, code: str | None = None, message: str | None = None,
                 fields: dict | None = None):
        default_code, default_message = HTTP_MESSAGES.get(status, ("error", "请求失败"))
        super().__init__(code or default_code, message or default_message, fields)
        self.status = status


def error_response(status: int, code: str, message: str, fields: dict | None = None):
    """The error as the client sees it; a value quoted back ("手机号码“5101…”不是…") shows no whole personal number."""
    body = {"code": code, "message": mask_personal_numbers(message)}
    if fields:
        body["fields"] = {k: mask_personal_numbers(v) if isinstance(v, str) else v for k, v in fields.items()}
    return jsonify({"error": body}), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CaseError)
    def domain_error(exc: CaseError):
        return error_response(exc.status, exc.code, exc.message, exc.fields)

    @app.errorhandler(ValidationError)
    def invalid_body(exc: ValidationError):
        fields = _flatten(exc.messages) if isinstance(exc.messages, dict) else {"_body": "；".join(exc.messages)}
        return error_response(422, "invalid", "提交的内容有误：" + "；".join(f"{k}：{v}" for k, v in fields.items()),
                              fields)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code, message = HTTP_MESSAGES.get(exc.code, ("error", "请求失败"))
        if exc.code == 413:
            limit = app.config["MAX_CONTENT_LENGTH"] / (1024 * 1024)
            message = f"{message}：一次提交不能超过 {limit:g}MB（上传的每份材料不超过 " \
                      f"{app.config['MATERIAL_MAX_BYTES'] / (1024 * 1024):g}MB）"
        return error_response(exc.code, code, message)

    # The database or Redis away (a restart, a failover, a lock that timed out): worth trying again soon.
    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(RedisConnectionError)
    @app.errorhandler(RedisTimeoutError)
    def unavailable(exc: Exception):
        log.error("a service the app needs is unreachable: %s", exc)
        return error_response(503, *HTTP_MESSAGES[503])

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error")
        return error_response(500, "internal_error", "服务器内部错误，请稍后再试")


def _flatten(messages: dict, prefix: str = "") -> dict[str, str]:
    flat = {}
    for key, value in messages.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = "；".join(value) if isinstance(value, list) else str(value)
    return flat
