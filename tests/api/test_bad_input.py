"""Bad input of any shape gets a 4xx JSON error in Chinese, never a 500."""
import pytest


def _error(response):
    body = response.get_json()
    assert set(body) == {"error"} and body["error"]["message"], body
    return body["error"]


def test_malformed_json_is_a_400(api):
    response = api.client.post("/api/v1/cases", data="{not json", content_type="application/json",
                               headers={"Authorization": f"Bearer {api.veteran_token()}"})
    assert response.status_code == 400
    assert _error(response)["message"] == "请求体不是有效的 JSON"


NUL = "内容含有无法处理的控制字符（空字符 \\u0000），请删去后重新发送"


def lone_surrogate(code: str) -> str:
    return f"内容含有残缺的字符（不成对的 UTF-16 代理码位 \\u{code}，多因表情或生僻字被截断），请删去后重新发送"


@pytest.mark.parametrize("path", ["/api/v1/chat/messages", "/api/v1/cases", "/api/v1/staff/login"])
@pytest.mark.parametrize("data, message", [
    ('{"text": "\\ud800"}', lone_surrogate("d800")),
    ('{"payload": {"slot": "name", "value": "\\udc00"}}', lone_surrogate("dc00")),
    ('{"text": "你好\\u0000"}', NUL), ('{"text": "a\\u0000b"}', NUL), ('{"a\\u0000": 1}', NUL),
    ("[" * 5000, "请求体不是有效的 JSON")],
    ids=["lone_high_surrogate", "lone_low_surrogate_in_payload", "nul_at_end", "nul_inside", "nul_in_key", "deep"])
def test_a_nul_a_lone_surrogate_or_a_body_nested_thousands_deep_is_a_400_saying_which(api, path, data, message):
    """A NUL or a lone surrogate is valid JSON but no text the database keeps: the message says so, not "not JSON"."""
    auth = {"Authorization": f"Bearer {api.veteran_token()}"}
    response = api.client.post(path, data=data, content_type="application/json", headers=auth)
    assert response.status_code == 400 and _error(response)["message"] == message
    assert api.client.get("/api/v1/chat/messages", headers=auth).json["items"] == []  # nothing half-kept


def test_a_backslash_before_u0000_is_text_like_any_other(api):
    token = api.veteran_token()
    api.post("/api/v1/chat/messages", {"text": "C:\\u0000"}, token=token)
    assert api.get("/api/v1/chat/messages", token=token)["items"][0]["text"] == "C:\\u0000"


def test_a_body_that_is_not_json_is_a_415(api):
    response = api.client.post("/api/v1/staff/login", data="username=a", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415 and "JSON" in _error(response)["message"]


@pytest.mark.parametrize("body", [
    [], "text", 42, None, {"veteran_type": 5, "matters": "report", "fields": []},
    {"veteran_type": "self_employed", "matters": [1, 2], "fields": {"name": ["王"]}},
    {"veteran_type": "self_employed", "matters": ["report"], "fields": {"id_number": {"a": 1}}},
    {"veteran_type": "self_employed", "matters": ["report"], "fields": {}, "extra": 1},
    {"veteran_type": "x" * 10000, "matters": [], "fields": {}},
])
def test_wrong_shapes_get_a_4xx_with_a_chinese_message(api, body):
    response = api.client.post("/api/v1/cases", json=body, headers={"Authorization": f"Bearer {api.veteran_token()}"})
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)
    _error(response)


def test_every_field_given_the_wrong_type_is_a_422_not_a_500(api):
    body = api.form()
    for key in body["fields"]:
        for wrong in ([1], {"x": 1}, 3.5, True, None):
            broken = {**body, "fields": {**body["fields"], key: wrong}}
            response = api.client.post("/api/v1/cases", json=broken,
                                       headers={"Authorization": f"Bearer {api.veteran_token()}"})
            assert response.status_code in (201, 409, 422), (key, wrong, response.get_data(as_text=True))
            if response.status_code == 201:
                api.post(f"/api/v1/cases/{response.get_json()['id']}/withdraw", {}, token=api.veteran_token())


def test_an_oversized_body_is_a_413(app, api):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = api.client.post("/api/v1/staff/login", json={"username": "a" * 5000, "password": "b"})
    assert response.status_code == 413 and _error(response)["code"] == "too_large"


def test_unknown_paths_and_methods_answer_in_json(api):
    assert _error(api.client.get("/api/v1/nothing-here"))["code"] == "not_found"
    response = api.client.delete("/api/v1/catalog")
    assert response.status_code == 405 and _error(response)["message"] == "不支持此请求方法"


def test_bad_query_parameters_are_a_422(api):
    error = api.get("/api/v1/staff/cases?due_within_days=abc", token=api.window_token(), expect=422)["error"]
    assert error["fields"]["due_within_days"] == "应为整数"
    api.get("/api/v1/staff/cases?status=flying", token=api.window_token(), expect=422)
    api.get("/api/v1/staff/cases?colour=red", token=api.window_token(), expect=422)


def test_an_unknown_case_id_is_a_404(api):
    api.get("/api/v1/cases/999999", token=api.veteran_token(), expect=404)
    api.post("/api/v1/staff/cases/999999/accept", {}, token=api.window_token(), expect=404)
    api.post("/api/v1/dept/matters/999999/transition", {"to": "processing"},
             token=api.officer_token("public_security"), expect=404)


BLANK = "不能为空白，请填写具体内容"


@pytest.mark.parametrize("blank", ["   ", "\u200b", " \u3000\ufeff\u200d "])
def test_a_blank_reason_note_or_result_is_a_422_and_the_veteran_is_told_nothing(api, blank):
    token, window, police = api.veteran_token(), api.window_token(), api.officer_token("public_security")
    case = api.submit(token, matters=["report", "hukou"])  # nothing to upload first: originals checked at the window
    staff_case = f"/api/v1/staff/cases/{case['id']}"
    error = api.post(f"{staff_case}/reject", {"reason": blank}, token=window, expect=422)["error"]
    assert error["fields"] == {"reason": BLANK} and BLANK in error["message"]
    error = api.post(f"{staff_case}/request-supplement", {"items": [{"field": "phone", "reason": blank}]},
                     token=window, expect=422)["error"]
    assert error["fields"] == {"items.0.reason": BLANK}
    api.post(f"{staff_case}/archive-reviewed", {"archive_status": "完整"}, token=window)
    hukou = next(m["id"] for m in api.post(f"{staff_case}/accept", {}, token=window)["matters"] if m["key"] == "hukou")
    transition = f"/api/v1/dept/matters/{hukou}/transition"
    api.post(transition, {"to": "processing"}, token=police)
    assert api.post(transition, {"to": "returned", "note": blank}, token=police, expect=422)["error"]["fields"] == \
        {"note": BLANK}
    assert api.post(transition, {"to": "completed", "result": blank}, token=police, expect=422)["error"]["fields"] == \
        {"result": BLANK}
    titles = [m["title"] for m in api.get("/api/v1/messages", token=token)["items"]]
    assert not [t for t in titles if "退回" in t or "已办结" in t]


@pytest.mark.parametrize("blank", ["", "   ", "\u200b", "\ufeff", " \u3000\ufeff\u200d "])
def test_a_chat_message_of_only_spaces_or_invisible_characters_is_refused_as_empty(api, blank):
    """Not taken as an answer ("姓名“\u200b”不像姓名"): nothing was said, so nothing is kept or asked again."""
    token = api.veteran_token()
    api.post("/api/v1/chat/messages", {"text": "你好"}, token=token)
    error = api.post("/api/v1/chat/messages", {"text": blank}, token=token, expect=422)["error"]
    assert error["fields"] == {"text": BLANK}
    assert len(api.get("/api/v1/chat/messages", token=token)["items"]) == 3  # 你好 and the guide's two replies
    answer = api.post("/api/v1/chat/messages", {"text": "\u200b我叫王磊\ufeff"}, token=token)
    assert "不像姓名" not in str(answer["replies"])
    assert api.get("/api/v1/chat/messages", token=token)["items"][-len(answer["replies"]) - 1]["text"] == "我叫王磊"


def test_reasons_and_results_are_kept_without_the_spaces_around_them(api):
    token = api.veteran_token()
    case = api.submit(token)
    api.post(f"/api/v1/staff/cases/{case['id']}/reject", {"reason": "\u200b 不属于本地接收安置对象\u3000"},
             token=api.window_token())
    assert api.get(f"/api/v1/cases/{case['id']}", token=token)["decision_reason"] == "不属于本地接收安置对象"


def test_an_unknown_veteran_type_in_the_queue_filter_is_a_422(api):
    error = api.get("/api/v1/staff/cases?veteran_type=退伍", token=api.window_token(), expect=422)["error"]
    assert error["fields"] == {"veteran_type": "没有这个退役类型"}
    api.get("/api/v1/staff/cases?veteran_type=self_employed", token=api.window_token())


@pytest.mark.parametrize("row_id", [2**31, 5120261201000001, 10**20])
def test_an_id_beyond_the_id_columns_is_the_routes_own_404(api, row_id):
    """A case number typed as the id must not reach PostgreSQL's integer column (or SQLite's 64 bits)."""
    token, window, police = api.veteran_token(), api.window_token(), api.officer_token("public_security")
    for method, path, who, message in [
        ("GET", f"/api/v1/staff/cases/{row_id}", window, "没有找到这件申请"),
        ("POST", f"/api/v1/staff/cases/{row_id}/accept", window, "没有找到这件申请"),
        ("GET", f"/api/v1/cases/{row_id}", token, "没有找到这件申请"),
        ("GET", f"/api/v1/cases/{row_id}/form.pdf", window, "没有找到这件申请"),
        ("GET", f"/api/v1/dept/matters/{row_id}", police, "没有找到这个事项"),
        ("POST", f"/api/v1/dept/matters/{row_id}/transition", police, "没有找到这个事项"),
    ]:
        body = {"to": "processing"} if "transition" in path else {} if method == "POST" else None
        error = api.call(method, path, json=body, token=who, expect=404)["error"]
        assert error["message"] == message, path


def test_a_number_given_in_the_wrong_field_is_quoted_back_masked(api):
    """The 422 names the value it refuses, as the roster report does: never a whole personal number."""
    token = api.veteran_token()
    id_number = api.form()["fields"]["id_number"]
    body = api.form(name=id_number, phone=id_number, unit_code="6222020200112233445")
    error = api.post("/api/v1/cases", body, token=token, expect=422)["error"]
    shown = id_number[:4] + "*" * 10 + id_number[-4:]
    assert error["fields"]["phone"] == f"手机号码“{shown}”不是有效的11位手机号码"
    assert error["fields"]["name"].startswith(f"姓名“{shown}”不像姓名")
    assert "“6222***********3445”" in error["fields"]["unit_code"]
    assert id_number not in str(error) and "6222020200112233445" not in str(error)
