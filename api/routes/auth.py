from flask import Blueprint, current_app, jsonify, request
from werkzeug.security import check_password_hash

from api.body import load_json
from api.errors import ApiError
from api.schemas.requests import DevLoginSchema, StaffLoginSchema, WechatLoginSchema
from accounts.login_throttle import LoginThrottle
from api.services import redis_client, wechat
from api.auth import issue_token
from cases import queries
from models import Staff, Veteran, db
from models.base import utcnow
from wechat.client import InvalidLoginCode, WeChatError, WeChatUnavailable

bp = Blueprint("auth", __name__, url_prefix="/api/v1")


def _veteran_by_openid(openid: str, unionid: str | None = None) -> Veteran:
    veteran = queries.veteran_by_openid(openid)
    if veteran is None:
        veteran = Veteran(openid=openid, unionid=unionid)
        db.session.add(veteran)
    veteran.last_login_at = utcnow()
    db.session.commit()
    return veteran


def _veteran_login_response(veteran: Veteran):
    token, expires_in = issue_token("veteran", veteran.id)
    return jsonify({"token": token, "expires_in": expires_in, "user": {"id": veteran.id, "kind": "veteran"}})


@bp.post("/auth/wechat-login")
def wechat_login():
    """Exchange a wx.login() code for our token (WeChat code2Session)."""
    code = load_json(WechatLoginSchema())["code"]
    try:
        session = wechat().code_to_session(code)
    except InvalidLoginCode:
        raise ApiError(401, "invalid_code", "微信登录凭证无效或已使用，请重新进入小程序") from None
    except WeChatUnavailable:
        raise ApiError(503, "wechat_unavailable", "暂时无法连接微信，请稍后再试") from None
    except WeChatError as exc:
        current_app.logger.warning("code2session failed: errcode %s", exc.errcode)
        raise ApiError(503, "wechat_error", "微信登录暂时失败，请稍后再试") from None
    return _veteran_login_response(_veteran_by_openid(session["openid"], session.get("unionid")))


@bp.post("/auth/dev-login")
def dev_login():
    """Log in as any openid, for the demo page; only in development."""
    if current_app.config["APP_ENV"] != "development":
        raise ApiError(404)
    openid = load_json(DevLoginSchema())["openid"]
    return _veteran_login_response(_veteran_by_openid(openid))


@bp.post("/staff/login")
def staff_login():
    body = load_json(StaffLoginSchema())
    config, address = current_app.config, request.remote_addr or ""
    throttle = LoginThrottle(redis_client(), config["LOGIN_FAILURE_LIMIT"], config["LOGIN_FAILURE_WINDOW"],
                             prefix="api-login-failures")
    if throttle.blocked(body["username"], address):
        minutes = max(1, -(-throttle.retry_after(body["username"], address) // 60))
        raise ApiError(429, "too_many_login_failures", f"登录失败次数过多，请{minutes}分钟后再试")
    staff = db.session.query(Staff).filter_by(username=body["username"]).one_or_none()
    if staff is None or not staff.active or not check_password_hash(staff.password_hash, body["password"]):
        throttle.failed(body["username"], address)
        raise ApiError(401, "bad_credentials", "用户名或密码不正确")
    throttle.succeeded(body["username"], address)
    token, expires_in = issue_token("staff", staff.id)
    return jsonify({"token": token, "expires_in": expires_in,
                    "user": {"id": staff.id, "username": staff.username, "role": staff.role,
                             "department": staff.department, "region": staff.region,
                             "display_name": staff.display_name}})
