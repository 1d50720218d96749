"""Keyset paging, newest first: lists that grow without end (an inbox, failed pushes, alerts) are read a
page at a time, and each page says where the next one starts."""
from sqlalchemy import Select

from models.base import db


def newest_first(query: Select, id_column, before: int | None, limit: int) -> tuple[list, int | None]:
    """(up to `limit` rows of `query` with ids below `before`, newest first; the `before` of the next page,
    or None when there is none)."""
    if before is not None:
        query = query.where(id_column < before)
    rows = list(db.session.scalars(query.order_by(id_column.desc()).limit(limit + 1)))
    return rows[:limit], (rows[limit - 1].id if len(rows) > limit else None)
