"""Signing in to the console: cookie sessions that end, CSRF on every form, limited login failures."""
from models import Staff, db
from tests.console.conftest import ConsoleClient, text_of


def test_window_staff_sign_in_and_land_on_their_queue(console):
    console.staff("wang", "window")
    response = console.login("wang")
    assert response.headers["Location"] == "/console/cases"
    assert "申请队列" in text_of(console.get("/console/cases"))


def test_department_officers_land_on_their_matters(console):
    console.staff("police", "department", "public_security")
    assert console.login("police").headers["Location"] == "/console/matters"


def test_a_wrong_password_is_refused_in_chinese(console):
    console.staff("wang", "window")
    page = console.login("wang", "wrong-password", expect=401)
    assert "用户名或密码不正确，还可以再试4次" in text_of(page)


def test_an_unknown_username_is_refused_like_a_wrong_password(console):
    page = console.login("nobody", "whatever", expect=401)
    assert "用户名或密码不正确" in text_of(page)


def test_after_five_failures_even_the_right_password_gets_429(console):
    console.staff("wang", "window")
    for _ in range(5):
        console.login("wang", "wrong-password", expect=401)
    page = console.login("wang", expect=429)
    assert "登录失败次数过多，请15分钟后再试" in text_of(page)
    refused = console.login("wang", expect=429, headers={"Accept": "application/json"})
    assert refused.get_json()["error"]["message"].startswith("登录失败次数过多")


def test_failures_count_per_username_so_others_still_sign_in(console):
    console.staff("wang", "window")
    console.staff("li", "window")
    for _ in range(5):
        console.login("wang", "wrong-password", expect=401)
    console.login("li")


def test_a_form_without_its_csrf_token_is_refused(console):
    console.staff("wang", "window")
    page = console.post("/console/login", {"username": "wang", "password": "x"}, csrf=False, expect=400)
    assert "页面已过期或来源不明" in text_of(page)
    console.login("wang")
    page = console.post("/console/logout", csrf=False, expect=400)
    assert "页面已过期或来源不明" in text_of(page)
    console.get("/console/cases")  # still signed in


def test_signing_out_ends_the_session(console):
    console.as_role("window")
    console.post("/console/logout")
    assert console.get("/console/cases", expect=303).headers["Location"].startswith("/console/login")


def test_a_session_ends_when_its_account_is_deactivated(app, console):
    console.as_role("window")
    with app.app_context():
        db.session.query(Staff).filter_by(username="console-window").update({"active": False})
        db.session.commit()
    assert console.get("/console/cases", expect=303).headers["Location"].startswith("/console/login")


def test_a_session_ends_when_its_password_is_reset(app, console):
    console.as_role("window")
    with app.app_context():
        db.session.query(Staff).filter_by(username="console-window").update({"password_hash": "reset"})
        db.session.commit()
    console.get("/console/cases", expect=303)


def test_a_session_ends_after_its_maximum_age(make_app):
    console = ConsoleClient(make_app("sichuan", CONSOLE_SESSION_MAX_AGE=-1))
    console.staff("wang", "window")
    console.login("wang")  # accepted, but the session is already too old for the next page
    assert console.get("/console/cases", expect=303).headers["Location"].startswith("/console/login")


def test_the_session_cookie_is_http_only_and_lives_under_console(console):
    console.staff("wang", "window")
    cookie = console.login("wang").headers["Set-Cookie"]
    assert "console_session=" in cookie and "HttpOnly" in cookie and "Path=/console" in cookie
    assert "SameSite=Lax" in cookie and "Expires=" in cookie


def test_after_login_only_console_paths_are_followed(console):
    console.staff("wang", "window")
    console.get("/console/login")
    outside = console.post("/console/login", {"username": "wang", "password": "test-password-1",
                                              "next": "https://evil.example/console/"})
    assert outside.headers["Location"] == "/console/cases"
    console.get(outside.headers["Location"])
    console.post("/console/logout")
    console.get("/console/login")
    inside = console.post("/console/login", {"username": "wang", "password": "test-password-1",
                                             "next": "/console/stats"})
    assert inside.headers["Location"] == "/console/stats"
