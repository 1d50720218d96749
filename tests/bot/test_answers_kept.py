"""What a chat tester found lost or answered beside the point: a short form ("汉"), a county and its city
said apart, a screening answer's 党员, "身体还行没啥毛病", a value said again, a pasted form, a type typed
by pinyin with a wrong character, a card recipient passed over again and again."""
import pytest

from bot import understanding as u
from catalog.regions import RegionAmbiguous
from tests.bot.scripted_veteran import Persona
from tests.bot.test_conversation import chat_until, say
from tests.bot.test_messy_answers import at, fields_of
from tests.factories import ApiClient


def texts(turn) -> str:
    return "\n".join(r.get("text", "") for r in turn["replies"])


def test_han_alone_is_taken_as_the_ethnicity_but_not_inside_wuhan(api):
    token = api.veteran_token()
    at(api, token, "ethnicity")
    turn = say(api, token, "我在武汉当兵")
    assert "ethnicity" not in fields_of(api, token, turn)
    turn = say(api, token, "汉")
    assert fields_of(api, token, turn)["ethnicity"] == "汉族" and turn["expecting"]["slot"] != "ethnicity"


def test_a_county_and_its_city_said_in_two_places_are_the_handling_region(make_app):
    api = ApiClient(make_app("jilin"))
    token = api.veteran_token()
    persona, _ = at(api, token, "name", Persona("jilin"))
    turn = say(api, token, f"我叫刘振华，身份证号是{persona.id_number}，我现在回长春了，家在朝阳区这边")
    assert fields_of(api, token, turn)["handling_region"]["code"] == "220104"


def test_a_county_named_in_two_provinces_is_asked_about_not_dropped(app):
    with pytest.raises(RegionAmbiguous, match="北京市朝阳区"):
        u.find_region_across("家在朝阳区这边", app.extensions["context"].regions)


def test_party_member_said_in_a_screening_answer_is_not_asked_again(make_app):
    api = ApiClient(make_app("jilin"))
    token = api.veteran_token()
    persona = Persona("jilin", veteran_type="demobilized_officer", several_at_once=False)
    at(api, token, "need_hukou", persona)
    turn = say(api, token, "我户口当兵的时候就注销了，现在得恢复，预备役我也不服了，我是党员")
    assert fields_of(api, token, turn)["political_status"] == "中共党员"


def test_health_said_as_no_complaints_is_kept_and_no_policy_answer(make_app):
    api = ApiClient(make_app("jilin"))
    token = api.veteran_token()
    at(api, token, "matters", Persona("jilin", veteran_type="demobilized_officer", several_at_once=False))
    turn = say(api, token, "行，就按这个办吧，我是汉族，文化程度是大专，结婚了，身体还行没啥毛病，党员")
    assert fields_of(api, token, turn)["health_status"] == "健康或良好"
    assert "政策文件" not in texts(turn) and "health_status" not in turn["expecting"].get("slots", [])


def test_the_name_said_again_is_acknowledged_or_corrected_and_the_question_asked_again(api):
    token = api.veteran_token()
    _, before = at(api, token, "ethnicity")
    turn = say(api, token, "姓名：王磊")
    assert "已记下，与之前填写的一致：姓名" in texts(turn) and "政策文件" not in texts(turn)
    assert turn["expecting"] == before["expecting"]
    turn = say(api, token, "姓名：王小磊")
    assert "已将姓名改为：王小磊" in texts(turn) and fields_of(api, token, turn)["name"] == "王小磊"


def test_name_and_id_number_typed_again_after_a_restart_are_acknowledged(api):
    token = api.veteran_token()
    persona, _ = at(api, token, "phone")
    say(api, token, "重新开始")
    turn = say(api, token, f"我叫王磊，身份证{persona.id_number}，成都市锦江区")
    said = texts(turn).split("\n")[0]
    assert said.startswith("已记下，与之前填写的一致：") and "姓名" in said and "身份证号码" in said
    assert turn["expecting"]["slot"] == "veteran_type"


def test_a_pasted_form_keeps_the_unit_code_bank_and_settlement(api):
    token = api.veteran_token()
    at(api, token, "ethnicity")
    turn = say(api, token, "民族：汉族\n文化程度：高中\n婚姻状况：未婚\n健康状况：健康\n32145部队\n"
                           "工商银行锦江支行 6222020200112233445\n回原籍落户，不是农村籍")
    fields = fields_of(api, token, turn)
    assert fields["unit_code"] == "32145部队" and fields["bank_name"] == "工商银行锦江支行"
    assert fields["bank_account"].endswith("3445") and fields["settle_type"] == "回入伍前户籍地落户"


def test_self_employed_typed_with_a_wrong_character_of_the_same_sound_is_understood(make_app):
    api = ApiClient(make_app("jilin"))
    token = api.veteran_token()
    at(api, token, "veteran_type", Persona("jilin"))
    turn = say(api, token, "他是自主就页的")
    assert "没有理解" not in texts(turn)
    assert api.get(f"/api/v1/cases/{turn['case_id']}", token=token)["veteran_type"] == "self_employed"


def test_the_card_recipient_passed_over_twice_is_the_veteran_with_a_note(make_app):
    api = ApiClient(make_app("guangdong"))
    token = api.veteran_token()
    persona = Persona("guangdong", several_at_once=False)
    turn = chat_until(api, token, persona, lambda t: "社会保障卡的收件人" in texts(t), limit=60)
    follow_up = turn["expecting"]["slots"][1]
    turn = say(api, token, persona.phrase(follow_up))
    assert "社会保障卡的收件人" in texts(turn)  # asked a second time
    follow_up = turn["expecting"]["slots"][1]
    turn = say(api, token, persona.phrase(follow_up))
    assert "社会保障卡的收件人" not in texts(turn) and "先按寄给您本人" in texts(turn)
    fields = fields_of(api, token, turn)
    assert fields["recipient_name"] == "王磊" and fields["mailing_address"] == fields["address"]
    turn = say(api, token, "修改收件人")
    assert turn["expecting"]["slot"] == "recipient_name"
