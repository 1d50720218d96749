"""Administration from the command line: staff accounts and demo data."""
from sqlalchemy import select
from werkzeug.security import check_password_hash

from models import RosterEntry, Staff, db
from tests.factories import ApiClient


def test_staff_create_makes_a_hashed_account_that_can_log_in(app):
    result = app.test_cli_runner().invoke(args=["staff", "create", "chengdu-police", "--role", "department",
                                                "--department", "public_security", "--region", "510100",
                                                "--password", "s3cret-pass"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        staff = db.session.scalar(select(Staff).where(Staff.username == "chengdu-police"))
        assert staff.region == "5101" and staff.password_hash != "s3cret-pass"
        assert check_password_hash(staff.password_hash, "s3cret-pass")
    ApiClient(app).post("/api/v1/staff/login", {"username": "chengdu-police", "password": "s3cret-pass"})


def test_staff_create_refuses_a_department_officer_without_a_known_department(app):
    result = app.test_cli_runner().invoke(args=["staff", "create", "x", "--role", "department", "--department",
                                                "weather", "--region", "51", "--password", "p"])
    assert result.exit_code != 0 and "public_security" in result.output


def test_staff_create_takes_a_password_shorter_than_the_console_asks_but_not_a_padded_one(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["staff", "create", "demo", "--role", "window", "--region", "51", "--password", "pw"])
    assert result.exit_code == 0, result.output
    ApiClient(app).post("/api/v1/staff/login", {"username": "demo", "password": "pw"})
    result = runner.invoke(args=["staff", "create", "demo", "--role", "window", "--region", "51", "--password", " pw "])
    assert result.exit_code != 0 and "密码不能为空白，首尾不能有空格" in result.output


def test_a_region_code_covers_every_place_under_it(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["staff", "create", "sc", "--role", "window", "--region", "51", "--password", "pw-123456"])
    with app.app_context():
        staff = db.session.scalar(select(Staff).where(Staff.username == "sc"))
        assert staff.covers("510104") and staff.covers("513401") and not staff.covers("440106")


def test_demo_load_creates_staff_for_every_department_and_roster_rows_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    runner.invoke(args=["demo", "load"])
    assert "dept-public_security" in first.output
    with app.app_context():
        departments = {s.department for s in db.session.scalars(select(Staff).where(Staff.role == "department"))}
        assert departments == {"veterans_affairs", "public_security", "human_resources", "medical_security",
                               "armed_forces", "party_org", "youth_league"}
        assert db.session.query(RosterEntry).count() == 3
