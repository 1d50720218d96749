"""Request bodies and query strings of the inbox, subscriptions and notification administration."""
from marshmallow import validate

from api.schemas.base import Bool, Int, List, OneOf, RequestSchema, Text
from models.base import MAX_ROW_ID
from models.notification import FAILED, PENDING, REFUSED


class SubscriptionSchema(RequestSchema):
    accepted = List(Text(128), required=True,
                    validate=validate.Length(max=20, error="一次最多报告20个模板"))


class PageQuerySchema(RequestSchema):
    """A list newest first, a page at a time: `before` is the `next_before` the page before gave."""
    before = Int(strict=False, validate=validate.Range(min=1, max=MAX_ROW_ID, error="应为上一页给出的编号（正整数）"))
    limit = Int(strict=False, validate=validate.Range(min=1, max=100, error="应为1到100之间的整数"))


class MessagesQuerySchema(PageQuerySchema):
    unread = Bool()


class FailedNotificationsQuerySchema(PageQuerySchema):
    status = OneOf([FAILED, REFUSED, PENDING])
