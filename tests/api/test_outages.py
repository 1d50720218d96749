"""A database or Redis that is away (a restart, a failover) is a 503 in Chinese, never a 500, and a turn
already kept is not reported as failed because Redis went away after it."""
from redis.exceptions import ConnectionError as RedisConnectionError

from api import create_app
from bot.state import StateStore
from tests.conftest import TEST_REDIS_URL
from tests.factories import ApiClient

NOWHERE = "127.0.0.1:9"  # the discard port: nothing answers there


def _app_with(database_url, fake_wechat, **config):
    return create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url, "REDIS_URL": TEST_REDIS_URL,
                       "PROVINCE": "sichuan", "WECHAT_API_BASE_URL": fake_wechat.base_url,
                       "WECHAT_APPID": fake_wechat.appid, "WECHAT_SECRET": fake_wechat.secret, **config})


def test_redis_away_is_a_503_in_chinese(api, database_url, fake_wechat):
    token = api.veteran_token()
    away = ApiClient(_app_with(database_url, fake_wechat, REDIS_URL=f"redis://{NOWHERE}/0"))
    error = away.post("/api/v1/chat/messages", {"text": "你好"}, token=token, expect=503)["error"]
    assert error == {"code": "unavailable", "message": "服务暂时不可用，请稍后再试"}


def test_the_database_away_is_a_503_in_chinese(database_url, fake_wechat):
    away = ApiClient(_app_with(f"postgresql+psycopg://postgres@{NOWHERE}/test", fake_wechat))
    error = away.post("/api/v1/staff/login", {"username": "window-clerk", "password": "x"}, expect=503)["error"]
    assert error["message"] == "服务暂时不可用，请稍后再试"


def test_a_turn_kept_before_redis_went_away_is_answered_and_nothing_is_lost(api, monkeypatch):
    token = api.veteran_token()
    api.post("/api/v1/chat/messages", {"text": "你好"}, token=token)

    def redis_gone(self, veteran_id, state):
        raise RedisConnectionError("Connection refused")

    monkeypatch.setattr(StateStore, "save", redis_gone)  # Redis dies after the turn was committed
    turn = api.post("/api/v1/chat/messages", {"text": "我叫王磊"}, token=token)
    assert turn["expecting"]["slots"] == ["id_number", "handling_region"]
    assert api.get(f"/api/v1/cases/{turn['case_id']}", token=token)["fields"]["name"] == "王磊"
