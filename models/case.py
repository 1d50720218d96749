from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import db, utcnow


class Case(db.Model):
    """One joint application (联办件), from draft to completion.

    `fields` holds the form keyed by catalog field key; personal numbers in it are sealed
    (see cases/sealing.py). `matter_keys` is the veteran's choice; `matters` the work items
    created on submission.
    """

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_no: Mapped[str | None] = mapped_column(String(32), unique=True)
    veteran_id: Mapped[int] = mapped_column(ForeignKey("veterans.id"), index=True)
    province: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(24), index=True)
    veteran_type: Mapped[str | None] = mapped_column(String(32))
    handling_region: Mapped[str | None] = mapped_column(String(6), index=True)
    matter_keys: Mapped[list] = mapped_column(default=list)
    fields: Mapped[dict] = mapped_column(default=dict)
    # The chat's answers that are not form fields: screening (need_<matter>) and confirmations.
    dialogue: Mapped[dict] = mapped_column(default=dict)
    id_number_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    supplement: Mapped[dict | None] = mapped_column()
    decision_reason: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None] = mapped_column()
    accepted_at: Mapped[datetime | None] = mapped_column()
    deadline: Mapped[date | None] = mapped_column()
    deadline_estimated: Mapped[bool] = mapped_column(default=False)
    completed_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    matters: Mapped[list["Matter"]] = relationship(
        back_populates="case", order_by="Matter.id", cascade="all, delete-orphan")
    events: Mapped[list["CaseEvent"]] = relationship(
        back_populates="case", order_by="CaseEvent.id", cascade="all, delete-orphan")


class Matter(db.Model):
    """One matter of a case, worked by one department in the case's region."""

    __tablename__ = "matters"
    __table_args__ = (
        UniqueConstraint("case_id", "key"),
        Index("ix_matters_department_status", "department", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    key: Mapped[str] = mapped_column(String(48))
    department: Mapped[str] = mapped_column(String(32))
    region: Mapped[str] = mapped_column(String(6), index=True)
    status: Mapped[str] = mapped_column(String(24))
    result: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    dispatched_at: Mapped[datetime | None] = mapped_column()
    completed_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    case: Mapped[Case] = relationship(back_populates="matters")


class CaseEvent(db.Model):
    """The timeline: every status change of a case or one of its matters, with who and why."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"))
    actor: Mapped[str] = mapped_column(String(80))  # "veteran:3", "staff:window01" (a 64-character username), "system"
    actor_label: Mapped[str] = mapped_column(String(64))  # what a person reads: 综合窗口, 公安部门, 申请人
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="events")
    matter: Mapped[Matter | None] = relationship()
