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
