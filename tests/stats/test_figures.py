"""Per region and per matter figures: completion, punctuality, working days, overdue, burden."""
from datetime import date, datetime, timezone

import pytest

from api.presenters import e_licences
from api.services import context
from models import Case, db
from stats import export
from catalog.china_time import today_in_china
from stats.figures import cases_in_scope, compute

TODAY = date(2026, 11, 20)
MATTERS = ["report", "hukou", "id_card"]  # burden per case in 四川: materials 5 → 3, visits 5 → 3


def china(day: int, month: int = 11, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour - 8, tzinfo=timezone.utc)  # 10:00 in China


@pytest.fixture
def cases(app, api):
    """Four cases: two completed (on time in 4 working days, late in 9), one overdue, one elsewhere."""
    made = [api.submit(api.veteran_token(f"v{i}"), matters=MATTERS, **overrides)["id"]
            for i, overrides in enumerate([{}, {}, {}, {"handling_region": "510105"}])]
    with app.app_context():
        rows = [db.session.get(Case, case_id) for case_id in made]
        for case in rows[:3]:
            case.accepted_at, case.deadline = china(2), date(2026, 11, 11)
        rows[0].status, rows[0].completed_at = "completed", china(6)
        rows[1].status, rows[1].completed_at = "completed", china(13)
        rows[2].status, rows[2].deadline = "in_progress", date(2026, 11, 10)
        rows[3].submitted_at = china(1, month=10)
        hukou = next(m for m in rows[0].matters if m.key == "hukou")
        hukou.status, hukou.dispatched_at, hukou.completed_at = "completed", china(2), china(4)
        db.session.commit()
    return made


def statistics(since=None):
    return compute(context(), e_licences(), cases_in_scope("51", since), TODAY)


def test_each_handling_region_gets_its_row(app, cases):
    with app.app_context():
        stats = statistics()
    jinjiang, chenghua = stats.regions
    assert (jinjiang.code, jinjiang.name) == ("510104", "四川省成都市锦江区")
    assert (jinjiang.cases, jinjiang.accepted, jinjiang.completed, jinjiang.overdue_now) == (3, 3, 2, 1)
    assert jinjiang.on_time_rate == 0.5 and jinjiang.average_working_days == 6.5
    assert (chenghua.code, chenghua.cases, chenghua.completed, chenghua.on_time_rate) == ("510105", 1, 0, None)
    assert (stats.total.cases, stats.total.completed) == (4, 2)


def test_burden_before_and_after_is_summed_per_region(app, cases):
    with app.app_context():
        jinjiang = statistics().regions[0]
    burden = jinjiang.burden
    assert (burden.materials_before, burden.materials_after, burden.visits_before, burden.visits_after) == (15, 9, 15, 9)


def test_matters_count_volumes_completions_and_working_days(app, cases):
    with app.app_context():
        matters = {m.key: m for m in statistics().matters}
    assert (matters["hukou"].applied, matters["hukou"].completed, matters["hukou"].average_working_days) == (4, 1, 2)
    assert matters["id_card"].applied == 4 and matters["id_card"].average_working_days is None
    assert "pension_transfer" not in matters  # display-only in 四川


def test_a_period_counts_only_cases_submitted_in_it(app, cases):
    with app.app_context():
        assert [r.code for r in statistics(since=date(2026, 11, 1)).regions] == ["510104"]


def test_the_csv_export_opens_in_excel_with_chinese_headers(app, cases):
    with app.app_context():
        stats = statistics()
    regions = export.regions_csv(stats)
    assert regions.startswith("\ufeff区划代码,地区,申请件数")
    assert "510104,四川省成都市锦江区,3,3,3,2,1,50.0%,6.5,1,15,9,15,9" in regions  # 3 people served
    assert "合计" in regions.splitlines()[-1]
    assert "hukou,户口登记（退役军人恢复户口）,公安部门,4,1,0,2.0" in export.matters_csv(stats)


def test_stored_moments_count_on_chinas_calendar():
    assert today_in_china(datetime(2026, 11, 2, 17, 0)) == date(2026, 11, 3)  # naive: UTC, as SQLite returns it
    assert today_in_china(datetime(2026, 11, 2, 15, 59, tzinfo=timezone.utc)) == date(2026, 11, 2)


def test_people_served_are_counted_once_and_only_when_accepted(app, api):
    window = api.window_token()
    again = api.veteran_token("o_again")
    first = api.submit(again, matters=MATTERS)
    api.post(f"/api/v1/cases/{first['id']}/withdraw", {}, token=again)
    for token in (again, api.veteran_token("o_other")):
        api.accepted_case(token, matters=MATTERS)
    refused = api.submit(api.veteran_token("o_refused"), matters=MATTERS)
    api.post(f"/api/v1/staff/cases/{refused['id']}/reject", {"reason": "不属于本地接收安置对象"}, token=window)
    with app.app_context():
        total = statistics().total
    assert (total.cases, total.accepted, total.served) == (4, 2, 2)
    assert total.burden.materials_before == 2 * 5  # two people served, 四川 report+hukou+id_card: 5 materials each
