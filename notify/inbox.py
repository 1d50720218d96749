"""The veteran's in-app inbox: every notification, newest first, with its read state."""
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from cases.errors import NotFound
from models import Notification, db, paging
from models.base import utcnow


def messages_of(veteran_id: int, unread_only: bool = False, before: int | None = None,
                limit: int = 50) -> tuple[list[Notification], int | None]:
    """(a page of the veteran's messages, newest first; the `before` of the next page, or None)."""
    query = select(Notification).where(Notification.veteran_id == veteran_id).options(selectinload(Notification.case))
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return paging.newest_first(query, Notification.id, before, limit)


def unread_count(veteran_id: int) -> int:
    return db.session.scalar(select(func.count()).where(Notification.veteran_id == veteran_id,
                                                        Notification.read_at.is_(None)))


def message_of(veteran_id: int, notification_id: int) -> Notification:
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.veteran_id != veteran_id:
        raise NotFound("message_not_found", "没有找到这条消息")
    return notification


def mark_read(veteran_id: int, notification_id: int) -> Notification:
    notification = message_of(veteran_id, notification_id)
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return notification


def mark_all_read(veteran_id: int) -> int:
    changed = db.session.execute(update(Notification)
                                 .where(Notification.veteran_id == veteran_id, Notification.read_at.is_(None))
                                 .values(read_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return changed
