"""Staff see cases due by the next working day and overdue ones, raised once however often the check runs."""
from datetime import timedelta

from sqlalchemy import insert, select

from api.services import context
from catalog.china_time import today_in_china
from models import Case, StaffAlert, Veteran, db
from models.base import utcnow
from notify import staff_alerts
from tests.notify.conftest import Life, drain


def accepted_case(api, openid="o_alerts"):
    life = Life(api, api.veteran_token(openid))
    life.accept()
    return life


def set_deadline(app, case_id, deadline):
    with app.app_context():
        db.session.get(Case, case_id).deadline = deadline
        db.session.commit()


def check(app, times=1):
    with app.app_context():
        return [staff_alerts.raise_deadline_alerts(context(), today_in_china()) for _ in range(times)]


def late_cases(app, count: int) -> list[str]:
    """`count` accepted cases of 510104, three days past their deadline, written straight to the database
    (a case each for a veteran of its own); their case numbers."""
    with app.app_context():
        now = utcnow()
        db.session.execute(insert(Veteran), [{"openid": f"o_late_{n}", "created_at": now, "last_login_at": now}
                                             for n in range(count)])
        ids = db.session.scalars(select(Veteran.id).where(Veteran.openid.startswith("o_late_"))).all()
        db.session.execute(insert(Case), [
            {"case_no": f"TYLATE{v}", "veteran_id": v, "province": "sichuan", "status": "accepted",
             "handling_region": "510104", "matter_keys": [], "fields": {}, "dialogue": {},
             "deadline": today_in_china() - timedelta(days=3), "created_at": now, "updated_at": now} for v in ids])
        db.session.commit()
    return [f"TYLATE{v}" for v in ids]


def alerts(app):
    with app.app_context():
        return [(a.case_id, a.kind) for a in db.session.query(StaffAlert).order_by(StaffAlert.id)]


def test_a_case_due_by_the_next_working_day_raises_one_alert_however_often_checked(app, api):
    life = accepted_case(api)
    with app.app_context():
        next_working_day = context().calendar.add_working_days(today_in_china(), 1).due
    set_deadline(app, life.case["id"], next_working_day)
    assert check(app, times=3) == [1, 0, 0]
    assert alerts(app) == [(life.case["id"], "due_soon")]
    (alert,) = api.get("/api/v1/staff/alerts", token=life.window)["items"]
    assert alert["kind_label"] == "即将到期" and alert["case_no"] == life.case["case_no"]
    assert alert["deadline"] == next_working_day.isoformat() and "即将到期" in alert["message"]


def test_an_overdue_case_raises_its_own_alert_once(app, api):
    life = accepted_case(api)
    set_deadline(app, life.case["id"], today_in_china() - timedelta(days=1))
    assert check(app, times=2) == [1, 0]
    assert [a["kind"] for a in api.get("/api/v1/staff/alerts", token=life.window)["items"]] == ["overdue"]


def test_a_case_with_time_left_raises_nothing(app, api):
    life = accepted_case(api)
    set_deadline(app, life.case["id"], today_in_china() + timedelta(days=10))
    assert check(app) == [0]
    assert api.get("/api/v1/staff/alerts", token=life.window)["items"] == []


def test_a_department_sees_alerts_only_where_it_still_has_work(app, api):
    life = accepted_case(api)
    set_deadline(app, life.case["id"], today_in_china())
    check(app)
    working = life.open_matters()[0]["department"]
    assert len(api.get("/api/v1/dept/alerts", token=api.officer_token(working))["items"]) == 1
    assert api.get("/api/v1/dept/alerts", token=api.officer_token("youth_league"))["items"] == []
    other_region = api.staff_token("window-gd", region="4401")
    assert api.get("/api/v1/staff/alerts", token=other_region)["items"] == []


def test_a_finished_case_drops_out_of_the_alerts(app, api):
    life = accepted_case(api)
    set_deadline(app, life.case["id"], today_in_china())
    check(app)
    with app.app_context():
        db.session.get(Case, life.case["id"]).status = "completed"
        db.session.commit()
    assert api.get("/api/v1/staff/alerts", token=life.window)["items"] == []


def test_the_worker_runs_the_check(app, api):
    life = accepted_case(api)
    set_deadline(app, life.case["id"], today_in_china() - timedelta(days=2))
    drain(app, alert_interval=0)
    assert alerts(app) == [(life.case["id"], "overdue")]


def test_the_alert_list_pages_through_every_late_case_however_many(app, api):
    late = 120
    case_numbers = late_cases(app, late)
    check(app)
    window = api.window_token()
    pages = [[a["case_no"] for a in items] for items in api.pages("/api/v1/staff/alerts", window)]
    assert [len(p) for p in pages] == [50, 50, 20]
    assert sorted(sum(pages, [])) == sorted(case_numbers)
    assert len(api.get("/api/v1/staff/alerts?limit=100", token=window)["items"]) == 100


def test_a_bad_alert_page_is_refused_in_chinese(api):
    for query in ("limit=0", "limit=500", "before=abc"):
        error = api.get(f"/api/v1/staff/alerts?{query}", token=api.window_token(), expect=422)["error"]
        assert error["fields"] and error["message"].startswith("提交的内容有误")
