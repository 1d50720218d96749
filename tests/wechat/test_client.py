"""The WeChat gateway against the fake WeChat server (tests/fakes/wechat_server.py)."""
import logging
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.fakes.wechat_server import FAKE_APPID, FAKE_SECRET, openid_for
from wechat.client import (TOKEN_REFUSAL_SECONDS, InvalidLoginCode, NoAnswer, TokenRefused, WeChatError,
                           WeChatGateway, WeChatUnavailable)

SUBSCRIBE = "/cgi-bin/message/subscribe/send"
DATA = {"thing1": {"value": "社会保障卡申领"}, "phrase2": {"value": "已办结"}, "time3": {"value": "2026年11月22日 10:30"}}


def make_gateway(fake, redis_client, **kwargs):
    return WeChatGateway(fake.appid, fake.secret, fake.base_url, redis_client, **kwargs)


@pytest.fixture
def gateway(fake_wechat, redis_client):
    return make_gateway(fake_wechat, redis_client)


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- login ---------------------------------------------------------------------------------------

def test_login_returns_the_openid(gateway, fake_wechat):
    session = gateway.code_to_session("code-1")
    assert session["openid"] == openid_for("code-1")
    assert session["session_key"]
    assert "unionid" not in session


def test_login_with_registered_code_returns_unionid(gateway, fake_wechat):
    fake_wechat.register_code("code-2", "o_veteran", unionid="u_veteran", session_key="SK==")
    assert gateway.code_to_session("code-2") == {"openid": "o_veteran", "unionid": "u_veteran", "session_key": "SK=="}


def test_invalid_code(gateway):
    with pytest.raises(InvalidLoginCode) as info:
        gateway.code_to_session("bad-code")
    assert info.value.errcode == 40029


def test_used_code(gateway):
    gateway.code_to_session("once")
    with pytest.raises(InvalidLoginCode) as info:
        gateway.code_to_session("once")
    assert info.value.errcode == 40163


def test_empty_code_is_refused_without_calling_wechat(gateway, fake_wechat):
    with pytest.raises(InvalidLoginCode):
        gateway.code_to_session("")
    assert fake_wechat.received == []


def test_login_never_logs_secret_or_session_key(gateway, fake_wechat, caplog):
    caplog.set_level(logging.DEBUG, logger="wechat")
    session = gateway.code_to_session("code-log")
    fake_wechat.invalidate_tokens()
    gateway.code_to_session("code-log-2")
    assert caplog.records  # the token fetches are logged
    assert fake_wechat.secret not in caplog.text
    assert session["session_key"] not in caplog.text


# -- unavailable -----------------------------------------------------------------------------------

def test_unreachable_server_is_unavailable_quickly(redis_client):
    gateway = WeChatGateway("wx-app", "s3cret-value", f"http://127.0.0.1:{closed_port()}/", redis_client, timeout=1)
    started = time.monotonic()
    with pytest.raises(WeChatUnavailable) as info:
        gateway.code_to_session("code")
    assert time.monotonic() - started < 2
    assert "s3cret-value" not in str(info.value) and "s3cret-value" not in repr(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_hanging_server_times_out(fake_wechat, redis_client):
    gateway = make_gateway(fake_wechat, redis_client, timeout=0.5)
    fake_wechat.delay("/sns/jscode2session", 10)
    started = time.monotonic()
    with pytest.raises(WeChatUnavailable):
        gateway.code_to_session("code")
    assert time.monotonic() - started < 3


def test_hanging_token_endpoint_times_out(fake_wechat, redis_client):
    gateway = make_gateway(fake_wechat, redis_client, timeout=0.5)
    fake_wechat.delay("/cgi-bin/token", 10)
    started = time.monotonic()
    with pytest.raises(WeChatUnavailable) as info:
        gateway.send_subscribe_message("o_user", "T1", DATA)
    assert time.monotonic() - started < 3
    assert not isinstance(info.value, NoAnswer)  # the message itself never left


def test_a_send_that_went_out_unanswered_is_told_apart_from_one_that_never_left(fake_wechat, redis_client):
    gateway = make_gateway(fake_wechat, redis_client, timeout=0.5)
    fake_wechat.delay(SUBSCRIBE, 2)
    with pytest.raises(NoAnswer) as info:  # WeChat may have delivered it
        gateway.send_subscribe_message("o_user", "T1", DATA)
    assert "ReadTimeout" in info.value.errmsg
    unreachable = WeChatGateway(fake_wechat.appid, fake_wechat.secret, f"http://127.0.0.1:{closed_port()}/",
                                redis_client, timeout=0.5)  # holds the shared token, cannot connect
    with pytest.raises(WeChatUnavailable) as info:
        unreachable.send_subscribe_message("o_user", "T1", DATA)
    assert not isinstance(info.value, NoAnswer)


def test_system_busy_is_unavailable(gateway, fake_wechat):
    fake_wechat.fail_next(SUBSCRIBE, -1)
    with pytest.raises(WeChatUnavailable) as info:
        gateway.send_subscribe_message("o_user", "T1", DATA)
    assert info.value.errcode == -1
    assert gateway.send_subscribe_message("o_user", "T1", DATA)["errcode"] == 0


def test_http_5xx_is_unavailable(gateway, fake_wechat):
    fake_wechat.fail_next("/sns/jscode2session", 0, status=502)
    with pytest.raises(WeChatUnavailable):
        gateway.code_to_session("code")
    fake_wechat.fail_next("/cgi-bin/token", 0, status=503)
    fake_wechat.invalidate_tokens()
    gateway.client.redis.flushdb()
    with pytest.raises(WeChatUnavailable):
        gateway.code_to_session("code-2")


def test_wrong_secret(fake_wechat, redis_client):
    gateway = WeChatGateway(fake_wechat.appid, "wrong", fake_wechat.base_url, redis_client)
    with pytest.raises(WeChatError) as info:
        gateway.code_to_session("code")
    assert info.value.errcode == 40125
    assert not isinstance(info.value, WeChatUnavailable)


# -- the shared access_token -------------------------------------------------------------------------

@pytest.mark.parametrize("errcode", [40164, 40125, 40013])
def test_a_refused_token_fetch_is_not_repeated_by_any_process_for_a_while(fake_wechat, redis_client, errcode):
    fake_wechat.fail_always("/cgi-bin/token", errcode)
    first, second = make_gateway(fake_wechat, redis_client), make_gateway(fake_wechat, redis_client)
    for call in (lambda: first.send_subscribe_message("o_a", "T1", DATA), lambda: second.code_to_session("code"),
                 lambda: first.send_subscribe_message("o_b", "T1", DATA)):
        with pytest.raises(TokenRefused) as info:
            call()
        assert info.value.errcode == errcode
    assert fake_wechat.token_fetches == 1 and first.token_refused() and second.token_refused()
    assert 0 < redis_client.ttl(f"wechatpy:{fake_wechat.appid}_access_token:refused") <= TOKEN_REFUSAL_SECONDS


def test_two_gateways_share_one_token(fake_wechat, redis_client):
    first, second = make_gateway(fake_wechat, redis_client), make_gateway(fake_wechat, redis_client)
    first.send_subscribe_message("o_a", "T1", DATA)
    second.send_subscribe_message("o_b", "T1", DATA)
    first.code_to_session("code-a")
    second.code_to_session("code-b")
    assert fake_wechat.token_fetches == 1
    assert len(fake_wechat.sent_subscribe_messages()) == 2


def test_token_refused_once_is_refreshed_once(gateway, fake_wechat):
    gateway.send_subscribe_message("o_user", "T1", DATA)
    old = fake_wechat.current_token
    fake_wechat.fail_next(SUBSCRIBE, 40001)
    assert gateway.send_subscribe_message("o_user", "T1", DATA)["errcode"] == 0
    assert fake_wechat.token_fetches == 2
    sends = [r for r in fake_wechat.received if r.path == SUBSCRIBE]
    assert [r.query["access_token"] for r in sends] == [old, old, fake_wechat.current_token]


@pytest.mark.parametrize("errcode", [40001, 42001, 40014])
def test_token_refused_always_fails_after_bounded_fetches(gateway, fake_wechat, errcode):
    fake_wechat.fail_always(SUBSCRIBE, errcode)
    with pytest.raises(WeChatError) as info:
        gateway.send_subscribe_message("o_user", "T1", DATA)
    assert info.value.errcode == errcode
    assert fake_wechat.token_fetches == 2
    assert len([r for r in fake_wechat.received if r.path == SUBSCRIBE]) == 2


def test_token_invalidated_by_someone_else_is_refetched(gateway, fake_wechat):
    gateway.code_to_session("code-1")
    fake_wechat.invalidate_tokens()  # e.g. someone fetched a token with our secret by hand
    assert gateway.code_to_session("code-2")["openid"] == openid_for("code-2")
    assert fake_wechat.token_fetches == 2


@pytest.mark.parametrize("grace,fetches", [(0, 3), (300, 2)])
def test_a_token_fetched_elsewhere_ends_ours_after_the_grace(gateway, fake_wechat, grace, fetches):
    fake_wechat.token_grace = grace
    gateway.code_to_session("code-1")
    requests.get(fake_wechat.base_url + "cgi-bin/token", timeout=5, params={
        "grant_type": "client_credential", "appid": fake_wechat.appid, "secret": fake_wechat.secret})
    gateway.code_to_session("code-2")
    assert fake_wechat.token_fetches == fetches


def test_stale_token_is_replaced_only_once(fake_wechat, redis_client):
    first, second = make_gateway(fake_wechat, redis_client), make_gateway(fake_wechat, redis_client)
    stale = first.client.access_token
    renewed = first.client.refresh_access_token(stale=stale)
    # The second process also saw `stale` refused, but finds the renewed token and keeps it.
    assert second.client.refresh_access_token(stale=stale) == renewed
    assert fake_wechat.token_fetches == 2


def test_concurrent_refresh_fetches_once(fake_wechat, redis_client):
    fake_wechat.delay("/cgi-bin/token", 0.3)  # widen the race window
    gateways = [make_gateway(fake_wechat, redis_client) for _ in range(8)]
    barrier = threading.Barrier(len(gateways))
    results, errors = [], []

    def send(gateway, n):
        barrier.wait()
        try:
            results.append(gateway.send_subscribe_message(f"o_user{n}", "T1", DATA))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(g, n)) for n, g in enumerate(gateways)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert errors == []
    assert len(results) == len(gateways)
    assert fake_wechat.token_fetches == 1


def test_redis_flushed_between_sends(gateway, fake_wechat, redis_client):
    gateway.send_subscribe_message("o_user", "T1", DATA)
    redis_client.flushdb()
    gateway.send_subscribe_message("o_user", "T1", DATA)
    assert fake_wechat.token_fetches == 2
    assert len(fake_wechat.sent_subscribe_messages()) == 2


def test_token_is_stored_in_redis_under_wechatpy_prefix(gateway, fake_wechat, redis_client):
    gateway.code_to_session("code")
    key = f"wechatpy:{fake_wechat.appid}_access_token"
    assert redis_client.get(key).decode().strip('"') == fake_wechat.current_token
    assert 0 < redis_client.ttl(key) <= 7200


# -- subscribe messages ------------------------------------------------------------------------------

def test_subscribe_message_is_sent(gateway, fake_wechat):
    result = gateway.send_subscribe_message("o_user", "T1", DATA, page="pages/case/detail?id=7",
                                            miniprogram_state="trial")
    assert result["errcode"] == 0 and result["msgid"]
    (sent,) = fake_wechat.sent_subscribe_messages()
    assert sent == {"touser": "o_user", "template_id": "T1", "data": DATA,
                    "page": "pages/case/detail?id=7", "miniprogram_state": "trial"}


def test_subscribe_thing_over_20_characters_is_refused(gateway, fake_wechat):
    data = dict(DATA, thing1={"value": "退" * 21})
    with pytest.raises(WeChatError) as info:
        gateway.send_subscribe_message("o_user", "T1", data)
    assert info.value.errcode == 47003
    assert "data.thing1.value" in info.value.errmsg
    assert fake_wechat.sent_subscribe_messages() == []
    gateway.send_subscribe_message("o_user", "T1", dict(DATA, thing1={"value": "退" * 20}))


@pytest.mark.parametrize("key,value", [
    ("phrase2", "已办结完成了"), ("phrase2", "done"), ("thing1", "第一行\n第二行"), ("number4", "12a"),
    ("character_string5", "A" * 33), ("name6", "张" * 11), ("phone_number7", "138001380001380013"),
    ("amount8", "100"), ("time3", "明天上午"), ("letter9", "abc1"), ("symbol10", "%%%%%%"),
])
def test_subscribe_value_limits(gateway, key, value):
    with pytest.raises(WeChatError) as info:
        gateway.send_subscribe_message("o_user", "T1", dict(DATA, **{key: {"value": value}}))
    assert info.value.errcode == 47003
    assert f"data.{key}.value" in info.value.errmsg


def test_subscribe_values_within_limits(gateway):
    data = {"thing1": {"value": "退役军人优待证申领"}, "phrase2": {"value": "待补正"}, "number3": {"value": "3"},
            "character_string4": {"value": "TY-2026-000123"}, "name5": {"value": "张三"},
            "phone_number6": {"value": "0571-88888888"}, "amount7": {"value": "¥120.50"},
            "date8": {"value": "2026-11-22"}, "time9": {"value": "09:00~17:30"}}
    assert gateway.send_subscribe_message("o_user", "T1", data)["errcode"] == 0


def test_subscribe_unknown_template(gateway, fake_wechat):
    fake_wechat.template_ids = {"T1"}
    with pytest.raises(WeChatError) as info:
        gateway.send_subscribe_message("o_user", "T-unknown", DATA)
    assert info.value.errcode == 40037


@pytest.mark.parametrize("errcode", [43101, 45009, 40003, 41030])
def test_subscribe_errors_are_not_retried(gateway, fake_wechat, errcode):
    fake_wechat.fail_next(SUBSCRIBE, errcode)
    with pytest.raises(WeChatError) as info:
        gateway.send_subscribe_message("o_user", "T1", DATA)
    assert info.value.errcode == errcode and not isinstance(info.value, WeChatUnavailable)
    assert len([r for r in fake_wechat.received if r.path == SUBSCRIBE]) == 1


# -- other calls -------------------------------------------------------------------------------------

def test_send_text(gateway, fake_wechat):
    assert gateway.send_text("o_user", "您的申请已受理")["errcode"] == 0
    (sent,) = fake_wechat.sent_custom_messages()
    assert sent == {"touser": "o_user", "msgtype": "text", "text": {"content": "您的申请已受理"}}
    fake_wechat.fail_next("/cgi-bin/message/custom/send", 45015)
    with pytest.raises(WeChatError) as info:
        gateway.send_text("o_user", "again")
    assert info.value.errcode == 45015


def test_phone_number(gateway, fake_wechat):
    fake_wechat.register_phone_code("pc-1", "13900001111")
    assert gateway.get_phone_number("pc-1")["purePhoneNumber"] == "13900001111"


def test_underlying_client_uses_the_fake_and_the_shared_token(gateway, fake_wechat):
    assert gateway.client.wxa.API_BASE_URL == fake_wechat.base_url
    assert gateway.client.API_BASE_URL == fake_wechat.base_url + "cgi-bin/"
    result = gateway.client.wxa.send_subscribe_message("o_user", "T1", DATA)
    assert result["errcode"] == 0
    with pytest.raises(WeChatError) as info:  # an endpoint the fake does not know
        gateway.client.wxa.get_paid_unionid("o_user")
    assert info.value.errcode == 40066


# -- the fake as a separate process (benchmarks) ---------------------------------------------------------

def test_fake_runs_as_its_own_process(redis_client):
    port = closed_port()
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen([sys.executable, "-m", "tests.fakes.wechat_server", "--port", str(port)], cwd=root,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert "fake WeChat on" in proc.stdout.readline()
        base = f"http://127.0.0.1:{port}/"
        gateway = WeChatGateway(FAKE_APPID, FAKE_SECRET, base, redis_client)
        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(lambda n: gateway.send_subscribe_message(f"o_{n}", "T1", DATA), range(32)))
        assert all(r["errcode"] == 0 for r in results)
        stats = requests.get(base + "__fake__/stats", timeout=5).json()
        assert stats["token_fetches"] == 1 and stats["subscribe_sent"] == 32
    finally:
        proc.terminate()
        proc.wait(5)
        proc.stdout.close()
