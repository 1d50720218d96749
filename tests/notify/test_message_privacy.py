"""Personal numbers the staff type into a reason, a note or a result reach the veteran masked: on the lock
screen (the subscribe message, which WeChat keeps too) and in the in-app inbox."""
import json

from cases import statuses
from tests.notify.conftest import Life, drain, subscribe

ID_NUMBER, BANK, PHONE = "440106199903150111", "6222020200112233445", "13800138000"
MASKED = {ID_NUMBER: "4401**********0111", BANK: "6222***********3445", PHONE: "138****8000"}


def shown(api, token, fake):
    """(the inbox messages, the subscribe messages), each as one text."""
    inbox = api.get("/api/v1/messages", token=token)["items"]
    return json.dumps(inbox, ensure_ascii=False), json.dumps(fake.sent_subscribe_messages(), ensure_ascii=False)


def assert_masked(text, *numbers):
    for number in numbers:
        assert number not in text and MASKED[number] in text, text


def veteran(api, openid):
    token = api.veteran_token(openid)
    subscribe(api, token, times=3)
    return Life(api, token)


def test_a_rejection_reason_with_an_id_number_is_masked(app, api, fake_wechat):
    life = veteran(api, "o_pii_reject")
    life.submit()
    life.staff("reject", {"reason": f"{ID_NUMBER}户籍不符"})  # short enough for the push's 20 characters
    drain(app)
    inbox, pushes = shown(api, life.token, fake_wechat)
    assert_masked(inbox, ID_NUMBER)
    assert_masked(pushes, ID_NUMBER)


def test_a_supplement_note_and_reason_with_numbers_are_masked(app, api, fake_wechat):
    life = veteran(api, "o_pii_supplement")
    life.submit()
    life.staff("request-supplement", {"items": [{"field": "name", "reason": f"与身份证{ID_NUMBER}不一致"}],
                                      "note": f"有疑问请致电{PHONE}"})
    drain(app)
    inbox, pushes = shown(api, life.token, fake_wechat)
    assert_masked(inbox, ID_NUMBER, PHONE)
    assert ID_NUMBER not in pushes and PHONE not in pushes


def test_a_result_and_a_return_note_with_numbers_are_masked(app, api, fake_wechat):
    life = veteran(api, "o_pii_matters")
    life.accept()
    first, second = life.open_matters()[:2]
    life.move(first, statuses.PROCESSING)
    life.move(first, statuses.COMPLETED, result=f"卡{BANK}")
    life.move(second, statuses.RETURNED, note=f"电话{PHONE}无法接通")
    drain(app)
    inbox, pushes = shown(api, life.token, fake_wechat)
    assert_masked(inbox, BANK, PHONE)
    assert_masked(pushes, BANK)


def test_a_tracking_number_in_a_result_stays_readable(app, api, fake_wechat):
    life = veteran(api, "o_pii_tracking")
    life.accept()
    matter = life.open_matters()[0]
    life.move(matter, statuses.PROCESSING)
    life.move(matter, statuses.COMPLETED, result="EMS单号1100123456789")  # 13 digits: a parcel, not a card
    drain(app)
    inbox, pushes = shown(api, life.token, fake_wechat)
    assert "1100123456789" in inbox and "1100123456789" in pushes
