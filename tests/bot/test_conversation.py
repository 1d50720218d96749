"""Whole conversations through the HTTP API: a veteran who knows nothing of the policy leaves
with a submitted joint case, asked as little as possible."""
import threading
import time

import pytest
from sqlalchemy import text

from api.services import context
from models import ChatTurn, db
from tests.bot.scripted_veteran import Persona, converse
from tests.conftest import on_postgres
from tests.factories import ApiClient

TYPES = ["self_employed", "assigned_job", "demobilized_officer", "monthly_pension"]


def say(api, token, text):
    return api.post("/api/v1/chat/messages", {"text": text}, token=token)


def tap(api, token, slot, value):
    return api.post("/api/v1/chat/messages", {"payload": {"slot": slot, "value": value}}, token=token)


def asks(turn, slot):
    expecting = turn["expecting"]
    return expecting is not None and slot in expecting.get("slots", [expecting["slot"]])


def staff_view(api, case_id):
    return api.get(f"/api/v1/staff/cases/{case_id}", token=api.window_token())


def assert_form_as_said(fields, persona, matters):
    """Every value the scripted veteran gave (or the roster gave for them) is in the case, as they meant it."""
    assert fields["name"] == "王磊" and fields["id_number"] == persona.id_number and fields["gender"] == "男"
    assert fields["handling_region"]["code"] == persona.county
    assert fields["phone"] == "13800138000" and fields["emergency_contact_phone"] == "028-86001234"
    assert fields["address"].endswith("红星路1号") and fields["emergency_contact_name"] == "王建国"
    assert fields["emergency_contact_relation"] == "父子" and fields["marital_status"] == "未婚"
    assert fields["ethnicity"] == "汉族" and fields["political_status"] == "中共党员"
    assert fields["enlistment_date"] == "2019-09" and fields["discharge_date"] == "2024-09"
    assert fields["service_length"] == "5年" and fields["unit_code"] == "32145部队"
    assert fields["discharge_cert_no"] == "2024090011" and fields["service_branch"] == "陆军"
    assert fields["education"] == "普通高中" and fields["health_status"] == "健康或良好"
    assert fields["service_region"]["name"] == "新疆维吾尔自治区喀什地区喀什市"
    assert fields["enlistment_address"] == "红星路1号"
    if "hukou" in matters:
        assert fields["settle_type"] == "回入伍前户籍地落户" and fields["rural_to_urban"] is False
        assert fields["householder_name"] == "王建国" and fields["householder_relation"] == "子"  # "父亲": 户主 is his father
        assert fields["householder_id_number"] == persona.householder_id
        assert fields["intended_hukou"]["code"] == persona.county
    if "lump_sum_subsidy" in matters:
        assert fields["bank_name"] == "工商银行锦江支行" and fields["bank_account"] == "6222020200112233445"
    if "social_security_card" in matters:
        assert fields["card_bank"] == "中国建设银行" and fields["recipient_name"] == "王磊"
        assert fields["card_city"]["code"] == persona.county[:4] + "00"
    if "medical_insurance_registration" in matters:
        assert fields["medical_insurance_start"] == "2024-10"
    if "medical_insurance_transfer" in matters:
        assert fields["first_insured_month"] == "2019-09"
    if "training" in matters:
        assert fields["training_need"] is True and fields["training_detail"] == "想学电工"


@pytest.mark.parametrize("province", ["guangdong", "sichuan", "jilin"])
@pytest.mark.parametrize("veteran_type", TYPES)
def test_a_scripted_veteran_reaches_a_submitted_case(make_app, province, veteran_type):
    api = ApiClient(make_app(province))
    persona = Persona(province, veteran_type)
    final = converse(api, api.veteran_token(), persona)
    case_reply = next(r for r in final["replies"] if r["type"] == "case")
    case = staff_view(api, case_reply["data"]["case_id"])
    assert case["status"] == "submitted" and case["veteran_type"] == veteran_type
    with api.app.app_context():
        profile = context().profile
    allowed = {m.key for m in profile.matters_for_type(veteran_type)}
    expected = set(allowed) - {"driving_license"}
    if not ({"party_transfer"} & allowed):
        expected -= {"party_transfer"}
    expected -= {"league_transfer"}  # a party member is no league member
    assert {m["key"] for m in case["matters"]} == expected
    for matter in case["matters"]:
        assert matter["department"] == profile.matters[matter["key"]].department
    assert_form_as_said(case["fields"], persona, expected)


def test_every_reply_says_what_comes_next(api):
    token = api.veteran_token()
    first = say(api, token, "你好")
    assert first["expecting"] == {"slot": "name", "type": "text", "slots": ["name", "id_number", "handling_region"]}
    assert first["case_id"]


def test_several_values_in_one_message_in_any_order(api):
    token = api.veteran_token()
    say(api, token, "你好")
    persona = Persona("sichuan")
    turn = say(api, token, f"手机13800138000，身份证{persona.id_number}，我叫王磊")
    assert turn["expecting"]["slot"] == "veteran_type"
    view = api.get(f"/api/v1/cases/{turn['case_id']}", token=token)
    assert view["fields"]["phone"] == "138****8000" and view["fields"]["name"] == "王磊"


def test_a_bad_id_number_is_explained_and_asked_again(api):
    token = api.veteran_token()
    say(api, token, "你好")
    turn = say(api, token, "我叫王磊，身份证510104199903150111")
    assert "身份证号校验位不对，请核对最后一位" in turn["replies"][0]["text"]
    assert turn["expecting"]["slot"] == "id_number"


def chat_until(api, token, persona, done, turn=None, limit=40):
    """Answer as `persona` until `done(turn)`; fails instead of looping for ever."""
    turn = turn or say(api, token, "我刚退伍，要办哪些手续？")
    for _ in range(limit):
        if done(turn):
            return turn
        assert turn["expecting"], f"the conversation ended first: {turn}"
        turn = say(api, token, persona.answer(turn["expecting"]))
    raise AssertionError(f"not reached in {limit} messages: {turn}")


def _to_collection(api, token, persona):
    """Chat until the first form group after the notice; returns that turn."""
    return chat_until(api, token, persona, lambda t: t["expecting"]["slot"] not in (
        "name", "veteran_type", "political_status", "matters", "confirm"))


def test_the_one_time_notice_lists_materials_visits_and_time_limit(api):
    token, persona = api.veteran_token(), Persona("sichuan")
    turn = chat_until(api, token, persona, lambda t: any(r["type"] == "materials" for r in t["replies"]))
    notice = next(r for r in turn["replies"] if r["type"] == "materials")
    keys = {m["key"] for m in notice["data"]["materials"]}
    assert {"id_card_scan", "discharge_certificate", "photo", "medical_transfer_voucher", "org_intro_letter"} <= keys
    assert "14KB-60KB" in notice["text"] and "7个工作日" in notice["text"]
    assert "至所在派出所办理户口登记" in notice["text"] and "由人武部门办理" in notice["text"]
    assert "指纹" in notice["text"] and "邮寄费用由申请人" in notice["text"]
    assert turn["expecting"]["slot"] == "confirm" and "四川省成都市锦江区" in turn["replies"][-1]["text"]


@pytest.mark.parametrize("province, listed", [("guangdong", False), ("sichuan", True), ("jilin", True)])
def test_the_notice_says_whose_material_list_it_is_where_the_documents_give_none(make_app, province, listed):
    api = ApiClient(make_app(province))
    token = api.veteran_token()
    turn = chat_until(api, token, Persona(province), lambda t: any(r["type"] == "materials" for r in t["replies"]))
    notice = next(r for r in turn["replies"] if r["type"] == "materials")["text"]
    assert ("广东的政策文件没有列出申请材料清单，以下是本系统为所选事项收取的材料" in notice) is not listed


@pytest.mark.parametrize("province, window", [("sichuan", "综合窗口"), ("jilin", "退役军人服务中心“一件事”窗口")])
def test_the_notice_sends_originals_to_the_window_the_provinces_documents_name(make_app, province, window):
    api = ApiClient(make_app(province))
    turn = chat_until(api, api.veteran_token(), Persona(province),
                      lambda t: any(r["type"] == "materials" for r in t["replies"]))
    visits = next(r for r in turn["replies"] if r["type"] == "materials")["data"]["in_person"]
    assert [v for v in visits if "核验原件" in v][0].startswith(f"到{window}核验原件：")


def test_gender_is_never_asked_and_the_card_recipient_is_confirmed_once(api):
    token, persona = api.veteran_token(), Persona("sichuan")
    asked = []

    def note(turn):
        if turn["expecting"]:
            asked.extend(turn["expecting"].get("slots", [turn["expecting"]["slot"]]))
        return turn["expecting"] is None

    chat_until(api, token, persona, note)
    assert "gender" not in asked and "service_length" not in asked
    assert "recipient_name" not in asked and "hukou_business_type" not in asked


def test_a_policy_question_is_answered_then_the_same_question_is_asked_again(api):
    token = api.veteran_token()
    turn = _to_collection(api, token, Persona("sichuan"))
    pending = turn["expecting"]
    answer = say(api, token, "社保卡的照片有什么要求？")
    assert "14KB-60KB" in answer["replies"][0]["text"] and answer["replies"][0]["data"]["sources"]
    assert answer["expecting"] == pending


def test_an_out_of_scope_question_gets_no_invented_answer(api):
    token = api.veteran_token()
    turn = _to_collection(api, token, Persona("sichuan"))
    reply = say(api, token, "退役金每月发多少？")
    assert "退役军人服务中心" in reply["replies"][0]["text"]
    assert reply["expecting"] == turn["expecting"]


def test_a_correction_in_one_sentence(api):
    token, persona = api.veteran_token(), Persona("sichuan")
    turn = _to_collection(api, token, persona)
    turn = chat_until(api, token, persona, lambda t: asks(t, "enlistment_date"), turn)
    fixed = say(api, token, "手机号填错了，应该是13912345678")
    assert "13912345678" not in str(fixed) and "139****5678" in fixed["replies"][0]["text"]
    assert asks(fixed, "enlistment_date") and "139****5678" in fixed["replies"][-1]["text"]
    view = api.get(f"/api/v1/cases/{fixed['case_id']}", token=token)
    assert view["fields"]["phone"] == "139****5678"


def test_a_correction_with_the_new_number_anywhere_in_it(api):
    token, persona = api.veteran_token(), Persona("sichuan")
    turn = _to_collection(api, token, persona)
    turn = chat_until(api, token, persona, lambda t: asks(t, "enlistment_date"), turn)
    fixed = say(api, token, "手机号填错了，是13912345678")
    assert "139****5678" in fixed["replies"][0]["text"] and asks(fixed, "enlistment_date")


def test_a_first_message_without_a_name_in_it_is_not_taken_for_one(api):
    token = api.veteran_token()
    turn = say(api, token, "你好，我去年底退伍的，需要办啥")
    assert turn["expecting"]["slots"] == ["name", "id_number", "handling_region"]
    assert [r["text"][:5] for r in turn["replies"]] == ["您好！我是", "请告诉我您"]  # greeted, not told off
    assert "name" not in api.get(f"/api/v1/cases/{turn['case_id']}", token=token)["fields"]


def test_values_for_later_questions_are_kept_when_named_or_only_one_field_has_them(api):
    token, persona = api.veteran_token(), Persona("sichuan")
    turn = _to_collection(api, token, persona)
    assert not {"unit_code", "discharge_cert_no", "card_bank"} & set(turn["expecting"]["slots"])
    turn = say(api, token, "部队代号32145部队，退伍证号2024090011，建设银行，" + persona.answer(turn["expecting"]))
    assert "已记下：退役时部队代号、退出现役证号、发卡银行。" in [r["text"] for r in turn["replies"]]
    asked = []

    def note(turn):
        asked.extend(turn["expecting"].get("slots", [turn["expecting"]["slot"]]))
        return turn["expecting"]["type"] == "choice" and turn["expecting"]["slot"] == "confirm"  # the summary

    chat_until(api, token, persona, note, turn)
    assert not {"unit_code", "discharge_cert_no", "card_bank"} & set(asked)
    fields = api.get(f"/api/v1/cases/{turn['case_id']}", token=token)["fields"]
    assert (fields["unit_code"], fields["discharge_cert_no"], fields["card_bank"]) == ("32145部队", "2024090011",
                                                                                      "中国建设银行")


def test_free_text_answers_out_of_order_go_by_their_usual_words(api):
    token, persona = api.veteran_token(), Persona("sichuan")
    turn = chat_until(api, token, persona, lambda t: asks(t, "emergency_contact_relation"))
    slots = turn["expecting"]["slots"]
    relation_first = ["父子"] + [persona.phrase(s) for s in slots if s != "emergency_contact_relation"]
    turn = say(api, token, "，".join(relation_first))
    fields = api.get(f"/api/v1/cases/{turn['case_id']}", token=token)["fields"]
    assert fields["emergency_contact_relation"] == "父子" and fields["emergency_contact_name"] == "王建国"


def test_answering_only_what_comes_after_a_confirmation_keeps_the_answers_and_asks_it_again(api):
    token, persona = api.veteran_token(), Persona("sichuan")
    turn = chat_until(api, token, persona, lambda t: t["expecting"]["slot"] == "confirm" and len(
        t["expecting"].get("slots", [])) > 1 and t["expecting"]["type"] == "yes_no")
    confirmation, follow_up = turn["expecting"]["slots"][0], turn["expecting"]["slots"][1:]
    turn = say(api, token, persona.answer({"slot": follow_up[0], "slots": follow_up, "type": ""}))
    assert turn["expecting"]["slot"] == confirmation and not set(follow_up) & set(turn["expecting"].get("slots", []))
    fields = api.get(f"/api/v1/cases/{turn['case_id']}", token=token)["fields"]
    assert set(follow_up) <= set(fields)


def test_asking_to_change_a_field_asks_for_it(api):
    token, persona = api.veteran_token(), Persona("sichuan")
    turn = _to_collection(api, token, persona)
    turn = chat_until(api, token, persona, lambda t: asks(t, "enlistment_date"), turn)
    turn = say(api, token, "修改地址")
    assert turn["expecting"]["slot"] == "address"
    turn = say(api, token, "成都市武侯区人民南路4段1号")
    assert asks(turn, "enlistment_date") and "成都市武侯区人民南路4段1号" in turn["replies"][-1]["text"]
    assert api.get(f"/api/v1/cases/{turn['case_id']}", token=token)["fields"]["address"] == "成都市武侯区人民南路4段1号"


def test_going_back_asks_the_previous_question_again(api):
    token, persona = api.veteran_token(), Persona("sichuan")
    turn = _to_collection(api, token, persona)
    first = turn["expecting"]
    turn = say(api, token, persona.answer(first))
    assert turn["expecting"] != first
    back = say(api, token, "上一步")
    assert back["expecting"] == first


def test_restart_starts_over_and_keeps_the_draft(api):
    token, persona = api.veteran_token(), Persona("sichuan")
    turn = _to_collection(api, token, persona)
    restarted = say(api, token, "重新开始")
    assert restarted["expecting"]["slot"] == "veteran_type"
    assert restarted["case_id"] == turn["case_id"]
    assert api.get(f"/api/v1/cases/{turn['case_id']}", token=token)["fields"]["name"] == "王磊"
    screening = say(api, token, "自主就业")
    assert {"political_status", "need_hukou", "reserve_service"} <= set(screening["expecting"]["slots"])
    say(api, token, "党员，户口没注销，不需要培训，不服预备役")
    assert api.get(f"/api/v1/cases/{turn['case_id']}", token=token)["fields"]["reserve_service"] is False


@pytest.mark.parametrize("pause", ["稍后再说", "我要暂停"])
def test_pausing_and_coming_back_days_later_resumes_where_they_left(api, app, pause):
    token, persona = api.veteran_token(), Persona("sichuan")
    turn = _to_collection(api, token, persona)
    paused = say(api, token, pause)
    assert "保存" in paused["replies"][0]["text"]
    back = say(api, token, "在吗")
    assert back["replies"][0]["text"].startswith("欢迎回来") and back["expecting"] == turn["expecting"]


def test_losing_the_redis_state_mid_conversation_loses_no_answer(api, app):
    token, persona = api.veteran_token(), Persona("sichuan")
    turn = _to_collection(api, token, persona)
    turn = say(api, token, persona.answer(turn["expecting"]))
    pending = turn["expecting"]
    app.extensions["redis"].flushdb()
    after = say(api, token, persona.answer(pending))
    assert after["expecting"] != pending
    view = api.get(f"/api/v1/cases/{after['case_id']}", token=token)
    assert view["fields"]["handling_region"]["code"] == "510104" and view["fields"]["ethnicity"] == "汉族"
    final = converse(api, token, persona, opening="继续")
    assert any(r["type"] == "case" for r in final["replies"])


def test_progress_question_before_and_after_submission(api):
    token, persona = api.veteran_token(), Persona("sichuan")
    _to_collection(api, token, persona)
    assert "还在填写中" in say(api, token, "我的申请到哪一步了")["replies"][-2]["text"]
    final = converse(api, token, persona, opening="继续")
    case_id = final["case_id"]
    progress = say(api, token, "我的申请到哪一步了")
    assert progress["expecting"] is None and "已提交，待审核" in progress["replies"][0]["text"]
    assert "退役报到" in progress["replies"][0]["text"] and progress["case_id"] == case_id


def test_the_summary_masks_personal_numbers_and_submission_lists_owed_materials(api):
    token, persona = api.veteran_token(), Persona("sichuan")
    turn = chat_until(api, token, persona,
                      lambda t: t["expecting"]["slot"] == "confirm" and t["expecting"]["type"] == "choice")
    summary = next(r for r in turn["replies"] if r["type"] == "summary")
    assert persona.id_number not in summary["text"] and "6222020200112233445" not in summary["text"]
    assert persona.id_number[:4] + "**********" in summary["text"]
    assert "办理事项：退役报到、党组织关系转接、户口登记" in summary["text"]
    assert "还需上传的材料：居民身份证" in summary["text"] and "居民身份证" in summary["data"]["materials_owed"]
    done = say(api, token, "确认提交")
    case_reply = next(r for r in done["replies"] if r["type"] == "case")
    assert case_reply["data"]["case_no"].startswith("TY51") and "7个工作日" in case_reply["text"]
    assert {m["key"] for m in case_reply["data"]["materials_owed"]} >= {"id_card_scan", "photo"}


def test_buttons_answer_with_payloads(api):
    token, persona = api.veteran_token(), Persona("sichuan")
    say(api, token, "你好")
    turn = say(api, token, f"我叫王磊，身份证{persona.id_number}")
    assert turn["expecting"]["type"] == "choice"
    assert {"value": "self_employed", "label": "自主就业退役士兵"} in turn["expecting"]["options"]
    turn = tap(api, token, "veteran_type", "self_employed")
    assert turn["expecting"]["slot"] == "political_status"
    turn = tap(api, token, "political_status", "群众")
    assert turn["expecting"]["slot"].startswith("need_")


def test_roster_prefill_asks_one_confirmation_instead_of_a_dozen_questions(api, app):
    app.test_cli_runner().invoke(args=["demo", "load"])
    token = api.veteran_token()
    say(api, token, "你好")
    with app.app_context():
        from catalog.field_values import example_id_number
        id_number = example_id_number("510104", "19990315", 11)
    turn = say(api, token, f"我叫王磊，身份证{id_number}")
    assert turn["expecting"]["slot"] == "confirm" and "接收安置名册" in turn["replies"][-1]["text"]
    assert "自主就业退役士兵" in turn["replies"][-1]["text"] and "32145部队" in turn["replies"][-1]["text"]
    # the roster knows the type and the political status: the screening comes with the confirmation
    assert turn["expecting"]["slots"] == ["confirm", "need_hukou", "need_training", "reserve_service"]
    turn = say(api, token, "对，户口注销了，不需要培训，服预备役")
    assert turn["expecting"]["slot"] == "matters"
    selected = turn["replies"][-1]["data"]["selected"]
    assert {"hukou", "id_card", "party_transfer", "reserve_registration"} <= set(selected)
    assert "training" not in selected
    view = api.get(f"/api/v1/cases/{turn['case_id']}", token=token)
    assert view["veteran_type"] == "self_employed" and view["fields"]["unit_code"] == "32145部队"
    assert view["fields"]["reserve_service"] is True


@pytest.mark.parametrize("said, hukou, training, reserve", [
    ("对户口注销了不需要培训不服预备役", True, False, False),
    ("对户口没注销有培训需求服预备役", False, True, True),
])
def test_screening_answers_run_together_by_voice_input_are_each_kept(api, app, said, hukou, training, reserve):
    token, _, turn = _at_roster_check(api, app)
    turn = say(api, token, said)
    assert turn["expecting"]["slot"] == "matters"
    selected = set(turn["replies"][-1]["data"]["selected"])
    assert ("hukou" in selected, "training" in selected) == (hukou, training)
    assert api.get(f"/api/v1/cases/{turn['case_id']}", token=token)["fields"]["reserve_service"] is reserve


def test_a_roster_veteran_answering_with_the_confirmations_gets_every_value_where_it_belongs(api, app):
    app.test_cli_runner().invoke(args=["demo", "load"])
    persona = Persona("sichuan", sequence=11)
    final = converse(api, api.veteran_token(), persona)
    case = staff_view(api, final["case_id"])
    assert {m["key"] for m in case["matters"]} >= {"hukou", "training", "lump_sum_subsidy", "social_security_card"}
    assert_form_as_said(case["fields"], persona, {m["key"] for m in case["matters"]})


def _at_roster_check(api, app):
    app.test_cli_runner().invoke(args=["demo", "load"])
    token, persona = api.veteran_token(), Persona("sichuan", sequence=11)
    turn = chat_until(api, token, persona, lambda t: "need_hukou" in t["expecting"].get("slots", []))
    return token, persona, turn


def test_a_tapped_yes_to_a_combined_question_asks_the_rest_on_its_own(api, app):
    token, _, turn = _at_roster_check(api, app)
    turn = tap(api, token, "confirm", True)
    assert turn["expecting"]["slots"] == ["need_hukou", "need_training", "reserve_service"]
    assert "接收安置名册" not in turn["replies"][-1]["text"]


def test_a_record_that_is_not_theirs_drops_its_values_and_ignores_the_rest(api, app):
    token, _, turn = _at_roster_check(api, app)
    turn = say(api, token, "都不对，户口注销了")
    assert turn["expecting"]["slot"] == "veteran_type"
    view = api.get(f"/api/v1/cases/{turn['case_id']}", token=token)
    assert "unit_code" not in view["fields"] and view["veteran_type"] is None


def test_a_bare_no_to_the_roster_asks_which_value_is_wrong_and_keeps_the_record(api, app):
    token, _, turn = _at_roster_check(api, app)
    asked = turn["expecting"]
    turn = tap(api, token, "confirm", False)
    assert "哪一项不对" in turn["replies"][0]["text"] and turn["expecting"] == asked
    assert api.get(f"/api/v1/cases/{turn['case_id']}", token=token)["fields"]["unit_code"] == "32145部队"


def test_a_no_with_the_right_value_corrects_that_value_only(api, app):
    token, _, turn = _at_roster_check(api, app)
    turn = say(api, token, "不对，退役时间是2024年8月")
    assert turn["replies"][0]["text"] == "已更正：退役时间：2024-08。" and "退役时间：2024-08" in turn["replies"][-1]["text"]
    turn = say(api, token, "不对，我是安排工作的")
    assert "退役类型：安排工作退役士兵" in turn["replies"][-1]["text"]
    turn = say(api, token, "对了")
    view = api.get(f"/api/v1/cases/{turn['case_id']}", token=token)
    assert view["veteran_type"] == "assigned_job"
    assert view["fields"]["discharge_date"] == "2024-08" and view["fields"]["unit_code"] == "32145部队"


@pytest.mark.parametrize("first", [None, "否"])
@pytest.mark.parametrize("said", ["退役时间是2024年8月", "不对，退伍时间是2024年8月"])
def test_the_right_value_said_the_way_the_guide_asks_corrects_the_record(api, app, first, said):
    token, _, turn = _at_roster_check(api, app)
    if first:
        say(api, token, first)
    turn = say(api, token, said)
    assert turn["replies"][0]["text"] == "已更正：退役时间：2024-08。" and asks(turn, "confirm")
    assert api.get(f"/api/v1/cases/{turn['case_id']}", token=token)["fields"]["discharge_date"] == "2024-08"


def test_a_yes_to_the_roster_that_names_another_type_takes_that_type_and_no_stray_yes(api, app):
    token, _, turn = _at_roster_check(api, app)
    turn = say(api, token, "信息都对，不过我是安排工作的，不是自主就业")
    assert turn["replies"][0]["text"] == "已更正：退役类型：安排工作退役士兵。"
    assert turn["expecting"]["slots"] == ["need_hukou", "reserve_service"]  # "我是…" answered no 户口 question
    assert api.get(f"/api/v1/cases/{turn['case_id']}", token=token)["veteran_type"] == "assigned_job"


def test_going_back_after_a_combined_answer_undoes_all_of_it(api, app):
    token, persona, turn = _at_roster_check(api, app)
    combined = turn["expecting"]
    turn = say(api, token, persona.answer(combined))
    assert turn["expecting"]["slot"] == "matters"
    back = say(api, token, "上一步")
    assert back["expecting"] == combined
    view = api.get(f"/api/v1/cases/{back['case_id']}", token=token)
    assert view["veteran_type"] is None and "reserve_service" not in view["fields"]


def test_a_draft_shows_the_matters_chosen_so_far_and_the_submitted_case_its_work_items(api, app):
    token, persona, turn = _at_roster_check(api, app)
    turn = say(api, token, persona.answer(turn["expecting"]))
    assert "军地养老保险关系转接仅展示事项名称" in turn["replies"][-1]["text"]
    turn = say(api, token, "好的")
    draft = api.get(f"/api/v1/cases/{turn['case_id']}", token=token)
    statuses = {m["key"]: (m["id"], m["status"], m["department"]) for m in draft["matters"]}
    assert statuses["hukou"] == (None, "draft", "public_security")
    assert statuses["pension_transfer"][1] == "not_applicable"
    assert api.get("/api/v1/cases", token=token)["items"][0]["matters"] == draft["matters"]
    final = converse(api, token, persona, opening="继续")
    case_id = final["case_id"]
    submitted = api.get(f"/api/v1/cases/{case_id}", token=token)
    assert {m["key"] for m in submitted["matters"]} == set(statuses) and all(m["id"] for m in submitted["matters"])


def _notices(turn):
    return [r for r in turn["replies"] if r["type"] == "materials"]


def test_after_the_roster_the_notice_comes_with_the_matters_and_the_first_form_question(api, app):
    token, persona, turn = _at_roster_check(api, app)
    turn = say(api, token, persona.answer(turn["expecting"]))
    assert turn["expecting"]["slots"][:2] == ["matters", "marital_status"]
    [notice] = _notices(turn)
    assert turn["replies"].index(notice) < len(turn["replies"]) - 1  # told before the first form question
    assert "photo" in {m["key"] for m in notice["data"]["materials"]}
    turn = say(api, token, "好的，未婚，健康，13800138000，成都市锦江区红星路1号，王建国，父子，028-86001234")
    assert not _notices(turn) and "将为您办理" in turn["replies"][0]["text"]
    view = api.get(f"/api/v1/cases/{turn['case_id']}", token=token)
    assert view["fields"]["marital_status"] == "未婚" and view["fields"]["emergency_contact_relation"] == "父子"
    assert "社会保障卡" in turn["replies"][0]["text"] and not asks(turn, "matters")
    agreed = turn["replies"][0]["text"]  # 四川's pension transfer is shown, not applied for (sc 三)
    assert "养老保险关系转接" not in agreed.split("（另")[0] and "军地养老保险关系转接仅展示事项名称" in agreed
    back = say(api, token, "上一步")
    assert back["expecting"]["slots"][:2] == ["matters", "marital_status"] and not _notices(back)
    assert "marital_status" not in api.get(f"/api/v1/cases/{back['case_id']}", token=token)["fields"]


def test_dropping_a_proposed_matter_gives_the_notice_again_for_what_is_left(api, app):
    token, persona, turn = _at_roster_check(api, app)
    say(api, token, persona.answer(turn["expecting"]))
    turn = say(api, token, "去掉社保卡")
    [notice] = _notices(turn)
    assert notice["text"].startswith("办理事项有变化") and "photo" not in {m["key"] for m in notice["data"]["materials"]}
    assert "社会保障卡" not in turn["replies"][0]["text"] and asks(turn, "marital_status")


def test_a_no_to_the_card_recipient_asks_for_another_one(api):
    token, persona = api.veteran_token(), Persona("sichuan")
    turn = chat_until(api, token, persona, lambda t: "社会保障卡的收件人" in t["replies"][-1]["text"])
    assert turn["expecting"]["slot"] == "confirm" and len(turn["expecting"]["slots"]) > 1
    turn = say(api, token, "否")
    assert "社会保障卡的收件人" not in turn["replies"][-1]["text"]
    turn = chat_until(api, token, persona, lambda t: asks(t, "recipient_name"), turn)
    assert {"recipient_phone", "mailing_address"} <= set(turn["expecting"]["slots"])


def test_the_history_lists_the_conversation(api):
    token = api.veteran_token()
    say(api, token, "你好")
    say(api, token, "我叫王磊")
    items = api.get("/api/v1/chat/messages", token=token)["items"]
    assert items[0] == {**items[0], "from": "veteran", "text": "你好"}
    assert any(i["from"] == "guide" for i in items)
    assert [i["text"] for i in items if i["from"] == "veteran"] == ["你好", "我叫王磊"]


def test_the_history_keeps_no_id_bank_or_phone_number_in_the_clear(api, app):
    token, persona = api.veteran_token(), Persona("sichuan")
    final = converse(api, token, persona)
    with app.app_context():
        kept = " ".join(t.text or "" for t in db.session.query(ChatTurn))
    shown = " ".join(i["text"] for i in api.get("/api/v1/chat/messages", token=token)["items"] if i["from"] == "veteran")
    for number in (persona.id_number, "6222020200112233445", "13800138000"):
        assert number not in kept and number not in shown
    assert persona.id_number[:4] + "**********" in shown and final["expecting"] is None


def test_a_retried_message_is_answered_again_not_applied_again(api, app):
    token, persona, turn = _at_roster_check(api, app)
    combined = {"text": persona.answer(turn["expecting"])}
    retry = {"Idempotency-Key": "msg-7f3a"}
    first = api.post("/api/v1/chat/messages", combined, token=token, headers=retry)
    assert first["expecting"]["slot"] == "matters"
    # the network lost the answer; the mini-program sends the same message again
    again = api.post("/api/v1/chat/messages", combined, token=token, headers=retry)
    assert again == first and api.last.headers["Idempotent-Replayed"] == "true"
    # the matters question is still the pending one: the retry was not taken as a "对" to it
    assert "将为您办理" in say(api, token, "好的")["replies"][0]["text"]
    sent = [i["text"] for i in api.get("/api/v1/chat/messages", token=token)["items"] if i["from"] == "veteran"]
    assert sent.count(combined["text"]) == 1


@on_postgres
def test_one_message_sent_four_times_at_once_with_its_key_is_applied_once(api, app):
    token = api.veteran_token()
    say(api, token, "你好")
    answers, barrier = [], threading.Barrier(4)

    def send():
        client = app.test_client()
        barrier.wait()
        response = client.post("/api/v1/chat/messages", json={"text": "我叫王磊"},
                               headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "same"})
        answers.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {code for code, _ in answers} == {200} and all(a == answers[0][1] for _, a in answers)
    sent = [i["text"] for i in api.get("/api/v1/chat/messages", token=token)["items"] if i["from"] == "veteran"]
    assert sent == ["你好", "我叫王磊"]


def test_an_idempotency_key_reused_for_another_message_is_a_409(api):
    token = api.veteran_token()
    api.post("/api/v1/chat/messages", {"text": "你好"}, token=token, headers={"Idempotency-Key": "k1"})
    refused = api.post("/api/v1/chat/messages", {"text": "我叫王磊"}, token=token, headers={"Idempotency-Key": "k1"},
                       expect=409)
    assert refused["error"]["message"] == "这个 Idempotency-Key 已用于另一条消息，请换一个"
    api.post("/api/v1/chat/messages", {"text": "你好"}, token=token, headers={"Idempotency-Key": "k" * 129}, expect=400)


def test_an_empty_or_double_message_is_a_422(api):
    token = api.veteran_token()
    api.post("/api/v1/chat/messages", {}, token=token, expect=422)
    api.post("/api/v1/chat/messages", {"text": "a", "payload": {"slot": "x", "value": 1}}, token=token, expect=422)
    api.post("/api/v1/chat/messages", {"text": "x" * 1001}, token=token, expect=422)


def test_the_householder_is_not_asked_when_the_veteran_is_the_householder(api):
    token, persona = api.veteran_token(), Persona("sichuan")
    turn = chat_until(api, token, persona, lambda t: "settle_type" in t["expecting"].get("slots", []))
    slots = turn["expecting"]["slots"]
    answers = {"settle_type": "回原籍", "rural_to_urban": "不是", "householder_relation": "我自己是户主"}
    turn = say(api, token, "，".join(answers.get(s, persona.phrase(s)) for s in slots
                                   if s not in ("householder_name", "householder_id_number")))
    assert not {"householder_name", "householder_id_number"} & set(turn["expecting"].get("slots", [turn["expecting"]["slot"]]))
    final = chat_until(api, token, persona, lambda t: t["expecting"] is None, turn)
    fields = staff_view(api, final["case_id"])["fields"]
    assert fields["householder_relation"] == "本人" and fields["householder_name"] == "王磊"
    assert fields["householder_id_number"] == persona.id_number


def test_continue_resumes_rather_than_pauses(api):
    token, persona = api.veteran_token(), Persona("sichuan")
    turn = _to_collection(api, token, persona)
    again = say(api, token, "继续")
    assert again["expecting"] == turn["expecting"] and "保存" not in again["replies"][0]["text"]


def test_a_proposed_matter_can_be_dropped_by_its_everyday_name(api):
    token, persona = api.veteran_token(), Persona("sichuan")
    chat_until(api, token, persona, lambda t: t["expecting"]["slot"] == "matters")
    turn = say(api, token, "不要补助金")
    assert "自主就业一次性经济补助金的给付" not in turn["replies"][0]["text"]
    assert "退役报到" in turn["replies"][0]["text"]


def _at_once(app, token, bodies: list[dict], meanwhile=None) -> list[tuple[int, dict]]:
    """POST each body to the chat from its own thread, all released together: a veteran's double tap.
    `meanwhile` runs while they are under way."""
    answers, barrier = [], threading.Barrier(len(bodies))

    def send(body):
        client = app.test_client()
        barrier.wait()
        response = client.post("/api/v1/chat/messages", json=body, headers={"Authorization": f"Bearer {token}"})
        answers.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=send, args=(body,)) for body in bodies]
    for t in threads:
        t.start()
    if meanwhile:
        meanwhile()
    for t in threads:
        t.join()
    return answers


@on_postgres
def test_two_answers_sent_before_the_first_reply_are_both_kept(api, app):
    token, persona = api.veteran_token(), Persona("sichuan", several_at_once=False)
    turn = chat_until(api, token, persona, lambda t: t["expecting"]["slot"] == "phone")
    with app.app_context():
        # Another transaction holds the case row for a moment: unless the two turns take their turn, both
        # read the draft before either can write it, and the second write loses the first answer.
        holder = db.engine.connect()
        held = holder.begin()
        holder.execute(text("SELECT id FROM cases WHERE id = :id FOR UPDATE"), {"id": turn["case_id"]})

        def release():
            time.sleep(0.5)
            held.rollback()
            holder.close()

        answers = _at_once(app, token, [{"text": "13900139000"}, {"text": "住在成都市锦江区春熙路88号"}], release)
    assert {code for code, _ in answers} == {200}
    fields = api.get(f"/api/v1/cases/{turn['case_id']}", token=token)["fields"]
    assert fields["phone"] == "139****9000" and fields["address"] == "成都市锦江区春熙路88号"


@on_postgres
def test_a_double_tapped_confirmation_submits_one_case_and_answers_both_taps(api, app):
    token, persona = api.veteran_token(), Persona("sichuan")
    turn = chat_until(api, token, persona, lambda t: t["expecting"]["slot"] == "confirm"
                      and t["expecting"]["type"] == "choice", limit=60)
    answers = _at_once(app, token, [{"text": "确认提交"}] * 3)
    assert {code for code, _ in answers} == {200}
    cases = api.get("/api/v1/cases", token=token)["items"]
    assert [c["status"] for c in cases] == ["submitted"] and cases[0]["id"] == turn["case_id"]


@on_postgres
def test_a_double_tapped_first_message_opens_one_draft(api, app):
    token = api.veteran_token()
    _at_once(app, token, [{"text": "你好"}] * 3)
    assert len(api.get("/api/v1/cases", token=token)["items"]) == 1
