"""Request bodies and query strings of the inbox, subscriptions and notification administration."""
from marshmallow import validate

from api.schemas.base import Bool, Int, List, OneOf, RequestSchema, Text
from models.base import MAX_ROW_ID
from models.notification import FAILED, PENDING, REFUSED


class SubscriptionSchema(RequestSchema):
    accepted = List(Text(128), required=True,
                    validate=validate.Length(max=20, error="一次最多报告20个模板"))


class MessagesQuerySchema(RequestSchema):
    unread = Bool()
    before = Int(strict=False, validate=validate.Range(min=1, max=MAX_ROW_ID, error="应为消息编号（正整数）"))
    limit = Int(strict=False, validate=validate.Range(min=1, max=100, error="应为1到100之间的整数"))


class FailedNotificationsQuerySchema(RequestSchema):
    status = OneOf([FAILED, REFUSED, PENDING])
