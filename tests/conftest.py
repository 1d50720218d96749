"""Fixtures: an app on a database built by the migrations, Redis, the fake WeChat, and API helpers.

With TEST_DATABASE_URL / TEST_REDIS_URL (CI) the real PostgreSQL and Redis are used; without
them a SQLite file and the in-process Redis stand-in.
"""
import os

import fakeredis
import pytest
import redis
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from api import create_app
from models import db
from tests.factories import ApiClient

pytest_plugins = ["tests.fakes.fixtures"]

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL")
on_postgres = pytest.mark.skipif(not TEST_DATABASE_URL, reason="needs PostgreSQL (set TEST_DATABASE_URL; CI does)")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A database at the migrations' head, built once per test run."""
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    if url.startswith("postgresql"):
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    app = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="heads")
    return url


@pytest.fixture
def redis_client():
    """A clean Redis: the real server when TEST_REDIS_URL is set, else the in-process stand-in."""
    client = redis.Redis.from_url(TEST_REDIS_URL) if TEST_REDIS_URL else fakeredis.FakeRedis()
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def make_app(database_url, fake_wechat):
    """make_app(province="sichuan", **config): an app on the clean test database."""
    created = []

    def make(province: str = "sichuan", **config):
        app = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                          "REDIS_URL": TEST_REDIS_URL, "PROVINCE": province,
                          "WECHAT_API_BASE_URL": fake_wechat.base_url, "WECHAT_APPID": fake_wechat.appid,
                          "WECHAT_SECRET": fake_wechat.secret, "WECHAT_TIMEOUT": 2.0, **config})
        created.append(app)
        return app

    yield make
    for app in created:
        with app.app_context():
            _empty_tables()
            db.engine.dispose()
        app.extensions["redis"].flushdb()


def _empty_tables():
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(text(f"DELETE FROM {table}"))
    db.session.commit()


@pytest.fixture
def app(make_app):
    return make_app("sichuan")


@pytest.fixture
def api(app):
    return ApiClient(app)
