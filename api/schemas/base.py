"""Marshmallow with Chinese messages: every request body is loaded through a `RequestSchema`."""
import unicodedata

from marshmallow import RAISE, Schema, fields, validate

COMMON = {"required": "必填", "null": "不能为空", "validator_failed": "取值不正确"}


class RequestSchema(Schema):
    class Meta:
        unknown = RAISE

    error_messages = {"unknown": "不认识的字段", "type": "请求体应为 JSON 对象"}


def trimmed(text: str) -> str:
    """`text` without the spaces and invisible format characters (zero-width space, BOM …) at either end."""
    def blank(char: str) -> bool:
        return char.isspace() or unicodedata.category(char) == "Cf"
    start, end = 0, len(text)
    while start < end and blank(text[start]):
        start += 1
    while end > start and blank(text[end - 1]):
        end -= 1
    return text[start:end]


class TrimmedString(fields.String):
    """Text a person will read (a reason, a note, a result): trimmed, and refused when nothing is left."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = trimmed(super()._deserialize(value, attr, data, **kwargs))
        if not text:
            raise self.make_error("blank")
        return text


def Text(max_length: int = 200, trim: bool = False, **kwargs) -> fields.String:
    """`trim=True` for what people read; never for secrets or identifiers, which are taken as given."""
    return (TrimmedString if trim else fields.String)(
        validate=validate.Length(min=1, max=max_length, error=f"长度应为1到{max_length}个字符"),
        error_messages={**COMMON, "invalid": "应为文字", "blank": "不能为空白，请填写具体内容"}, **kwargs)


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
