from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import db, utcnow


class ChatTurn(db.Model):
    """One exchange of the chat: what the veteran sent and what the guide answered."""

    __tablename__ = "chat_turns"
    __table_args__ = (UniqueConstraint("veteran_id", "client_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    veteran_id: Mapped[int] = mapped_column(ForeignKey("veterans.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    text: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict | None] = mapped_column()
    replies: Mapped[list] = mapped_column(default=list)
    expecting: Mapped[dict | None] = mapped_column()
    client_key: Mapped[str | None] = mapped_column(String(128))  # the message's Idempotency-Key, if it had one
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
