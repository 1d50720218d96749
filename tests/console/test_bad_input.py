"""Whatever a form sends, the console answers 4xx with a Chinese message, never 500."""
import pytest

from tests.console.conftest import ConsoleClient, text_of

WINDOW_POSTS = [
    ("archive-review", {"archive_status": "有点缺"}),
    ("archive-review", {"archive_status": "缺失"}),
    ("accept", {"note": "x" * 501}),
    ("reject", {}),
    ("supplement", {"item": "field:"}),
    ("supplement", {"item": "weather:rain"}),
    ("supplement", {"item": "field:address", "reason:field:address": "很长" * 150}),
    ("reveal/gender", {}),
]


@pytest.mark.parametrize("action, form", WINDOW_POSTS)
def test_bad_window_forms_get_4xx_in_chinese(api, console, action, form):
    case = api.submit(api.veteran_token())
    console.as_role("window")
    response = console.post(f"/console/cases/{case['id']}/{action}", form, expect=(404, 409, 422))
    html = response.get_data(as_text=True)
    assert 'class="error' in html and 'role="alert"' in html  # the reason, shown where the form was


@pytest.mark.parametrize("form", [{}, {"to": "processing", "note": "x" * 501}, {"to": "returned"}, {"to": ["a", "b"]}])
def test_bad_transitions_get_4xx_in_chinese(app, api, form):
    case = api.accepted_case(api.veteran_token())
    hukou = next(m for m in case["matters"] if m["key"] == "hukou")
    console = ConsoleClient(app).as_role("department", "public_security")
    response = console.post(f"/console/matters/{hukou['id']}/transition", form, expect=(409, 422))
    assert "提交的内容有误" in text_of(response) or "退回时请写明" in text_of(response) or "不能改为" in text_of(response)


@pytest.mark.parametrize("path", ["/console/cases?page=0", "/console/cases?due=tomorrow", "/console/cases?veteran_type=x",
                                  "/console/matters?status=x", "/console/stats?from=x", "/console/cases/999999",
                                  "/console/admin/notifications?status=sent"])
def test_bad_queries_get_4xx_in_chinese(console, path):
    console.as_role("admin") if "/matters" not in path else console.as_role("department", "public_security")
    response = console.get(path, expect=(404, 422))
    assert "无法完成" in text_of(response) or "没有找到" in text_of(response)


def test_bad_admin_forms_get_4xx(console):
    console.as_role("admin")
    console.post("/console/admin/staff", {"role": "king"}, expect=422)
    console.post("/console/admin/staff/999999/active", {"active": "0"}, expect=404)
    console.post("/console/admin/staff/1/active", {"active": "maybe"}, expect=422)
    console.post("/console/admin/notifications/999999/retry", expect=404)
