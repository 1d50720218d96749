from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import db, utcnow


class CaseMaterial(db.Model):
    """One uploaded file of a case (申请材料), stored on disk under its SHA-256.

    Re-uploading a kind keeps the earlier row with `replaced_at` set, so the window can see what
    was handed in before a 补正; the current file of a kind is the row without `replaced_at`.
    """

    __tablename__ = "case_materials"
    __table_args__ = (Index("ix_case_materials_case_id_kind", "case_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    kind: Mapped[str] = mapped_column(String(48))  # the catalog material key
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column()
    content_type: Mapped[str] = mapped_column(String(64))  # detected from the bytes
    extension: Mapped[str] = mapped_column(String(8))
    original_name: Mapped[str | None] = mapped_column(String(200))  # as the client named it; shown only
    width: Mapped[int | None] = mapped_column()
    height: Mapped[int | None] = mapped_column()
    uploaded_by: Mapped[str] = mapped_column(String(64))  # "veteran:3"
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    replaced_at: Mapped[datetime | None] = mapped_column()


class ELicence(db.Model):
    """A row of the local 电子证照 table: a licence the issuing authority holds for a person.

    The default e-licence source reads this table; a province can plug in its own licence
    database instead (see materials/e_licence.py).
    """

    __tablename__ = "e_licences"
    __table_args__ = (UniqueConstraint("id_number_hash", "licence_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    id_number_hash: Mapped[str] = mapped_column(String(64), index=True)
    licence_type: Mapped[str] = mapped_column(String(48))  # a key of dialogs/e_licences.yaml
    licence_no: Mapped[str | None] = mapped_column(String(64))
    issuer: Mapped[str | None] = mapped_column(String(100))
    valid_until: Mapped[date | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
