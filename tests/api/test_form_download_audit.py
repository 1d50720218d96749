"""The registration form (登记表) prints every personal number in full: a staff member's download is a look at
them and is written to the case's timeline, which the veteran sees; the veteran's own download is not.
Besides the owner and the window, only the department granted the whole case receives it: the 退役军人事务部门,
which files it when 退役报到 is done (四川 附件2; 吉林 三（二）1); the others get their own fields (附件3)."""
import pytest

from tests.factories import ApiClient, id_number_for


def _form_pdf(api, case_id, token, expect=200):
    response = api.client.get(f"/api/v1/cases/{case_id}/form.pdf", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == expect, response.get_data(as_text=True)[:300]
    if expect == 200:
        assert response.mimetype == "application/pdf"
    return response


def test_the_window_s_download_of_the_form_is_on_the_timeline_and_the_veteran_s_is_not(api):
    token, window = api.veteran_token(), api.window_token()
    case = api.submit(token)
    _form_pdf(api, case["id"], token)
    assert len(api.get(f"/api/v1/cases/{case['id']}", token=token)["timeline"]) == len(case["timeline"])
    _form_pdf(api, case["id"], window)
    last = api.get(f"/api/v1/cases/{case['id']}", token=token)["timeline"][-1]
    assert last["actor"] == "综合窗口"
    assert last["note"].startswith("下载了办理登记表，其中有完整的身份证号码、手机号码")


@pytest.mark.parametrize("province", ["sichuan", "jilin", "guangdong"])
def test_the_veterans_affairs_department_gets_the_form_and_its_download_is_on_the_timeline(make_app, tmp_path,
                                                                                            province):
    api = ApiClient(make_app(province, UPLOAD_DIR=str(tmp_path)))
    token = api.veteran_token()
    case = api.accepted_case(token)
    officer = api.officer_token("veterans_affairs")
    report = next(m for m in case["matters"] if m["key"] == "report")
    seen = api.get(f"/api/v1/dept/matters/{report['id']}", token=officer)
    form = next(m for m in seen["materials"] if m["key"] == "registration_form")
    assert form["url"] == f"/api/v1/cases/{case['id']}/form.pdf"
    _form_pdf(api, case["id"], officer)
    last = api.get(f"/api/v1/cases/{case['id']}", token=token)["timeline"][-1]
    assert last["actor"] == "退役军人事务部门" and last["matter"] == "report"
    assert last["note"].startswith("下载了办理登记表，其中有完整的身份证号码")
    own = api.get(f"/api/v1/dept/matters/{report['id']}", token=officer)["timeline"]
    assert any(e["note"].startswith("下载了办理登记表") for e in own)


def test_other_departments_and_cases_not_sent_to_the_department_get_no_form(api):
    token = api.veteran_token()
    case = api.accepted_case(token)
    for department in ("public_security", "human_resources", "armed_forces"):
        assert _form_pdf(api, case["id"], api.officer_token(department), 404).get_json()["error"]["code"] \
            == "material_not_found"
    elsewhere = api.officer_token("veterans_affairs", region="5107")
    _form_pdf(api, case["id"], elsewhere, 404)
    waiting = api.submit(api.veteran_token("openid-not-accepted"), id_number=id_number_for("sichuan", 40))
    _form_pdf(api, waiting["id"], api.officer_token("veterans_affairs"), 404)
    hukou = next(m for m in case["matters"] if m["key"] == "hukou")
    police_view = api.get(f"/api/v1/dept/matters/{hukou['id']}", token=api.officer_token("public_security"))
    assert "registration_form" not in {m["key"] for m in police_view["materials"]}
    notes = [e["note"] for e in api.get(f"/api/v1/cases/{case['id']}", token=token)["timeline"]]
    assert not any("登记表" in (n or "") for n in notes)  # refused downloads are no looks
