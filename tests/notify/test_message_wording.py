"""What the messages say is what each province's own document says: a time limit only where it states one,
and the steps after submission as its own process has them; the case number carries the China date."""
from datetime import datetime, timezone

import pytest

import cases.transitions
from tests.factories import ApiClient
from tests.notify.conftest import drain, subscribe


def inbox(api, token, event):
    return next(m for m in api.get("/api/v1/messages", token=token)["items"] if m["event"] == event)


def accepted(make_app, province):
    api = ApiClient(make_app(province))
    token = api.veteran_token(f"o_wording_{province}")
    api.accepted_case(token)
    return api, token


@pytest.mark.parametrize("province", ["guangdong", "jilin"])
def test_where_the_documents_state_no_time_limit_the_accepted_message_does_not_claim_one(make_app, province):
    api, token = accepted(make_app, province)
    body = inbox(api, token, "accepted")["body"]
    assert "办理时限为" not in body and "前办结" not in body
    assert "政策文件没有规定办理时限" in body and "具体以窗口告知为准" in body


def test_sichuan_states_its_seven_working_days_and_what_they_leave_out(make_app):
    api, token = accepted(make_app, "sichuan")
    body = inbox(api, token, "accepted")["body"]
    # 四川 附件4: the subsidy's payment, the training and the card's making and mailing are not counted
    assert "办理时限为7个工作日" in body and "社会保障卡的制卡和邮寄" in body and "不计入办理时限" in body


def test_sichuan_names_only_the_exclusions_of_the_matters_applied_for(make_app):
    api = ApiClient(make_app("sichuan"))
    token = api.veteran_token("o_wording_report_only")
    api.accepted_case(token, matters=["report"])
    assert "不计入办理时限" not in inbox(api, token, "accepted")["body"]


def test_jilin_describes_its_own_archive_review_not_sichuans(make_app):
    api, token = accepted(make_app, "jilin")
    submitted, reviewed = inbox(api, token, "submitted")["body"], inbox(api, token, "archive_reviewed")["body"]
    assert "档案审核、身份核定" in submitted
    for text in (submitted, reviewed):
        assert "收到部队档案" not in text and "原件" not in text


def test_an_archive_found_incomplete_asks_nobody_to_come_for_acceptance(api):
    token = api.veteran_token("o_archive_missing")
    case = api.submit(token)
    api.post(f"/api/v1/staff/cases/{case['id']}/archive-reviewed",
             {"archive_status": "缺失", "archive_missing": "入伍登记表"}, token=api.window_token())
    body = inbox(api, token, "archive_reviewed")["body"]
    assert "档案缺失" in body and "补正" in body and "原件" not in body and "受理" not in body


def test_a_case_submitted_after_midnight_china_time_is_numbered_with_that_day(app, api, fake_wechat, monkeypatch):
    monkeypatch.setattr(cases.transitions, "utcnow", lambda: datetime(2026, 12, 1, 17, 30, tzinfo=timezone.utc))
    token = api.veteran_token("o_after_midnight")
    subscribe(api, token)
    case = api.submit(token)  # 2026-12-02 01:30 in China
    drain(app)
    assert case["case_no"][4:12] == "20261202"
    (push,) = fake_wechat.sent_subscribe_messages()
    assert push["data"]["character_string1"]["value"] == case["case_no"]


def test_sichuan_s_submitted_message_counts_only_the_matters_applied_for(make_app):
    api = ApiClient(make_app("sichuan"))
    token = api.veteran_token("o_wording_count")
    case = api.submit(token)  # 自主就业, every matter: 12 applied for, plus the display-only 军地养老保险关系转接
    assert len(case["matters"]) == 13
    assert "申请（12个事项）已提交" in inbox(api, token, "submitted")["body"]


# What each province's documents call the window that reviews: 四川 附件3 the 综合窗口, 吉林 the 退役军人服务中心
# “一件事”窗口; 广东 2020 lets a county choose its 综合窗口 or a 统一受理窗口, so no one name.
WINDOWS = {"sichuan": "综合窗口", "jilin": "退役军人服务中心“一件事”窗口", "guangdong": "办理窗口"}


@pytest.mark.parametrize("province", WINDOWS)
def test_the_messages_name_the_window_the_provinces_documents_name(make_app, fake_wechat, province):
    app = make_app(province)
    api, window = ApiClient(app), WINDOWS[province]
    token = api.veteran_token(f"o_window_{province}")
    subscribe(api, token, times=3)
    case = api.submit(token)
    staff_case, staff = f"/api/v1/staff/cases/{case['id']}", api.window_token()
    api.post(f"{staff_case}/request-supplement", {"items": [{"field": "phone", "reason": "号码无法接通"}]}, token=staff)
    api.post(f"/api/v1/cases/{case['id']}/resubmit", {"fields": {"phone": "13900139000"}}, token=token)
    api.post(f"{staff_case}/reject", {"reason": "不属于本地接收安置"}, token=staff)
    drain(app)
    assert inbox(api, token, "supplement_requested")["body"].startswith(f"{window}审核后，请一次性补正以下内容")
    assert f"{window}将尽快审核" in inbox(api, token, "resubmitted")["body"]
    assert f"请联系{window}" in inbox(api, token, "rejected")["body"]
    remarks = [push["data"]["thing5"]["value"] for push in fake_wechat.sent_subscribe_messages() if "thing5" in push["data"]]
    assert remarks.count(f"请等待{window}审核") == 2  # submitted, resubmitted
    if province != "sichuan":
        told = str(api.get("/api/v1/messages", token=token)) + str(fake_wechat.sent_subscribe_messages())
        assert "综合窗口" not in told
