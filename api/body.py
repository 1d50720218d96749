"""Reading request bodies and query strings through their schemas, with Chinese refusals."""
from flask import request
from marshmallow import Schema

from api.errors import ApiError


def load_json(schema: Schema) -> dict:
    if not request.is_json:
        raise ApiError(415)
    body = request.get_json(silent=True)
    if body is None:
        raise ApiError(400, "invalid_json", "请求体不是有效的 JSON")
    return schema.load(body)


def load_args(schema: Schema) -> dict:
    return schema.load(request.args.to_dict())
