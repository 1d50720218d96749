"""The time limit in working days, and the window's overdue and due-soon lists."""
from datetime import date, datetime, timedelta

from api.presenters import e_licences
from api.services import context
from cases import review
from catalog.china_time import today_in_china
from models import Case, Staff, db
from tests.factories import ApiClient


def _accept_at(api, when: datetime) -> dict:
    # 退役报到 alone: 四川 checks its materials as originals at the window, so nothing is owed online
    case = api.submit(api.veteran_token(f"v-{when:%Y%m%d}"), matters=["report"])
    window = api.window_token()
    api.post(f"/api/v1/staff/cases/{case['id']}/archive-reviewed", {"archive_status": "完整"}, token=window)
    with api.app.app_context():
        staff = db.session.query(Staff).filter_by(username="window-clerk").one()
        review.accept(context(), e_licences(), staff, case["id"], now=when)
    return api.get(f"/api/v1/staff/cases/{case['id']}", token=window)


def test_seven_working_days_skip_the_weekend(api):
    case = _accept_at(api, datetime(2026, 11, 16, 10, 0))  # a Monday
    assert case["deadline"] == "2026-11-25" and case["deadline_estimated"] is False


def test_a_case_accepted_on_2026_12_28_gets_an_estimated_deadline(api):
    case = _accept_at(api, datetime(2026, 12, 28, 9, 30))
    assert case["deadline"] == "2027-01-07" and case["deadline_estimated"] is True


def _set_deadline(app, case_id, days_from_today):
    with app.app_context():
        case = db.session.get(Case, case_id)
        case.deadline = today_in_china() + timedelta(days=days_from_today)
        db.session.commit()


def test_staff_list_overdue_cases_and_cases_due_within_a_day(app):
    api = ApiClient(app)
    overdue = api.accepted_case(api.veteran_token("late"))
    due = api.accepted_case(api.veteran_token("due"))
    later = api.accepted_case(api.veteran_token("later"))
    _set_deadline(app, overdue["id"], -2)
    _set_deadline(app, due["id"], 1)
    _set_deadline(app, later["id"], 5)
    window = api.window_token()
    assert [c["id"] for c in api.get("/api/v1/staff/cases?overdue=true", token=window)["items"]] == [overdue["id"]]
    assert [c["id"] for c in api.get("/api/v1/staff/cases?due_within_days=1", token=window)["items"]] == [due["id"]]
    assert api.get(f"/api/v1/staff/cases/{overdue['id']}", token=window)["overdue"] is True


def test_a_completed_case_is_never_overdue(app):
    api = ApiClient(app)
    case = api.accepted_case(api.veteran_token(), matters=["report"])
    _set_deadline(app, case["id"], -3)
    va = api.officer_token("veterans_affairs")
    report = next(m for m in case["matters"] if m["key"] == "report")["id"]
    api.post(f"/api/v1/dept/matters/{report}/transition", {"to": "processing"}, token=va)
    api.post(f"/api/v1/dept/matters/{report}/transition", {"to": "completed", "result": "已报到"}, token=va)
    assert api.get("/api/v1/staff/cases?overdue=true", token=api.window_token())["items"] == []
    assert date.fromisoformat(api.get(f"/api/v1/cases/{case['id']}", token=api.veteran_token())["deadline"])


def test_the_queue_lists_the_cases_awaiting_the_window_first(api):
    window = api.window_token()
    accepted = api.submit(api.veteran_token("first"), matters=["report"])
    api.post(f"/api/v1/staff/cases/{accepted['id']}/archive-reviewed", {"archive_status": "完整"}, token=window)
    api.post(f"/api/v1/staff/cases/{accepted['id']}/accept", {}, token=window)
    waiting = api.submit(api.veteran_token("second"))
    queue = api.get("/api/v1/staff/cases", token=window)["items"]
    assert [c["id"] for c in queue] == [waiting["id"], accepted["id"]]  # as the console lists them
