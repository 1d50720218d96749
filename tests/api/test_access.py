"""Every route checks who is calling: anonymous and wrong-role calls are refused."""
import re

import pytest

PUBLIC = {"/healthz", "/ping", "/openapi.json", "/docs", "/docs/assets/<path:filename>", "/api/v1/catalog",
          "/api/v1/auth/wechat-login", "/api/v1/auth/dev-login", "/api/v1/staff/login", "/static/<path:filename>",
          "/api/v1/faq/search",
          "/wechat/callback",  # WeChat's signature, not a token: tests/api/test_wechat_callback.py
          "/"}  # the veteran demo page, development only: tests/console/test_access.py
# Routes more than one role may call; every other route belongs to the role of its prefix in WHO.
SHARED = {"/api/v1/cases/<int:case_id>/materials/<kind>": {"veteran", "window", "department"},
          "/api/v1/cases/<int:case_id>/form.pdf": {"veteran", "window", "department"}}
WHO = {"/api/v1/staff/roster": "window", "/api/v1/cases": "veteran", "/api/v1/chat": "veteran", "/api/v1/staff/cases": "window", "/api/v1/dept/matters": "department",
       "/api/v1/messages": "veteran", "/api/v1/subscriptions": "veteran", "/api/v1/staff/alerts": "window",
       "/api/v1/dept/alerts": "department", "/api/v1/admin": "admin"}


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/console"):
            continue  # the staff console signs in with cookie sessions: tests/console/test_access.py
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            path = re.sub(r"<int:\w+>", "1", rule.rule)
            yield rule.rule, method, path


def _owners(rule) -> set:
    if rule in SHARED:
        return SHARED[rule]
    return {role for role in [next((r for prefix, r in WHO.items() if rule.startswith(prefix)), None)] if role}


def test_every_route_is_either_public_or_guarded(app):
    for rule, _, _ in _routes(app):
        assert rule in PUBLIC or _owners(rule), f"{rule} has no access rule in this test"


def test_anonymous_calls_to_guarded_routes_get_401(app, api):
    for rule, method, path in _routes(app):
        if rule in PUBLIC:
            continue
        response = api.client.open(path, method=method, json={})
        assert response.status_code == 401, (method, path)
        assert response.get_json()["error"]["message"]


@pytest.mark.parametrize("caller", ["veteran", "window", "department", "admin"])
def test_wrong_role_calls_get_403(app, api, caller):
    token = {"veteran": lambda: api.veteran_token(), "window": lambda: api.window_token(),
             "department": lambda: api.officer_token("public_security"),
             "admin": lambda: api.staff_token("admin-1", "admin", region="51")}[caller]()
    allowed = {"veteran": {"veteran"}, "window": {"window"}, "department": {"department"}, "admin": {"window", "admin"}}[caller]
    for rule, method, path in _routes(app):
        if rule in PUBLIC or _owners(rule) & allowed:
            continue
        response = api.client.open(path, method=method, json={}, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 403, (caller, method, path, response.status_code)


def test_a_forged_token_gets_401(api):
    error = api.get("/api/v1/cases", token="not-a-real-token", expect=401)["error"]
    assert error["code"] == "invalid_token"
