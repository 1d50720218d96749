from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import db, utcnow
from models.case import Case

DUE_SOON = "due_soon"
OVERDUE = "overdue"
ALERT_LABELS = {DUE_SOON: "即将到期", OVERDUE: "已超期"}


class StaffAlert(db.Model):
    """A case on a time limit that is due by the next working day, or overdue, for the staff who handle it.
    Raised once per case, kind and deadline however often the check runs."""

    __tablename__ = "staff_alerts"
    __table_args__ = (UniqueConstraint("case_id", "kind", "deadline"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    kind: Mapped[str] = mapped_column(String(16))
    deadline: Mapped[date] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship()
