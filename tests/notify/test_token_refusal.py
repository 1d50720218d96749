"""WeChat refusing us an access_token (IP not whitelisted, bad secret, bad appid) is our configuration, not a
refusal of the message: the refusal is remembered for a while, so nobody asks WeChat again meanwhile, and
the pushes wait without spending their attempts until the configuration is fixed; then they go out."""
import logging

import pytest

from tests.factories import ApiClient
from tests.notify.conftest import drain, notifications, subscribe
from tests.notify.test_worker import subscribe_calls

TOKEN_URL = "/cgi-bin/token"


def refusal_runs_out(app):
    """wechat.client.TOKEN_REFUSAL_SECONDS pass: the remembered refusal is gone, the next push asks again."""
    redis = app.extensions["redis"]
    for key in redis.scan_iter("wechatpy:*:refused"):
        redis.delete(key)


@pytest.mark.parametrize("errcode", [40164, 40125, 40013])
def test_a_refused_token_holds_the_pushes_without_asking_wechat_again_and_they_go_out_once_fixed(
        make_app, fake_wechat, caplog, errcode):
    app = make_app(NOTIFY_RETRY_DELAYS=[0, 0])
    api = ApiClient(app)
    for n in range(6):
        token = api.veteran_token(f"o_token_refused_{n}")
        subscribe(api, token)
        api.submit(token)
    fake_wechat.fail_always(TOKEN_URL, errcode)
    caplog.set_level(logging.ERROR, logger="wechat.client")
    for _ in range(3):  # the worker comes by again and again
        drain(app)
    assert fake_wechat.token_fetches == 1
    (logged,) = [r for r in caplog.records if r.levelno == logging.ERROR]  # once, not once per push
    assert str(errcode) in logged.getMessage() and "IP whitelist" in logged.getMessage()
    rows = notifications(app)
    assert {(n.push_status, n.attempts) for n in rows} == {("pending", 0)}
    assert {(n.last_errcode, "access_token" in n.last_error) for n in rows} == {(errcode, True)}

    for _ in range(3):  # still refused each time the refusal runs out: one fetch each, no attempt spent
        refusal_runs_out(app)
        drain(app)
    assert fake_wechat.token_fetches == 4
    assert {(n.push_status, n.attempts) for n in notifications(app)} == {("pending", 0)}

    fake_wechat.clear_failures()  # the administrator whitelists the IP or fixes the secret
    refusal_runs_out(app)
    drain(app)
    assert {(n.push_status, n.attempts) for n in notifications(app)} == {("sent", 1)}
    assert len(subscribe_calls(fake_wechat)) == 6


def test_an_administrator_sees_the_pushes_a_refused_token_holds_and_what_to_fix(make_app, fake_wechat):
    app = make_app()
    api = ApiClient(app)
    for n in range(3):
        token = api.veteran_token(f"o_held_{n}")
        subscribe(api, token)
        api.submit(token)
    fake_wechat.fail_always(TOKEN_URL, 40164)
    drain(app)
    api.submit(api.veteran_token("o_held_later"))  # written while the refusal stands: never even claimed
    drain(app)
    admin = api.staff_token("admin-sc", "admin", region="51")
    for status in ("failed", "refused"):  # where an administrator looked before, and found nothing
        assert api.get(f"/api/v1/admin/notifications?status={status}", token=admin)["items"] == []

    held = api.get("/api/v1/admin/notifications?status=pending", token=admin)["items"]
    assert [n["push_label"] for n in held] == ["待推送"] * 4
    assert [n["last_errcode"] for n in held] == [None, 40164, 40164, 40164]  # newest first
    health = api.get("/api/v1/admin/notifications/health", token=admin)
    assert (health["status"], health["pending"], health["token_refusal"]["errcode"]) == ("token_refused", 4, 40164)
    assert health["message"].startswith("微信拒绝了我们的 access_token 请求（40164：服务器的出口 IP 不在小程序后台的 IP 白名单中；"
                                        "微信原文：invalid ip 203.0.113.7")
    assert "所有微信推送已暂停，本辖区有4条消息等待推送" in health["message"]
    elsewhere = api.get("/api/v1/admin/notifications/health", token=api.staff_token("admin-gd", "admin", region="44"))
    assert (elsewhere["status"], elsewhere["pending"]) == ("token_refused", 0)  # one appid for every region
    api.get("/api/v1/admin/notifications/health", token=api.window_token(), expect=403)

    fake_wechat.clear_failures()  # the IP is whitelisted
    refusal_runs_out(app)
    drain(app)
    health = api.get("/api/v1/admin/notifications/health", token=admin)
    assert (health["status"], health["pending"], health["token_refusal"]) == ("ok", 0, None)
    assert health["message"] == "微信推送正常，本辖区待推送0条。"
    assert api.get("/api/v1/admin/notifications?status=pending", token=admin)["items"] == []


def test_an_unknown_push_status_filter_is_refused_in_chinese(api):
    admin = api.staff_token("admin-sc", "admin", region="51")
    error = api.get("/api/v1/admin/notifications?status=held", token=admin, expect=422)["error"]
    assert "应为以下之一" in error["fields"]["status"] and "pending" in error["fields"]["status"]


def test_a_push_status_filter_given_twice_is_refused_not_read_as_the_first(api):
    admin = api.staff_token("admin-sc", "admin", region="51")
    error = api.get("/api/v1/admin/notifications?status=pending&status=failed", token=admin, expect=422)["error"]
    assert error["fields"] == {"status": "只能填写一个值"}
