"""pytest fixtures for the fake WeChat server (loaded by the root conftest)."""
import pytest

from tests.fakes.wechat_server import FakeWeChatServer


@pytest.fixture(scope="session")
def _fake_wechat_server():
    server = FakeWeChatServer().start()
    yield server
    server.stop()


@pytest.fixture
def fake_wechat(_fake_wechat_server):
    """A running fake WeChat server in a clean state; `fake_wechat.base_url`, `.appid`, `.secret`."""
    _fake_wechat_server.reset()
    yield _fake_wechat_server
    _fake_wechat_server.reset()
