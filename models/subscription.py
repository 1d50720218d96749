from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import db, utcnow


class SubscriptionGrant(db.Model):
    """What a veteran accepted in wx.requestSubscribeMessage for one template.

    For a one-time template each acceptance allows one message: `remaining` counts them. A long-term
    template needs the acceptance only once and is never used up.
    """

    __tablename__ = "subscription_grants"
    __table_args__ = (UniqueConstraint("veteran_id", "template_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    veteran_id: Mapped[int] = mapped_column(ForeignKey("veterans.id"))
    template_id: Mapped[str] = mapped_column(String(128))
    remaining: Mapped[int] = mapped_column(default=0)
    accepted_at: Mapped[datetime] = mapped_column(default=utcnow)
