"""The Rasa custom actions, served by the real action server (`python -m rasa_sdk`) and called the
way a Rasa server calls them: POST /webhook with the action, the domain and the tracker.

The server runs in a subprocess on the test database (the same SQLite file, or PostgreSQL) and
the test Redis, with the Sichuan profile; the test reads what it wrote through its own app.
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from importlib.metadata import version
from pathlib import Path

import pytest
import requests
import yaml
from sqlalchemy import select

from bot.nlu_data import read_nlu_dir
from catalog.loader import DIALOGS_DIR, load_profile
from models import Case, Veteran, db
from tests.conftest import TEST_REDIS_URL
from tests.factories import ApiClient, complete_form

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((DIALOGS_DIR / "rasa" / "domain.yml").read_text(encoding="utf-8"))
OUR_ACTIONS = {"validate_veteran_form", "action_submit_case", "action_report_progress",
               "action_answer_policy_question"}
VALID_ID = "510104199903150117"    # 男 (17th digit odd)
VALID_ID_F = "510104199903150125"  # 女
VALID_ID_X = "51010419990315015X"
BAD_CHECKSUM = "510104199903150118"
EVERY_MATTER = {"veteran_type": "self_employed", "matters": [
    "report", "party_transfer", "league_transfer", "hukou", "id_card", "reserve_registration",
    "social_insurance_registration", "pension_transfer", "social_security_card", "medical_insurance_registration",
    "medical_insurance_transfer", "lump_sum_subsidy", "training"]}
STARTUP_SECONDS = 60
CALL_SECONDS = 120  # the first call builds the app: profile, classifier, database engine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def action_server(database_url, tmp_path_factory):
    """The action server's base URL; the server is stopped when the module's tests are done."""
    port = _free_port()
    env = {**os.environ, "APP_ENV": "testing", "DATABASE_URL": database_url, "PROVINCE": "sichuan",
           "SANIC_HOST": "127.0.0.1"}
    env.pop("REDIS_URL", None)
    if TEST_REDIS_URL:
        env["REDIS_URL"] = TEST_REDIS_URL
    log_path = tmp_path_factory.mktemp("rasa") / "action_server.log"
    with open(log_path, "wb") as log:
        # Its own process group: Sanic serves from a worker process it starts itself.
        server = subprocess.Popen(
            [sys.executable, "-m", "rasa_sdk", "--actions-module", "bot.rasa_actions", "--port", str(port)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if server.poll() is not None:
                pytest.fail(f"the action server exited with {server.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                if requests.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet, or its worker not yet serving
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the action server did not answer /health:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.2)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)


def tracker(sender: str, slots: dict | None = None, text: str = "", intent: str = "inform",
            candidates: dict | None = None, form: bool = True, message_id: str | None = None) -> dict:
    """A tracker as Rasa sends it: every domain slot, the latest user message, and (for a form)
    the slot candidates the form extracted from it as the last events."""
    message = {"text": text, "intent": {"name": intent, "confidence": 0.97}, "entities": [],
               "message_id": message_id or uuid.uuid4().hex, "metadata": {}}
    now = time.time()
    events = [{"event": "action", "timestamp": now - 3, "name": "action_session_start"},
              {"event": "session_started", "timestamp": now - 3},
              {"event": "action", "timestamp": now - 2, "name": "action_listen"},
              {"event": "user", "timestamp": now - 1, "text": text, "parse_data": message,
               "input_channel": "rest", "message_id": message["message_id"]}]
    events += [{"event": "slot", "timestamp": now, "name": k, "value": v} for k, v in (candidates or {}).items()]
    all_slots = {name: None for name in DOMAIN["slots"]}
    all_slots.update(requested_slot=next(iter(candidates), None) if candidates else None)
    all_slots.update(slots or {})
    all_slots.update(candidates or {})
    return {"sender_id": sender, "slots": all_slots, "latest_message": message, "latest_event_time": now,
            "followup_action": None, "paused": False, "events": events, "latest_input_channel": "rest",
            "active_loop": {"name": "veteran_form"} if form else {},
            "latest_action": {"action_name": "action_listen"}, "latest_action_name": "action_listen"}


@pytest.fixture
def webhook(action_server):
    """webhook(action, tracker, expect=200, domain=DOMAIN) -> the JSON answer."""
    def call(action: str, state: dict, expect: int = 200, domain=DOMAIN) -> dict:
        body = {"next_action": action, "sender_id": state["sender_id"], "version": version("rasa-sdk"),
                "tracker": state}
        if domain is not None:
            body["domain"] = domain
        response = requests.post(f"{action_server}/webhook", json=body, timeout=CALL_SECONDS)
        assert response.status_code == expect, response.text[:800]
        return response.json()
    return call


def slot_events(answer: dict) -> dict:
    return {e["name"]: e["value"] for e in answer["events"] if e["event"] == "slot"}


def texts(answer: dict) -> list[str]:
    return [r["text"] for r in answer["responses"]]


def validate(webhook, slots: dict | None = None, **candidates) -> dict:
    """validate_veteran_form on the slots a message filled; every matter is chosen unless `slots` says otherwise,
    so every field is needed."""
    slots = {**EVERY_MATTER, **(slots or {})}
    return webhook("validate_veteran_form", tracker("o-rasa-form", slots, text=str(next(iter(candidates.values()))),
                                                    candidates=candidates))


# --- the server ---------------------------------------------------------------------------------

def test_server_lists_our_actions(action_server):
    listed = {a["name"] for a in requests.get(f"{action_server}/actions", timeout=10).json()}
    assert listed == OUR_ACTIONS


def test_unknown_action_is_404(webhook):
    answer = webhook("action_does_not_exist", tracker("o-rasa-x"), expect=404)
    assert answer["action_name"] == "action_does_not_exist"


def test_request_without_domain_is_449(webhook):
    webhook("action_report_progress", tracker("o-rasa-x", form=False), expect=449, domain=None)


def test_importing_the_actions_package_builds_nothing():
    """The server imports every module at start: none may read a profile or touch a database."""
    code = ("import importlib, pkgutil, bot.rasa_actions as p\n"
            "for m in pkgutil.iter_modules(p.__path__, p.__name__ + '.'): importlib.import_module(m.name)\n")
    env = {**os.environ, "PROVINCE": "no-such-province", "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]


# --- the domain shipped for deployers --------------------------------------------------------------

def test_domain_form_covers_every_field_a_veteran_fills(action_server):
    from bot.rasa_actions.form_validation import ValidateVeteranForm

    for province in ("guangdong", "sichuan", "jilin"):
        askable = {k for k, f in load_profile(province).fields.items() if not f.derived_from and not f.staff_only}
        form_slots = set(DOMAIN["forms"]["veteran_form"]["required_slots"])
        assert askable | {"veteran_type", "matters"} == form_slots
    for slot in form_slots:
        assert slot in DOMAIN["slots"]
        assert f"utter_ask_{slot}" in DOMAIN["responses"]
        assert callable(getattr(ValidateVeteranForm, f"validate_{slot}", None)), slot
    listed = {a["name"] for a in requests.get(f"{action_server}/actions", timeout=10).json()}
    assert set(DOMAIN["actions"]) == listed


def test_domain_intents_are_the_nlu_intents():
    trained = {i.split("/")[0] for i in read_nlu_dir(DIALOGS_DIR / "nlu")}
    assert set(DOMAIN["intents"]) == trained


# --- validate_veteran_form ------------------------------------------------------------------------

@pytest.mark.parametrize("said, stored, gender", [
    (VALID_ID, VALID_ID, "男"), (VALID_ID_F, VALID_ID_F, "女"), (VALID_ID_X.lower(), VALID_ID_X, "男"),
    (f"身份证号是{VALID_ID}", VALID_ID, "男"),
])
def test_valid_id_number_is_kept_and_gives_gender(webhook, said, stored, gender):
    answer = validate(webhook, id_number=said)
    assert slot_events(answer)["id_number"] == stored
    assert slot_events(answer)["gender"] == gender
    assert texts(answer) == []


@pytest.mark.parametrize("id_number, reason", [
    (BAD_CHECKSUM, "身份证号校验位不对，请核对最后一位"),
    ("51010419990315011", "身份证号码应为18位，现在是17位"),
    ("510104199913150117", "身份证号码中的出生日期无效，请核对第7到14位"),
])
def test_invalid_id_number_is_rejected_with_the_reason(webhook, id_number, reason):
    answer = validate(webhook, id_number=id_number)
    assert slot_events(answer)["id_number"] is None
    assert "gender" not in slot_events(answer)
    assert texts(answer) == [reason]


def test_bad_phone_is_rejected_with_the_reason(webhook):
    answer = validate(webhook, phone="1380013800")
    assert slot_events(answer)["phone"] is None
    assert texts(answer) == ["手机号码“1380013800”不是有效的11位手机号码"]


@pytest.mark.parametrize("said", ["我的手机是13800138000", "138-0013-8000", "+86 13800138000"])
def test_phone_said_in_a_sentence_is_taken(webhook, said):
    assert slot_events(validate(webhook, phone=said))["phone"] == "13800138000"


def test_emergency_phone_may_be_a_landline(webhook):
    assert slot_events(validate(webhook, emergency_contact_phone="028-86001234"))["emergency_contact_phone"] \
        == "028-86001234"


@pytest.mark.parametrize("said", ["2019年9月", "19年9月", "二〇一九年九月", "2019.9", "2019-09"])
def test_natural_date_is_stored_as_year_and_month(webhook, said):
    assert slot_events(validate(webhook, enlistment_date=said))["enlistment_date"] == "2019-09"


def test_both_dates_give_the_length_of_service(webhook):
    answer = validate(webhook, {"enlistment_date": "2019-09"}, discharge_date="2024年9月")
    assert slot_events(answer)["discharge_date"] == "2024-09"
    assert slot_events(answer)["service_length"] == "5年"


def test_discharge_before_enlistment_is_rejected(webhook):
    answer = validate(webhook, {"enlistment_date": "2019-09"}, discharge_date="2018年9月")
    assert slot_events(answer)["discharge_date"] is None
    assert texts(answer) == ["退役时间不能早于入伍时间"]


@pytest.mark.parametrize("slot, said, value", [
    ("training_need", "没有", False), ("training_need", "有需求", True), ("reserve_service", "是的", True),
    ("rural_to_urban", "不是", False),
])
def test_yes_no_in_its_everyday_forms(webhook, slot, said, value):
    assert slot_events(validate(webhook, **{slot: said}))[slot] is value


@pytest.mark.parametrize("slot, said, value", [
    ("political_status", "党员", "中共党员"), ("education", "大专", "大学专科"), ("ethnicity", "汉族", "汉族"),
    ("card_bank", "中国建设银行", "中国建设银行"),
])
def test_choice_by_its_everyday_name(webhook, slot, said, value):
    assert slot_events(validate(webhook, **{slot: said}))[slot] == value


def test_choice_outside_the_options_is_rejected(webhook):
    answer = validate(webhook, marital_status="保密")
    assert slot_events(answer)["marital_status"] is None
    assert texts(answer) and texts(answer)[0].startswith("婚姻状况“保密”不在可选范围内")


def test_handling_region_by_name_is_a_county_of_the_province(webhook):
    answer = validate(webhook, handling_region="成都市锦江区")
    assert slot_events(answer)["handling_region"] == {"code": "510104", "name": "四川省成都市锦江区"}


@pytest.mark.parametrize("said, reason", [
    ("成都", "办理市（州）县（市、区）：请选择到县（市、区）一级，“四川省成都市”是市（州）级"),
    ("四川省", "办理市（州）县（市、区）：请选择到县（市、区）一级，“四川省”是省级"),
    ("天河", "办理市（州）县（市、区）：“广东省广州市天河区”不在四川省，请填写四川省内的地方"),
])
def test_handling_region_outside_a_county_of_the_province_is_rejected(webhook, said, reason):
    answer = validate(webhook, handling_region=said)
    assert slot_events(answer)["handling_region"] is None
    assert texts(answer) == [reason]


def test_other_regions_may_be_anywhere(webhook):
    answer = validate(webhook, birthplace="广州市天河区")
    assert slot_events(answer)["birthplace"] == {"code": "440106", "name": "广东省广州市天河区"}


def test_bank_account_with_spaces_is_kept_as_digits_and_a_short_one_rejected(webhook):
    answer = validate(webhook, bank_account="6222 0202 0011 2233 445")
    assert slot_events(answer)["bank_account"] == "6222020200112233445"
    answer = validate(webhook, bank_account="62220202")
    assert slot_events(answer)["bank_account"] is None
    assert texts(answer) == ["银行账号应为12到19位数字，现在是“6222…”共8位"]


@pytest.mark.parametrize("slot, said, reason", [
    ("id_number", "身份证号51010419990315011", "身份证号码应为18位，现在是17位"),
    ("id_number", "我的身份证号是5101041999031501", "身份证号码应为18位，现在是16位"),
    ("bank_account", "银行卡号：62220202", "银行账号应为12到19位数字，现在是“6222…”共8位"),
    ("phone", "我的手机是1380013800", "手机号码“1380013800”不是有效的11位手机号码"),
])
def test_a_number_said_with_its_label_is_counted_without_the_label(webhook, slot, said, reason):
    answer = validate(webhook, **{slot: said})
    assert slot_events(answer)[slot] is None
    assert texts(answer) == [reason]


def test_id_number_typed_with_dashes_is_taken(webhook):
    answer = validate(webhook, id_number="510104-1999-0315-0117")
    assert slot_events(answer)["id_number"] == VALID_ID
    assert slot_events(answer)["gender"] == "男"


def test_card_city_is_the_prefecture_of_the_county_said(webhook):
    answer = validate(webhook, card_city="成都市锦江区")
    assert slot_events(answer)["card_city"] == {"code": "510100", "name": "四川省成都市"}
    assert texts(answer) == []


def test_an_answer_longer_than_a_chat_message_is_refused_without_being_read(webhook):
    answer = validate(webhook, handling_region="锦江区" * 10_000)
    assert slot_events(answer)["handling_region"] is None
    assert texts(answer) == ["您发来的内容太长了（超过1000个字），请简短地告诉我办理市（州）县（市、区）。"]


def test_a_refused_answer_is_quoted_back_only_in_part(webhook):
    answer = validate(webhook, marital_status="保密" * 400)
    [said] = texts(answer)
    assert said.startswith("婚姻状况“" + "保密" * 15 + "…”不在可选范围内")
    assert len(said) < 120


@pytest.mark.parametrize("kept", [["self_employed"], {"key": VALID_ID}, 5])
def test_a_type_kept_as_another_kind_of_json_is_asked_again(webhook, kept):
    answer = validate(webhook, {"veteran_type": kept}, phone="13800138000")
    assert slot_events(answer)["veteran_type"] is None
    assert slot_events(answer)["requested_slot"] == "veteran_type"
    assert texts(answer) == ["请选择退役类型：自主就业退役士兵、安排工作退役士兵、复员军官、逐月领取退役金退役军人"]


@pytest.mark.parametrize("slot, kept, reason", [
    ("handling_region", {"code": [VALID_ID]}, "办理市（州）县（市、区）应为地名或6位行政区划代码"),
    ("id_number", {"v": VALID_ID}, "身份证号码应为18位文字"),
])
def test_a_field_kept_as_another_kind_of_json_is_refused_and_asked_again(webhook, slot, kept, reason):
    answer = validate(webhook, {slot: kept}, phone="13800138000")
    assert slot_events(answer)[slot] is None
    assert slot_events(answer)["phone"] == "13800138000"
    assert texts(answer) == [reason]


def test_name_said_as_a_sentence(webhook):
    assert slot_events(validate(webhook, name="我叫王磊"))["name"] == "王磊"


@pytest.mark.parametrize("said, relation", [("户主是我老爸", "子"), ("我是户主的孙子", "孙子女"), ("子", "子")])
def test_householder_relation_is_kept_as_the_register_writes_it(webhook, said, relation):
    slots = {"veteran_type": "self_employed", "matters": ["hukou"], "name": "王磊", "id_number": VALID_ID}
    assert slot_events(validate(webhook, slots, householder_relation=said))["householder_relation"] == relation


def test_householder_self_fills_the_householders_name_and_id(webhook):
    slots = {"veteran_type": "self_employed", "matters": ["hukou"], "name": "王磊", "id_number": VALID_ID}
    answer = validate(webhook, slots, householder_relation="我是户主")
    assert slot_events(answer)["householder_relation"] == "本人"
    assert slot_events(answer)["householder_name"] == "王磊"
    assert slot_events(answer)["householder_id_number"] == VALID_ID


def test_field_the_chosen_matters_do_not_need_is_not_taken(webhook):
    answer = validate(webhook, {"matters": ["report"]}, bank_account="6222020200112233445")
    assert "bank_account" not in slot_events(answer)
    assert texts(answer) == []


def test_veteran_type_in_everyday_words(webhook):
    assert slot_events(validate(webhook, veteran_type="政府安排工作"))["veteran_type"] == "assigned_job"


def test_matters_by_part_of_their_labels(webhook):
    answer = validate(webhook, {"veteran_type": "self_employed"}, matters="退役报到、户口登记、社保卡")
    assert slot_events(answer)["matters"] == ["report", "hukou", "social_security_card"]


def test_matter_not_open_to_the_type_is_rejected(webhook):
    answer = validate(webhook, {"veteran_type": "demobilized_officer"}, matters=["report", "lump_sum_subsidy"])
    assert slot_events(answer)["matters"] is None
    assert texts(answer) == ["“自主就业一次性经济补助金的给付”仅适用于自主就业退役士兵，复员军官不能申请"]


def test_form_asks_only_what_the_chosen_matters_need(webhook, make_app):
    with make_app("sichuan").app_context():
        form = complete_form("self_employed", ["report"])
    assert "bank_account" not in form["fields"] and "pre_enlistment_hukou" not in form["fields"]
    slots = {"veteran_type": "self_employed", "matters": ["report"], **form["fields"]}
    phone = slots.pop("phone")
    answer = validate(webhook, slots, phone=phone)
    assert slot_events(answer)["requested_slot"] is None  # nothing left: the form is done
    slots.pop("address")
    answer = validate(webhook, slots, phone=phone)
    assert slot_events(answer)["requested_slot"] == "address"


# --- action_submit_case, action_report_progress ---------------------------------------------------

def _form_slots(app, **field_overrides) -> dict:
    with app.app_context():
        form = complete_form("self_employed", **field_overrides)
    # As validate_veteran_form leaves them: the derived slots are set too (the submission ignores them).
    return {"veteran_type": form["veteran_type"], "matters": form["matters"], **form["fields"],
            "gender": "男", "service_length": "5年"}


def _cases_of(app, sender: str) -> list[tuple]:
    """(id, case_no, status, sorted matter keys) of each case of the sender."""
    with app.app_context():
        cases = db.session.scalars(select(Case).join(Veteran, Case.veteran_id == Veteran.id)
                                   .where(Veteran.openid == sender)).all()
        return [(c.id, c.case_no, c.status, sorted(m.key for m in c.matters)) for c in cases]


def test_submit_creates_one_case_for_the_sender(webhook, make_app):
    app = make_app("sichuan")
    sender = "o-rasa-submit"
    state = tracker(sender, _form_slots(app), text="确认提交", intent="confirm_submit", form=False)
    answer = webhook("action_submit_case", state)
    [(case_id, case_no, status, matters)] = _cases_of(app, sender)
    assert status == "submitted"
    assert slot_events(answer) == {"case_id": case_id, "case_no": case_no}
    assert case_no in texts(answer)[0]
    assert "以下材料还需上传" in texts(answer)[0]
    # as the chat says it: 四川's next step and the times its 附件4 leaves out of the 7 working days
    assert "收到部队档案并审核后" in texts(answer)[0] and "不计入办理时限" in texts(answer)[0]
    assert answer["responses"][0]["custom"]["case_no"] == case_no

    # Rasa calling again for the same message (a retry) gets the same case, not a second one.
    again = webhook("action_submit_case", state)
    assert slot_events(again) == {"case_id": case_id, "case_no": case_no}
    # A new "确认提交" is told the case already exists.
    later = webhook("action_submit_case", tracker(sender, _form_slots(app), text="确认提交", intent="confirm_submit",
                                                  form=False))
    assert slot_events(later) == {}
    assert texts(later) == [f"您已有一件正在办理的申请（编号 {case_no}），请在该申请中查看进度或补正"]
    assert len(_cases_of(app, sender)) == 1


def test_submit_of_an_incomplete_form_tells_every_problem_and_clears_those_slots(webhook, make_app):
    app = make_app("sichuan")
    slots = _form_slots(app, id_number=BAD_CHECKSUM)
    slots["phone"] = None
    answer = webhook("action_submit_case", tracker("o-rasa-incomplete", slots, text="提交", intent="confirm_submit",
                                                  form=False))
    [said] = texts(answer)
    assert said.startswith("申请表有2处需要修改")
    assert "· 身份证号码：身份证号校验位不对，请核对最后一位" in said
    assert "· 手机号码：请填写手机号码" in said
    assert slot_events(answer) == {"id_number": None, "phone": None}
    assert _cases_of(app, "o-rasa-incomplete") == []


def _refusal(webhook, sender: str, slots: dict) -> tuple[str, dict]:
    answer = webhook("action_submit_case", tracker(sender, slots, text="确认提交", intent="confirm_submit", form=False))
    [said] = texts(answer)
    return said, slot_events(answer)


@pytest.mark.parametrize("change, line, cleared", [
    ({"veteran_type": ["self_employed"]},
     "· 退役类型：请选择退役类型：自主就业退役士兵、安排工作退役士兵、复员军官、逐月领取退役金退役军人", "veteran_type"),
    ({"matters": "report"}, "· 办理事项：请选择要办理的事项：退役报到、", "matters"),
    ({"veteran_type": "demobilized_officer"},
     "· 办理事项：“自主就业一次性经济补助金的给付”仅适用于自主就业退役士兵，复员军官不能申请", "matters"),
    ({"matters": ["report", "driving_license"]}, "· 办理事项：四川省“退役军人服务一件事”不包含所选的部分事项", "matters"),
    ({"intended_hukou": {"code": "440106", "name": "广东省广州市天河区"}},
     "· 拟落户所在地：“广东省广州市天河区”不在四川省，请填写四川省内的地方", "intended_hukou"),
    ({"name": "王" * 5000}, "· 姓名：您发来的内容太长了（超过1000个字），请简短地告诉我姓名。", "name"),
])
def test_a_refused_submission_speaks_of_each_problem_by_its_chinese_name(webhook, make_app, change, line, cleared):
    app = make_app("sichuan")
    said, cleared_slots = _refusal(webhook, "o-rasa-refused", {**_form_slots(app), **change})
    assert line in said.splitlines() or any(row.startswith(line) for row in said.splitlines())
    assert not re.search(r"[a-z_]{4,}", said)  # no key of ours
    assert cleared in cleared_slots and cleared_slots[cleared] is None
    assert _cases_of(app, "o-rasa-refused") == []


def test_submitting_other_answers_for_the_same_message_is_told_plainly(webhook, make_app):
    app = make_app("sichuan")
    sender, message_id = "o-rasa-same-message", uuid.uuid4().hex
    first = webhook("action_submit_case", tracker(sender, _form_slots(app), text="确认提交", intent="confirm_submit",
                                                  form=False, message_id=message_id))
    assert "case_no" in slot_events(first)
    other = webhook("action_submit_case", tracker(sender, {**_form_slots(app), "phone": "13912345678"}, text="确认提交",
                                                  intent="confirm_submit", form=False, message_id=message_id))
    assert texts(other) == ["这条消息已经提交过一份申请，当时填写的内容与现在不同，所以没有再次提交。"
                            "回复“我的申请到哪一步了”可以查看已提交的申请。"]
    assert len(_cases_of(app, sender)) == 1


@pytest.mark.parametrize("sender", [12345, {"openid": VALID_ID}])
@pytest.mark.parametrize("action", ["action_submit_case", "action_report_progress"])
def test_a_sender_that_is_no_openid_is_told_so_and_nothing_is_echoed(webhook, make_app, sender, action):
    make_app("sichuan")
    state = tracker("x", {"id_number": VALID_ID}, text="确认提交", intent="confirm_submit", form=False)
    state["sender_id"] = sender
    answer = webhook(action, state)
    assert VALID_ID not in json.dumps(answer)
    assert texts(answer) in (["无法确认您的身份，请从小程序重新进入后再提交。"], ["您还没有提交申请。"])


@pytest.mark.parametrize("text", [12345, {"q": VALID_ID}])
def test_a_message_without_text_gets_the_honest_reply(webhook, text):
    state = tracker("o-rasa-qa", text="x", intent="faq", form=False)
    state["latest_message"]["text"] = text
    [said] = texts(webhook("action_answer_policy_question", state))
    assert "政策文件里没有说明" in said


def test_progress_before_any_submission(webhook):
    answer = webhook("action_report_progress", tracker("o-rasa-nobody", text="我的申请到哪一步了", intent="ask_progress",
                                                      form=False))
    assert texts(answer) == ["您还没有提交申请。"]
    assert answer["events"] == []


def test_progress_after_submission_shows_each_matter(webhook, make_app):
    app = make_app("sichuan")
    sender = "o-rasa-progress"
    webhook("action_submit_case", tracker(sender, _form_slots(app), text="确认提交", intent="confirm_submit", form=False))
    [(case_id, case_no, _, matters)] = _cases_of(app, sender)
    with app.app_context():  # as the social insurance department would have recorded it
        matter = db.session.scalars(select(Case).where(Case.id == case_id)).one().matters[0]
        matter.status, matter.result = "completed", "已办结，社保卡已寄出"
        done_key = matter.key
        db.session.commit()

    answer = webhook("action_report_progress", tracker(sender, text="我的申请到哪一步了", intent="ask_progress", form=False))
    [said] = texts(answer)
    assert said.startswith(f"您的申请（编号 {case_no}）当前状态：已提交，待审核")
    assert "已办结（已办结，社保卡已寄出）" in said
    custom = answer["responses"][0]["custom"]
    assert custom["case_no"] == case_no
    assert sorted(m["key"] for m in custom["matters"]) == matters
    assert next(m for m in custom["matters"] if m["key"] == done_key)["result"] == "已办结，社保卡已寄出"


def test_progress_of_a_rejected_case_gives_the_reason_with_numbers_masked(webhook, make_app):
    app = make_app("sichuan")
    sender = "o-rasa-rejected"
    webhook("action_submit_case", tracker(sender, _form_slots(app), text="确认提交", intent="confirm_submit", form=False))
    [(case_id, case_no, _, _)] = _cases_of(app, sender)
    api = ApiClient(app)
    api.post(f"/api/v1/staff/cases/{case_id}/reject",
             {"reason": "身份证号510104199501010000与档案不符，请致电13912345678"}, token=api.window_token())

    answer = webhook("action_report_progress", tracker(sender, text="我的申请到哪一步了", intent="ask_progress", form=False))
    [said] = texts(answer)
    assert said.startswith(f"您的申请（编号 {case_no}）当前状态：")
    assert "原因：身份证号5101**********0000与档案不符，请致电139****5678" in said
    assert "13912345678" not in json.dumps(answer) and "510104199501010000" not in json.dumps(answer)


def test_progress_masks_the_numbers_staff_typed_in_a_result(webhook, make_app):
    app = make_app("sichuan")
    sender = "o-rasa-result"
    webhook("action_submit_case", tracker(sender, _form_slots(app), text="确认提交", intent="confirm_submit", form=False))
    [(case_id, _, _, _)] = _cases_of(app, sender)
    with app.app_context():
        matter = db.session.scalars(select(Case).where(Case.id == case_id)).one().matters[0]
        matter.status, matter.result = "completed", "已办结，有疑问请致电13912345678，经办人身份证510104199201010152"
        done_key = matter.key
        db.session.commit()

    answer = webhook("action_report_progress", tracker(sender, text="我的申请到哪一步了", intent="ask_progress", form=False))
    masked = "已办结，有疑问请致电139****5678，经办人身份证5101**********0152"
    assert f"已办结（{masked}）" in texts(answer)[0]
    assert next(m for m in answer["responses"][0]["custom"]["matters"] if m["key"] == done_key)["result"] == masked
    assert "13912345678" not in json.dumps(answer) and "510104199201010152" not in json.dumps(answer)


# --- action_answer_policy_question ----------------------------------------------------------------

def test_policy_answer_carries_its_source(webhook):
    answer = webhook("action_answer_policy_question",
                     tracker("o-rasa-qa", text="四川社保卡照片有什么要求", intent="faq", form=False))
    [said] = texts(answer)
    assert "14KB-60KB" in said
    assert "来源：《四川省优化“退役军人服务一件事”联办工作实施方案》" in said
    assert answer["responses"][0]["custom"]["sources"]
    assert answer["events"] == []


@pytest.mark.parametrize("question", ["退役金每月发多少", "附近有什么好吃的"])
def test_question_the_documents_do_not_answer_gets_the_honest_reply(webhook, question):
    answer = webhook("action_answer_policy_question", tracker("o-rasa-qa", text=question, intent="out_of_scope",
                                                             form=False))
    [said] = texts(answer)
    assert "政策文件里没有说明" in said and "退役军人服务中心" in said
    assert answer["responses"][0]["custom"]["sources"] == []
