from datetime import date
from pathlib import Path

import chinese_calendar
import pytest

from cases.deadlines import Deadline, WorkingCalendar, YearOverride

SHIPPED_FILE = Path(__file__).resolve().parents[2] / "dialogs" / "holidays.yaml"


def _yaml(tmp_path, text: str) -> Path:
    path = tmp_path / "holidays.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_seven_working_days_from_a_monday_end_on_the_wednesday_of_the_next_week():
    assert WorkingCalendar().add_working_days(date(2026, 11, 16), 7) == Deadline(date(2026, 11, 25), False)


def test_the_acceptance_day_itself_does_not_count():
    # Friday 2026-11-20: the next working day is Monday, not the Friday itself.
    assert WorkingCalendar().add_working_days(date(2026, 11, 20), 1).due == date(2026, 11, 23)


def test_zero_working_days_is_the_acceptance_day_and_negative_is_refused():
    calendar = WorkingCalendar()
    assert calendar.add_working_days(date(2026, 11, 16), 0) == Deadline(date(2026, 11, 16), False)
    with pytest.raises(ValueError):
        calendar.add_working_days(date(2026, 11, 16), -1)


def test_national_day_2026_uses_the_official_schedule_with_its_make_up_saturday():
    # 2026: 10-01 to 10-07 off, Saturday 10-10 is a 调休 working day.
    assert chinese_calendar.is_workday(date(2026, 10, 10))
    calendar = WorkingCalendar()
    assert calendar.is_working_day(date(2026, 10, 5)) == (False, False)
    assert calendar.is_working_day(date(2026, 10, 10)) == (True, False)
    # 10-08, 10-09, 10-10 (Sat), 10-12, 10-13, 10-14, 10-15
    assert calendar.add_working_days(date(2026, 9, 30), 7) == Deadline(date(2026, 10, 15), False)


def test_a_deadline_crossing_into_2027_is_estimated_and_skips_new_year_and_the_weekend():
    calendar = WorkingCalendar()
    assert calendar.is_working_day(date(2027, 1, 1)) == (False, True)
    # 12-29, 12-30, 12-31, then 01-01 (元旦) and 01-02/03 (weekend) skipped, 01-04 to 01-07
    assert calendar.add_working_days(date(2026, 12, 28), 7) == Deadline(date(2027, 1, 7), True)


def test_a_deadline_inside_2026_is_not_estimated_even_if_it_ends_on_new_years_eve():
    assert WorkingCalendar().add_working_days(date(2026, 12, 28), 3) == Deadline(date(2026, 12, 31), False)


def test_the_2027_spring_festival_is_skipped_in_the_estimate():
    calendar = WorkingCalendar()
    # 春节 2027-02-06 (Saturday): 除夕 Fri 02-05 to 初三 Mon 02-08 are rest days.
    assert calendar.is_working_day(date(2027, 2, 5)) == (False, True)
    assert calendar.is_working_day(date(2027, 2, 8)) == (False, True)
    assert calendar.is_working_day(date(2027, 2, 9)) == (True, True)
    # 02-04, then 02-05 to 02-08 skipped, 02-09, 02-10
    assert calendar.add_working_days(date(2027, 2, 3), 3) == Deadline(date(2027, 2, 10), True)


@pytest.mark.parametrize("holiday", [
    date(2027, 4, 5),    # 清明节 (solar term)
    date(2027, 6, 9),    # 端午节, lunar 5/5
    date(2027, 9, 15),   # 中秋节, lunar 8/15
    date(2027, 10, 1),   # 国庆节
    date(2028, 5, 1),    # 劳动节, both days on weekdays in 2028
    date(2028, 5, 2),
    date(2029, 10, 2),   # 国庆节, second and third days
    date(2029, 10, 3),
])
def test_estimated_statutory_holidays_on_weekdays_are_rest_days(holiday):
    assert holiday.weekday() < 5
    assert WorkingCalendar().is_working_day(holiday) == (False, True)


def test_an_ordinary_weekday_in_2027_is_an_estimated_working_day_and_a_weekend_is_not():
    calendar = WorkingCalendar()
    assert calendar.is_working_day(date(2027, 4, 6)) == (True, True)
    assert calendar.is_working_day(date(2027, 4, 10)) == (False, True)


def test_an_override_for_2027_makes_the_deadline_official_and_honours_its_workdays(tmp_path):
    # An invented schedule, for the test only: Saturday 01-02 is a make-up working day.
    path = _yaml(tmp_path, "years:\n  2027:\n    holidays: [2027-01-01]\n    workdays: [2027-01-02]\n")
    calendar = WorkingCalendar.from_yaml(path)
    assert calendar.is_working_day(date(2027, 1, 2)) == (True, False)
    # 12-29, 12-30, 12-31, 01-02 (Sat), 01-04, 01-05, 01-06
    assert calendar.add_working_days(date(2026, 12, 28), 7) == Deadline(date(2027, 1, 6), False)


def test_an_override_year_replaces_the_estimate_entirely(tmp_path):
    calendar = WorkingCalendar.from_yaml(_yaml(tmp_path, "years:\n  2027:\n    holidays: [2027-01-01]\n"))
    # 除夕 2027-02-05 is a rest day only in the estimate; the official year does not list it.
    assert calendar.is_working_day(date(2027, 2, 5)) == (True, False)
    assert calendar.is_working_day(date(2027, 1, 1)) == (False, False)


def test_an_override_wins_over_chinese_calendar():
    calendar = WorkingCalendar({2026: YearOverride(holidays=frozenset({date(2026, 11, 17)}))})
    assert calendar.is_working_day(date(2026, 11, 17)) == (False, False)
    assert calendar.add_working_days(date(2026, 11, 16), 7) == Deadline(date(2026, 11, 26), False)


def test_working_days_between_counts_the_days_after_start_up_to_and_including_end():
    calendar = WorkingCalendar()
    assert calendar.working_days_between(date(2026, 11, 16), date(2026, 11, 25)) == 7
    assert calendar.working_days_between(date(2026, 9, 30), date(2026, 10, 15)) == 7
    assert calendar.working_days_between(date(2026, 12, 28), date(2027, 1, 7)) == 7
    assert calendar.working_days_between(date(2026, 11, 20), date(2026, 11, 22)) == 0  # Fri to Sun


def test_working_days_between_is_zero_when_end_is_not_after_start():
    calendar = WorkingCalendar()
    assert calendar.working_days_between(date(2026, 11, 16), date(2026, 11, 16)) == 0
    assert calendar.working_days_between(date(2026, 11, 25), date(2026, 11, 16)) == 0


def test_from_yaml_rejects_an_unknown_top_level_key(tmp_path):
    path = _yaml(tmp_path, "years: {}\nyear: {}\n")
    with pytest.raises(ValueError, match=r"holidays\.yaml.*'year'"):
        WorkingCalendar.from_yaml(path)


def test_from_yaml_rejects_an_unknown_key_in_a_year(tmp_path):
    path = _yaml(tmp_path, "years:\n  2027:\n    holiday: [2027-01-01]\n")
    with pytest.raises(ValueError, match=r"holidays\.yaml.*years\.2027.*'holiday'"):
        WorkingCalendar.from_yaml(path)


@pytest.mark.parametrize("value", ["2027-02-30", "'2027-13-01'", "tomorrow", "20270101", "'20270101'", "2027-1-1"])
def test_from_yaml_rejects_a_bad_date(tmp_path, value):
    path = _yaml(tmp_path, f"years:\n  2027:\n    workdays: [{value}]\n")
    with pytest.raises(ValueError, match=r"holidays\.yaml.*years\.2027\.workdays.*不是有效日期"):
        WorkingCalendar.from_yaml(path)


def test_from_yaml_rejects_a_date_listed_under_another_year(tmp_path):
    path = _yaml(tmp_path, "years:\n  2027:\n    holidays: [2028-01-01]\n")
    with pytest.raises(ValueError, match=r"holidays\.yaml.*2028-01-01.*2027"):
        WorkingCalendar.from_yaml(path)


def test_from_yaml_rejects_a_day_that_is_both_holiday_and_workday(tmp_path):
    path = _yaml(tmp_path, "years:\n  2027:\n    holidays: [2027-02-07]\n    workdays: [2027-02-07]\n")
    with pytest.raises(ValueError, match=r"holidays\.yaml.*2027-02-07"):
        WorkingCalendar.from_yaml(path)


def test_from_yaml_rejects_a_repeated_year(tmp_path):
    path = _yaml(tmp_path, "years:\n  2027:\n    holidays: [2027-01-01]\n  2027:\n    holidays: []\n")
    with pytest.raises(ValueError, match=r"holidays\.yaml.*重复"):
        WorkingCalendar.from_yaml(path)


def test_the_shipped_holidays_file_loads_and_gives_the_same_deadlines():
    calendar = WorkingCalendar.from_yaml(SHIPPED_FILE)
    assert calendar.add_working_days(date(2026, 11, 16), 7) == Deadline(date(2026, 11, 25), False)
    assert calendar.add_working_days(date(2026, 12, 28), 7).due.year == 2027
