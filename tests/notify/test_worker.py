"""The worker follows WeChat's error table, counts grants, and never loses or triples a push."""
import time
from datetime import timedelta

import pytest
from sqlalchemy import update

from api.services import context, wechat
from cases import statuses
from models import Notification, SubscriptionGrant, db
from models.base import utcnow
from models.notification import FAILED
from notify import outbox, sender
from tests.console.conftest import ConsoleClient, text_of
from tests.factories import ApiClient
from tests.notify.conftest import Life, drain, notifications, subscribe
from tests.notify.test_worker_processes import enqueue_many

SUBSCRIBE = "/cgi-bin/message/subscribe/send"
PROGRESS, REVIEW = "sc-tmpl-case-progress", "sc-tmpl-review-result"


def submitted(api, openid="o_worker"):
    """A subscribed veteran whose case was just submitted: one notification due (long-term template)."""
    token = api.veteran_token(openid)
    subscribe(api, token)
    case = api.submit(token)
    return token, case


def rejected(api, grants=1):
    """A veteran with `grants` one-time grants of the review template, whose case was just rejected."""
    token = api.veteran_token("o_rejected")
    subscribe(api, token, times=grants, ids=[REVIEW])
    case = api.submit(token)
    api.post(f"/api/v1/staff/cases/{case['id']}/reject", {"reason": "不符合条件"}, token=api.window_token())
    return token


def subscribe_calls(fake):
    return [r for r in fake.received if r.path == SUBSCRIBE]


def remaining(app, template_id):
    with app.app_context():
        grant = db.session.query(SubscriptionGrant).filter_by(template_id=template_id).one_or_none()
        return None if grant is None else grant.remaining


def make_due(app):
    """Time passes: every waiting retry is due now."""
    with app.app_context():
        db.session.query(Notification).update({"next_attempt_at": utcnow() - timedelta(seconds=1)})
        db.session.commit()


# -- WeChat's answers --------------------------------------------------------------------------------

def test_a_sent_push_records_wechats_msgid(app, api, fake_wechat):
    submitted(api)
    drain(app)
    (notification,) = notifications(app)
    assert notification.push_status == "sent" and notification.msgid and notification.sent_at
    assert notification.attempts == 1 and notification.claimed_until is None


@pytest.mark.parametrize("errcode", [47003, 40003, 40037, 41030])
def test_a_refusal_is_not_retried_and_its_reason_is_recorded(app, api, fake_wechat, errcode):
    token, _ = submitted(api)
    fake_wechat.fail_next(SUBSCRIBE, errcode)
    drain(app)
    make_due(app)
    drain(app)
    (notification,) = notifications(app)
    assert (notification.push_status, notification.last_errcode) == ("refused", errcode)
    assert str(errcode) not in notification.last_error and notification.last_error  # a Chinese reason
    assert len(subscribe_calls(fake_wechat)) == 1
    assert api.get("/api/v1/messages", token=token)["items"][0]["event"] == "submitted"


def test_a_refused_push_gives_its_one_time_grant_back(app, api, fake_wechat):
    rejected(api, grants=1)
    fake_wechat.fail_next(SUBSCRIBE, 47003)
    drain(app)
    assert notifications(app, event="rejected")[0].push_status == "refused"
    assert remaining(app, REVIEW) == 1


def test_no_subscription_43101_keeps_the_inbox_copy_and_forgets_the_grant(app, api, fake_wechat):
    token = rejected(api, grants=3)
    fake_wechat.fail_next(SUBSCRIBE, 43101)
    drain(app)
    (notification,) = notifications(app, event="rejected")
    assert (notification.push_status, notification.last_errcode) == ("refused", 43101)
    assert remaining(app, REVIEW) is None  # WeChat knows best: none left until the veteran accepts again
    assert len(subscribe_calls(fake_wechat)) == 1
    assert api.get("/api/v1/messages", token=token)["items"][0]["event"] == "rejected"


@pytest.mark.parametrize("errcode", [-1, 45009])
def test_busy_or_over_quota_waits_and_tries_again(make_app, fake_wechat, errcode):
    app = make_app(NOTIFY_RETRY_DELAYS=[60, 600])
    from tests.factories import ApiClient
    submitted(ApiClient(app))
    fake_wechat.fail_next(SUBSCRIBE, errcode)
    drain(app)
    (notification,) = notifications(app)
    assert (notification.push_status, notification.attempts, notification.last_errcode) == ("pending", 1, errcode)
    wait = notification.next_attempt_at.replace(tzinfo=None) - utcnow().replace(tzinfo=None)
    assert timedelta(seconds=50) < wait <= timedelta(seconds=60)
    drain(app)  # not due yet
    assert len(subscribe_calls(fake_wechat)) == 1
    make_due(app)
    drain(app)
    assert notifications(app)[0].push_status == "sent" and len(subscribe_calls(fake_wechat)) == 2


def test_unreachable_wechat_is_retried(make_app, fake_wechat):
    app = make_app(NOTIFY_RETRY_DELAYS=[60])
    from tests.factories import ApiClient
    submitted(ApiClient(app))
    fake_wechat.fail_next(SUBSCRIBE, 0, status=502)
    drain(app)
    assert notifications(app)[0].push_status == "pending"
    make_due(app)
    drain(app)
    assert notifications(app)[0].push_status == "sent"


def test_retries_used_up_fail_visibly_and_an_admin_can_send_again(make_app, fake_wechat):
    app = make_app(NOTIFY_RETRY_DELAYS=[0, 0])
    from tests.factories import ApiClient
    api = ApiClient(app)
    submitted(api)
    fake_wechat.fail_always(SUBSCRIBE, -1)
    drain(app)
    (notification,) = notifications(app)
    assert (notification.push_status, notification.attempts) == ("failed", 3)
    assert len(subscribe_calls(fake_wechat)) == 3

    admin = api.staff_token("admin-sc", "admin", region="51")
    (listed,) = api.get("/api/v1/admin/notifications", token=admin)["items"]
    assert listed["id"] == notification.id and listed["push_label"] == "推送失败" and listed["last_errcode"] == -1
    assert api.get("/api/v1/admin/notifications?status=refused", token=admin)["items"] == []
    fake_wechat.clear_failures()
    assert api.post(f"/api/v1/admin/notifications/{notification.id}/retry", token=admin)["push_status"] == "pending"
    drain(app)
    assert notifications(app)[0].push_status == "sent"
    api.post(f"/api/v1/admin/notifications/{notification.id}/retry", token=admin, expect=409)


def test_admins_see_only_their_regions_failures(make_app, fake_wechat):
    app = make_app(NOTIFY_RETRY_DELAYS=[])
    from tests.factories import ApiClient
    api = ApiClient(app)
    submitted(api)
    fake_wechat.fail_always(SUBSCRIBE, -1)
    drain(app)
    elsewhere = api.staff_token("admin-gd", "admin", region="44")
    assert api.get("/api/v1/admin/notifications", token=elsewhere)["items"] == []
    api.post(f"/api/v1/admin/notifications/{notifications(app)[0].id}/retry", token=elsewhere, expect=404)


def test_a_refused_token_is_refreshed_once_and_the_push_goes_out(app, api, fake_wechat):
    submitted(api)
    api.submit(api.veteran_token("o_second"))  # fetch a token first
    drain(app)
    fetches = fake_wechat.token_fetches
    token, case = submitted(api, "o_third")
    fake_wechat.fail_next(SUBSCRIBE, 42001)
    drain(app)
    assert notifications(app)[-1].push_status == "sent" and notifications(app)[-1].attempts == 1
    assert fake_wechat.token_fetches == fetches + 1


def test_a_token_refused_even_after_the_refresh_is_retried_later(app, api, fake_wechat):
    submitted(api)
    fake_wechat.fail_always(SUBSCRIBE, 40001)
    drain(app)
    (notification,) = notifications(app)
    assert (notification.push_status, notification.last_errcode) == ("pending", 40001)
    assert fake_wechat.token_fetches == 2  # the gateway refreshed once, no more


# -- sends WeChat never answered --------------------------------------------------------------------

def test_a_send_wechat_answered_too_late_is_sent_once_more_and_no_more(make_app, fake_wechat):
    app = make_app(WECHAT_TIMEOUT=0.5, NOTIFY_RETRY_DELAYS=[0, 0, 0])
    submitted(ApiClient(app))
    fake_wechat.delay(SUBSCRIBE, 1)  # WeChat takes each message but answers after our timeout
    drain(app)
    time.sleep(1)  # the last late answer
    (notification,) = notifications(app)
    assert (notification.push_status, notification.claims_lost) == ("failed", 2)
    assert "无法确认是否已送达" in notification.last_error and "不再自动重发" in notification.last_error
    assert len(fake_wechat.sent_subscribe_messages()) == 2  # on the phone twice at most, not once per retry


def test_a_send_answered_too_late_once_is_sent_again_and_recorded_as_sent(make_app, fake_wechat):
    app = make_app(WECHAT_TIMEOUT=0.5, NOTIFY_RETRY_DELAYS=[0, 0, 0])
    submitted(ApiClient(app))
    fake_wechat.delay_next(SUBSCRIBE, 1)
    drain(app)
    time.sleep(1)
    (notification,) = notifications(app)
    assert (notification.push_status, notification.attempts, notification.claims_lost) == ("sent", 2, 1)
    assert len(fake_wechat.sent_subscribe_messages()) == 2


def test_wechat_unreachable_is_retried_through_the_whole_schedule(make_app, fake_wechat):
    """Nothing reached WeChat: every retry is safe, unlike after a send that went unanswered."""
    app = make_app(NOTIFY_RETRY_DELAYS=[0, 0, 0])
    submitted(ApiClient(app))
    fake_wechat.fail_always(SUBSCRIBE, 0, status=502)
    drain(app)
    (notification,) = notifications(app)
    assert (notification.push_status, notification.attempts, notification.claims_lost) == ("failed", 4, 0)


# -- grants ------------------------------------------------------------------------------------------

def test_without_a_grant_the_message_stays_in_the_inbox_and_wechat_is_not_called(app, api, fake_wechat):
    token = api.veteran_token()
    api.submit(token)
    drain(app)
    (notification,) = notifications(app)
    assert notification.push_status == "inbox_only" and notification.template_id is None
    assert fake_wechat.received == []
    assert len(api.get("/api/v1/messages", token=token)["items"]) == 1


def test_one_time_grant_allows_one_message(app, api, fake_wechat):
    token = api.veteran_token()
    subscribe(api, token, ids=[REVIEW])
    case = api.submit(token)
    window = api.window_token()
    api.post(f"/api/v1/staff/cases/{case['id']}/request-supplement",
             {"items": [{"field": "name", "reason": "有误"}]}, token=window)
    api.post(f"/api/v1/cases/{case['id']}/resubmit", {"fields": {"name": "王磊"}}, token=token)
    api.post(f"/api/v1/staff/cases/{case['id']}/reject", {"reason": "不符合条件"}, token=window)
    drain(app)
    pushes = {n.event: n.push_status for n in notifications(app)}
    assert pushes == {"submitted": "inbox_only", "supplement_requested": "sent", "resubmitted": "inbox_only",
                      "rejected": "inbox_only"}
    assert [m["template_id"] for m in fake_wechat.sent_subscribe_messages()] == [REVIEW]
    assert remaining(app, REVIEW) == 0


def test_a_long_term_grant_is_never_used_up(app, api, fake_wechat):
    token = api.veteran_token()
    subscribe(api, token, ids=[PROGRESS])
    case = api.submit(token, matters=["report"])  # nothing to upload before acceptance
    window = api.window_token()
    api.post(f"/api/v1/staff/cases/{case['id']}/archive-reviewed", {"archive_status": "完整"}, token=window)
    api.post(f"/api/v1/staff/cases/{case['id']}/accept", {}, token=window)
    drain(app)
    assert [m["template_id"] for m in fake_wechat.sent_subscribe_messages()] == [PROGRESS] * 3


# -- workers that die ----------------------------------------------------------------------------------

def _claim_and_send_then_die(app, worker, seconds_ago):
    """A worker claimed what was due `seconds_ago` (lease 30 s) and WeChat accepted the sends, but the
    worker died before recording them."""
    with app.app_context():
        db.session.query(Notification).filter_by(push_status="pending").update(
            {"next_attempt_at": utcnow() - timedelta(seconds=seconds_ago + 1)})
        db.session.commit()
        claim = outbox.claim_due(context(), worker, 10, timedelta(seconds=30),
                                 now=utcnow() - timedelta(seconds=seconds_ago))
        assert claim.deliveries
        for delivery in claim.deliveries:
            assert sender.send(wechat(), delivery).kind == outbox.SENT_OK
        db.session.remove()
        return claim


def test_a_claim_is_not_taken_over_while_its_lease_holds(app, api, fake_wechat):
    submitted(api)
    _claim_and_send_then_die(app, "alive", seconds_ago=29)
    with app.app_context():
        assert outbox.release_lost_claims() == 0
    drain(app)
    assert notifications(app)[0].push_status == "sending" and len(fake_wechat.sent_subscribe_messages()) == 1


def test_a_worker_killed_after_wechat_accepted_makes_at_most_one_resend(app, api, fake_wechat):
    submitted(api)
    _claim_and_send_then_die(app, "doomed", seconds_ago=31)
    drain(app)
    (notification,) = notifications(app)
    assert (notification.push_status, notification.claims_lost) == ("sent", 1)
    assert len(fake_wechat.sent_subscribe_messages()) == 2


def test_a_push_whose_claim_is_lost_twice_fails_instead_of_a_third_copy(app, api, fake_wechat):
    submitted(api)
    _claim_and_send_then_die(app, "doomed-1", seconds_ago=62)
    with app.app_context():
        assert outbox.release_lost_claims(now=utcnow() - timedelta(seconds=31)) == 1
    _claim_and_send_then_die(app, "doomed-2", seconds_ago=31)
    drain(app)
    (notification,) = notifications(app)
    assert (notification.push_status, notification.claims_lost) == ("failed", 2)
    assert "无法确认是否已送达" in notification.last_error
    assert len(fake_wechat.sent_subscribe_messages()) == 2


def test_a_slow_worker_does_not_overwrite_the_claim_that_replaced_its_own(app, api, fake_wechat):
    submitted(api)
    slow = _claim_and_send_then_die(app, "slow", seconds_ago=31)
    with app.app_context():
        outbox.release_lost_claims()
        fresh = outbox.claim_due(context(), "fresh", 10, timedelta(seconds=30))
        outbox.settle([(slow.deliveries[0], outbox.Outcome(outbox.RETRY, errcode=-1))], [60])
        assert db.session.get(Notification, fresh.deliveries[0].notification_id).claimed_by == "fresh"
        outbox.settle([(fresh.deliveries[0], outbox.Outcome(outbox.SENT_OK, msgid="42"))], [60])
    assert notifications(app)[0].push_status == "sent"


def test_a_late_result_is_kept_when_nobody_took_the_claim_over_yet(app, api, fake_wechat):
    submitted(api)
    slow = _claim_and_send_then_die(app, "slow", seconds_ago=31)
    with app.app_context():
        outbox.release_lost_claims()
        outbox.settle([(slow.deliveries[0], outbox.Outcome(outbox.SENT_OK, msgid="7"))], [60])
    drain(app)
    assert notifications(app)[0].push_status == "sent" and len(fake_wechat.sent_subscribe_messages()) == 1


def test_redis_flushed_between_two_sends_the_token_is_fetched_again(app, api, fake_wechat):
    submitted(api)
    drain(app)
    app.extensions["redis"].flushdb()
    submitted(api, "o_after_flush")
    drain(app)
    assert [n.push_status for n in notifications(app)] == ["sent", "sent"]
    assert fake_wechat.token_fetches == 2


def test_one_veterans_messages_go_out_one_after_the_other_in_the_order_they_happened(app, api, fake_wechat):
    token = api.veteran_token("o_in_turn")
    subscribe(api, token, times=5)
    life = Life(api, token)
    life.case = api.accepted_case(token, matters=["report"])
    report = life.open_matter("report")
    life.move(report, statuses.PROCESSING)
    drain(app)
    before = len(fake_wechat.sent_subscribe_messages())
    life.move(report, statuses.COMPLETED, result="已办结")  # 已办结 and 全部办结 in one transaction
    fake_wechat.delay(SUBSCRIBE, 0.2)  # each send on the wire long enough for a second one to start beside it
    drain(app, concurrency=16)
    sent = fake_wechat.sent_subscribe_messages()[before:]
    assert [next(v["value"] for k, v in m["data"].items() if k.startswith("phrase")) for m in sent] == ["已办结", "全部办结"]
    assert fake_wechat.most_sends_at_once_to_one_user == 1


def test_an_admin_pages_through_every_failed_push_in_the_api_and_the_console(app, api):
    ids = enqueue_many(app, 60)
    with app.app_context():
        db.session.execute(update(Notification).values(push_status=FAILED, last_error="微信系统繁忙"))
        db.session.commit()
    admin = api.staff_token("admin-sc", "admin", region="51")
    listed = [[n["id"] for n in items] for items in api.pages("/api/v1/admin/notifications", admin)]
    assert [len(ids_on_page) for ids_on_page in listed] == [50, 10]
    assert sum(listed, []) == sorted(ids, reverse=True)

    console = ConsoleClient(app).as_role("admin")
    first = text_of(console.get("/console/admin/notifications"))
    assert "更早的消息" in first and "回到最新" not in first and first.count("微信系统繁忙") == 50
    older = text_of(console.get(f"/console/admin/notifications?status=failed&before={listed[0][-1]}"))
    assert "回到最新" in older and "更早的消息" not in older and older.count("微信系统繁忙") == 10
