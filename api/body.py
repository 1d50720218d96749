"""Reading request bodies, query strings and headers, with Chinese refusals."""
import json

from flask import request
from marshmallow import Schema

from api.errors import ApiError


def load_json(schema: Schema) -> dict:
    if not request.is_json:
        raise ApiError(415)
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # nested thousands deep
        body = None
    if body is None or not storable(body):
        raise ApiError(400, "invalid_json", "请求体不是有效的 JSON")
    return schema.load(body)


def storable(value) -> bool:
    """Whether parsed JSON is text a database can keep: a lone surrogate ("\\udc00") or a NUL is valid JSON
    but no text (PostgreSQL refuses it, Redis cannot encode it)."""
    try:
        written = json.dumps(value, ensure_ascii=False)
        written.encode()  # UnicodeEncodeError on a lone surrogate
    except (RecursionError, UnicodeEncodeError):  # nested thousands deep, or such a surrogate
        return False
    return "\\u0000" not in written


def load_args(schema: Schema) -> dict:
    return schema.load(request.args.to_dict())


def idempotency_key() -> str | None:
    """The request's `Idempotency-Key` header: a retry with the same key changes nothing again."""
    key = request.headers.get("Idempotency-Key")
    if key is not None and not 1 <= len(key) <= 128:
        raise ApiError(400, "bad_idempotency_key", "Idempotency-Key 长度应为1到128个字符")
    return key
