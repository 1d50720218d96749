"""WeChat refusing us an access_token (IP not whitelisted, bad secret, bad appid) is our configuration, not a
refusal of the message: the push waits and is tried again, so it goes out once the configuration is fixed."""
import pytest

from tests.factories import ApiClient
from tests.notify.conftest import drain, notifications, subscribe
from tests.notify.test_worker import make_due, subscribe_calls

TOKEN_URL = "/cgi-bin/token"


@pytest.mark.parametrize("errcode", [40164, 40125, 40013])
def test_a_refused_token_fetch_is_retried_and_sent_once_fixed(app, api, fake_wechat, errcode):
    token = api.veteran_token("o_token_refused")
    subscribe(api, token)
    api.submit(token)
    fake_wechat.fail_always(TOKEN_URL, errcode)
    drain(app)
    (waiting,) = notifications(app)
    assert (waiting.push_status, waiting.last_errcode) == ("pending", errcode)
    assert "access_token" in waiting.last_error
    fake_wechat.clear_failures()  # the administrator whitelists the IP or fixes the secret
    make_due(app)
    drain(app)
    assert [n.push_status for n in notifications(app)] == ["sent"]
    assert len(subscribe_calls(fake_wechat)) == 1


def test_a_token_refused_through_every_retry_ends_failed_for_an_administrator(make_app, fake_wechat):
    app = make_app(NOTIFY_RETRY_DELAYS=[0, 0])
    api = ApiClient(app)
    token = api.veteran_token("o_token_failed")
    subscribe(api, token)
    api.submit(token)
    fake_wechat.fail_always(TOKEN_URL, 40164)
    for _ in range(3):
        make_due(app)
        drain(app)
    assert [(n.push_status, n.attempts) for n in notifications(app)] == [("failed", 3)]
    admin = api.staff_token("admin-token", role="admin", region="51")
    failed = api.get("/api/v1/admin/notifications?status=failed", token=admin)["items"]
    assert len(failed) == 1
