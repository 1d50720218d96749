"""Every console route checks the session: anonymous callers go to the login page (or get 401 as
JSON), and a signed-in staff member of another role gets 403."""
import re

import pytest

from tests.console.conftest import ConsoleClient

PUBLIC = {"/console/static/<path:filename>", "/console/", "/console/login", "/console/logout",
          "/console/<path:unknown>"}  # the last: the console's own 404 page for a mistyped address
# Which roles may open each console blueprint: the same table api/__init__.py registers.
ROLES_OF = {"console_window": {"window", "admin"}, "console_stats": {"window", "admin"},
            "console_department": {"department"}, "console_files": {"window", "admin", "department"},
            "console_admin": {"admin"}}


def console_routes(app):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/console"):
            continue
        path = re.sub(r"<int:\w+>", "1", rule.rule).replace("<kind>", "id_card_scan").replace(
            "<key>", "id_number").replace("<table>", "regions")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method, path


def test_every_console_route_is_public_or_belongs_to_roles(app):
    for rule, _, _ in console_routes(app):
        assert rule.rule in PUBLIC or rule.endpoint.split(".")[0] in ROLES_OF, f"{rule.rule} has no access rule"


def test_anonymous_visitors_are_sent_to_the_login_page(app, console):
    for rule, method, path in console_routes(app):
        if rule.rule in PUBLIC:
            continue
        response = console.client.open(path, method=method)
        assert response.status_code == 303, (method, path, response.status_code)
        assert response.headers["Location"].startswith("/console/login"), (method, path)
        if method == "GET":
            assert "next=" in response.headers["Location"]


def test_anonymous_json_calls_get_401_in_chinese(app, console):
    for rule, method, path in console_routes(app):
        if rule.rule in PUBLIC:
            continue
        response = console.client.open(path, method=method, headers={"Accept": "application/json"})
        assert response.status_code == 401, (method, path)
        assert response.get_json()["error"]["message"] == "请先登录工作台"


@pytest.mark.parametrize("role", ["window", "department", "admin"])
def test_staff_of_another_role_get_403(app, role):
    console = ConsoleClient(app).as_role(role, department="public_security" if role == "department" else None)
    for rule, method, path in console_routes(app):
        if rule.rule in PUBLIC or role in ROLES_OF[rule.endpoint.split(".")[0]]:
            continue
        response = console.client.open(path, method=method)
        assert response.status_code == 403, (role, method, path, response.status_code)
        assert "您的岗位没有此页面的权限" in response.get_data(as_text=True)


def test_the_demo_page_exists_only_in_development(make_app):
    assert make_app("sichuan").test_client().get("/").status_code == 404
    page = make_app("sichuan", APP_ENV="development").test_client().get("/")
    assert page.status_code == 200 and "退役军人服务" in page.get_data(as_text=True)
