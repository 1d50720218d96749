"""一表申请: one form in, one case out, every problem listed at once, retries harmless."""
import threading

import pytest
from sqlalchemy import text

from api.services import context
from models import db
from tests.conftest import on_postgres
from tests.factories import ApiClient, id_number_for


def test_a_complete_form_becomes_one_submitted_case_with_every_matter_routed(api):
    token = api.veteran_token()
    case = api.submit(token)
    assert case["status"] == "submitted" and case["case_no"].startswith("TY51")
    by_key = {m["key"]: m for m in case["matters"]}
    assert set(by_key) == {"report", "party_transfer", "league_transfer", "hukou", "id_card", "reserve_registration",
                           "social_insurance_registration", "pension_transfer", "social_security_card",
                           "medical_insurance_registration", "medical_insurance_transfer", "lump_sum_subsidy",
                           "training"}
    assert by_key["hukou"]["department"] == "public_security"
    assert by_key["social_security_card"]["department"] == "human_resources"
    assert by_key["reserve_registration"]["department"] == "armed_forces"
    assert by_key["pension_transfer"]["status"] == "not_applicable"
    assert by_key["report"]["status"] == "waiting"
    assert case["timeline"][0]["to"] == "submitted"


def test_gender_and_service_length_are_derived_not_asked(api):
    case = api.submit(api.veteran_token())
    assert case["fields"]["gender"] == "男"
    assert case["fields"]["service_length"] == "5年"


def test_giving_gender_is_refused_because_it_comes_from_the_id_number(api):
    body = api.form()
    body["fields"]["gender"] = "女"
    error = api.post("/api/v1/cases", body, token=api.veteran_token(), expect=422)["error"]
    assert "身份证号码自动生成" in error["fields"]["gender"]


def test_every_problem_is_listed_at_once_in_chinese(api):
    body = api.form()
    body["fields"].update({"id_number": "510104199903150111", "phone": "1380013", "enlistment_date": "2019-13",
                           "ethnicity": "火星族", "bank_account": "12ab"})
    del body["fields"]["address"]
    error = api.post("/api/v1/cases", body, token=api.veteran_token(), expect=422)["error"]
    assert set(error["fields"]) == {"id_number", "phone", "enlistment_date", "ethnicity", "bank_account", "address"}
    assert error["fields"]["id_number"] == "身份证号校验位不对，请核对最后一位"
    assert error["fields"]["address"] == "请填写联系地址"
    assert "6处" in error["message"]


def test_only_the_fields_the_chosen_matters_need_are_required(api):
    body = api.form(matters=["report"])
    assert "bank_account" not in body["fields"] and "intended_hukou" not in body["fields"]
    case = api.submit(api.veteran_token(), body)
    assert [m["key"] for m in case["matters"]] == ["report", "pension_transfer"]


def test_a_field_no_chosen_matter_needs_is_refused(api):
    body = api.form(matters=["report"])
    body["fields"]["bank_account"] = "6222020200112233445"
    error = api.post("/api/v1/cases", body, token=api.veteran_token(), expect=422)["error"]
    assert error["fields"] == {"bank_account": "所选事项无需填写银行账号"}


def test_a_matter_the_type_may_not_have_is_refused_with_its_reason(api):
    body = api.form("assigned_job", matters=["report", "lump_sum_subsidy", "social_security_card"])
    error = api.post("/api/v1/cases", body, token=api.veteran_token(), expect=422)["error"]
    assert "lump_sum_subsidy" in error["fields"]["matters"]
    assert "协调接收单位" in error["fields"]["matters"]


def test_a_matter_outside_the_profile_is_refused(make_app):
    api = ApiClient(make_app("jilin"))
    body = api.form()
    body["matters"].append("party_transfer")
    error = api.post("/api/v1/cases", body, token=api.veteran_token(), expect=422)["error"]
    assert "不包含此事项" in error["fields"]["matters"]


def test_a_party_transfer_for_someone_not_in_the_party_is_refused(api):
    error = api.post("/api/v1/cases", api.form(political_status="群众"), token=api.veteran_token(),
                     expect=422)["error"]
    assert error["fields"]["matters"] == ("党组织关系转接只为政治面貌为中共党员、中共预备党员的人员办理，"
                                          "您填写的是群众，请去掉此事项或更正政治面貌")
    body = api.form(matters=["report", "league_transfer"], political_status="中共党员")  # 保留团籍: may be chosen
    assert api.post("/api/v1/cases", body, token=api.veteran_token(), expect=201)["status"] == "submitted"


def test_the_handling_region_must_be_a_county_of_the_province(api):
    error = api.post("/api/v1/cases", api.form(handling_region="440106"), token=api.veteran_token(),
                     expect=422)["error"]
    assert "handling_region" in error["fields"]
    error = api.post("/api/v1/cases", api.form(handling_region="成都市"), token=api.veteran_token(),
                     expect=422)["error"]
    assert "县（市、区）" in error["fields"]["handling_region"]


def test_the_householder_defaults_to_the_veteran_when_they_are_the_householder(api):
    body = api.form(householder_relation="本人")
    del body["fields"]["householder_name"], body["fields"]["householder_id_number"]
    token = api.veteran_token()
    case = api.submit(token, body)
    staff_view = api.get(f"/api/v1/staff/cases/{case['id']}", token=api.window_token())
    assert staff_view["fields"]["householder_name"] == "王磊"
    assert staff_view["fields"]["householder_id_number"] == id_number_for("sichuan")


def test_the_householder_named_as_the_veteran_must_be_the_veteran(api):
    body = api.form(householder_relation="本人", householder_name="本人")
    del body["fields"]["householder_id_number"]
    error = api.post("/api/v1/cases", body, token=api.veteran_token(), expect=422)["error"]
    assert error["fields"]["householder_name"].startswith("与户主关系为本人时，户主姓名应与本人姓名一致")


def test_the_card_recipient_defaults_to_the_veteran(api):
    body = api.form()
    for key in ("recipient_name", "recipient_phone", "mailing_address"):
        body["fields"].pop(key, None)
    case = api.submit(api.veteran_token(), body)
    assert case["fields"]["recipient_name"] == "王磊"
    assert case["fields"]["mailing_address"] == body["fields"]["address"]


def test_a_retry_with_the_same_idempotency_key_returns_the_same_case(api):
    token, body = api.veteran_token(), api.form()
    first = api.post("/api/v1/cases", body, token=token, expect=201, headers={"Idempotency-Key": "k-1"})
    again = api.post("/api/v1/cases", body, token=token, expect=201, headers={"Idempotency-Key": "k-1"})
    assert again["id"] == first["id"] and api.last.headers["Idempotent-Replayed"] == "true"
    assert len(api.get("/api/v1/cases", token=token)["items"]) == 1


def test_reusing_an_idempotency_key_for_another_form_is_a_conflict(api):
    token = api.veteran_token()
    api.post("/api/v1/cases", api.form(), token=token, expect=201, headers={"Idempotency-Key": "k-2"})
    api.post("/api/v1/cases", api.form(matters=["report"]), token=token, expect=409,
             headers={"Idempotency-Key": "k-2"})


def test_a_second_case_while_one_is_open_is_refused(api):
    token = api.veteran_token()
    case = api.submit(token)
    error = api.post("/api/v1/cases", api.form(), token=token, expect=409)["error"]
    assert case["case_no"] in error["message"]


@on_postgres
def test_concurrent_retries_with_one_key_create_one_case(app):
    api = ApiClient(app)
    token, body = api.veteran_token(), api.form()
    statuses, barrier = [], threading.Barrier(4)

    def send():
        client = app.test_client()
        barrier.wait()
        response = client.post("/api/v1/cases", json=body, headers={"Authorization": f"Bearer {token}",
                                                                    "Idempotency-Key": "same"})
        statuses.append((response.status_code, response.get_json().get("id")))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {code for code, _ in statuses} == {201}
    assert len({case_id for _, case_id in statuses}) == 1
    with app.app_context():
        assert db.session.execute(text("SELECT count(*) FROM cases")).scalar() == 1


def test_personal_numbers_are_encrypted_at_rest(api, app):
    body = api.form()
    case = api.submit(api.veteran_token(), body)
    with app.app_context():
        raw = db.session.execute(text("SELECT * FROM cases WHERE id = :id"), {"id": case["id"]}).mappings().one()
    row = str(dict(raw))
    for key in ("id_number", "householder_id_number", "bank_account"):
        assert body["fields"][key] not in row, key
    assert "sealed:v1:" in row


def test_the_owner_sees_personal_numbers_masked(api):
    case = api.submit(api.veteran_token())
    assert case["fields"]["id_number"] == "5101**********0111"[:4] + "*" * 10 + id_number_for("sichuan")[-4:]
    assert case["fields"]["phone"] == "138****8000"
    assert "*" in case["fields"]["bank_account"]


def test_a_veteran_cannot_read_anyone_elses_case(api):
    case = api.submit(api.veteran_token("owner"))
    other = api.veteran_token("someone-else")
    error = api.get(f"/api/v1/cases/{case['id']}", token=other, expect=404)["error"]
    assert error["message"] == "没有找到这件申请"
    assert api.get("/api/v1/cases", token=other)["items"] == []


def test_the_case_lists_the_materials_its_matters_need(api):
    case = api.submit(api.veteran_token())
    materials = {m["key"]: m for m in case["materials_required"]}
    assert set(materials) == {"registration_form", "id_card_scan", "discharge_certificate", "discharge_intro_letter",
                              "photo", "medical_transfer_voucher", "org_intro_letter"}
    assert materials["registration_form"]["status"] == "generated"
    assert "14KB-60KB" in materials["photo"]["spec"]


@pytest.mark.parametrize("province, veteran_type", [
    ("guangdong", "self_employed"), ("jilin", "self_employed"), ("guangdong", "assigned_job"),
    ("jilin", "monthly_pension"), ("sichuan", "demobilized_officer"),
])
def test_every_province_accepts_a_complete_form(make_app, province, veteran_type):
    api = ApiClient(make_app(province))
    case = api.submit(api.veteran_token(), veteran_type=veteran_type)
    profile_matters = api.get("/api/v1/catalog")["veteran_types"]
    allowed = next(t["matters"] for t in profile_matters if t["key"] == veteran_type)
    assert {m["key"] for m in case["matters"]} == set(allowed)


def _posted_at_once(app, tokens: list[str], body: dict) -> list[int]:
    codes, barrier = [], threading.Barrier(len(tokens))

    def send(token):
        client = app.test_client()
        barrier.wait()
        codes.append(client.post("/api/v1/cases", json=body, headers={"Authorization": f"Bearer {token}"}).status_code)

    threads = [threading.Thread(target=send, args=(token,)) for token in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(codes)


@on_postgres
def test_a_double_tap_without_a_key_submits_one_case(app):
    api = ApiClient(app)
    token = api.veteran_token()
    assert _posted_at_once(app, [token] * 3, api.form()) == [201, 409, 409]
    assert len(api.get("/api/v1/cases", token=token)["items"]) == 1


@on_postgres
def test_one_person_from_two_wechat_accounts_at_once_gets_one_case(app):
    api = ApiClient(app)
    tokens = [api.veteran_token("o_phone"), api.veteran_token("o_tablet")]
    assert _posted_at_once(app, tokens, api.form()) == [201, 409]


def test_one_person_cannot_have_two_cases_under_way_from_two_accounts(api):
    body = api.form()
    api.submit(api.veteran_token("o_phone"), body)
    error = api.post("/api/v1/cases", body, token=api.veteran_token("o_tablet"), expect=409)["error"]
    assert error["code"] == "case_exists_for_id_number" and "这个身份证号码已有一件正在办理的申请" in error["message"]


def test_a_date_before_the_birth_in_the_id_number_is_refused(api):
    body = api.form(enlistment_date="1990-09", first_insured_month="1960-01")  # born 1999-03-15
    error = api.post("/api/v1/cases", body, token=api.veteran_token(), expect=422)["error"]
    assert error["fields"]["enlistment_date"] == "入伍时间不能早于出生年月（身份证号码显示为1999年3月）"
    assert error["fields"]["first_insured_month"].startswith("首次参保年月不能早于出生年月")


def test_a_wrong_answer_blames_only_itself_not_the_fields_it_decides(api):
    error = api.post("/api/v1/cases", api.form(reserve_service=1), token=api.veteran_token(), expect=422)["error"]
    assert set(error["fields"]) == {"reserve_service"}


def test_where_the_veteran_is_placed_lies_in_the_province_where_they_came_from_may_not(api):
    body = api.form(intended_hukou="440106", card_city="440100", birthplace="440106")  # 广州 in a 四川 case
    error = api.post("/api/v1/cases", body, token=api.veteran_token(), expect=422)["error"]
    assert error["fields"]["intended_hukou"] == "拟落户所在地：“广东省广州市天河区”不在四川省，请填写四川省内的地方"
    assert "card_city" in error["fields"] and "birthplace" not in error["fields"]


@pytest.mark.parametrize("city", ["442000", "441900"])  # 中山市, 东莞市: no county under them
def test_a_veteran_of_a_city_without_counties_can_submit(make_app, city):
    api = ApiClient(make_app("guangdong"))
    case = api.submit(api.veteran_token(), handling_region=city)
    assert case["status"] == "submitted" and case["fields"]["handling_region"]["code"] == city


@pytest.mark.parametrize("place, told", [("440100", "“广东省广州市”是市（州）级"), ("440000", "“广东省”是省级")])
def test_a_handling_place_above_the_county_is_refused_with_its_level(make_app, place, told):
    api = ApiClient(make_app("guangdong"))
    body = api.form(handling_region=place)
    answer = api.post("/api/v1/cases", body, token=api.veteran_token(), expect=422)
    assert told in str(answer)


def test_jilin_asks_the_household_register_of_whoever_settles_even_without_a_new_id_card(make_app):
    # jl 三（一）5: 户口簿（申请落户人员在落户后提供）
    api = ApiClient(make_app("jilin"))
    with api.app.app_context():
        matters = [m.key for m in context().profile.matters_for_type("self_employed") if m.key != "id_card"]
    case = api.submit(api.veteran_token(), matters=matters)
    statuses = {m["key"]: m["status"] for m in case["materials_required"]}
    assert "hukou" in matters and statuses["household_register"] == "after"
