"""China's clock: deadlines, "today" and the dates people give are all in China Standard Time."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")


def today_in_china(now: datetime | None = None) -> date:
    return (now or datetime.now(CHINA)).astimezone(CHINA).date()
