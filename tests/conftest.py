import os

import fakeredis
import pytest
import redis

pytest_plugins = ["tests.fakes.fixtures"]

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL")


@pytest.fixture
def redis_client():
    """A clean Redis: the real server when TEST_REDIS_URL is set, else the in-process stand-in."""
    client = redis.Redis.from_url(TEST_REDIS_URL) if TEST_REDIS_URL else fakeredis.FakeRedis()
    client.flushdb()
    yield client
    client.flushdb()
