"""Bearer tokens for veterans and staff, and the guards each blueprint puts in front of its routes."""
from flask import current_app, g, request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from accounts.staff import password_fingerprint
from api.errors import ApiError
from cases import queries
from models import Staff, Veteran, db


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="api-token")


def issue_token(kind: str, subject_id: int) -> tuple[str, int]:
    """(token, seconds it lives) for a veteran or a staff member; a staff token carries the password's
    fingerprint, so it ends when the password is reset (as the console session does)."""
    max_age = current_app.config["VETERAN_TOKEN_MAX_AGE" if kind == "veteran" else "STAFF_TOKEN_MAX_AGE"]
    claims = {"k": kind, "id": subject_id}
    if kind == "staff":
        claims["pw"] = password_fingerprint(db.session.get(Staff, subject_id))
    return _serializer().dumps(claims), max_age


def _bearer_claims(kind: str) -> dict:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        raise ApiError(401, "unauthorized", "请先登录（缺少 Authorization: Bearer 令牌）")
    max_age = current_app.config["VETERAN_TOKEN_MAX_AGE" if kind == "veteran" else "STAFF_TOKEN_MAX_AGE"]
    try:
        claims = _serializer().loads(header[7:].strip(), max_age=max_age)
    except SignatureExpired:
        raise ApiError(401, "token_expired", "登录已过期，请重新登录") from None
    except BadSignature:
        raise ApiError(401, "invalid_token", "登录凭证无效，请重新登录") from None
    if claims.get("k") != kind:
        raise ApiError(403, "forbidden", "此功能仅限" + ("退役军人本人" if kind == "veteran" else "工作人员") + "使用")
    return claims


def require_veteran() -> None:
    veteran = db.session.get(Veteran, _bearer_claims("veteran")["id"])
    if veteran is None:
        raise ApiError(401, "invalid_token", "登录凭证无效，请重新登录")
    g.veteran = veteran


def require_veteran_in_chat() -> None:
    """`require_veteran` for the chat, which reads the veteran's unfinished case on every turn: one
    statement reads both (g.veteran, g.unfinished_case)."""
    found = queries.veteran_with_unfinished_case(_bearer_claims("veteran")["id"])
    if found is None:
        raise ApiError(401, "invalid_token", "登录凭证无效，请重新登录")
    g.veteran, g.unfinished_case = found


def require_staff(*roles: str):
    """A before_request guard admitting active staff of the given roles."""
    def guard() -> None:
        claims = _bearer_claims("staff")
        staff = db.session.get(Staff, claims["id"])
        if staff is None or not staff.active:
            raise ApiError(401, "invalid_token", "账号不可用，请重新登录")
        if claims.get("pw") != password_fingerprint(staff):
            raise ApiError(401, "password_changed", "账号密码已更改，请重新登录")
        if staff.role not in roles:
            raise ApiError(403, "forbidden", "您的岗位没有此功能的权限")
        g.staff = staff
    return guard
