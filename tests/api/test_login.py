"""WeChat login through wechatpy against the loopback fake WeChat, and staff login."""
from api.auth import _serializer
from models import Staff, db
from tests.factories import ApiClient


def test_a_mini_program_code_becomes_our_token(api, fake_wechat):
    body = api.post("/api/v1/auth/wechat-login", {"code": "code-from-wx-login"})
    assert body["token"] and body["expires_in"] > 0
    assert api.get("/api/v1/cases", token=body["token"])["items"] == []


def test_the_same_wechat_user_logs_in_to_the_same_account(api, fake_wechat):
    fake_wechat.register_code("monday-code", "o-same-person")
    fake_wechat.register_code("friday-code", "o-same-person")
    fake_wechat.register_code("other-code", "o-another-person")
    monday = api.post("/api/v1/auth/wechat-login", {"code": "monday-code"})["user"]["id"]
    friday = api.post("/api/v1/auth/wechat-login", {"code": "friday-code"})["user"]["id"]
    other = api.post("/api/v1/auth/wechat-login", {"code": "other-code"})["user"]["id"]
    assert monday == friday != other


def test_an_invalid_code_is_a_401(api):
    error = api.post("/api/v1/auth/wechat-login", {"code": "bad-code"}, expect=401)["error"]
    assert error["code"] == "invalid_code" and "重新进入小程序" in error["message"]


def test_a_used_code_is_a_401(api):
    api.post("/api/v1/auth/wechat-login", {"code": "once-only"})
    api.post("/api/v1/auth/wechat-login", {"code": "once-only"}, expect=401)


def test_wechat_unreachable_is_a_503(make_app):
    api = ApiClient(make_app(WECHAT_API_BASE_URL="http://127.0.0.1:9/", WECHAT_TIMEOUT=0.5))
    error = api.post("/api/v1/auth/wechat-login", {"code": "any"}, expect=503)["error"]
    assert error["code"] == "wechat_unavailable"


def test_wechat_busy_is_a_503(api, fake_wechat):
    fake_wechat.fail_next("/sns/jscode2session", -1)
    api.post("/api/v1/auth/wechat-login", {"code": "while-busy"}, expect=503)


def test_dev_login_exists_only_in_development(api, make_app):
    api.post("/api/v1/auth/dev-login", {"openid": "demo"}, expect=404)
    dev = ApiClient(make_app(APP_ENV="development"))
    assert dev.post("/api/v1/auth/dev-login", {"openid": "demo"})["token"]


def test_staff_log_in_with_their_password(api):
    api.window_token()
    body = api.post("/api/v1/staff/login", {"username": "window-clerk", "password": "test-password-1"})
    assert body["user"]["role"] == "window" and body["user"]["region"] == "5101"
    error = api.post("/api/v1/staff/login", {"username": "window-clerk", "password": "wrong"}, expect=401)["error"]
    assert error["message"] == "用户名或密码不正确"


def test_staff_login_failures_are_limited(api):
    api.window_token()
    limit = api.app.config["LOGIN_FAILURE_LIMIT"]
    for _ in range(limit):
        api.post("/api/v1/staff/login", {"username": "window-clerk", "password": "wrong"}, expect=401)
    error = api.post("/api/v1/staff/login", {"username": "window-clerk", "password": "test-password-1"},
                     expect=429)["error"]
    assert "登录失败次数过多" in error["message"]


def test_a_staff_token_issued_before_a_password_reset_is_refused(api, app):
    token = api.window_token()
    api.get("/api/v1/staff/cases", token=token)
    result = app.test_cli_runner().invoke(args=["staff", "create", "window-clerk", "--role", "window",
                                                "--region", "5101", "--password", "brand-new-pass-1"])
    assert result.exit_code == 0, result.output
    error = api.get("/api/v1/staff/cases", token=token, expect=401)["error"]
    assert error["message"] == "账号密码已更改，请重新登录"
    fresh = api.post("/api/v1/staff/login", {"username": "window-clerk", "password": "brand-new-pass-1"})["token"]
    api.get("/api/v1/staff/cases", token=fresh)


def test_a_staff_token_from_before_fingerprints_is_refused_once(api, app):
    api.window_token()  # the account exists
    with app.app_context():
        staff_id = db.session.query(Staff).filter_by(username="window-clerk").one().id
        old = _serializer().dumps({"k": "staff", "id": staff_id})  # as issued before tokens carried one
    assert api.get("/api/v1/staff/cases", token=old, expect=401)["error"]["code"] == "password_changed"
