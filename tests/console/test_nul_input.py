"""A NUL character (pasted from a PDF) in any console form: a 422 in Chinese, on PostgreSQL (which cannot
store one) as on SQLite, and the console keeps working afterwards."""
import pytest

from tests.console.conftest import ConsoleClient, text_of

NUL_MESSAGE = "空字符"


def refused(response) -> bool:
    return response.status_code == 422 and NUL_MESSAGE in text_of(response) and "Internal Server Error" not in text_of(response)


@pytest.mark.parametrize("form", [{"to": "processing", "note": "缺\x00少户口簿"},
                                  {"to": "completed", "result": "已\x00办结"},
                                  {"to": "returned", "note": "退\x00回"}])
def test_a_nul_in_a_department_transition_is_refused_in_chinese(app, api, form):
    case = api.accepted_case(api.veteran_token())
    hukou = next(m for m in case["matters"] if m["key"] == "hukou")
    console = ConsoleClient(app).as_role("department", "public_security")
    if form["to"] != "processing":
        console.post(f"/console/matters/{hukou['id']}/transition", {"to": "processing"})
    response = console.post(f"/console/matters/{hukou['id']}/transition", form, expect=422)
    assert refused(response)
    page = text_of(console.get(f"/console/matters/{hukou['id']}"))
    assert "办理记录" in page and "\x00" not in page


@pytest.mark.parametrize("action, form", [("reject", {"reason": "不符合\x00条件"}),
                                          ("accept", {"note": "材料\x00齐全"}),
                                          ("archive-review", {"archive_status": "缺失", "archive_missing": "\x00"}),
                                          ("supplement", {"item": "field:address", "reason:field:address": "请\x00更正"})])
def test_a_nul_in_a_window_form_is_refused_in_chinese(api, console, action, form):
    case = api.submit(api.veteran_token())
    console.as_role("window")
    response = console.post(f"/console/cases/{case['id']}/{action}", form, expect=422)
    assert refused(response)
    assert "已提交，待审核" in text_of(console.get(f"/console/cases/{case['id']}"))


def test_a_nul_in_the_account_form_or_the_login_is_refused_in_chinese(app, console):
    console.as_role("admin")
    response = console.post("/console/admin/staff", {"username": "li", "display_name": "李\x00警官", "role": "window",
                                                     "region": "510104", "password": "long-enough-1"}, expect=422)
    assert refused(response)
    assert refused(ConsoleClient(app).login("console-\x00admin", expect=422))
