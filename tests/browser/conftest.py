"""A real server process on the test database, and Debian's Chromium driven by Playwright.

The server is gunicorn serving wsgi:app in development mode (the demo page answers only there), on
a free loopback port; the browser is /usr/bin/chromium (`apt-get install chromium`), never a
downloaded one.
"""
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import TEST_REDIS_URL

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def live_server(make_app, database_url, fake_wechat, tmp_path):
    """The base URL of a served app on the test database with `flask demo load`'s data (四川)."""
    app = make_app("sichuan")  # emptied, like every test's, when the test ends
    loaded = app.test_cli_runner().invoke(args=["demo", "load"])
    assert loaded.exit_code == 0, loaded.output
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(APP_ENV="development", DATABASE_URL=database_url, PROVINCE="sichuan", UPLOAD_DIR=str(tmp_path / "up"),
               WECHAT_API_BASE_URL=fake_wechat.base_url, WECHAT_APPID=fake_wechat.appid,
               WECHAT_SECRET=fake_wechat.secret, SECRET_KEY=app.config["SECRET_KEY"])
    if TEST_REDIS_URL:
        env["REDIS_URL"] = TEST_REDIS_URL
    log = open(tmp_path / "server.log", "wb")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "1", "--threads", "4",
                               "-b", f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if server.poll() is not None:
                break
            try:
                if requests.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:  # not listening, or still loading the app
                time.sleep(0.1)
        assert server.poll() is None, (tmp_path / "server.log").read_text(errors="replace")[-3000:]
        yield base
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-dev-shm-usage"])
        yield chromium
        chromium.close()


@pytest.fixture
def screenshot():
    """screenshot(page, "01-name"): a PNG in screenshots/ (git-ignored) to look at after the run."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(page, name: str, full_page: bool = False):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)
    return take
