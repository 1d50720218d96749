"""Request bodies and query strings, one schema each; the domain checks the form itself."""
from marshmallow import ValidationError, validates, validates_schema

from accounts.staff import MAX_PASSWORD_LENGTH
from api.schemas.base import Bool, Dict, Int, List, Nested, OneOf, Raw, RequestSchema, Text
from api.services import context
from bot.engine import MESSAGE_MAX_LENGTH
from cases import statuses
from marshmallow import validate


class WechatLoginSchema(RequestSchema):
    code = Text(128, required=True)


class DevLoginSchema(RequestSchema):
    openid = Text(64, required=True)


class StaffLoginSchema(RequestSchema):
    username = Text(64, required=True)
    password = Text(MAX_PASSWORD_LENGTH, required=True)


class CaseSubmissionSchema(RequestSchema):
    veteran_type = Text(32, required=True)
    matters = List(Text(48), required=True)
    fields = Dict(required=True)


class ResubmissionSchema(RequestSchema):
    fields = Dict(required=True)
    matters = List(Text(48))
    veteran_type = Text(32)


class WithdrawSchema(RequestSchema):
    reason = Text(500, trim=True)


class ArchiveReviewSchema(RequestSchema):
    archive_status = OneOf(["完整", "缺失"], required=True)
    archive_missing = Text(200, trim=True)
    note = Text(500, trim=True)


class AcceptSchema(RequestSchema):
    note = Text(500, trim=True)


class RejectSchema(RequestSchema):
    reason = Text(500, trim=True, required=True)


class SupplementItemSchema(RequestSchema):
    field = Text(48)
    material = Text(48)
    reason = Text(200, trim=True, required=True)

    @validates_schema
    def names_one_thing(self, data, **kwargs):
        if bool(data.get("field")) == bool(data.get("material")):
            raise ValidationError("每一项请指明 field（填写项）或 material（材料）之一", "_item")


class SupplementRequestSchema(RequestSchema):
    items = List(Nested(SupplementItemSchema), required=True,
                 validate=validate.Length(min=1, max=60, error="请列出1到60项需要补正的内容"))
    note = Text(500, trim=True)


class MatterTransitionSchema(RequestSchema):
    to = OneOf(sorted(statuses.OFFICER_TARGETS), required=True)
    note = Text(500, trim=True)
    result = Text(500, trim=True)


class WindowQueueQuerySchema(RequestSchema):
    status = OneOf(sorted(statuses.CASE_LABELS))
    veteran_type = Text(32)
    overdue = Bool()
    due_within_days = Int(strict=False, validate=validate.Range(min=0, max=365, error="应为0到365之间的整数"))

    @validates("veteran_type")
    def known_type(self, value, **kwargs):
        if value not in context().profile.veteran_types:
            raise ValidationError("没有这个退役类型")


class DepartmentQueueQuerySchema(RequestSchema):
    status = OneOf(sorted(statuses.MATTER_LABELS))


class ChatPayloadSchema(RequestSchema):
    slot = Text(64, required=True)
    value = Raw(required=True)


class ChatMessageSchema(RequestSchema):
    text = Text(MESSAGE_MAX_LENGTH, trim=True)  # only spaces or zero-width characters: nothing said, refused
    payload = Nested(ChatPayloadSchema)

    @validates_schema
    def text_or_payload(self, data, **kwargs):
        if bool(data.get("text")) == bool(data.get("payload")):
            raise ValidationError("请发送 text（文字）或 payload（按钮选择）其中之一", "_body")


class FaqSearchQuerySchema(RequestSchema):
    q = Text(100, required=True)  # a question, not a document

    @validates("q")
    def asks_something(self, value, **kwargs):
        if not value.strip():
            raise ValidationError("请输入要查询的问题")
