"""Staff sign in to the console with a cookie session, apart from the API's bearer tokens.

The session ends after PERMANENT_SESSION_LIFETIME without a request (Flask refuses an older
cookie), CONSOLE_SESSION_MAX_AGE after login, and at once when the account is deactivated or its
password reset. Failed logins are limited per username and address (accounts/login_throttle.py).
Every state-changing console request carries a CSRF token (Flask-WTF), checked after the guard so
that an anonymous caller is sent to the login page rather than told about tokens.
"""
import time
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFProtect
from werkzeug.security import check_password_hash, generate_password_hash

from accounts.login_throttle import LoginThrottle
from accounts.staff import MAX_PASSWORD_LENGTH, password_fingerprint
from api.services import redis_client
from console import pages
from models import Staff, db

bp = pages.setup(Blueprint("console_auth", __name__, url_prefix="/console"))
assets = Blueprint("console_assets", __name__, static_folder="static", static_url_path="/console/static",
                   template_folder="templates")
csrf = CSRFProtect()
HOME = {"window": "console_window.queue", "department": "console_department.queue", "admin": "console_window.queue"}
# Checked when the username is unknown, so a wrong username takes as long as a wrong password.
_NO_SUCH_USER = generate_password_hash("no such user")


def signed_in_staff() -> Staff | None:
    """The staff member of this session, if it is still good."""
    staff_id, since = session.get("staff_id"), session.get("since")
    if staff_id is None or since is None:
        return None
    staff = db.session.get(Staff, staff_id)
    fresh = time.time() - since < current_app.config["CONSOLE_SESSION_MAX_AGE"]
    if staff is None or not staff.active or not fresh or session.get("key") != password_fingerprint(staff):
        session.clear()
        return None
    return staff


def require_console(*roles: str):
    """A before_request guard: a signed-in staff member of one of `roles`, else the login page or 403."""
    def guard():
        staff = signed_in_staff()
        if staff is None:
            if pages.wants_json():
                return pages.error_page(401, "请先登录工作台")
            target = request.full_path.rstrip("?") if request.method == "GET" else None
            return redirect(url_for("console_auth.login", next=target), 303)
        g.staff = staff
        if staff.role not in roles:
            return pages.error_page(403, "您的岗位没有此页面的权限")
        return None
    return guard


def check_csrf() -> None:
    csrf.protect()  # only for POST and the other changing methods; raises CSRFError


def _throttle() -> LoginThrottle:
    config = current_app.config
    return LoginThrottle(redis_client(), config["LOGIN_FAILURE_LIMIT"], config["LOGIN_FAILURE_WINDOW"],
                         prefix="console-login-failures")


def _safe_next(target: str | None) -> str | None:
    """Only a console path of this site: never an address elsewhere (open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/console/") or "\\" in target:
        return None
    return target


def home_for(staff: Staff) -> str:
    return url_for(HOME[staff.role])


@bp.get("/")
def home():
    staff = signed_in_staff()
    return redirect(home_for(staff) if staff else url_for("console_auth.login"), 303)


@bp.route("/<path:unknown>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown_page(unknown: str):
    """A mistyped console address (/console/cases/-1, /console/matters/4x) gets the console's own page
    rather than the API's JSON."""
    g.staff = signed_in_staff()
    abort(404)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        staff = signed_in_staff()
        if staff is not None:
            return redirect(home_for(staff), 303)
        return render_template("console/login.html", next=_safe_next(request.args.get("next")))
    check_csrf()
    username = (request.form.get("username") or "").strip()[:64]
    password = (request.form.get("password") or "")[:MAX_PASSWORD_LENGTH]
    target = _safe_next(request.form.get("next"))
    address = request.remote_addr or ""
    throttle = _throttle()
    if throttle.blocked(username, address):
        minutes = max(1, -(-throttle.retry_after(username, address) // 60))
        return _login_refused(429, f"登录失败次数过多，请{minutes}分钟后再试", username, target)
    if not username or not password:
        return _login_refused(422, "请输入用户名和密码", username, target)
    staff = db.session.query(Staff).filter_by(username=username).one_or_none()
    password_ok = check_password_hash(staff.password_hash if staff else _NO_SUCH_USER, password)
    if staff is None or not staff.active or not password_ok:
        left = current_app.config["LOGIN_FAILURE_LIMIT"] - throttle.failed(username, address)
        hint = f"，还可以再试{left}次" if left > 0 else "，请稍后再试"
        return _login_refused(401, "用户名或密码不正确" + hint, username, target)
    throttle.succeeded(username, address)
    session.clear()  # a fresh session (and CSRF token) for the signed-in user
    session.permanent = True
    session.update(staff_id=staff.id, since=int(time.time()), key=password_fingerprint(staff))
    return redirect(target or home_for(staff), 303)


def _login_refused(status: int, message: str, username: str, target: str | None):
    if pages.wants_json():
        return pages.error_page(status, message)
    return render_template("console/login.html", error=message, username=username, next=target), status


@bp.post("/logout")
def logout():
    check_csrf()
    session.clear()
    flash("您已退出登录")
    return redirect(url_for("console_auth.login"), 303)
