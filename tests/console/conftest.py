"""A browser-like client for the console: cookie session, CSRF token read from each page."""
import re

import pytest
from werkzeug.security import generate_password_hash

from api.services import context
from models import Staff, db
from tests.factories import COUNTY, PASSWORD

CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


class ConsoleClient:
    """`console.login("window")`, then `console.get(path)` and `console.post(path, data)`, each asserting
    the status it expects; forms get the page's CSRF token unless `csrf=False`."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self.csrf = None

    def staff(self, username: str, role: str = "window", department: str | None = None,
              region: str | None = None) -> Staff:
        with self.app.app_context():
            staff = db.session.query(Staff).filter_by(username=username).one_or_none()
            if staff is None:
                staff = Staff(username=username, role=role, department=department, display_name=username,
                              region=region or COUNTY[context().profile.key][:4],
                              password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"))
                db.session.add(staff)
                db.session.commit()
            db.session.refresh(staff)
            db.session.expunge(staff)  # readable after the app context ends
            return staff

    def _remember_token(self, response) -> None:
        found = CSRF.search(response.get_data(as_text=True)) if response.mimetype == "text/html" else None
        if found:
            self.csrf = found.group(1)

    def login(self, username: str, password: str = PASSWORD, expect: int = 303, **headers):
        self.get("/console/login")
        response = self.post("/console/login", {"username": username, "password": password}, expect=expect, **headers)
        if response.status_code == 303:  # signed in: a new session, so a new CSRF token on the next page
            self.get(response.headers["Location"], expect=(200, 303))
        return response

    def as_role(self, role: str, department: str | None = None, region: str | None = None) -> "ConsoleClient":
        username = {"window": "console-window", "admin": "console-admin",
                    "department": f"console-{department}"}[role]
        self.staff(username, role, department, region or ("51" if role == "admin" else None))
        self.login(username)
        return self

    def get(self, path: str, expect=200, **kwargs):
        response = self.client.get(path, **kwargs)
        self._check(response, "GET", path, expect)
        self._remember_token(response)
        return response

    def post(self, path: str, data: dict | None = None, expect=303, csrf: bool = True, headers=None, **kwargs):
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf_token", self.csrf)
        response = self.client.post(path, data=data, headers=headers or {}, **kwargs)
        self._check(response, "POST", path, expect)
        self._remember_token(response)
        return response

    @staticmethod
    def _check(response, method, path, expect):
        allowed = expect if isinstance(expect, tuple) else (expect,)
        assert response.status_code in allowed, \
            f"{method} {path}: {response.status_code} {response.get_data(as_text=True)[:1500]}"


@pytest.fixture
def app(make_app, tmp_path):
    """四川, with the uploads kept in the test's own folder."""
    return make_app("sichuan", UPLOAD_DIR=str(tmp_path / "uploads"))


@pytest.fixture
def console(app):
    return ConsoleClient(app)


def text_of(response) -> str:
    """The page's text without tags, so assertions read like what a person sees."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))
