"""Every status change of a matter reaches the veteran's inbox: dispatched to its department and taken up too.
Matters dispatched together are told in one message (on acceptance, in the acceptance's own), and these minor
steps go out on WeChat only on a template that carries them (the long-term one), never spending a one-time grant."""
import dataclasses

from api.services import context
from cases import statuses
from tests.notify.conftest import Life, drain, notifications, subscribe

# 身份证, 社保 and 医保 each wait for 户口登记 (四川: the police push the restored hukou to 人社 and 医保)
MATTERS = ["report", "hukou", "id_card", "social_insurance_registration", "medical_insurance_registration"]
MINOR = {"matter_dispatched", "matter_processing"}


def accepted(api, token, matters=MATTERS):
    life = Life(api, token)
    life.case = api.accepted_case(token, matters=matters)
    return life


def inbox(api, token):
    return api.get("/api/v1/messages", token=token)["items"]


def new_messages(api, token, seen):
    return [m for m in reversed(inbox(api, token)) if m["id"] not in seen]


def remaining(api, token, template_id):
    grants = api.get("/api/v1/subscriptions", token=token)["items"]
    return next((g["remaining"] for g in grants if g["template_id"] == template_id), 0)


def test_acceptance_tells_in_its_one_message_which_matters_went_where_and_what_waits(app, api):
    token = api.veteran_token()
    accepted(api, token)
    messages = inbox(api, token)
    assert [m["event"] for m in messages] == ["accepted", "archive_reviewed", "submitted"]  # not five at once
    assert ("已转交相关部门办理：退役报到（退役军人事务部门）、户口登记（退役军人恢复户口）（公安部门）；"
            "居民身份证申领待户口登记（退役军人恢复户口）办结后转交；社会保险登记待户口登记（退役军人恢复户口）办结后转交；"
            "基本医疗保险参保和变更登记待户口登记（退役军人恢复户口）办结后转交。进展会及时通知您。") in messages[0]["body"]
    assert messages[0]["details"]["dispatched"] == [{"matter": "report", "department": "veterans_affairs"},
                                                    {"matter": "hukou", "department": "public_security"}]


def test_matters_a_completion_releases_are_told_in_one_message_pushed_on_the_long_term_template(
        app, api, strict_fake):
    token = api.veteran_token("o_released")
    subscribe(api, token, times=3)
    life = accepted(api, token)
    drain(app)
    seen, pushed_before = {m["id"] for m in inbox(api, token)}, len(strict_fake.sent_subscribe_messages())

    life.complete(life.open_matter("hukou"))
    drain(app)

    taken_up, completed, released = new_messages(api, token, seen)
    assert (taken_up["title"], taken_up["body"]) == (
        "户口登记（退役军人恢复户口）办理中", "公安部门已开始办理“户口登记（退役军人恢复户口）”，办结后会及时通知您。")
    assert completed["event"] == "matter_completed"
    assert (released["event"], released["title"], released["matter"]) == (
        "matter_dispatched", "3个事项已转交相关部门办理", None)
    assert released["body"] == ("以下事项已转交办理：居民身份证申领（公安部门）、社会保险登记（人力资源社会保障部门）、"
                                "基本医疗保险参保和变更登记（医疗保障部门）。进展会及时通知您。")
    assert {m["key"]: m["status"] for m in api.get(f"/api/v1/cases/{life.case['id']}", token=token)["matters"]
            if m["key"] in MATTERS[1:]} == {"hukou": "completed", "id_card": "dispatched",
                                            "social_insurance_registration": "dispatched",
                                            "medical_insurance_registration": "dispatched"}
    pushes = sorted(strict_fake.sent_subscribe_messages()[pushed_before:], key=lambda p: int(p["page"].split("=")[1]))
    assert [p["template_id"] for p in pushes] == ["sc-tmpl-case-progress", "sc-tmpl-matter-result",
                                                  "sc-tmpl-case-progress"]
    assert {key: item["value"] for key, item in pushes[2]["data"].items() if key != "time4"} == {
        "character_string1": life.case["case_no"], "thing2": "居民身份证申领等3个事项", "phrase3": "已转交",
        "thing5": "已转交相关部门办理"}


def test_one_matter_released_says_which_department_has_it(app, api):
    token = api.veteran_token()
    life = accepted(api, token, ["report", "hukou", "id_card"])
    seen = {m["id"] for m in inbox(api, token)}
    life.complete(life.open_matter("hukou"))
    released = new_messages(api, token, seen)[-1]
    assert (released["title"], released["matter"]) == ("居民身份证申领已转交公安部门办理", "id_card")
    assert released["body"] == "“居民身份证申领”已转交公安部门办理，进展会及时通知您。"


def test_a_matter_taken_up_spends_no_one_time_grant_which_stays_for_its_result(app, api, fake_wechat):
    token = api.veteran_token("o_one_time_only")
    subscribe(api, token, ids=["sc-tmpl-review-result", "sc-tmpl-matter-result"])  # not the long-term one
    life = accepted(api, token, ["report"])
    drain(app)
    pushed_before = len(fake_wechat.sent_subscribe_messages())

    life.move(life.open_matter("report"), statuses.PROCESSING)
    drain(app)
    message = inbox(api, token)[0]
    assert (message["event"], message["title"]) == ("matter_processing", "退役报到办理中")
    assert [n.push_status for n in notifications(app, event="matter_processing")] == ["inbox_only"]
    assert len(fake_wechat.sent_subscribe_messages()) == pushed_before
    assert remaining(api, token, "sc-tmpl-matter-result") == 1

    life.complete(life.open_matter("report"))
    drain(app)
    (result,) = fake_wechat.sent_subscribe_messages()[pushed_before:]
    assert result["template_id"] == "sc-tmpl-matter-result" and result["data"]["phrase2"]["value"] == "已办结"
    assert remaining(api, token, "sc-tmpl-matter-result") == 0


def test_a_profile_whose_templates_carry_no_minor_steps_keeps_them_in_the_inbox(app, api, fake_wechat):
    with app.app_context():
        ctx = context()
        quiet = {name: dataclasses.replace(t, events=tuple(e for e in t.events if e not in MINOR))
                 for name, t in ctx.profile.subscribe_templates.items()}
        app.extensions["context"] = dataclasses.replace(
            ctx, profile=dataclasses.replace(ctx.profile, subscribe_templates=quiet))
    token = api.veteran_token("o_quiet_profile")
    subscribe(api, token, times=2)
    life = accepted(api, token, ["report", "hukou", "id_card"])
    life.complete(life.open_matter("hukou"))
    drain(app)
    told = {m["event"] for m in inbox(api, token)}
    assert MINOR <= told
    assert {n.push_status for n in notifications(app) if n.event in MINOR} == {"inbox_only"}
    assert {n.push_status for n in notifications(app) if n.event not in MINOR} == {"sent"}
    assert len(fake_wechat.sent_subscribe_messages()) == len(told - MINOR)


def test_a_matter_taken_up_again_after_its_return_says_so(app, api):
    token = api.veteran_token()
    life = accepted(api, token, ["report"])
    life.move(life.open_matter("report"), statuses.RETURNED, note="缺少退出现役证书原件")
    (report,) = [m for m in api.get(f"/api/v1/cases/{life.case['id']}", token=token)["matters"] if m["key"] == "report"]
    life.move(report, statuses.PROCESSING)
    message = inbox(api, token)[0]
    assert message["body"] == "退役军人事务部门已重新开始办理“退役报到”，办结后会及时通知您。"
