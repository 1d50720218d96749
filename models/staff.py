from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import db, utcnow

ROLES = {"window": "综合窗口工作人员", "department": "部门经办人员", "admin": "管理员"}


class Staff(db.Model):
    """A window clerk, department officer or administrator.

    `region` is a code prefix: "51" covers all of 四川省, "5101" all of 成都市.
    """

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))
    department: Mapped[str | None] = mapped_column(String(32))
    region: Mapped[str] = mapped_column(String(6))
    display_name: Mapped[str] = mapped_column(String(64), default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def covers(self, region_code: str | None) -> bool:
        return bool(region_code) and region_code.startswith(self.region)
