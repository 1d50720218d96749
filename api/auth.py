"""Bearer tokens for veterans and staff, and the guards each blueprint puts in front of its routes."""
from flask import current_app, g, request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from api.errors import ApiError
from cases import queries
from models import Staff, Veteran, db


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="api-token")


def issue_token(kind: str, subject_id: int) -> tuple[str, int]:
    """(token, seconds it lives) for a veteran or a staff member."""
    max_age = current_app.config["VETERAN_TOKEN_MAX_AGE" if kind == "veteran" else "STAFF_TOKEN_MAX_AGE"]
    return _serializer().dumps({"k": kind, "id": subject_id}), max_age


def _bearer_subject(kind: str) -> int:
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
    return claims["id"]


def require_veteran() -> None:
    veteran = db.session.get(Veteran, _bearer_subject("veteran"))
    if veteran is None:
        raise ApiError(401, "invalid_token", "登录凭证无效，请重新登录")
    g.veteran = veteran


def require_veteran_in_chat() -> None:
    """`require_veteran` for the chat, which reads the veteran's unfinished case on every turn: one
    statement reads both (g.veteran, g.unfinished_case)."""
    found = queries.veteran_with_unfinished_case(_bearer_subject("veteran"))
    if found is None:
        raise ApiError(401, "invalid_token", "登录凭证无效，请重新登录")
    g.veteran, g.unfinished_case = found


def require_staff(*roles: str):
    """A before_request guard admitting active staff of the given roles."""
    def guard() -> None:
        staff = db.session.get(Staff, _bearer_subject("staff"))
        if staff is None or not staff.active:
            raise ApiError(401, "invalid_token", "账号不可用，请重新登录")
        if staff.role not in roles:
            raise ApiError(403, "forbidden", "您的岗位没有此功能的权限")
        g.staff = staff
    return guard
