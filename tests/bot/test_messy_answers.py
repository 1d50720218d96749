"""What a real veteran types: questions, chatter, "不知道", second thoughts and corrections, in the middle
of the form. Nothing of it may end up in the case as an answer to something else."""
import re

import pytest

from catalog.field_values import check_id_number, example_id_number
from tests.bot.scripted_veteran import Persona, converse
from tests.bot.test_conversation import asks, chat_until, say, tap
from tests.factories import ApiClient
from tests.materials.helpers import upload


def fields_of(api, token, turn):
    return api.get(f"/api/v1/cases/{turn['case_id']}", token=token)["fields"]


def at(api, token, slot, province_persona=None):
    persona = province_persona or Persona("sichuan", several_at_once=False)
    return persona, chat_until(api, token, persona, lambda t: t["expecting"] and t["expecting"]["slot"] == slot,
                               limit=60)


def at_summary(api, token, persona):
    return chat_until(api, token, persona, lambda t: t["expecting"]["slot"] == "confirm"
                      and t["expecting"]["type"] == "choice", limit=60)


def test_a_policy_question_at_a_free_text_question_is_answered_not_stored(api):
    token = api.veteran_token()
    _, turn = at(api, token, "unit_code")
    answer = say(api, token, "社保卡邮费谁出")
    assert "邮寄费用由申请人" in answer["replies"][0]["text"] and answer["expecting"] == turn["expecting"]
    assert "unit_code" not in fields_of(api, token, answer)


def test_chatter_around_a_date_fills_nothing_else(api):
    token = api.veteran_token()
    _, turn = at(api, token, "enlistment_date")
    turn = say(api, token, "嗯，我想想，应该是2018年9月吧")
    fields = fields_of(api, token, turn)
    assert fields["enlistment_date"] == "2018-09"
    assert not {"unit_code", "discharge_cert_no", "service_branch"} & set(fields)


def test_dont_know_is_no_address(api):
    token = api.veteran_token()
    _, turn = at(api, token, "address")
    turn = say(api, token, "不知道")
    assert "联系地址是必填项" in turn["replies"][0]["text"] and asks(turn, "address")
    assert "address" not in fields_of(api, token, turn)


def test_father_as_the_emergency_contact_is_not_the_householder_relation(make_app):
    api = ApiClient(make_app("jilin"))
    token = api.veteran_token()
    _, turn = at(api, token, "phone", Persona("jilin", several_at_once=False))
    turn = say(api, token, "13800138000，长春市朝阳区红旗街2号，王建国，父亲，0431-88886666")
    fields = fields_of(api, token, turn)
    assert fields["emergency_contact_relation"] == "父亲" and "householder_relation" not in fields


def test_contact_details_in_their_own_order_stay_out_of_the_wrong_fields(api):
    token = api.veteran_token()
    _, turn = at(api, token, "phone")
    turn = say(api, token, "紧急联系人电话13700137000，我手机13800138000，住锦江区红星路1号")
    fields = fields_of(api, token, turn)
    assert fields["address"] == "锦江区红星路1号" and fields["phone"] == "138****8000"
    assert "emergency_contact_relation" not in fields  # "电话" is no relation


def test_a_corrected_address_or_phone_is_where_the_card_is_sent(api):
    token, persona = api.veteran_token(), Persona("sichuan")
    at_summary(api, token, persona)
    say(api, token, "修改地址")
    say(api, token, "成都市武侯区人民南路4段1号")
    turn = say(api, token, "手机号填错了，应该是13912345678")
    fields = fields_of(api, token, turn)
    assert fields["mailing_address"] == fields["address"] == "成都市武侯区人民南路4段1号"
    assert fields["recipient_phone"] == fields["phone"] == "139****5678"
    say(api, token, "修改邮寄地址")
    turn = say(api, token, "成都市青羊区人民中路1号")
    fields = fields_of(api, token, turn)  # one given for the card itself is kept apart from then on
    assert fields["mailing_address"] == "成都市青羊区人民中路1号" and fields["address"] == "成都市武侯区人民南路4段1号"


def test_correcting_the_householders_id_number_asks_for_that_one(api):
    token, persona = api.veteran_token(), Persona("sichuan")
    at_summary(api, token, persona)
    turn = say(api, token, "户主身份证号填错了")
    assert turn["expecting"]["slot"] == "householder_id_number"


def test_a_wrong_veteran_type_can_be_changed_mid_form(api):
    token = api.veteran_token()
    _, turn = at(api, token, "enlistment_date")
    turn = say(api, token, "退役类型选错了，应该是安排工作")
    assert turn["replies"][0]["text"].startswith("已将退役类型改为：安排工作退役士兵")
    assert turn["expecting"]["slot"] == "matters"
    assert "lump_sum_subsidy" not in {o["value"] for o in turn["expecting"]["options"]}
    assert api.get(f"/api/v1/cases/{turn['case_id']}", token=token)["veteran_type"] == "assigned_job"


def test_reversed_service_dates_are_both_asked_again(api):
    token = api.veteran_token()
    _, turn = at(api, token, "enlistment_date")
    turn = say(api, token, "2024年9月入伍，2019年9月退役")
    assert "退役时间不能早于入伍时间" in turn["replies"][0]["text"]
    assert turn["expecting"]["slots"][:2] == ["enlistment_date", "discharge_date"]
    assert not {"enlistment_date", "discharge_date", "service_length"} & set(fields_of(api, token, turn))
    turn = say(api, token, "2019年9月入伍，2024年9月退役")
    assert fields_of(api, token, turn)["service_length"] == "5年"


@pytest.mark.parametrize("typed", ["是", "没有"])
def test_a_bare_yes_or_no_to_the_screening_answers_its_first_question(make_app, typed):
    api = ApiClient(make_app("guangdong"))
    token = api.veteran_token()
    _, turn = at(api, token, "need_hukou", Persona("guangdong", several_at_once=False))
    assert len(turn["expecting"]["slots"]) > 1
    turn = say(api, token, typed)
    assert "need_hukou" not in turn["expecting"]["slots"] and turn["expecting"]["slot"].startswith("need_")
    assert turn["replies"][0]["text"].startswith("为确定")


@pytest.mark.parametrize("numbered, joined", [("{answer}", "，"), ("{n}{answer}", ""), ("{n}.{answer}", " ")])
def test_yes_and_no_in_the_order_of_the_numbered_screening_list_answer_it_in_that_order(make_app, numbered, joined):
    api = ApiClient(make_app("guangdong"))
    token = api.veteran_token()
    _, turn = at(api, token, "need_hukou", Persona("guangdong", several_at_once=False))
    slots = turn["expecting"]["slots"]
    answers = ["是"] + ["否"] * (len(slots) - 1)
    turn = say(api, token, joined.join(numbered.format(n=n, answer=a) for n, a in enumerate(answers, 1)))
    assert turn["expecting"]["slot"] == "matters", slots
    selected = set(turn["replies"][-1]["data"]["selected"])
    assert "hukou" in selected and not {"training", "driving_license"} & selected


def test_not_sure_about_the_hukou_is_asked_again_not_taken_as_no(api):
    token = api.veteran_token()
    _, turn = at(api, token, "need_hukou")
    turn = say(api, token, "我是党员，户口不清楚，要培训，预备役不服")
    assert turn["expecting"]["slot"] == "need_hukou"


def test_a_matter_can_be_dropped_at_the_proposal_and_at_the_summary(api):
    token, persona = api.veteran_token(), Persona("sichuan", several_at_once=False)
    turn = chat_until(api, token, persona, lambda t: t["expecting"]["slot"] == "matters")
    turn = say(api, token, "社保卡不用办了")
    assert "社会保障卡" not in turn["replies"][0]["text"].split("（另")[0]
    turn = at_summary(api, token, persona)
    turn = say(api, token, "把培训去掉")
    assert turn["replies"][0]["text"].startswith("好的，将为您办理") and "培训" not in turn["replies"][0]["text"]
    view = api.get(f"/api/v1/cases/{turn['case_id']}", token=token)
    assert not {"training", "social_security_card"} & {m["key"] for m in view["matters"]}


def test_going_back_three_times_goes_back_three_questions(api):
    token = api.veteran_token()
    _, turn = at(api, token, "enlistment_date")
    seen = [turn["expecting"]["slots"]]
    for _ in range(3):
        turn = say(api, token, "上一步")
        assert turn["expecting"]["slots"] not in seen
        seen.append(turn["expecting"]["slots"])


def test_a_correction_with_the_new_name_after_shi(api):
    token = api.veteran_token()
    say(api, token, "你好")
    say(api, token, f"我叫王雷，身份证{Persona('sichuan').id_number}，成都市锦江区")
    turn = say(api, token, "不对，名字写错了，是王磊")
    assert turn["replies"][0]["text"] == "已将姓名改为：王磊。" and fields_of(api, token, turn)["name"] == "王磊"


def test_after_submission_a_change_is_told_where_it_can_be_made(api):
    token, persona = api.veteran_token(), Persona("sichuan")
    converse(api, token, persona)
    turn = say(api, token, "地址写错了，改成成都市锦江区东大街5号")
    assert "撤回后重新申请" in turn["replies"][-1]["text"]


def test_not_knowing_or_a_stray_short_reply_is_not_taken_for_a_policy_question(api):
    token = api.veteran_token()
    say(api, token, "你好")
    turn = say(api, token, f"我叫王磊，身份证{Persona('sichuan').id_number}，成都市锦江区")
    assert turn["expecting"]["slot"] == "veteran_type"
    unsure = say(api, token, "不知道")
    assert unsure["replies"][0]["text"].startswith("没关系") and unsure["expecting"]["slot"] == "veteran_type"
    stray = say(api, token, "对的")
    assert stray["replies"][0]["text"] == "抱歉，我没有理解您的意思。" and stray["expecting"]["slot"] == "veteran_type"


def test_answers_given_along_with_agreeing_to_the_matters_are_kept_even_before_their_question(api):
    token, persona = api.veteran_token(), Persona("sichuan")
    turn = chat_until(api, token, persona, lambda t: t["expecting"]["slot"] == "matters")
    assert turn["expecting"].get("slots", ["matters"]) == ["matters"]  # the places check comes next, alone
    turn = say(api, token, "好的，汉族，大专")
    assert "已记下：民族、文化程度。" in [r["text"] for r in turn["replies"]]
    fields = fields_of(api, token, turn)
    assert (fields["ethnicity"], fields["education"]) == ("汉族", "大学专科")


def test_saying_it_is_uploaded_asks_for_the_next_material_not_for_none(make_app, tmp_path):
    api = ApiClient(make_app("sichuan", UPLOAD_DIR=str(tmp_path)))
    token = api.veteran_token()
    _, turn = at(api, token, "material_id_card_scan")
    upload(api, token, turn["case_id"], "id_card_scan")
    turn = say(api, token, "已上传")
    assert turn["expecting"]["slot"] == "material_discharge_certificate"
    assert "稍后" not in turn["replies"][0]["text"].split("。")[0]


@pytest.mark.parametrize("slot, value", [("veteran_type", ["self_employed"]), ("matters", "report"),
                                         ("matters", {"report": True}), ("gender", "女")])
def test_a_tap_of_the_wrong_shape_or_for_another_question_changes_nothing(api, slot, value):
    token, persona = api.veteran_token(), Persona("sichuan")
    turn = chat_until(api, token, persona, lambda t: t["expecting"]["slot"] in ("veteran_type", "matters")
                      and t["expecting"]["slot"] == slot or slot == "gender")
    before = api.get(f"/api/v1/cases/{turn['case_id']}", token=token)
    after = api.post("/api/v1/chat/messages", {"payload": {"slot": slot, "value": value}}, token=token)
    assert after["expecting"]["slot"] == turn["expecting"]["slot"]
    view = api.get(f"/api/v1/cases/{turn['case_id']}", token=token)
    assert (view["fields"], view["matters"]) == (before["fields"], before["matters"])


def test_the_notice_in_guangdong_states_no_in_person_step_its_documents_do_not(make_app):
    api = ApiClient(make_app("guangdong"))
    token = api.veteran_token()
    turn = chat_until(api, token, Persona("guangdong"), lambda t: any(r["type"] == "materials" for r in t["replies"]))
    notice = next(r for r in turn["replies"] if r["type"] == "materials")["text"]
    assert "房产证明" not in notice and "人民武装部" not in notice  # 四川's wording, not 广东's
    assert "1寸白底" not in notice and "核验原件" not in notice and "线下提交复印件" not in notice  # 四川 附件2
    assert "广东的政策文件没有规定相片规格" in notice


def test_the_notice_does_not_ask_to_prepare_what_an_e_licence_already_covers(make_app):
    app = make_app("guangdong")
    app.test_cli_runner().invoke(args=["demo", "load"])
    api = ApiClient(app)
    token = api.veteran_token()
    turn = chat_until(api, token, Persona("guangdong", sequence=11),
                      lambda t: any(r["type"] == "materials" for r in t["replies"]))
    notice = next(r for r in turn["replies"] if r["type"] == "materials")
    view = api.get(f"/api/v1/cases/{turn['case_id']}", token=token)
    covered = {m["key"] for m in view["materials_required"] if m["status"] == "e_licence"}
    provided = set(notice["data"]["provided"])
    # 王磊 (sequence 11) holds both demo licences; the 退出现役证书 is needed for matters only proposed yet
    assert covered <= provided and {"id_card_scan", "discharge_certificate"} <= provided
    assert not provided & {m["key"] for m in notice["data"]["materials"]}
    assert "无需再提交（已上传或有电子证照）：居民身份证、退出现役证书" in notice["text"]


def test_a_note_about_a_matter_is_told_only_to_those_who_have_it(api):
    token = api.veteran_token()
    persona = Persona("sichuan", veteran_type="assigned_job")
    turn = chat_until(api, token, persona, lambda t: any(r["type"] == "materials" for r in t["replies"]))
    notice = next(r for r in turn["replies"] if r["type"] == "materials")["text"]
    assert "邮寄费用" not in notice  # 安排工作 has no social security card to post


def test_a_value_named_at_the_type_or_screening_question_is_kept(api):
    token = api.veteran_token()
    say(api, token, "你好")
    say(api, token, f"我叫王磊，身份证{Persona('sichuan').id_number}，成都市锦江区")
    turn = say(api, token, "自主就业，部队代号61234")
    assert fields_of(api, token, turn)["unit_code"] == "61234" and turn["expecting"]["slot"] != "veteran_type"
    turn = say(api, token, "党员，退伍证号2024090011，户口注销了，要培训，服预备役")
    assert fields_of(api, token, turn)["discharge_cert_no"] == "2024090011" and turn["expecting"]["slot"] == "matters"


def test_after_a_rejection_the_chat_tells_how_it_ended_and_why_and_a_new_message_starts_afresh(api):
    token, persona = api.veteran_token(), Persona("sichuan")
    final = converse(api, token, persona)
    case_id = final["case_id"]
    api.post(f"/api/v1/staff/cases/{case_id}/reject", {"reason": "不属于本地接收安置对象"}, token=api.window_token())
    progress = say(api, token, "我的申请到哪一步了")
    assert "不予受理" in progress["replies"][0]["text"] and "原因：不属于本地接收安置对象" in progress["replies"][0]["text"]
    assert progress["case_id"] == case_id and progress["expecting"] is None
    fresh = say(api, token, "我要重新申请")
    assert fresh["case_id"] != case_id and "上一件申请" in fresh["replies"][1]["text"]
    assert fresh["expecting"]["slot"] == "name"


def test_a_returned_matter_says_what_is_missing(api):
    token, persona = api.veteran_token(), Persona("sichuan")
    final = converse(api, token, persona)
    case_id = final["case_id"]
    window = api.window_token()
    api.post(f"/api/v1/staff/cases/{case_id}/archive-reviewed", {"archive_status": "完整"}, token=window)
    upload(api, token, case_id, "photo")  # left for later in the chat: 受理 waits for it
    api.post(f"/api/v1/staff/cases/{case_id}/accept", {}, token=window)
    police = api.officer_token("public_security")
    hukou = next(m for m in api.get("/api/v1/dept/matters", token=police)["items"] if m["key"] == "hukou")
    api.post(f"/api/v1/dept/matters/{hukou['id']}/transition", {"to": "processing"}, token=police)
    api.post(f"/api/v1/dept/matters/{hukou['id']}/transition", {"to": "returned", "note": "缺少房产证明"}, token=police)
    progress = say(api, token, "我的申请到哪一步了")
    assert "户口登记（退役军人恢复户口）：已退回（缺少房产证明）" in progress["replies"][0]["text"]


@pytest.mark.parametrize("slot, said, stored", [
    # "我妈李秀英": the name, and the relation the kin word states
    ("phone", "13800138000，成都市锦江区红星路1号，紧急联系人是我妈李秀英，13700137000",
     {"emergency_contact_name": "李秀英", "emergency_contact_relation": "母亲"}),
    ("address", "成都市锦江区红星路1号，3栋2单元501", {"address": "成都市锦江区红星路1号3栋2单元501"}),
    ("training_detail", "想学电工，最好是周末班", {"training_detail": "想学电工，最好是周末班"}),
    ("householder_relation", "我自己就是户主", {"householder_relation": "本人", "householder_name": "王磊"}),
    ("address", "我住成都市锦江区红星路1号", {"address": "成都市锦江区红星路1号"}),
    # a kin word before the contact's name, and the relation given beside it
    ("phone", "13800138000，成都市锦江区红星路1号，我爸王建国，父亲，13700137000",
     {"emergency_contact_name": "王建国", "emergency_contact_relation": "父亲"}),
    ("phone", "13800138000，成都市锦江区红星路1号，紧急联系人我爷爷刘长顺，13700137000",
     {"emergency_contact_name": "刘长顺", "emergency_contact_relation": "祖父"}),
    ("enlistment_date", "2019年9月2024年9月", {"enlistment_date": "2019-09", "discharge_date": "2024-09"}),
    # "户主是我…" names the householder: the veteran is not the householder, and 与户主关系 is written
    # as the 户口簿 writes it, the veteran's relation to the householder
    ("householder_relation", "户主是我老爸",
     {"householder_relation": "子", "householder_name": None}),
    ("householder_relation", "户主是我爷爷",
     {"householder_relation": "孙子女", "householder_name": None}),
    ("householder_relation", "我妈是户主", {"householder_relation": "子", "householder_name": None}),
    ("householder_relation", "我是户主的孙子", {"householder_relation": "孙子女"}),
    ("householder_relation", "子", {"householder_relation": "子"}),
    ("marital_status", "离异", {"marital_status": "离婚", "address": None}),
    ("marital_status", "离过婚", {"marital_status": "离婚"}),
    ("health_status", "有高血压", {"health_status": "有慢性病"}),
    ("political_status", "非党员", {"political_status": "群众"}),
])
def test_what_is_said_at_a_question_is_stored_as_meant(api, slot, said, stored):
    token = api.veteran_token()
    _, turn = at(api, token, slot)
    fields = fields_of(api, token, say(api, token, said))
    assert {key: fields.get(key) for key in stored} == stored


@pytest.mark.parametrize("province, place", [("guangdong", "广州市天河区"), ("jilin", "长春市朝阳区"),
                                             ("sichuan", "成都市锦江区")])
def test_the_first_question_gives_an_example_from_the_veterans_own_province(make_app, province, place):
    api = ApiClient(make_app(province))
    prompt = say(api, api.veteran_token(), "你好")["replies"][-1]["text"]
    example_id = re.search(r"身份证(\d{17}[\dX])", prompt)[1]
    assert place in prompt and check_id_number(example_id) == example_id  # a valid number, for its own place


@pytest.mark.parametrize("said", ["我姓王，叫王磊", "姓王名磊", "俺叫王磊", "我的名字是王磊"])
def test_a_name_said_the_everyday_way_is_the_name(api, said):
    token = api.veteran_token()
    say(api, token, "你好")
    turn = say(api, token, said)
    assert fields_of(api, token, turn)["name"] == "王磊"
    assert turn["expecting"]["slots"] == ["id_number", "handling_region"]


@pytest.mark.parametrize("said", ["Wang Lei", "name: Wang Lei"])
def test_a_name_in_latin_letters_is_asked_again_in_characters(api, said):
    token = api.veteran_token()
    say(api, token, "你好")
    turn = say(api, token, said)
    assert "请用汉字填写，与身份证上的姓名一致" in turn["replies"][0]["text"] and turn["expecting"]["slot"] == "name"
    assert "name" not in (fields_of(api, token, turn) if turn["case_id"] else {})


class SelfHouseholder(Persona):
    def phrase(self, slot):
        return "本人" if slot == "householder_relation" else super().phrase(slot)


def test_the_householder_who_is_the_veteran_follows_a_corrected_name_and_id_number(api):
    token, persona = api.veteran_token(), SelfHouseholder("sichuan", several_at_once=False)
    at_summary(api, token, persona)
    other = example_id_number("510104", "19990316", 13)
    say(api, token, "姓名填错了，应该是王雷")
    say(api, token, f"身份证号填错了，应该是{other}")
    turn = say(api, token, "确认提交")
    assert turn["expecting"] is None and "申请已提交" in turn["replies"][0]["text"]
    case = api.get(f"/api/v1/staff/cases/{turn['case_id']}", token=api.window_token())["fields"]
    assert (case["householder_name"], case["householder_id_number"]) == ("王雷", other)


@pytest.mark.parametrize("said, kind, label", [("我领的是一次性退役金", "self_employed", "自主就业退役士兵"),
                                               ("不是逐月领取退役金的，是自主就业", "self_employed", "自主就业退役士兵"),
                                               ("复员干部", "demobilized_officer", "复员军官")])
def test_a_type_said_the_everyday_way_is_taken_and_said_back(api, said, kind, label):
    token = api.veteran_token()
    at(api, token, "veteran_type", Persona("sichuan", sequence=23, several_at_once=False))
    turn = say(api, token, said)
    assert turn["replies"][0]["text"] == f"好的，退役类型：{label}。"
    assert api.get(f"/api/v1/cases/{turn['case_id']}", token=token)["veteran_type"] == kind


@pytest.mark.parametrize("said, told", [("我是义务兵，复员回来的", "复员军官是军官的安置方式"),
                                        ("我是转业干部", "这四类人员的事项。其他情况（如转业、退休）请到当地退役军人服务中心咨询")])
def test_a_soldier_saying_fuyuan_or_another_kind_of_veteran_is_told_why_and_asked_again(api, said, told):
    token = api.veteran_token()
    _, asked = at(api, token, "veteran_type", Persona("sichuan", sequence=23, several_at_once=False))
    turn = say(api, token, said)
    assert told in turn["replies"][0]["text"] and turn["expecting"] == asked["expecting"]
    assert api.get(f"/api/v1/cases/{turn['case_id']}", token=token)["veteran_type"] is None


def test_saying_what_one_is_at_the_screening_answers_no_screening_question(make_app):
    api = ApiClient(make_app("jilin"))
    token = api.veteran_token()
    at(api, token, "veteran_type", Persona("jilin", sequence=23, several_at_once=False))
    asked = say(api, token, "复员军官")
    turn = say(api, token, "我是复员军官")
    assert turn["expecting"] == asked["expecting"]


def test_the_time_limit_line_names_only_what_is_not_counted_of_the_veteran_s_own_matters(api):
    notices = {}
    for kind in ("self_employed", "assigned_job"):
        token = api.veteran_token(f"openid-{kind}")
        turn = chat_until(api, token, Persona("sichuan", veteran_type=kind, sequence=23),
                          lambda t: any(r["type"] == "materials" for r in t["replies"]))
        notices[kind] = next(r for r in turn["replies"] if r["type"] == "materials")["text"]
    assert "补助金资金审批后的支付、培训的后续组织、社会保障卡的制卡和邮寄不计入办理时限" in notices["self_employed"]
    assert "不计入办理时限" not in notices["assigned_job"]  # 附件4's 安排工作 guide: 时限：7个工作日, no more
    assert "办理时限：受理后7个工作日。" in notices["assigned_job"]


def test_the_summary_after_a_type_change_shows_only_what_will_be_submitted(make_app):
    api = ApiClient(make_app("guangdong"))
    token, persona = api.veteran_token(), Persona("guangdong", sequence=23, several_at_once=False)
    at(api, token, "bank_account", persona)
    say(api, token, persona.phrase("bank_account"))
    say(api, token, "退役类型选错了，应该是逐月领取退役金")
    persona.veteran_type = "monthly_pension"
    summary = at_summary(api, token, persona)["replies"][-1]
    assert not {"bank_name", "bank_account", "training_need"} & {row["key"] for row in summary["data"]["fields"]}
    assert "银行账号" not in summary["text"] and "性别：男" in summary["text"]


@pytest.mark.parametrize("province, kind, said, told", [
    ("sichuan", "demobilized_officer", "还要申请一次性补助金", "仅适用于自主就业退役士兵，复员军官不能申请"),
    ("guangdong", "assigned_job", "我有军队驾驶证，还要换地方驾照", "“持军警驾驶证申领机动车驾驶证”请到当地退役军人服务中心咨询")])
def test_asking_for_a_matter_the_type_cannot_have_is_told_why_not_taken_for_agreement(make_app, province, kind, said, told):
    api = ApiClient(make_app(province))
    token = api.veteran_token()
    proposal = chat_until(api, token, Persona(province, veteran_type=kind, sequence=23),
                          lambda t: t["expecting"]["slot"] == "matters")
    turn = say(api, token, said)
    assert told in turn["replies"][0]["text"] and turn["expecting"] == proposal["expecting"]
    assert api.get(f"/api/v1/cases/{turn['case_id']}", token=token)["matters"] == []


def test_jilin_asks_for_no_material_before_it_can_exist_and_tells_the_conditional_one_up_front(make_app):
    api = ApiClient(make_app("jilin"))
    token, persona = api.veteran_token(), Persona("jilin", sequence=23)
    turn = chat_until(api, token, persona, lambda t: any(r["type"] == "materials" for r in t["replies"]))
    notice = next(r for r in turn["replies"] if r["type"] == "materials")["text"]
    assert "结婚证或子女亲属关系证明" in notice and "仅在落户类型为“异地安置落户”时需要" in notice  # 吉林 三(一)2
    assert "吉林省退役军人服务“一件事”申请表" in notice and "办理登记表" not in notice  # 吉林 三(二)1
    first = chat_until(api, token, persona, lambda t: t["expecting"]["slot"].startswith("material_"), turn=turn)
    assert first["expecting"]["slot"] != "material_id_card_scan"  # 吉林 三(一)4: after the ID card is issued
    final = converse(api, token, persona, opening="继续")
    assert "户口簿" not in final["replies"][1]["text"] and "居民身份证" not in final["replies"][1]["text"]
    assert final["replies"][2]["text"].startswith("以下材料在相关事项办理后提供：居民身份证")
    statuses = {m["key"]: m["status"] for m in api.get(f"/api/v1/cases/{final['case_id']}", token=token)["materials_required"]}
    assert statuses["id_card_scan"] == statuses["household_register"] == "after"


def test_the_type_and_screening_answers_in_the_first_message_are_kept_not_asked_again(make_app):
    api = ApiClient(make_app("jilin"))
    token = api.veteran_token()
    say(api, token, "你好")
    id_number = example_id_number("220104", "19990315", 23)
    turn = say(api, token, f"我叫李强，身份证{id_number}，长春市朝阳区，我是复员军官，户口注销了，不服预备役")
    assert turn["replies"][0]["text"] == "好的，退役类型：复员军官。" and turn["expecting"]["slot"] == "matters"
    assert {"hukou", "id_card"} <= set(turn["replies"][-1]["data"]["selected"])
    view = api.get(f"/api/v1/cases/{turn['case_id']}", token=token)
    assert view["veteran_type"] == "demobilized_officer" and view["fields"]["reserve_service"] is False


def test_a_place_of_hukou_in_the_first_message_answers_no_screening_question(make_app):
    api = ApiClient(make_app("jilin"))
    token = api.veteran_token()
    say(api, token, "你好")
    say(api, token, f"我叫李强，身份证{example_id_number('220104', '19990315', 23)}，户口在长春市朝阳区")
    turn = say(api, token, "自主就业")
    assert "need_hukou" in turn["expecting"]["slots"]


def test_where_one_lives_is_the_address_without_the_words_before_it(api):
    token = api.veteran_token()
    _, turn = at(api, token, "address")
    turn = say(api, token, "我住在成都市锦江区春熙路88号")
    assert fields_of(api, token, turn)["address"] == "成都市锦江区春熙路88号"


def test_an_enlistment_before_one_was_born_is_asked_again(api):
    token = api.veteran_token()
    _, turn = at(api, token, "enlistment_date")
    turn = say(api, token, "1990年9月")
    assert turn["replies"][0]["text"] == "入伍时间不能早于出生年月（身份证号码显示为1999年3月）。"
    assert asks(turn, "enlistment_date") and "enlistment_date" not in fields_of(api, token, turn)


def _submitted(api):
    token = api.veteran_token()
    return token, converse(api, token, Persona("sichuan"))["case_id"]


def test_after_a_case_ended_a_message_about_it_is_answered_from_it_not_with_a_new_draft(api):
    token, case_id = _submitted(api)
    api.post(f"/api/v1/staff/cases/{case_id}/reject", {"reason": "不属于本地接收安置对象"}, token=api.window_token())
    for said in ("你好", "为什么不予受理", "社保卡寄到哪了"):
        turn = say(api, token, said)
        assert turn["case_id"] == case_id and turn["expecting"] is None
        assert "原因：不属于本地接收安置对象" in turn["replies"][0]["text"]
        assert turn["replies"][-1]["text"] == "如需办理新的申请，请回复“重新申请”。"
        assert "等待中" not in turn["replies"][0]["text"]  # a rejected case's matters are not waiting
    assert len(api.get("/api/v1/cases", token=token)["items"]) == 1


def test_staff_words_in_the_progress_reply_mask_personal_numbers_but_not_a_tracking_number(api):
    token, case_id = _submitted(api)
    window = api.window_token()
    api.post(f"/api/v1/staff/cases/{case_id}/archive-reviewed", {"archive_status": "完整"}, token=window)
    upload(api, token, case_id, "photo")  # left for later in the chat: 受理 waits for it
    case = api.post(f"/api/v1/staff/cases/{case_id}/accept", {}, token=window)
    report = next(m for m in case["matters"] if m["key"] == "report")
    officer = api.officer_token("veterans_affairs")
    api.post(f"/api/v1/dept/matters/{report['id']}/transition", {"to": "processing"}, token=officer)
    api.post(f"/api/v1/dept/matters/{report['id']}/transition",
             {"to": "completed", "result": "已用EMS寄出，邮件号1100123456789，有事联系13912345678"}, token=officer)
    text = say(api, token, "我的申请到哪一步了")["replies"][0]["text"]
    assert "1100123456789" in text and "13912345678" not in text and "139****5678" in text


def test_a_question_about_the_supplement_gets_the_window_s_list(api):
    token, case_id = _submitted(api)
    api.post(f"/api/v1/staff/cases/{case_id}/request-supplement",
             {"items": [{"field": "phone", "reason": "号码无法接通"}]}, token=api.window_token())
    turn = say(api, token, "补正要改什么？")
    assert "需要补正：手机号码：号码无法接通" in turn["replies"][0]["text"]
    change = say(api, token, "我想改一下手机号")
    assert change["replies"][1]["text"].startswith("申请提交后，聊天里不能再修改")


@pytest.mark.parametrize("said", ["就是这样", "那是当然", "就是本人"])
def test_an_everyday_yes_confirms_the_roster_record(api, app, said):
    from tests.bot.test_conversation import _at_roster_check
    token, _, turn = _at_roster_check(api, app)
    assert say(api, token, said)["expecting"]["slots"] == ["need_hukou", "need_training", "reserve_service"]


def test_an_address_given_early_after_zhu_zai_is_kept(api):
    token = api.veteran_token()
    say(api, token, "你好")
    turn = say(api, token, f"我叫王磊，身份证{Persona('sichuan').id_number}，成都市锦江区，住在成都市锦江区红星路1号")
    assert fields_of(api, token, turn)["address"] == "成都市锦江区红星路1号"


def test_a_question_in_the_first_message_answers_no_screening_question(api):
    token = api.veteran_token()
    say(api, token, "你好")
    say(api, token, f"我叫王磊，身份证{Persona('sichuan', sequence=23).id_number}，成都市锦江区，想问下培训有没有")
    turn = say(api, token, "自主就业")
    assert "need_training" in turn["expecting"]["slots"]


@pytest.mark.parametrize("slot, said", [("veteran_type", "我不是逐月领取退役金的"), ("political_status", "我不是中共党员")])
def test_a_denied_option_is_not_chosen_through_a_shorter_name_inside_it(api, slot, said):
    token = api.veteran_token()
    _, asked = at(api, token, slot, Persona("sichuan", sequence=23, several_at_once=False))
    assert say(api, token, said)["expecting"]["slot"] == slot


@pytest.mark.parametrize("province, said", [
    ("sichuan", "收到部队档案并审核后，将通知您携带材料原件到综合窗口受理。受理后7个工作日内办结（依据本省实施方案）"
                "；补助金资金审批后的支付、培训的后续组织、社会保障卡的制卡和邮寄不计入办理时限。"),
    ("jilin", "吉林省的政策文件没有规定办理时限，本系统按受理后7个工作日跟踪办理进度，具体以窗口告知为准")])
def test_the_time_limit_at_submission_is_a_promise_only_where_the_province_states_it(make_app, province, said):
    api = ApiClient(make_app(province))
    final = converse(api, api.veteran_token(), Persona(province, sequence=23))
    assert said in final["replies"][0]["text"] and ("内办结" in final["replies"][0]["text"]) == (province == "sichuan")


def test_sichuan_checks_the_originals_of_the_copies_it_takes(api):
    token = api.veteran_token()
    turn = chat_until(api, token, Persona("sichuan", sequence=23),
                      lambda t: any(r["type"] == "materials" for r in t["replies"]))
    notice = next(r for r in turn["replies"] if r["type"] == "materials")["text"]
    assert "居民身份证（线上提交扫描件；线下提交复印件一份，核验原件后收取）" in notice  # 附件4 申请材料
    assert "军人退役医疗保险个人账户转移凭证（线上提交扫描件；线下提交原件）" in notice


@pytest.mark.parametrize("asked", ["照片要求", "需要本人去", "要带原件", "身份证要本人去办", "社保卡寄到家要钱不",
                                   "要带户口本不"])
def test_a_question_typed_without_a_question_word_at_the_summary_submits_nothing(api, asked):
    token = api.veteran_token()
    persona = Persona("sichuan")
    summary = at_summary(api, token, persona)
    turn = say(api, token, asked)
    assert turn["replies"][0]["data"]["faq"] and turn["expecting"] == summary["expecting"]
    assert api.get(f"/api/v1/cases/{turn['case_id']}", token=token)["status"] == "draft"


@pytest.mark.parametrize("slot, asked", [("name", "照片要求"), ("address", "社保卡寄到家要钱不"),
                                         ("bank_name", "培训费用"), ("unit_code", "补助金几号到账"),
                                         ("householder_name", "社保卡邮费")])
def test_a_question_typed_as_into_a_search_box_is_answered_not_stored(api, slot, asked):
    token = api.veteran_token()
    _, turn = at(api, token, slot)
    answer = say(api, token, asked)
    assert answer["replies"][0]["data"]["faq"] and answer["expecting"] == turn["expecting"]
    assert slot not in fields_of(api, token, answer)


@pytest.mark.parametrize("slot, asked", [("reserve_service", "是不是一定要服预备役"), ("need_training", "有没有免费的技能培训"),
                                         ("matters", "照片要求"), ("matters", "要本人去不")])
def test_a_question_at_the_screening_or_the_proposed_matters_decides_nothing(api, slot, asked):
    token = api.veteran_token()
    _, turn = at(api, token, slot)
    answer = say(api, token, asked)
    assert answer["replies"][0]["data"]["faq"] and answer["expecting"] == turn["expecting"]


@pytest.mark.parametrize("slot, said, stored", [("training_detail", "想参加电工培训", "想参加电工培训"),
                                                ("bank_name", "工商银行锦江支行", "工商银行锦江支行")])
def test_an_answer_about_the_matter_asked_for_is_still_an_answer(api, slot, said, stored):
    token = api.veteran_token()
    _, turn = at(api, token, slot)
    say(api, token, said)
    assert fields_of(api, token, turn)[slot] == stored


@pytest.mark.parametrize("said", ["不对", "不要"])
def test_a_no_to_the_proposed_matters_agrees_to_nothing_and_asks_what_to_change(api, said):
    token = api.veteran_token()
    _, proposal = at(api, token, "matters")
    turn = say(api, token, said)
    assert "要去掉或加上哪一项" in turn["replies"][0]["text"] and turn["expecting"]["slot"] == "matters"
    assert turn["expecting"]["options"] == proposal["expecting"]["options"]


def test_a_changed_screening_answer_at_the_proposal_proposes_again_without_it(api):
    token = api.veteran_token()
    _, proposal = at(api, token, "matters")
    assert "户口登记" in proposal["replies"][-1]["text"]
    turn = say(api, token, "户口没注销")
    assert turn["expecting"]["slot"] == "matters" and "户口登记" not in turn["replies"][-1]["text"]
    assert "居民身份证申领" not in turn["replies"][-1]["text"]


@pytest.mark.parametrize("said, field, stored", [("地址改为成都市锦江区人民路8号", "address", "成都市锦江区人民路8号"),
                                                 ("部队代号改为61234部队", "unit_code", "61234部队")])
def test_a_change_of_an_earlier_answer_corrects_it_not_the_question_on_screen(api, said, field, stored):
    token = api.veteran_token()
    _, turn = at(api, token, "enlistment_address")
    answer = say(api, token, said)
    fields = fields_of(api, token, answer)
    assert fields[field] == stored and "enlistment_address" not in fields
    assert answer["expecting"]["slot"] == "enlistment_address"


def test_a_householder_relation_corrected_from_self_asks_for_the_householder(api):
    token = api.veteran_token()
    persona, turn = at(api, token, "householder_relation")
    say(api, token, "本人")
    assert fields_of(api, token, turn)["householder_name"] == "王磊"
    turn = say(api, token, "与户主关系填错了，应该是父亲")
    fields = fields_of(api, token, turn)
    assert fields["householder_relation"] == "子"
    assert "householder_name" not in fields and "householder_id_number" not in fields
    chat_until(api, token, persona, lambda t: t["expecting"] and "householder_name" in t["expecting"].get("slots", [t["expecting"]["slot"]]),
               limit=20)


def test_a_daughter_whose_mother_is_the_householder_is_written_女_and_told_so(api):
    token = api.veteran_token()
    _, turn = at(api, token, "householder_relation", Persona("sichuan", sequence=12, several_at_once=False))
    assert "户主是我父亲" in turn["replies"][-1]["text"]
    turn = say(api, token, "户主是我老妈")
    assert turn["replies"][0]["text"] == "户主是您的母亲，与户主关系按户口簿的写法记为“女”。"
    assert fields_of(api, token, turn)["householder_relation"] == "女" and asks(turn, "householder_name")


def test_a_tapped_relation_is_the_registers_own(api):
    token = api.veteran_token()
    at(api, token, "householder_relation")
    turn = tap(api, token, "householder_relation", "父亲")  # the veteran is the householder's father
    assert fields_of(api, token, turn)["householder_relation"] == "父亲"
    assert not any("户口簿" in r["text"] for r in turn["replies"])


@pytest.mark.parametrize("lose_the_state", [False, True])
def test_a_correction_asked_for_still_takes_the_answer_after_a_pause_or_the_redis_state_lost(api, app, lose_the_state):
    token = api.veteran_token()
    _, turn = at(api, token, "enlistment_address")
    assert say(api, token, "地址写错了")["expecting"]["slot"] == "address"
    if lose_the_state:
        app.extensions["redis"].flushdb()
    else:
        say(api, token, "稍后再说")
    assert say(api, token, "在吗")["expecting"]["slot"] == "address"
    turn = say(api, token, "成都市锦江区人民路8号")
    fields = fields_of(api, token, turn)
    assert fields["address"] == "成都市锦江区人民路8号" and "enlistment_address" not in fields


@pytest.mark.parametrize("said", ["是的汉族高中未婚健康", "对的汉族高中未婚健康"])
def test_a_yes_spoken_without_punctuation_is_a_yes_and_what_follows_is_kept(api, said):
    token = api.veteran_token()
    persona = Persona("sichuan", several_at_once=False)
    chat_until(api, token, persona, lambda t: t["expecting"]["slot"] == "confirm"  # the places check, then the group
               and "ethnicity" in t["expecting"].get("slots", []), limit=60)
    turn = say(api, token, said)
    fields = fields_of(api, token, turn)
    assert fields["marital_status"] == "未婚" and fields["ethnicity"] == "汉族"
    assert fields["intended_hukou"] == fields["handling_region"]  # the places were agreed to


@pytest.mark.parametrize("said, stored", [("我妈", "母亲"), ("妈妈", "母亲"), ("是我爸", "父亲"), ("老婆", "妻子")])
def test_the_emergency_contact_relation_said_the_everyday_way_is_stored_as_the_relation(api, said, stored):
    token = api.veteran_token()
    _, turn = at(api, token, "emergency_contact_relation")
    turn = say(api, token, said)
    assert fields_of(api, token, turn)["emergency_contact_relation"] == stored


@pytest.mark.parametrize("said", ["510104-1999-0315-0117", "510104 19990315 0117", "五幺零幺零四幺九九九零三幺五零幺幺七",
                                  "五幺洞幺洞四幺九九九洞三幺五洞幺幺七"])  # radio style: 洞 is 0
def test_an_id_number_typed_in_groups_or_read_out_is_the_id_number(api, said):
    token = api.veteran_token()
    say(api, token, "你好")
    turn = say(api, token, f"我叫王磊，身份证{said}，成都市锦江区")
    fields = fields_of(api, token, turn)
    assert fields["name"] == "王磊" and fields["id_number"].endswith("0117")


def test_a_mobile_number_read_out_is_the_phone_not_the_address(api):
    token = api.veteran_token()
    _, turn = at(api, token, "phone")
    turn = say(api, token, "我的手机是幺三九幺二三四五六七八")
    fields = fields_of(api, token, turn)
    assert fields["phone"] == "139****5678" and "address" not in fields


def test_sichuan_tells_a_veteran_with_an_assigned_job_who_handles_what_is_not_applied_for_here(make_app):
    api = ApiClient(make_app("sichuan"))
    token, persona = api.veteran_token(), Persona("sichuan", veteran_type="assigned_job", sequence=31)
    turn = chat_until(api, token, persona, lambda t: any(r["type"] == "materials" for r in t["replies"]))
    notice = next(r for r in turn["replies"] if r["type"] == "materials")["text"]
    # sc 三: 安排工作退役士兵涉及的党组织关系转接…由退役军人事务部门协调接收单位负责办理
    assert "安排工作退役士兵涉及的党组织关系转接、团组织关系转接、社会保险登记" in notice
    assert "由退役军人事务部门协调接收单位负责办理，无需在此申请" in notice


def test_a_self_employed_veteran_is_told_of_no_receiving_employer(api):
    token = api.veteran_token()
    turn = chat_until(api, token, Persona("sichuan"), lambda t: any(r["type"] == "materials" for r in t["replies"]))
    assert "接收单位" not in next(r for r in turn["replies"] if r["type"] == "materials")["text"]


def test_a_county_given_for_the_card_city_is_its_city(api):
    token = api.veteran_token()
    persona = Persona("sichuan", several_at_once=False)
    chat_until(api, token, persona, lambda t: t["expecting"]["slot"] == "confirm" and "ethnicity" in t["expecting"].get("slots", []),
               limit=60)
    say(api, token, "不是")  # the places are asked one by one
    turn = chat_until(api, token, persona, lambda t: "card_city" in t["expecting"].get("slots", [t["expecting"]["slot"]]),
                      limit=40)
    turn = say(api, token, "发卡地市州：成都市锦江区")
    assert fields_of(api, token, turn)["card_city"] == {"code": "510100", "name": "四川省成都市"}


def test_going_back_from_a_corrected_answer_goes_back_a_question_each_time_and_erases_only_what_it_asks_again(api):
    token = api.veteran_token()
    persona = Persona("sichuan")
    at_summary(api, token, persona)
    say(api, token, "修改地址")
    say(api, token, "成都市锦江区人民路8号")
    asked = [say(api, token, "上一步")["expecting"] for _ in range(3)]
    assert len({e["slot"] for e in asked}) == 3 and asked[0]["slot"] == "address"  # a different question each time
    fields = fields_of(api, token, {"case_id": say(api, token, "我的申请到哪一步了")["case_id"]})
    # answered after the address and not asked again on the way back: kept
    assert {"householder_name", "householder_id_number", "card_bank", "bank_account"} <= set(fields)


def test_going_back_with_the_redis_state_lost_does_not_claim_to_be_at_the_first_step(api, app):
    token = api.veteran_token()
    at(api, token, "enlistment_address")
    app.extensions["redis"].flushdb()
    turn = say(api, token, "上一步")
    texts = [r["text"] for r in turn["replies"]]
    assert "已经是第一步了。" not in texts and any("不能再往回退了" in t for t in texts)
    assert turn["expecting"]["slot"] == "enlistment_address"


def test_sichuan_tells_its_offline_matters_as_its_plan_has_them_not_as_visits(api):
    token = api.veteran_token()
    turn = chat_until(api, token, Persona("sichuan"), lambda t: any(r["type"] == "materials" for r in t["replies"]))
    notice = next(r for r in turn["replies"] if r["type"] == "materials")["text"]
    # sc 三(三) and 附件3 三（二）（六）: offline, at the season's joint office or collected for them
    assert "预备役登记：线下办理：退役季集中办公时由人武部门办理，或委托退役军人事务部门收集预备役登记表" in notice
    assert "党组织关系转接：线下办理：退役季集中办公时由组织部门办理" in notice


def test_asking_to_change_an_earlier_answer_without_the_new_value_asks_for_it(api):
    token = api.veteran_token()
    at(api, token, "enlistment_address")
    turn = say(api, token, "我想改一下办理地")
    assert turn["expecting"]["slot"] == "handling_region" and "新的办理" in turn["replies"][0]["text"]


@pytest.mark.parametrize("slot, said, stored", [
    ("training_detail", "想考大车驾照", {"training_detail": "想考大车驾照"}),  # no question about the military licence
    ("training_detail", "养殖", {"training_detail": "养殖"}),
    ("training_detail", "什么都可以", {"training_detail": "什么都可以"}),  # a question word that asks nothing
    ("enlistment_address", "团结村五组", {"enlistment_address": "团结村五组"}),  # 团 is no 团组织关系 question
    ("name", "我叫张有为", {"name": "张有为"}),
])
def test_answers_that_resemble_a_policy_topic_are_stored_as_answers(api, slot, said, stored):
    token = api.veteran_token()
    _, turn = at(api, token, slot)
    turn = say(api, token, said)
    fields = fields_of(api, token, turn)
    assert {k: fields.get(k) for k in stored} == stored


@pytest.mark.parametrize("said", ["没有问题", "不用改", "没有要改的", "没意见"])
def test_agreeing_by_saying_nothing_is_wrong_agrees_to_the_matters(api, said):
    token = api.veteran_token()
    _, turn = at(api, token, "matters")
    turn = say(api, token, said)
    assert turn["replies"][0]["text"].startswith("好的，将为您办理")


def test_going_back_is_never_taken_as_an_answer_to_a_choice_on_screen(make_app):
    api = ApiClient(make_app("guangdong"))
    token = api.veteran_token()
    persona = Persona("guangdong", several_at_once=False)
    chat_until(api, token, persona, lambda t: t["expecting"]["slot"] == "political_status"
               and "address" in t["expecting"].get("slots", []), limit=60)
    turn = say(api, token, "返回上一步")
    assert turn["replies"][0]["text"] == "好的，回到上一步。" and "address" not in fields_of(api, token, turn)


@pytest.mark.parametrize("said", ["对，注销了", "是，已注销"])
def test_a_yes_with_what_it_is_about_answers_the_hukou_screening(api, said):
    token = api.veteran_token()
    _, turn = at(api, token, "need_hukou", Persona("sichuan", sequence=23, several_at_once=False))
    turn = say(api, token, said)
    assert "need_hukou" not in turn["expecting"].get("slots", [turn["expecting"]["slot"]])
    assert "faq" not in turn["replies"][0].get("data", {})


@pytest.mark.parametrize("said", ["良好", "身体很好"])
def test_health_said_the_everyday_way_is_the_health_status_and_nothing_else(api, said):
    token = api.veteran_token()
    _, turn = at(api, token, "health_status")
    turn = say(api, token, said)
    fields = fields_of(api, token, turn)
    assert fields["health_status"] == "健康或良好" and "address" not in fields


def test_a_number_too_short_is_counted_without_the_words_around_it(api):
    token = api.veteran_token()
    at(api, token, "enlistment_address")
    assert say(api, token, "身份证号填错了")["expecting"]["slot"] == "id_number"
    turn = say(api, token, "身份证号51010419990315011")
    assert "17位" in turn["replies"][0]["text"] and "21位" not in turn["replies"][0]["text"]


def test_only_a_real_confirmation_submits_the_case(api):
    token = api.veteran_token()
    summary = at_summary(api, token, Persona("sichuan"))
    for said in ["先不提交", "嗯我想想", "有点问题", "还是等等吧", "我还是想先问问邮费", "社保局还是人社局", "提交以后咋弄"]:
        turn = say(api, token, said)
        assert turn["expecting"] == summary["expecting"], said
        assert api.get(f"/api/v1/cases/{turn['case_id']}", token=token)["status"] == "draft", said
    turn = say(api, token, "没问题，提交吧")
    assert turn["expecting"] is None and "申请已提交" in turn["replies"][0]["text"]


@pytest.mark.parametrize("tapped, submitted", [("确认提交", True), (True, True), ("修改", False), (False, False)])
def test_a_tapped_summary_button_submits_only_when_it_confirms(api, tapped, submitted):
    token = api.veteran_token()
    at_summary(api, token, Persona("sichuan"))
    turn = tap(api, token, "confirm", tapped)
    status = api.get(f"/api/v1/cases/{turn['case_id']}", token=token)["status"]
    assert (status == "submitted") is submitted and (turn["expecting"] is None) is submitted


@pytest.mark.parametrize("slot", ["name", "address", "training_detail", "reserve_service"])
@pytest.mark.parametrize("said", ["原件还是复印件", "社保局还是人社局", "照片要几K", "社保卡寄过来邮费好多钱"])
def test_a_question_without_a_question_word_is_answered_not_stored(api, slot, said):
    token = api.veteran_token()
    _, turn = at(api, token, slot)
    before = fields_of(api, token, turn) if turn["case_id"] else None
    answer = say(api, token, said)
    assert answer["expecting"] == turn["expecting"]
    if before is not None:
        assert fields_of(api, token, answer) == before


def test_a_vague_date_is_asked_again_and_the_next_date_stays_where_it_belongs(api):
    token = api.veteran_token()
    _, turn = at(api, token, "enlistment_date")
    turn = say(api, token, "19年秋天去的部队，24年9月退的，32145部队，证号2024090011，陆军")
    fields = fields_of(api, token, turn)
    assert "enlistment_date" not in fields and fields["discharge_date"] == "2024-09"
    assert fields["unit_code"] == "32145部队" and asks(turn, "enlistment_date")


def test_the_licence_number_is_stored_without_its_label_and_corrected_by_its_own_name(make_app):
    api = ApiClient(make_app("guangdong"))
    token = api.veteran_token()
    persona, turn = at(api, token, "military_license_no", Persona("guangdong", has_military_licence=True,
                                                                  several_at_once=False))
    fields = fields_of(api, token, say(api, token, "驾驶证号是JZ2019005"))
    assert fields["military_license_no"] == "JZ2019005"
    fields = fields_of(api, token, say(api, token, "驾驶证号填错了，应该是JZ2019006"))
    assert fields["military_license_no"] == "JZ2019006" and fields["discharge_cert_no"] == "2024090011"


@pytest.mark.parametrize("said", ["出生地是绵阳市涪城区，其他都对", "不是，出生地是绵阳市涪城区，其他都对",
                                  "是的，不过出生地是绵阳市涪城区", "对，但是出生地是绵阳市涪城区"])
def test_one_place_named_at_the_places_check_is_kept_and_the_others_confirmed(api, said):
    token = api.veteran_token()
    persona = Persona("sichuan", several_at_once=False)
    turn = chat_until(api, token, persona, lambda t: "以下地点是否都是" in t["replies"][-1]["text"], limit=60)
    before = fields_of(api, token, turn)
    fields = fields_of(api, token, say(api, token, said))
    assert fields["birthplace"]["code"] == "510703"
    assert fields["native_place"]["code"] == fields["intended_hukou"]["code"] == "510104"
    assert fields.get("education") == before.get("education")


def test_a_place_is_corrected_by_its_everyday_name(api):
    token = api.veteran_token()
    at_summary(api, token, Persona("sichuan"))
    fields = fields_of(api, token, say(api, token, "出生地填错了，应该是绵阳市涪城区"))
    assert fields["birthplace"]["code"] == "510703"


def test_a_screening_answer_changed_at_the_proposal_changes_the_proposal(api):
    token = api.veteran_token()
    persona = Persona("sichuan", hukou_cancelled=False, several_at_once=False)
    _, turn = at(api, token, "matters", persona)
    assert "hukou" not in turn["replies"][-1]["data"]["selected"]
    turn = say(api, token, "户口注销了的，要恢复户口")
    assert turn["expecting"]["slot"] == "matters" and "hukou" in turn["replies"][-1]["data"]["selected"]


def test_the_places_check_lists_every_place_it_fills(api):
    token = api.veteran_token()
    persona = Persona("sichuan", several_at_once=False)
    turn = chat_until(api, token, persona, lambda t: "以下地点是否都是" in t["replies"][-1]["text"], limit=60)
    prompt = turn["replies"][-1]["text"]
    fields = fields_of(api, token, say(api, token, "是"))
    filled = [key for key in ("enlistment_place", "pre_enlistment_hukou", "birthplace", "reserve_place") if key in fields]
    labels = {"enlistment_place": "批准入伍地", "pre_enlistment_hukou": "入伍前户口所在地", "birthplace": "出生地",
              "reserve_place": "预备役"}
    assert filled and all(labels[key] in prompt for key in filled), prompt


def test_a_place_not_found_is_said_at_once_and_never_taken_as_the_name(api):
    token = api.veteran_token()
    say(api, token, "你好")
    turn = say(api, token, f"我叫陈志强，身份证{Persona('sichuan').id_number}，成都高新区")
    assert "没有找到“成都高新区”" in turn["replies"][0]["text"]
    fields = fields_of(api, token, turn)
    assert fields["name"] == "陈志强" and "handling_region" not in fields


@pytest.mark.parametrize("status, dropped, added", [("群众", {"party_transfer"}, set()),
                                                    ("共青团员", {"party_transfer"}, {"league_transfer"})])
def test_a_political_status_changed_at_the_summary_proposes_the_matters_again(api, status, dropped, added):
    token, persona = api.veteran_token(), Persona("sichuan")
    summary = at_summary(api, token, persona)
    before = {m["key"] for m in api.get(f"/api/v1/cases/{summary['case_id']}", token=token)["matters"]}
    turn = say(api, token, f"政治面貌改成{status}")
    assert turn["expecting"]["slot"] == "matters" and "重新建议" in " ".join(r["text"] for r in turn["replies"])
    chat_until(api, token, persona, lambda t: t["expecting"] is None, turn=turn, limit=20)
    case = api.get(f"/api/v1/cases/{summary['case_id']}", token=token)
    assert case["status"] == "submitted" and case["fields"]["political_status"] == status
    assert {m["key"] for m in case["matters"]} == (before - dropped) | added



@pytest.mark.parametrize("said, name", [  # a relative typing for the veteran; voice input without punctuation
    ("他叫李强，身份证510104199903150117，成都市锦江区", "李强"), ("她叫李强，身份证510104199903150117，成都市锦江区", "李强"),
    ("俺儿子叫李强，身份证510104199903150117，成都市锦江区", "李强"),
    ("帮我老公办，他叫李强，身份证510104199903150117，成都市锦江区", "李强"),
    ("我叫张伟身份证号510104199903150117成都市锦江区", "张伟"),
])
def test_the_veterans_name_id_and_county_are_taken_however_the_message_gives_them(api, said, name):
    token = api.veteran_token()
    say(api, token, "我儿子退伍了帮他办")
    fields = fields_of(api, token, say(api, token, said))
    assert fields["name"] == name and fields["handling_region"]["code"] == "510104" and "id_number" in fields


def test_contact_details_said_without_punctuation_stay_apart(api):
    token = api.veteran_token()
    at(api, token, "phone")
    turn = say(api, token, "13800138000成都市锦江区红星路1号3栋2单元501紧急联系人是我妈李秀英电话13900139000")
    fields = fields_of(api, token, turn)
    assert fields["address"] == "成都市锦江区红星路1号3栋2单元501"
    assert fields["emergency_contact_name"] == "李秀英" and fields["emergency_contact_relation"] == "母亲"
    assert fields["emergency_contact_phone"] == "139****9000"


@pytest.mark.parametrize("said", ["红星路1号新疆喀什市工商银行锦江支行6222020200112233445",
                                  "红星路1号，新疆喀什市，工商银行锦江支行卡号6222020200112233445"])
def test_the_bank_said_without_punctuation_is_the_bank_not_the_address(api, said):
    token = api.veteran_token()
    _, turn = at(api, token, "enlistment_address", Persona("sichuan"))
    assert {"bank_name", "bank_account"} <= set(turn["expecting"]["slots"])
    turn = say(api, token, said)
    fields = fields_of(api, token, turn)
    assert fields["bank_name"] == "工商银行锦江支行" and fields["enlistment_address"] == "红星路1号"
    assert "service_region" in fields and "bank_account" in fields


def test_a_bank_named_with_its_card_number_is_the_bank(api):
    token = api.veteran_token()
    at(api, token, "enlistment_address", Persona("sichuan"))
    turn = say(api, token, "红星路1号，新疆喀什市，工商银行卡号6222020200112233445")
    fields = fields_of(api, token, turn)
    assert fields["bank_name"] == "工商银行" and "bank_account" in fields


@pytest.mark.parametrize("said", [
    "一九年九月入伍二四年九月退役32145部队证号2024090011海军",
    "2019年9月到2024年9月，32145部队，证号2024090011，海军",
    "入伍2019.9 退役2024.9 32145部队 证号2024090011 海军",
    "2019年9月入伍，2024年9月退役，三二一四五部队，证号2024090011，海军",
])
def test_service_details_said_the_way_people_speak_are_all_kept(api, said):
    token = api.veteran_token()
    at(api, token, "enlistment_date")
    turn = say(api, token, said)
    fields = fields_of(api, token, turn)
    assert (fields["enlistment_date"], fields["discharge_date"]) == ("2019-09", "2024-09")
    assert (fields["unit_code"], fields["discharge_cert_no"], fields["service_branch"]) == ("32145部队", "2024090011", "海军")


def test_service_dates_counted_back_from_this_year_are_read(api):
    from catalog.china_time import today_in_china
    token = api.veteran_token()
    at(api, token, "enlistment_date")
    turn = say(api, token, "前年9月入伍，去年9月退役，32145部队，证号2024090011，陆军")
    fields = fields_of(api, token, turn)
    year = today_in_china().year
    assert (fields["enlistment_date"], fields["discharge_date"]) == (f"{year - 2}-09", f"{year - 1}-09")
    assert fields["unit_code"] == "32145部队"


def test_the_householder_named_as_my_father_with_the_id_number_is_taken(api):
    token = api.veteran_token()
    at(api, token, "householder_name")
    turn = say(api, token, f"户主是我爸王建国身份证{example_id_number('510104', '19700101', 15)}")
    fields = fields_of(api, token, turn)
    assert fields["householder_name"] == "王建国" and "householder_id_number" in fields


def test_the_service_branch_in_a_rich_first_message_is_kept(api):
    token = api.veteran_token()
    turn = say(api, token, "我叫王磊，身份证510104199903150117，成都市锦江区，自主就业，2019年9月入伍，2024年9月退役，"
                           "部队代号32145部队，陆军")
    fields = fields_of(api, token, turn)
    assert fields["unit_code"] == "32145部队" and fields["service_branch"] == "陆军"


def faqs_in(turn):
    return [r["data"]["faq"] for r in turn["replies"] if "faq" in r.get("data", {})]


@pytest.mark.parametrize("slot, said, kept, faq", [
    ("phone", "13912345678，社保卡邮费谁出", {"phone": "139****5678"}, "social_security_card"),
    ("bank_name", "工商银行锦江支行，6222020200112233445，补助金什么时候到账", {"bank_name": "工商银行锦江支行"},
     "subsidy_payment"),
    ("political_status", "党员，户口注销了，有培训需求，服预备役，户口要去哪里办",
     {"political_status": "中共党员", "reserve_service": True}, "hukou"),
    ("enlistment_date", "2019年9月入伍，2024年9月退役，补助金什么时候到账",
     {"enlistment_date": "2019-09", "discharge_date": "2024-09"}, "subsidy_payment"),
])
def test_answers_given_with_a_question_are_kept_and_the_question_answered(api, slot, said, kept, faq):
    token = api.veteran_token()
    at(api, token, slot)
    turn = say(api, token, said)
    fields = fields_of(api, token, turn)
    assert {key: fields.get(key) for key in kept} == kept
    assert turn["replies"][0]["text"].startswith("已记下：") and faqs_in(turn) == [faq]
    assert not asks(turn, slot)


def test_a_type_given_with_a_question_is_kept_and_the_question_answered(api):
    token = api.veteran_token()
    at(api, token, "veteran_type")
    turn = say(api, token, "自主就业，一次性经济补助金怎么领")
    assert api.get(f"/api/v1/cases/{turn['case_id']}", token=token)["veteran_type"] == "self_employed"
    assert faqs_in(turn) == ["subsidy_payment"] and not asks(turn, "veteran_type")


@pytest.mark.parametrize("said, kept", [("汉族，高中，未婚，健康，照片有什么要求", {"ethnicity": "汉族", "education": "普通高中"}),
                                        ("民族汉族，照片要几寸的", {"ethnicity": "汉族"})])
def test_the_photo_question_beside_answers_at_the_places_check_is_answered_on_its_own(api, said, kept):
    token = api.veteran_token()
    persona = Persona("sichuan", several_at_once=False)
    chat_until(api, token, persona, lambda t: "以下地点是否都是" in t["replies"][-1]["text"], limit=60)
    turn = say(api, token, said)
    fields = fields_of(api, token, turn)
    assert {key: fields.get(key) for key in kept} == kept
    assert faqs_in(turn) == ["photo_spec"] and "1寸" in turn["replies"][1]["text"]


@pytest.mark.parametrize("asked", ["要办啥", "要办什么手续呢", "需要准备什么材料"])
@pytest.mark.parametrize("comma", ["，", ""])  # "" as voice input writes it
def test_a_first_message_with_values_and_what_to_do_keeps_the_values_and_goes_on(api, asked, comma):
    token = api.veteran_token()
    id_number = Persona("sichuan").id_number
    turn = say(api, token, comma.join(["我叫张伟", f"身份证号码{id_number}", "手机13912345678", "我是自主就业的", asked]))
    fields = fields_of(api, token, turn)
    assert fields["name"] == "张伟" and fields["phone"] == "139****5678" and "id_number" in fields
    assert api.get(f"/api/v1/cases/{turn['case_id']}", token=token)["veteran_type"] == "self_employed"
    assert not faqs_in(turn) and "没有说明" not in str(turn["replies"]) and not asks(turn, "name")


@pytest.mark.parametrize("said", ["好的，提交以后多久能办好", "确认提交，多久能办好"])
def test_a_confirming_word_beside_a_question_at_the_summary_submits_nothing(api, said):
    token = api.veteran_token()
    summary = at_summary(api, token, Persona("sichuan"))
    turn = say(api, token, said)
    assert turn["expecting"] == summary["expecting"] and faqs_in(turn)
    assert api.get(f"/api/v1/cases/{turn['case_id']}", token=token)["status"] == "draft"


def test_a_screening_answer_said_anew_at_the_summary_corrects_it(api):
    token = api.veteran_token()
    at_summary(api, token, Persona("sichuan"))
    turn = say(api, token, "我不服预备役")
    assert turn["replies"][0]["text"] == "已将是否服预备役改为：否。"
    assert fields_of(api, token, turn)["reserve_service"] is False
    turn = say(api, token, "我不是党员，是团员")
    assert turn["replies"][0]["text"] == "已将政治面貌改为：共青团员。"
    assert fields_of(api, token, turn)["political_status"] == "共青团员"


def test_a_question_about_the_id_card_at_its_upload_gets_the_materials_answer(api):
    token = api.veteran_token()
    _, turn = at(api, token, "material_id_card_scan", Persona("sichuan"))
    answer = say(api, token, "身份证正反面都要拍吗")
    assert faqs_in(answer) == ["materials"] and "派出所" not in answer["replies"][0]["text"]
    assert answer["expecting"] == turn["expecting"]


def test_traditional_characters_are_read_as_simplified_and_a_name_keeps_its_own(api):
    token = api.veteran_token()
    turn = say(api, token, "我叫李乾，身份證510104199903150117，成都市錦江區")
    fields = fields_of(api, token, turn)
    assert fields["name"] == "李乾" and fields["handling_region"]["code"] == "510104"
    turn = chat_until(api, token, Persona("sichuan"), lambda t: asks(t, "veteran_type"), turn=turn)
    turn = say(api, token, "我是自主就業的")
    assert "自主就业" in turn["replies"][0]["text"] and not asks(turn, "veteran_type")
    turn = say(api, token, "黨員，戶口註銷了，有培訓需求，服預備役")
    assert asks(turn, "matters") and {"party_transfer", "hukou", "training"} <= {
        o["value"] for o in turn["expecting"]["options"]} and fields_of(api, token, turn)["political_status"] == "中共党员"



def test_the_householder_named_beside_the_relation_is_taken_too(api):
    token = api.veteran_token()
    persona, _ = at(api, token, "settle_type")
    turn = say(api, token, f"回原籍，否，户主是我爸王建国身份证{persona.householder_id}")
    fields = fields_of(api, token, turn)
    assert fields["householder_relation"] == "子" and fields["householder_name"] == "王建国"
    assert fields["householder_id_number"].endswith(persona.householder_id[-4:])


@pytest.mark.parametrize("said", ["群众，户口还没有注销，培训就算了，预备役不服", "群众，户口没注销，培训算了吧，不服预备役"])
def test_never_mind_at_the_screening_is_a_no(api, said):
    token = api.veteran_token()
    _, turn = at(api, token, "political_status", Persona("sichuan"))
    proposal = say(api, token, said)
    assert proposal["expecting"]["slot"] == "matters"
    assert "培训" not in proposal["replies"][-1]["text"].split("（另")[0]


def test_a_restart_says_what_it_asks_again_and_what_it_keeps(api):
    token = api.veteran_token()
    restarted = api.post("/api/v1/chat/restart", {}, token=token)
    assert restarted["replies"][0]["text"] == "好的，我们从头开始。"
    at(api, token, "address")
    restarted = api.post("/api/v1/chat/restart", {}, token=token)
    told = restarted["replies"][0]["text"]
    assert "退役类型、要办的事项和筛选问题重新问一遍" in told and "已填写的其他内容仍保存在草稿里" in told
    fields = fields_of(api, token, restarted)
    assert "political_status" not in fields and fields["name"] == "王磊"


def recipient_confirmation(api, token):
    return chat_until(api, token, Persona("sichuan"), lambda t: "社会保障卡的收件人" in t["replies"][-1]["text"], limit=60)


def test_a_no_at_the_card_recipient_keeps_the_recipient_given_and_asks_only_the_rest(api):
    token = api.veteran_token()
    recipient_confirmation(api, token)
    turn = say(api, token, "否，收件人写我爸王建国13900139000")
    assert turn["replies"][0]["text"] == "好的，社会保障卡收件人：王建国，收件人电话：139****9000。"
    fields = fields_of(api, token, turn)
    assert fields["recipient_name"] == "王建国" and fields["recipient_phone"] == "139****9000"
    assert "mailing_address" not in fields  # not said: asked, not taken from the veteran's own
    turn = chat_until(api, token, Persona("sichuan"), lambda t: asks(t, "mailing_address"), turn=turn, limit=20)
    assert not asks(turn, "recipient_name") and not asks(turn, "recipient_phone")


@pytest.mark.parametrize("said", ["不用寄到家，寄到成都市锦江区春熙路8号", "否，成都市锦江区春熙路8号"])
def test_another_address_at_the_card_recipient_keeps_the_veteran_as_the_recipient(api, said):
    token = api.veteran_token()
    recipient_confirmation(api, token)
    turn = say(api, token, said)
    assert turn["replies"][0]["text"] == "好的，社会保障卡仍寄给您本人（王磊，138****8000），邮寄地址：成都市锦江区春熙路8号。"
    fields = fields_of(api, token, turn)
    assert (fields["recipient_name"], fields["mailing_address"]) == ("王磊", "成都市锦江区春熙路8号")
    assert fields["recipient_phone"] == "138****8000"


def test_agreeing_to_the_matters_with_the_next_answers_after_a_restart_keeps_them(make_app):
    api = ApiClient(make_app("jilin"))
    token = api.veteran_token()
    at(api, token, "bank_name", Persona("jilin", several_at_once=False))
    say(api, token, "重新开始")
    say(api, token, "我是自主就业的")
    turn = say(api, token, "户口注销了，有培训需求，服预备役")
    assert asks(turn, "matters")
    turn = say(api, token, "好的，党员，红星路1号，新疆喀什市，工商银行锦江支行，6222020200112233445")
    assert turn["replies"][0]["text"].startswith("好的，将为您办理：") and not asks(turn, "matters")
    fields = fields_of(api, token, turn)
    assert fields["political_status"] == "中共党员" and fields["bank_name"] == "工商银行锦江支行"
    assert fields["enlistment_address"] == "红星路1号" and fields["service_region"]["name"].endswith("喀什市")


def test_the_veteran_type_at_the_id_number_question_is_no_id_number(api):
    token = api.veteran_token()
    say(api, token, "我叫王磊")
    say(api, token, "成都市锦江区")
    turn = say(api, token, "自主就业")
    assert [r["text"] for r in turn["replies"]] == ["好的，退役类型：自主就业退役士兵。", "请告诉我身份证号码。"]
    assert api.get(f"/api/v1/cases/{turn['case_id']}", token=token)["veteran_type"] == "self_employed"


@pytest.mark.parametrize("said", ["我现在没带", "手边没有", "回头再传", "身份证没带"])
def test_a_material_not_at_hand_is_uploaded_later(api, said):
    token = api.veteran_token()
    _, turn = at(api, token, "material_id_card_scan", Persona("sichuan"))
    turn = say(api, token, said)
    assert turn["replies"][0]["text"] == "好的，材料可以稍后在“我的申请”里上传。提交时我会列出还没上传的材料。"
    assert turn["expecting"]["slot"] == "confirm" and not faqs_in(turn)


def test_a_party_member_said_with_the_agreement_to_the_matters_adds_the_party_transfer(api):
    token = api.veteran_token()
    at(api, token, "political_status")
    turn = say(api, token, "群众，户口注销了，有培训需求，服预备役")
    assert "party_transfer" not in turn["replies"][-1]["data"]["selected"]
    turn = say(api, token, "好的，党员，想学电工")
    assert turn["replies"][0]["text"].startswith("好的，将为您办理：退役报到、党组织关系转接") and not asks(turn, "matters")
    assert fields_of(api, token, turn)["political_status"] == "中共党员"


@pytest.mark.parametrize("said", ["我现在要上传身份证", "我要上传材料"])
def test_wanting_to_upload_at_the_summary_asks_for_the_owed_materials_again(api, said):
    token = api.veteran_token()
    at_summary(api, token, Persona("sichuan"))  # "稍后上传" at the first material
    turn = say(api, token, said)
    assert turn["replies"][0]["text"] == "好的，我们接着上传材料。" and not faqs_in(turn)
    assert turn["expecting"]["slot"] == "material_id_card_scan" and turn["expecting"]["type"] == "file"
    assert api.get(f"/api/v1/cases/{turn['case_id']}", token=token)["status"] == "draft"


@pytest.mark.parametrize("said, address", [("收件人是我自己", "成都市锦江区红星路1号"), ("寄给我自己就行", "成都市锦江区红星路1号"),
                                           ("否，收件人是我自己，寄到成都市锦江区春熙路8号", "成都市锦江区春熙路8号")])
def test_the_veteran_named_as_the_card_recipient_stays_the_recipient(api, said, address):
    token = api.veteran_token()
    chat_until(api, token, Persona("sichuan"), lambda t: "社会保障卡的收件人" in t["replies"][-1]["text"])
    turn = say(api, token, said)
    fields = fields_of(api, token, turn)
    assert (fields["recipient_name"], fields["mailing_address"]) == ("王磊", address)
    assert not any("不像姓名" in r["text"] for r in turn["replies"])


@pytest.mark.parametrize("slot, said, stored", [
    # a relative typing for the veteran: 他 is the veteran
    ("householder_relation", "户主是他爸爸", {"householder_relation": "子"}),
    ("householder_name", f"他爸叫李建军，身份证{example_id_number('510104', '19700606', 117)}",
     {"householder_name": "李建军"}),
    ("phone", "他电话13512345678，住锦江区东大街88号2栋3单元401，紧急联系人就是我，我叫张秀芳，电话13698765432",
     {"phone": "135****5678", "emergency_contact_name": "张秀芳", "emergency_contact_relation": None,
      "emergency_contact_phone": "136****5432"}),
    # spouses by their everyday words
    ("phone", "13800138000，成都市锦江区红星路1号，老伴张桂兰，夫妻，13912345678",
     {"emergency_contact_name": "张桂兰", "emergency_contact_relation": "夫妻"}),
    ("phone", "13800138000，成都市锦江区红星路1号，爱人刘燕，13912345678",
     {"emergency_contact_name": "刘燕", "emergency_contact_relation": "配偶"}),
    ("phone", "13800138000，成都市锦江区红星路1号，媳妇刘燕，13912345678",
     {"emergency_contact_name": "刘燕", "emergency_contact_relation": "妻子"}),
    # voice input: the month in characters after a year in digits, a two-digit year in characters
    ("enlistment_date", "2019年九月入伍，2024年九月退役",
     {"enlistment_date": "2019-09", "discharge_date": "2024-09", "unit_code": None}),
    ("enlistment_date", "零九年十二月入伍，一四年十二月退役", {"enlistment_date": "2009-12", "discharge_date": "2014-12"}),
    ("name", "我叫王磊今年刚退伍", {"name": "王磊"}),
    ("name", "张 三，成都市锦江区", {"name": "张三"}),
    # the label words around a free-text answer are no part of it
    ("enlistment_address", "入伍地址就是家里东大街88号，银行是农行，卡号6228 4801 2345 6789 012",
     {"enlistment_address": "东大街88号", "bank_name": "农行"}),
])
def test_what_voice_input_or_a_relative_types_is_stored_as_meant(api, slot, said, stored):
    token = api.veteran_token()
    at(api, token, slot)
    fields = fields_of(api, token, say(api, token, said))
    assert {key: fields.get(key) for key in stored} == stored


def test_this_month_is_a_date(api):
    from catalog.china_time import today_in_china
    token = api.veteran_token()
    at(api, token, "medical_insurance_start")
    turn = say(api, token, "本月")
    assert fields_of(api, token, turn)["medical_insurance_start"] == f"{today_in_china():%Y-%m}"


def test_a_mistyped_phone_beside_its_label_is_refused_and_no_other_number_takes_its_place(api):
    token = api.veteran_token()
    at(api, token, "phone")
    turn = say(api, token, "手机1380013800，住成都市锦江区红星路1号，紧急联系人李梅，夫妻，电话13912345678")
    assert turn["replies"][0]["text"] == "手机号码“1380013800”不是有效的11位手机号码。" and asks(turn, "phone")
    fields = fields_of(api, token, turn)
    assert "phone" not in fields and fields["emergency_contact_phone"] == "139****5678"


def test_an_id_number_with_an_x_inside_is_told_where(api):
    token = api.veteran_token()
    at(api, token, "id_number")
    turn = say(api, token, "510104199903150X17")
    assert turn["replies"][0]["text"] == "身份证号码第16位“X”不对：前17位应为数字，最后一位为数字或X。"


@pytest.mark.parametrize("said, told", [
    ("四川省成都市锦江区", "联系地址“四川省成都市锦江区”只写到了县（市、区），请写明路（街、村）和门牌号，如“××路1号”。"),
    ("住址跟身份证上一样", "联系地址请直接写出来，不能写“跟身份证上一样”：请写明路（街、村）和门牌号，如“××路1号”。"),
])
def test_an_address_that_names_no_street_is_asked_again(api, said, told):
    token = api.veteran_token()
    at(api, token, "address")
    turn = say(api, token, said)
    assert turn["replies"][0]["text"] == told and asks(turn, "address")
    assert "address" not in fields_of(api, token, turn)


@pytest.mark.parametrize("province, said, stored", [
    ("jilin", "朝阳区，汉族，初中，已婚，健康", ("汉族", "初中", "已婚")),  # no 好的: kept, the proposal asked again
    ("guangdong", "好的广州市天河区汉族大专未婚健康", ("汉族", "大学专科", "未婚")),  # voice input
    ("guangdong", "天河区，群众，汉族，大专，未婚，健康", ("汉族", "大学专科", "未婚")),
])
def test_answers_at_the_proposed_matters_to_questions_still_to_come_are_kept(make_app, province, said, stored):
    api = ApiClient(make_app(province))
    token = api.veteran_token()
    _, proposal = at(api, token, "matters", Persona(province))
    turn = say(api, token, said)
    fields = fields_of(api, token, turn)
    assert (fields.get("ethnicity"), fields.get("education"), fields.get("marital_status")) == stored
    assert not any(r["text"].startswith(("抱歉", "请告诉我要去掉", "好的，已按您的情况重新建议")) for r in turn["replies"])
    if not said.startswith("好的"):
        assert turn["replies"][0]["text"].startswith("已记下：") and turn["expecting"] == proposal["expecting"]


def test_a_corrected_roster_record_keeps_the_screening_answers_said_with_it(api, app):
    from tests.bot.test_conversation import _at_roster_check
    token, _, turn = _at_roster_check(api, app)
    turn = say(api, token, "不对，退役时间是2024年8月，户口注销了，不需要培训，服预备役")
    assert turn["replies"][0]["text"] == "已更正：退役时间：2024-08。"
    assert turn["expecting"] == {"slot": "confirm", "type": "yes_no", "options": ["是", "否"]}  # the record alone
    turn = say(api, token, "是")
    assert turn["expecting"]["slot"] == "matters"
    selected = turn["replies"][-1]["data"]["selected"]
    assert "hukou" in selected and "training" not in selected and "reserve_registration" in selected


def test_a_whole_form_pasted_in_the_first_message_keeps_the_values_of_matters_not_yet_proposed(api):
    token = api.veteran_token()
    id_number = example_id_number("510104", "19960412", 101)
    turn = say(api, token, f"姓名：周杰，身份证号：{id_number}，办理地：成都市锦江区，自主就业，中共党员，户口已注销，"
                           "有培训需求，服预备役，民族：汉族，文化程度：大专，开户行：工商银行锦江支行，"
                           "账号：6222020200112233445，回原籍，不是农村籍，户主是我父亲周大山")
    assert turn["expecting"]["slot"] == "matters"  # nothing of the screening asked again
    assert {"hukou", "training", "reserve_registration"} <= set(turn["replies"][-1]["data"]["selected"])
    fields = fields_of(api, token, turn)
    assert (fields["bank_name"], fields["settle_type"], fields["rural_to_urban"]) == \
        ("工商银行锦江支行", "回入伍前户籍地落户", False)
    assert (fields["householder_relation"], fields["householder_name"]) == ("子", "周大山")
    assert "bank_account" in fields


@pytest.mark.parametrize("said, told, stored", [
    ("户主是我妈，叫刘芳", "已将户主姓名改为：刘芳。", {"householder_name": "刘芳"}),
    ("我爸的电话应该是13700002222", "请告诉我要修改哪一项", {}),  # 我爸 is no field: which one is asked
])
def test_a_correction_at_the_summary_in_everyday_words_changes_the_value_or_asks_which(api, said, told, stored):
    token, persona = api.veteran_token(), Persona("sichuan")
    summary = at_summary(api, token, persona)
    before = fields_of(api, token, summary)
    turn = say(api, token, said)
    assert turn["replies"][0]["text"].startswith(told) and not turn["replies"][0].get("data", {}).get("faq")
    assert fields_of(api, token, turn) == {**before, **stored}


def test_a_dropped_matter_is_added_again_at_the_summary_in_everyday_words(api):
    token, persona = api.veteran_token(), Persona("sichuan")
    summary = at_summary(api, token, persona)
    say(api, token, "社保卡不用办了")
    turn = say(api, token, "算了社保卡还是要办")
    assert turn["replies"][0]["text"].startswith("好的，将为您办理") and "社会保障卡" in turn["replies"][0]["text"]
    case = api.get(f"/api/v1/cases/{summary['case_id']}", token=token)
    assert "social_security_card" in {m["key"] for m in case["matters"]}


def test_a_bank_account_sent_again_in_full_replaces_the_one_cut_short(api):
    token = api.veteran_token()
    at(api, token, "bank_account")
    say(api, token, "6222 0202 0011")
    turn = say(api, token, "工商银行 6222020200112233446")
    assert "已将银行账号改为：6222***********3446。" in [r["text"] for r in turn["replies"]]
    assert fields_of(api, token, turn)["bank_account"].endswith("3446")


def test_what_the_veteran_still_owes_is_told_after_submission(api):
    token, persona = api.veteran_token(), Persona("sichuan")
    at_summary(api, token, persona)  # "稍后上传" at the first material
    say(api, token, "确认提交")
    for asked in ("还有哪些材料没上传", "身份证传好了，还差什么", "我的申请到哪一步了"):
        turn = say(api, token, asked)
        assert "已提交，待审核" in turn["replies"][0]["text"], asked
        assert "以下材料还需上传：居民身份证" in turn["replies"][0]["text"], asked


def test_applying_again_while_the_case_is_open_says_why_not_and_how(api):
    token, persona = api.veteran_token(), Persona("sichuan")
    at_summary(api, token, persona)
    say(api, token, "确认提交")
    turn = say(api, token, "重新申请")
    said = " ".join(r["text"] for r in turn["replies"])
    assert "不能同时再开始一件新的申请" in said and "撤回后重新申请" in said and turn["expecting"] is None


def test_the_words_that_bring_an_answer_after_a_pause_are_no_value(api):
    token = api.veteran_token()
    at(api, token, "enlistment_date")
    turn = say(api, token, "2019年9月入伍，2024年9月退役，部队代号不知道，证号也不知道，陆军")
    assert turn["expecting"]["slots"][:3] == ["unit_code", "discharge_cert_no", "enlistment_address"]
    say(api, token, "稍后再说")
    turn = say(api, token, "我问到了，部队代号是78001部队，证号2026090123")
    assert not any("我问到了" in r["text"] for r in turn["replies"])
    fields = fields_of(api, token, turn)
    assert (fields["unit_code"], fields["discharge_cert_no"]) == ("78001部队", "2026090123")


def test_the_training_wanted_keeps_out_the_answer_said_after_it(api):
    token = api.veteran_token()
    at(api, token, "training_detail")
    fields = fields_of(api, token, say(api, token, "学个开挖掘机，回原籍落户，不是农村的"))
    assert (fields["training_detail"], fields["rural_to_urban"]) == ("学个开挖掘机", False)


def test_an_unpunctuated_first_message_keeps_the_place_and_decides_no_training(api):
    token = api.veteran_token()
    id_number = example_id_number("510104", "19980808", 103)
    turn = say(api, token, f"你好我叫陈志明身份证{id_number}成都市锦江区自主就业")
    assert "need_training" in turn["expecting"]["slots"]
    assert fields_of(api, token, turn)["handling_region"]["code"] == "510104"


def test_a_number_labelled_for_the_emergency_contact_is_never_taken_as_the_veterans_own_phone(api):
    token = api.veteran_token()
    at(api, token, "name")
    turn = say(api, token, f"我叫王磊，身份证{example_id_number('510104', '19990315', 211)}，成都市锦江区，"
                           "紧急联系人电话13900139000")
    fields = fields_of(api, token, turn)
    assert fields.get("phone") != "139****9000" and fields.get("emergency_contact_phone") == "139****9000"


def test_the_veterans_own_phone_said_after_other_labels_without_punctuation_is_still_taken(api):
    token = api.veteran_token()
    at(api, token, "name")
    turn = say(api, token, f"我叫王磊身份证{example_id_number('510104', '19990315', 211)}手机13800138000"
                           "紧急联系人电话13900139000")
    assert fields_of(api, token, turn)["phone"] == "138****8000"


def test_a_bare_number_after_the_emergency_contact_in_a_pasted_form_is_the_contacts_phone(api):
    token = api.veteran_token()
    id_number = example_id_number("510104", "19960412", 101)
    turn = say(api, token, f"姓名：周杰，身份证号：{id_number}，办理地：成都市锦江区，自主就业，手机：13811112222，"
                           "紧急联系人：周大山，父子，13833334444")
    fields = fields_of(api, token, turn)
    assert (fields["phone"], fields.get("emergency_contact_phone")) == ("138****2222", "138****4444")


@pytest.mark.parametrize("slot", ["matters", "need_hukou"])
def test_a_bare_hao_is_a_yes_not_a_greeting_passed_over(make_app, slot):
    api = ApiClient(make_app("guangdong"))
    token = api.veteran_token()
    _, turn = at(api, token, slot, Persona("guangdong", several_at_once=False))
    turn = say(api, token, "好")
    assert not asks(turn, slot)
    if slot == "matters":
        assert turn["replies"][0]["text"].startswith("好的，将为您办理")


def test_an_unlabelled_training_wish_in_a_pasted_form_lands_in_the_training_details(api):
    token = api.veteran_token()
    _, turn = at(api, token, "ethnicity")
    turn = say(api, token, "民族：汉族\n文化程度：高中\n婚姻状况：未婚\n健康状况：健康\n手机：13800138000\n"
                           "想学电工\n入伍地址：红星路1号")
    fields = fields_of(api, token, turn)
    assert fields["training_detail"] == "想学电工" and fields["enlistment_address"] == "红星路1号"
    assert "需求详情" in next(r["text"] for r in turn["replies"] if r["text"].startswith("已记下"))


def test_a_training_wish_typed_beside_an_address_question_is_no_address(api):
    token = api.veteran_token()
    at(api, token, "enlistment_address")
    turn = say(api, token, "想学电工")
    assert "不像地址" not in turn["replies"][0]["text"]
    assert fields_of(api, token, turn)["training_detail"] == "想学电工"


def test_a_place_typed_where_the_householders_name_is_asked_is_no_name(api):
    token = api.veteran_token()
    _, turn = at(api, token, "householder_name")
    turn = say(api, token, "锦江区")
    assert asks(turn, "householder_name") and "householder_name" not in fields_of(api, token, turn)


def test_a_place_typed_beside_the_address_is_not_the_emergency_contacts_relation(api):
    token = api.veteran_token()
    at(api, token, "phone", Persona("sichuan"))
    turn = say(api, token, "红星路1号，新疆喀什市")
    fields = fields_of(api, token, turn)
    assert fields["address"] == "红星路1号" and "emergency_contact_relation" not in fields


def test_a_roster_value_said_as_not_this_but_that_is_corrected(api, app):
    app.test_cli_runner().invoke(args=["demo", "load"])
    token = api.veteran_token()
    turn = chat_until(api, token, Persona("sichuan"), lambda t: "need_hukou" in t["expecting"].get("slots", []))
    turn = say(api, token, "不对，退役时间不是9月，是2024年10月")
    assert turn["replies"][0]["text"] == "已更正：退役时间：2024-10。"
    assert fields_of(api, token, turn)["discharge_date"] == "2024-10"


def test_what_is_still_owed_after_submission_is_told_from_the_case(api):
    token, persona = api.veteran_token(), Persona("sichuan")
    final = converse(api, token, persona)
    upload(api, token, final["case_id"], "id_card_scan")
    turn = say(api, token, "还欠哪些材料")
    text = turn["replies"][0]["text"]
    assert "以下材料还需上传：" in text and "居民身份证、" not in text and "政策文件里没有说明" not in text
