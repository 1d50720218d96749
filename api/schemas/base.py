"""Marshmallow with Chinese messages: every request body is loaded through a `RequestSchema`."""
from marshmallow import RAISE, Schema, fields, validate

COMMON = {"required": "必填", "null": "不能为空", "validator_failed": "取值不正确"}


class RequestSchema(Schema):
    class Meta:
        unknown = RAISE

    error_messages = {"unknown": "不认识的字段", "type": "请求体应为 JSON 对象"}


def Text(max_length: int = 200, **kwargs) -> fields.String:
    return fields.String(validate=validate.Length(min=1, max=max_length,
                                                  error=f"长度应为1到{max_length}个字符"),
                         error_messages={**COMMON, "invalid": "应为文字"}, **kwargs)


def Int(strict: bool = True, **kwargs) -> fields.Integer:
    """`strict=False` for query strings, where every value arrives as text."""
    return fields.Integer(strict=strict, error_messages={**COMMON, "invalid": "应为整数"}, **kwargs)


def Bool(**kwargs) -> fields.Boolean:
    return fields.Boolean(error_messages={**COMMON, "invalid": "应为 true 或 false"}, **kwargs)


def Raw(**kwargs) -> fields.Raw:
    return fields.Raw(error_messages=COMMON, **kwargs)


def List(inner, **kwargs) -> fields.List:
    return fields.List(inner, error_messages={**COMMON, "invalid": "应为列表"}, **kwargs)


def Dict(**kwargs) -> fields.Dict:
    return fields.Dict(keys=fields.String(), error_messages={**COMMON, "invalid": "应为对象"}, **kwargs)


def Nested(schema, **kwargs) -> fields.Nested:
    return fields.Nested(schema, error_messages={**COMMON, "type": "应为对象"}, **kwargs)


def OneOf(choices, **kwargs) -> fields.String:
    return fields.String(validate=validate.OneOf(choices, error="应为以下之一：{choices}"),
                         error_messages={**COMMON, "invalid": "应为文字"}, **kwargs)
