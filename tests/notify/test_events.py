"""Each status change a veteran is told about gives exactly one inbox message and, with a grant, exactly
one subscribe message whose data the strict fake WeChat accepts."""
from collections import Counter

import pytest
from sqlalchemy.exc import IntegrityError

from api.services import context
from cases import statuses
from cases.transitions import Actor, move_case
from models import Case, Notification, db
from tests.fakes.wechat_server import valid_value
from tests.notify.conftest import RESULT, SUPPLEMENT, Life, drain, notifications, subscribe

# event -> (how to get to just before it, what triggers it, the events the trigger gives)
LIFE = {
    "submitted": (lambda life: None, Life.submit, ["submitted"]),
    "archive_reviewed": (Life.submit, Life.archive, ["archive_reviewed"]),
    "supplement_requested": (Life.submit, lambda life: life.staff("request-supplement", SUPPLEMENT),
                             ["supplement_requested"]),
    "resubmitted": (lambda life: (life.submit(), life.staff("request-supplement", SUPPLEMENT)),
                    Life.resubmit, ["resubmitted"]),
    "rejected": (Life.submit, lambda life: life.staff("reject", {"reason": "不属于本地接收安置的退役军人"}), ["rejected"]),
    "withdrawn": (Life.submit, lambda life: life.api.post(f"/api/v1/cases/{life.case['id']}/withdraw",
                                                          token=life.token), ["withdrawn"]),
    "accepted": (lambda life: (life.submit(), life.archive()), lambda life: life.staff("accept"), ["accepted"]),
    "matter_returned": (Life.accept, lambda life: life.move(life.open_matters()[0], statuses.RETURNED,
                                                            note="缺少户口迁移证原件"), ["matter_returned"]),
    "matter_processing": (Life.accept, lambda life: life.move(life.open_matters()[0], statuses.PROCESSING),
                          ["matter_processing"]),
    "matter_completed": (lambda life: (life.accept(), life.move(life.open_matters()[0], statuses.PROCESSING)),
                         lambda life: life.complete(life.open_matters()[0]), ["matter_completed"]),
    # 户口登记 done releases 居民身份证申领, which waited for it
    "matter_dispatched": (Life.accept, lambda life: life.complete(life.open_matter("hukou")),
                          ["matter_processing", "matter_completed", "matter_dispatched"]),
    "case_completed": (Life.all_but_one_completed, lambda life: life.complete(life.open_matters()[0]),
                       ["matter_processing", "matter_completed", "case_completed"]),
}


@pytest.mark.parametrize("event", sorted(LIFE))
def test_each_event_gives_one_inbox_message_and_one_subscribe_message(app, api, strict_fake, event):
    token = api.veteran_token("o_life_veteran")
    subscribe(api, token, times=5)
    life = Life(api, token)
    before, trigger, expected = LIFE[event]
    before(life)
    drain(app)
    seen = {m["id"] for m in api.get("/api/v1/messages", token=token)["items"]}
    sent_before = len(strict_fake.sent_subscribe_messages())

    trigger(life)
    drain(app)

    new = [m for m in api.get("/api/v1/messages", token=token)["items"] if m["id"] not in seen]
    assert Counter(m["event"] for m in new) == Counter(expected)
    sent = strict_fake.sent_subscribe_messages()[sent_before:]
    with app.app_context():
        profile = context().profile
        assert Counter(s["template_id"] for s in sent) == Counter(profile.template_for_event(e).id for e in expected)
    for message in sent:
        assert message["touser"] == "o_life_veteran"
        assert message["page"].startswith("pages/messages/detail?id=")
        assert all(valid_value(key, item["value"]) for key, item in message["data"].items()), message["data"]
    assert all(n.push_status == "sent" for n in notifications(app, event=expected[-1]))


def test_the_supplement_message_carries_the_whole_one_time_list(app, api):
    token = api.veteran_token()
    life = Life(api, token)
    life.submit()
    life.staff("request-supplement", SUPPLEMENT)
    (message,) = api.get("/api/v1/messages?unread=true", token=token)["items"][:1]
    assert message["event"] == "supplement_requested"
    for part in ("姓名", "与身份证上的姓名不一致", "退出现役证书", "证书扫描件不清晰", "请一次改好"):
        assert part in message["body"]
    assert [i["reason"] for i in message["details"]["items"]] == ["与身份证上的姓名不一致", "证书扫描件不清晰"]


def test_the_accepted_message_tells_the_deadline(app, api):
    token = api.veteran_token()
    life = Life(api, token)
    life.accept()
    message = api.get("/api/v1/messages", token=token)["items"][0]
    deadline = life.case["deadline"]
    assert message["event"] == "accepted" and message["details"]["deadline"] == deadline
    year, month, day = (int(x) for x in deadline.split("-"))
    assert f"{year}年{month}月{day}日" in message["body"] and "7个工作日" in message["body"]


def test_a_completed_matter_tells_its_result_in_the_inbox_and_fitted_on_wechat(app, api, strict_fake):
    token = api.veteran_token()
    subscribe(api, token, times=3)
    life = Life(api, token)
    life.accept()
    life.complete(life.open_matters()[0])
    drain(app)
    message = api.get("/api/v1/messages", token=token)["items"][0]
    assert message["event"] == "matter_completed" and RESULT in message["body"]
    (pushed,) = [m["data"] for m in strict_fake.sent_subscribe_messages()
                 if m["template_id"] == "sc-tmpl-matter-result"]
    assert pushed["thing3"]["value"] == RESULT[:19] + "…"


def test_a_rejection_tells_the_reason(app, api):
    token = api.veteran_token()
    life = Life(api, token)
    life.submit()
    life.staff("reject", {"reason": "不属于本地接收安置的退役军人"})
    assert "不属于本地接收安置的退役军人" in api.get("/api/v1/messages", token=token)["items"][0]["body"]


def test_a_refused_status_change_leaves_no_notification(app, api):
    token = api.veteran_token()
    life = Life(api, token)
    life.submit()
    api.post(f"/api/v1/staff/cases/{life.case['id']}/accept", {}, token=life.window, expect=409)  # no archive review
    assert [n.event for n in notifications(app)] == ["submitted"]


def test_the_notification_rolls_back_with_its_status_change(app, api):
    case = api.submit(api.veteran_token())
    with app.app_context():
        move_case(db.session.get(Case, case["id"]), statuses.REJECTED, Actor("staff:w", "综合窗口"), "不符合条件")
        db.session.flush()
        db.session.rollback()  # e.g. the request failed after the move
    assert [n.event for n in notifications(app)] == ["submitted"]


def test_the_database_refuses_a_second_notification_of_one_change(app, api):
    api.submit(api.veteran_token())
    with app.app_context():
        (first,) = db.session.query(Notification).all()
        db.session.add(Notification(veteran_id=first.veteran_id, case_id=first.case_id,
                                    case_event_id=first.case_event_id, event=first.event))
        with pytest.raises(IntegrityError):
            db.session.commit()
