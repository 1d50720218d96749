from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import db, utcnow
from models.case import Case, CaseEvent
from models.veteran import Veteran

# Where the WeChat copy of a notification stands; the inbox copy exists from the start.
PENDING = "pending"
SENDING = "sending"
SENT = "sent"
INBOX_ONLY = "inbox_only"
REFUSED = "refused"
FAILED = "failed"
PUSH_LABELS = {
    PENDING: "待推送",
    SENDING: "推送中",
    SENT: "已推送到微信",
    INBOX_ONLY: "仅站内消息（未订阅）",
    REFUSED: "微信拒收，仅站内消息",
    FAILED: "推送失败",
}


class Notification(db.Model):
    """One message to a veteran about a status change of their case: their inbox copy, and the outbox
    row its WeChat subscribe message is sent from. Written in the transaction of the change itself.

    `facts` is what was true when it happened (deadline, result, reason, supplement list); the text is
    rendered from it with the profile's labels (notify/messages.py).
    """

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_push_status_next_attempt_at", "push_status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    veteran_id: Mapped[int] = mapped_column(ForeignKey("veterans.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    case_event_id: Mapped[int] = mapped_column(ForeignKey("case_events.id"), unique=True)  # one per change
    event: Mapped[str] = mapped_column(String(32))
    facts: Mapped[dict] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column()

    push_status: Mapped[str] = mapped_column(String(16), default=PENDING)
    template_id: Mapped[str | None] = mapped_column(String(128))
    grant_held: Mapped[bool] = mapped_column(default=False)  # a one-time grant is reserved for this push
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(64))  # the worker that claimed it last
    claimed_until: Mapped[datetime | None] = mapped_column()
    claims_lost: Mapped[int] = mapped_column(default=0)  # workers that died holding it
    sent_at: Mapped[datetime | None] = mapped_column()
    msgid: Mapped[str | None] = mapped_column(String(32))
    last_errcode: Mapped[int | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(String(300))

    veteran: Mapped[Veteran] = relationship()
    case: Mapped[Case] = relationship()
    case_event: Mapped[CaseEvent] = relationship()
