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


@pytest.mark.parametrize("path", ["/api/v1/chat/messages", "/api/v1/cases", "/api/v1/staff/login"])
@pytest.mark.parametrize("data", ['{"text": "\\ud800"}', '{"payload": {"slot": "name", "value": "\\udc00"}}',
                                  '{"text": "a\\u0000b"}', "[" * 5000])
def test_a_lone_surrogate_a_nul_or_a_body_nested_thousands_deep_is_a_400(api, path, data):
    auth = {"Authorization": f"Bearer {api.veteran_token()}"}
    response = api.client.post(path, data=data, content_type="application/json", headers=auth)
    assert response.status_code == 400 and _error(response)["message"] == "请求体不是有效的 JSON"
    assert api.client.get("/api/v1/chat/messages", headers=auth).status_code == 200  # nothing half-kept


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
