"""Working-day (工作日) deadlines for cases.

A day is a working day by, in order of precedence:
1. the official schedule of its year in `dialogs/holidays.yaml`, when the year is listed there;
2. chinese-calendar, for the years it knows;
3. an estimate for later years: weekends and the computable statutory holidays of
   《全国年节及纪念日放假办法》(2024 revision) are rest days. The 调休 make-up working days
   are unknown until the State Council publishes them, so such days are marked estimated.
"""
import os
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar
import yaml
from lunardate import LunarDate

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Deadline:
    due: date
    estimated: bool  # True when any day counted came from the fallback estimate


@dataclass(frozen=True)
class YearOverride:
    """The official schedule of one year: `holidays` are rest days on weekdays, `workdays` are
    调休 working days on weekends. Every other day is a working day exactly when it is Mon-Fri."""
    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)


class WorkingCalendar:
    def __init__(self, overrides: dict[int, YearOverride] | None = None):
        """`overrides` maps a year to its official schedule; it wins over everything else."""
        self._overrides = dict(overrides or {})

    @classmethod
    def from_yaml(cls, path: str | os.PathLike) -> "WorkingCalendar":
        """A calendar with the official schedules in the YAML file at `path`.

        Raises ValueError naming the file and the problem for invalid YAML, an unknown key,
        a bad date, a date outside its year, or a date listed as both holiday and workday.
        """
        return cls(_read_overrides(path))

    def is_working_day(self, d: date) -> tuple[bool, bool]:
        """(whether `d` is a working day, whether that answer is an estimate)."""
        override = self._overrides.get(d.year)
        if override is not None:
            if d in override.holidays:
                return False, False
            return d.weekday() < 5 or d in override.workdays, False
        try:
            return chinese_calendar.is_workday(d), False
        except NotImplementedError:
            return d.weekday() < 5 and d not in _statutory_holidays(d.year), True

    def add_working_days(self, start: date, n: int) -> Deadline:
        """The `n`th working day after `start` (`start` itself never counts; n=0 gives `start`).

        `estimated` is True when any day looked at after `start` was judged by the estimate.
        Raises ValueError for a negative `n`.
        """
        if n < 0:
            raise ValueError(f"工作日数不能为负数：{n}")
        day, estimated = start, False
        while n > 0:
            day += timedelta(days=1)
            working, guessed = self.is_working_day(day)
            estimated = estimated or guessed
            if working:
                n -= 1
        return Deadline(due=day, estimated=estimated)

    def working_days_between(self, start: date, end: date) -> int:
        """The number of working days after `start` up to and including `end`; 0 if end <= start."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day)[0]:
                count += 1
        return count


@lru_cache(maxsize=None)
def _statutory_holidays(year: int) -> frozenset[date]:
    """The full-population holidays of 《全国年节及纪念日放假办法》 (2024) that can be computed."""
    def lunar(month: int, day: int) -> date:
        return LunarDate(year, month, day).to_solar_date()

    spring = lunar(1, 1)
    y = year % 100
    qingming = date(year, 4, int(y * 0.2422 + 4.81) - int(y / 4))  # solar-term formula, 2001-2099
    return frozenset({
        date(year, 1, 1),
        spring - timedelta(days=1), spring, spring + timedelta(days=1), spring + timedelta(days=2),
        qingming,
        date(year, 5, 1), date(year, 5, 2),
        lunar(5, 5),
        lunar(8, 15),
        date(year, 10, 1), date(year, 10, 2), date(year, 10, 3),
    })


class _UniqueKeyLoader(yaml.SafeLoader):
    """Safe loading that rejects repeated keys and leaves dates as text, so that a bad date
    is reported by us with its place instead of failing inside PyYAML."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"键 {key!r} 重复", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def _read_overrides(path: str | os.PathLike) -> dict[int, YearOverride]:
    def fail(problem: str):
        raise ValueError(f"{path}: {problem}")

    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.load(f, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        fail(f"YAML 格式错误：{exc}")
    if not isinstance(data, dict):
        fail("顶层应为映射，且只有键 'years'")
    if set(data) != {"years"}:
        fail(f"顶层只能有键 'years'，实际为 {sorted(map(str, data))}")
    years = data["years"] or {}
    if not isinstance(years, dict):
        fail("years 应为映射（年份: 安排）")

    overrides = {}
    for year, schedule in years.items():
        if not isinstance(year, int) or isinstance(year, bool):
            fail(f"years 下的键应为年份数字，实际为 {year!r}")
        schedule = schedule or {}
        if not isinstance(schedule, dict):
            fail(f"years.{year} 应为映射（holidays / workdays）")
        unknown = set(schedule) - {"holidays", "workdays"}
        if unknown:
            fail(f"years.{year} 有未知的键 {sorted(map(str, unknown))}，只允许 holidays 和 workdays")
        lists = {}
        for key in ("holidays", "workdays"):
            values = schedule.get(key) or []
            if not isinstance(values, list):
                fail(f"years.{year}.{key} 应为日期列表")
            lists[key] = frozenset(_parse_date(v, year, f"years.{year}.{key}", fail) for v in values)
        both = lists["holidays"] & lists["workdays"]
        if both:
            fail(f"years.{year} 中 {sorted(d.isoformat() for d in both)} 同时列为 holidays 和 workdays")
        overrides[year] = YearOverride(**lists)
    return overrides


def _parse_date(value, year: int, where: str, fail) -> date:
    try:
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            raise ValueError("应为 YYYY-MM-DD")
        d = date.fromisoformat(value)
    except ValueError as exc:
        fail(f"{where} 中的 {value!r} 不是有效日期（{exc}）")
    if d.year != year:
        fail(f"{where} 中的 {value} 不在 {year} 年")
    return d
