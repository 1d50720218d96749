"""Staff alerts never hold up the veterans' pushes, however many cases are late; and a case that became
overdue is listed once, as overdue."""
import threading
import time
from datetime import timedelta

from sqlalchemy.exc import OperationalError

from api.services import context
from catalog.china_time import today_in_china
from models import StaffAlert, db
from notify import outbox, staff_alerts
from notify.worker import NotifyWorker
from tests.conftest import on_postgres
from tests.notify.conftest import drain, notifications, subscribe
from tests.notify.test_staff_alerts import accepted_case, late_cases, set_deadline


def one_push_due(api):
    token = api.veteran_token("o_push_due")
    subscribe(api, token)
    api.submit(token)


def test_a_failing_alert_check_does_not_stop_the_pushes(app, api, fake_wechat, monkeypatch):
    one_push_due(api)
    calls = []

    def broken(ctx, today):
        calls.append(today)
        raise RuntimeError("the alert insert failed")

    monkeypatch.setattr(staff_alerts, "raise_deadline_alerts", broken)
    drain(app, alert_interval=0)
    assert [n.push_status for n in notifications(app)] == ["sent"]
    assert len(fake_wechat.sent_subscribe_messages()) == 1
    assert len(calls) >= 1  # tried, and tried again at the next pass


@on_postgres
def test_more_late_cases_than_one_statement_can_carry_still_raise_every_alert_and_send(app, api, fake_wechat):
    late = 22_000  # three parameters an alert: more than PostgreSQL's 65,535 in one statement
    one_push_due(api)
    late_cases(app, late)
    drain(app, alert_interval=0)
    assert [n.push_status for n in notifications(app)] == ["sent"]
    with app.app_context():
        assert db.session.query(StaffAlert).count() == late


def test_a_case_that_became_overdue_is_listed_only_as_overdue(app, api):
    life = accepted_case(api)
    deadline = today_in_china()
    set_deadline(app, life.case["id"], deadline)
    with app.app_context():
        staff_alerts.raise_deadline_alerts(context(), deadline)  # due soon on the day
        staff_alerts.raise_deadline_alerts(context(), deadline + timedelta(days=2))  # overdue two days later
    officer = api.officer_token(life.open_matters()[0]["department"])
    for path, token in (("/api/v1/staff/alerts", life.window), ("/api/v1/dept/alerts", officer)):
        items = api.get(path, token=token)["items"]
        assert [(a["kind"], a["kind_label"]) for a in items] == [("overdue", "已超期")], path


def test_an_outcome_the_database_could_not_record_is_recorded_at_the_next_pass_not_sent_again(
        app, api, fake_wechat, monkeypatch):
    one_push_due(api)
    record, calls = outbox.settle, []

    def database_away_once(results, retry_delays, now=None):
        calls.append(len(results))
        if len(calls) == 1:  # the database restarts just as the worker records WeChat's answer
            raise OperationalError("UPDATE notifications", {}, Exception("server closed the connection"))
        return record(results, retry_delays, now)

    monkeypatch.setattr(outbox, "settle", database_away_once)
    worker = NotifyWorker(app, concurrency=2, poll_interval=0.01, alert_interval=3600)
    running = threading.Thread(target=worker.run)
    running.start()
    deadline = time.monotonic() + 10
    while notifications(app)[0].push_status != "sent" and time.monotonic() < deadline:
        time.sleep(0.05)
    worker.stop()
    running.join()
    assert [n.push_status for n in notifications(app)] == ["sent"] and len(calls) == 2
    assert len(fake_wechat.sent_subscribe_messages()) == 1
