from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import db, utcnow


class IdempotentSubmission(db.Model):
    """Remembers which case an `Idempotency-Key` produced, so a retried POST creates nothing new."""

    __tablename__ = "idempotent_submissions"
    __table_args__ = (UniqueConstraint("veteran_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    veteran_id: Mapped[int] = mapped_column(ForeignKey("veterans.id"))
    key: Mapped[str] = mapped_column(String(128))
    request_hash: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
