"""China's clock: deadlines, "today" and the dates people give are all in China Standard Time."""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")


def as_utc(moment: datetime) -> datetime:
    """A stored moment with its zone: moments are stored in UTC, and SQLite hands them back naive."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def today_in_china(now: datetime | None = None) -> date:
    """The day in China of `now` (a stored moment, or this instant)."""
    return as_utc(now or datetime.now(CHINA)).astimezone(CHINA).date()
