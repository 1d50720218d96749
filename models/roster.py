from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import db, utcnow


class RosterEntry(db.Model):
    """A row of the 接收安置名册: what the authorities already know of an incoming veteran.

    Found by `id_number_hash`; `fields` holds catalog field values, personal numbers sealed.
    """

    __tablename__ = "roster_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    id_number_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(30))
    veteran_type: Mapped[str | None] = mapped_column(String(32))
    handling_region: Mapped[str | None] = mapped_column(String(6), index=True)
    fields: Mapped[dict] = mapped_column(default=dict)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
