"""Re-enabling a deactivated account: it gets a new password, and whatever was signed in before the
deactivation (API tokens, console sessions) stays signed out."""
from models import Staff, db
from tests.console.conftest import ConsoleClient, text_of
from tests.factories import PASSWORD


def officer_id(app, username: str) -> int:
    with app.app_context():
        return db.session.query(Staff).filter_by(username=username).one().id


def test_tokens_and_sessions_from_before_a_deactivation_stay_dead_after_re_enabling(app, api, console):
    old_token = api.officer_token("public_security")
    username = "officer-public_security-home"
    old_session = ConsoleClient(app)
    old_session.login(username)
    console.as_role("admin")
    staff_id = officer_id(app, username)

    console.post(f"/console/admin/staff/{staff_id}/active", {"active": "0"})
    assert api.get("/api/v1/dept/matters", token=old_token, expect=401)["error"]["message"] == "账号不可用，请重新登录"
    console.post(f"/console/admin/staff/{staff_id}/active", {"active": "1", "password": "brand-new-pass-1"})
    assert "已启用账号 officer-public_security-home" in text_of(console.get("/console/admin/staff"))

    assert api.get("/api/v1/dept/matters", token=old_token, expect=401)["error"]["message"] == "账号密码已更改，请重新登录"
    old_session.get("/console/matters", expect=303)
    api.post("/api/v1/staff/login", {"username": username, "password": PASSWORD}, expect=401)
    fresh = api.post("/api/v1/staff/login", {"username": username, "password": "brand-new-pass-1"})["token"]
    api.get("/api/v1/dept/matters", token=fresh)
    ConsoleClient(app).login(username, "brand-new-pass-1")


def test_re_enabling_without_a_good_new_password_is_refused(app, api, console):
    api.officer_token("public_security")
    console.as_role("admin")
    staff_id = officer_id(app, "officer-public_security-home")
    console.post(f"/console/admin/staff/{staff_id}/active", {"active": "0"})
    for password in ("", "short", " long-enough-1 ", "x" * 129):  # a login reads 128 characters at most
        page = console.post(f"/console/admin/staff/{staff_id}/active", {"active": "1", "password": password},
                            expect=422)
        assert "重新启用账号需要设置新密码" in text_of(page)
    with app.app_context():
        assert not db.session.get(Staff, staff_id).active
