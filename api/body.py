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
        # A lone surrogate ("\udc00") or a NUL is valid JSON but no text: PostgreSQL could not store it.
        written = json.dumps(body, ensure_ascii=False)
        written.encode()  # UnicodeEncodeError on a lone surrogate
        if "\\u0000" in written:
            body = None
    except (RecursionError, UnicodeEncodeError):  # nested thousands deep, or such a surrogate
        body = None
    if body is None:
        raise ApiError(400, "invalid_json", "请求体不是有效的 JSON")
    return schema.load(body)


def load_args(schema: Schema) -> dict:
    return schema.load(request.args.to_dict())


def idempotency_key() -> str | None:
    """The request's `Idempotency-Key` header: a retry with the same key changes nothing again."""
    key = request.headers.get("Idempotency-Key")
    if key is not None and not 1 <= len(key) <= 128:
        raise ApiError(400, "bad_idempotency_key", "Idempotency-Key 长度应为1到128个字符")
    return key
