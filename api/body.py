"""Reading request bodies, query strings and headers, with Chinese refusals."""
from flask import request
from marshmallow import Schema, ValidationError

from api.errors import ApiError

NUL = "内容含有无法处理的控制字符（空字符 \\u0000），请删去后重新发送"
LONE_SURROGATE = "内容含有残缺的字符（不成对的 UTF-16 代理码位 \\u{:04x}，多因表情或生僻字被截断），请删去后重新发送"


def load_json(schema: Schema) -> dict:
    if not request.is_json:
        raise ApiError(415)
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # nested thousands deep
        body = None
    if body is None:
        raise ApiError(400, "invalid_json", "请求体不是有效的 JSON")
    fault = unstorable(body)
    if fault is not None:
        raise ApiError(400, "bad_characters", fault)
    return schema.load(body)


def unstorable(value) -> str | None:
    """Why parsed JSON is no text a database can keep, in Chinese, or None: a NUL or a lone surrogate
    ("\\udc00") is valid JSON but no text (PostgreSQL refuses either, Redis cannot encode the surrogate)."""
    stack = [value]  # no recursion: a body may nest as deep as the JSON parser allows
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack += [*item, *item.values()]
        elif isinstance(item, list):
            stack += item
        elif isinstance(item, str):
            if "\0" in item:
                return NUL
            try:
                item.encode()
            except UnicodeEncodeError as exc:
                return LONE_SURROGATE.format(ord(item[exc.start]))
    return None


def storable(value) -> bool:
    return unstorable(value) is None


def load_args(schema: Schema) -> dict:
    """The query string through `schema`; a parameter given twice ("status=pending&status=failed") is
    refused rather than read as its first value."""
    repeated = {key: "只能填写一个值" for key, values in request.args.lists() if len(values) > 1}
    if repeated:
        raise ValidationError(repeated)
    return schema.load(request.args.to_dict())


def idempotency_key() -> str | None:
    """The request's `Idempotency-Key` header: a retry with the same key changes nothing again."""
    key = request.headers.get("Idempotency-Key")
    if key is not None and not 1 <= len(key) <= 128:
        raise ApiError(400, "bad_idempotency_key", "Idempotency-Key 长度应为1到128个字符")
    return key
