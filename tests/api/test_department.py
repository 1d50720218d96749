"""Departments work their own matters, see only what they are granted, in dependency order."""
import threading

from tests.conftest import on_postgres
from tests.factories import ApiClient


def _matter(case, key):
    return next(m for m in case["matters"] if m["key"] == key)


def test_an_officer_sees_only_own_department_and_region(api):
    case = api.accepted_case(api.veteran_token())
    police = api.officer_token("public_security")
    listed = api.get("/api/v1/dept/matters", token=police)["items"]
    assert {m["key"] for m in listed} == {"hukou"}  # id_card still waits for hukou
    assert all(m["department"] == "public_security" for m in listed)
    elsewhere = api.officer_token("public_security", region="5107")
    assert api.get("/api/v1/dept/matters", token=elsewhere)["items"] == []
    api.get(f"/api/v1/dept/matters/{_matter(case, 'hukou')['id']}", token=elsewhere, expect=404)
    medical = api.officer_token("medical_security")
    api.get(f"/api/v1/dept/matters/{_matter(case, 'hukou')['id']}", token=medical, expect=404)


def test_police_receive_only_the_hukou_fields(api):
    case = api.accepted_case(api.veteran_token())
    police = api.officer_token("public_security")
    matter = api.get(f"/api/v1/dept/matters/{_matter(case, 'hukou')['id']}", token=police)
    assert set(matter["fields"]) <= {"name", "id_number", "ethnicity", "education", "marital_status", "phone",
                                     "pre_enlistment_hukou", "intended_hukou", "birthplace", "native_place",
                                     "service_region", "settle_type", "rural_to_urban", "hukou_business_type",
                                     "householder_name", "householder_id_number", "householder_relation"}
    assert "bank_account" not in matter["fields"] and "address" not in matter["fields"]
    assert matter["fields"]["id_number"] == api.form()["fields"]["id_number"]
    assert matter["materials"] == []


def test_human_resources_get_each_matter_s_fields_once_it_is_sent_to_them_and_never_the_bank_account(api):
    case = api.accepted_case(api.veteran_token())
    police, hr = api.officer_token("public_security"), api.officer_token("human_resources")
    _complete(api, police, _matter(case, "hukou")["id"], "户口已恢复")
    registration = _matter(case, "social_insurance_registration")["id"]
    social = api.get(f"/api/v1/dept/matters/{registration}", token=hr)
    # the card waits for the registration: its recipient, address and photo are not theirs yet
    assert set(social["fields"]) == {"name", "id_number", "ethnicity", "education", "phone", "address",
                                     "enlistment_date", "social_insurance_place"}
    assert {m["key"] for m in social["materials"]} == {"id_card_scan"}
    _complete(api, hr, registration, "已登记")
    social = api.get(f"/api/v1/dept/matters/{registration}", token=hr)
    assert {"card_city", "card_bank", "recipient_name", "recipient_phone", "mailing_address"} <= set(social["fields"])
    assert {m["key"] for m in social["materials"]} == {"id_card_scan", "photo"} and "bank_account" not in social["fields"]


def test_veterans_affairs_see_the_whole_form(api):
    case = api.accepted_case(api.veteran_token())
    va = api.officer_token("veterans_affairs")
    report = api.get(f"/api/v1/dept/matters/{_matter(case, 'report')['id']}", token=va)
    assert "bank_account" in report["fields"] and "intended_hukou" in report["fields"]


def _complete(api, token, matter_id, result):
    api.post(f"/api/v1/dept/matters/{matter_id}/transition", {"to": "processing"}, token=token)
    return api.post(f"/api/v1/dept/matters/{matter_id}/transition", {"to": "completed", "result": result}, token=token)


def test_completing_hukou_releases_the_id_card_and_the_insurance_matters(api):
    token = api.veteran_token()
    case = api.accepted_case(token)
    police = api.officer_token("public_security")
    done = _complete(api, police, _matter(case, "hukou")["id"], "已恢复户口，户口簿请到派出所领取")
    assert done["status"] == "completed" and done["result"].startswith("已恢复户口")
    seen = {m["key"]: m for m in api.get(f"/api/v1/cases/{case['id']}", token=token)["matters"]}
    assert seen["id_card"]["status"] == "dispatched"
    assert seen["social_insurance_registration"]["status"] == "dispatched"
    assert seen["medical_insurance_registration"]["status"] == "dispatched"
    assert seen["medical_insurance_transfer"]["status"] == "waiting"
    assert seen["hukou"]["result"] == "已恢复户口，户口簿请到派出所领取"


def test_the_case_completes_when_every_matter_has(api):
    token = api.veteran_token()
    case = api.accepted_case(token, matters=["report", "hukou", "id_card"])
    va, police = api.officer_token("veterans_affairs"), api.officer_token("public_security")
    _complete(api, va, _matter(case, "report")["id"], "已报到")
    assert api.get(f"/api/v1/cases/{case['id']}", token=token)["status"] == "in_progress"
    _complete(api, police, _matter(case, "hukou")["id"], "已落户")
    _complete(api, police, _matter(case, "id_card")["id"], "EMS 1234567890123")
    final = api.get(f"/api/v1/cases/{case['id']}", token=token)
    assert final["status"] == "completed" and final["completed_at"]
    assert final["timeline"][-1]["to"] == "completed"


def test_a_returned_matter_says_what_is_missing_and_can_be_taken_up_again(api):
    token = api.veteran_token()
    case = api.accepted_case(token, matters=["report", "hukou"])
    police = api.officer_token("public_security")
    hukou = _matter(case, "hukou")["id"]
    error = api.post(f"/api/v1/dept/matters/{hukou}/transition", {"to": "returned"}, token=police, expect=422)["error"]
    assert "note" in error["fields"]
    api.post(f"/api/v1/dept/matters/{hukou}/transition", {"to": "returned", "note": "缺少房产证明"}, token=police)
    seen = _matter(api.get(f"/api/v1/cases/{case['id']}", token=token), "hukou")
    assert seen["status"] == "returned" and seen["note"] == "缺少房产证明"
    api.post(f"/api/v1/dept/matters/{hukou}/transition", {"to": "processing"}, token=police)


def test_transitions_outside_the_table_are_refused(api):
    case = api.accepted_case(api.veteran_token())
    police = api.officer_token("public_security")
    hukou = _matter(case, "hukou")["id"]
    error = api.post(f"/api/v1/dept/matters/{hukou}/transition", {"to": "completed", "result": "x"}, token=police,
                     expect=409)["error"]
    assert "已推送部门" in error["message"]
    api.post(f"/api/v1/dept/matters/{hukou}/transition", {"to": "dispatched"}, token=police, expect=422)
    api.post(f"/api/v1/dept/matters/{hukou}/transition", {"to": "processing"}, token=police)
    api.post(f"/api/v1/dept/matters/{hukou}/transition", {"to": "completed"}, token=police, expect=422)


def test_every_transition_is_on_the_timeline_with_who_and_when(api):
    token = api.veteran_token()
    case = api.accepted_case(token, matters=["report", "hukou"])
    police = api.officer_token("public_security")
    api.post(f"/api/v1/dept/matters/{_matter(case, 'hukou')['id']}/transition",
             {"to": "processing", "note": "已接件"}, token=police)
    staff_view = api.get(f"/api/v1/staff/cases/{case['id']}", token=api.window_token())
    last = [e for e in staff_view["timeline"] if e["matter"] == "hukou"][-1]
    assert (last["matter"], last["from"], last["to"], last["note"]) == ("hukou", "dispatched", "processing", "已接件")
    assert last["actor"] == "公安部门" and last["actor_ref"] == "staff:officer-public_security-home" and last["at"]
    veteran_view = api.get(f"/api/v1/cases/{case['id']}", token=token)
    assert veteran_view["timeline"][-1]["to"] == "in_progress"
    assert all("actor_ref" not in e for e in veteran_view["timeline"])


def test_jilin_sends_social_insurance_registration_to_the_social_insurance_agency(make_app):
    api = ApiClient(make_app("jilin"))
    case = api.accepted_case(api.veteran_token(), matters=["report", "social_insurance_registration"])
    agency = api.officer_token("social_insurance_agency")
    assert [m["key"] for m in api.get("/api/v1/dept/matters", token=agency)["items"]] == [
        "social_insurance_registration"]
    hr = api.officer_token("human_resources")
    assert api.get("/api/v1/dept/matters", token=hr)["items"] == []
    assert _matter(case, "social_insurance_registration")["department"] == "social_insurance_agency"


@on_postgres
def test_two_officers_cannot_both_move_a_matter_from_the_same_state(app):
    api = ApiClient(app)
    case = api.accepted_case(api.veteran_token(), matters=["report", "hukou"])
    hukou = _matter(case, "hukou")["id"]
    tokens = [api.officer_token("public_security"), api.staff_token("police-2", "department", "public_security")]
    results, barrier = [], threading.Barrier(2)

    def move(token):
        client = app.test_client()
        barrier.wait()
        response = client.post(f"/api/v1/dept/matters/{hukou}/transition", json={"to": "processing"},
                               headers={"Authorization": f"Bearer {token}"})
        results.append(response.status_code)

    threads = [threading.Thread(target=move, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200, 409]
    timeline = api.get(f"/api/v1/staff/cases/{case['id']}", token=api.window_token())["timeline"]
    assert [e["to"] for e in timeline if e["matter"] == "hukou"] == ["dispatched", "processing"]


def test_jilin_police_get_the_papers_they_compare_for_the_hukou(make_app):
    # jl 三（一）1 and 温馨提示: 《户籍注销证明》 against the 退出现役证书; 三（三）: the platform pushes them
    api = ApiClient(make_app("jilin"))
    case = api.accepted_case(api.veteran_token(), matters=["report", "hukou"])
    police = api.officer_token("public_security")
    matter = api.get(f"/api/v1/dept/matters/{_matter(case, 'hukou')['id']}", token=police)
    assert {m["key"] for m in matter["materials"]} >= {"hukou_cancellation_proof", "discharge_certificate"}
    assert "photo" not in {m["key"] for m in matter["materials"]}
