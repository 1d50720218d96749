"""Real worker processes (`flask notify-worker`) against PostgreSQL, Redis and the fake WeChat: several
workers never send a row twice, a killed worker loses nothing, and every process shares one token."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis
import requests

from models import Case, CaseEvent, Notification, SubscriptionGrant, Veteran, db
from notify import outbox
from tests.conftest import TEST_REDIS_URL, on_postgres
from tests.factories import ApiClient
from tests.notify.conftest import drain, notifications, sent_ids, subscribe

ROOT = Path(__file__).resolve().parents[2]
SUBSCRIBE = "/cgi-bin/message/subscribe/send"
PROGRESS = "sc-tmpl-case-progress"
shared_redis = pytest.mark.skipif(not TEST_REDIS_URL, reason="processes share the token through real Redis")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(database_url, fake, redis_url=TEST_REDIS_URL, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "PYTEST"))}
    env.update(APP_ENV="testing", DATABASE_URL=database_url, REDIS_URL=redis_url, PROVINCE="sichuan",
               WECHAT_API_BASE_URL=fake.base_url, WECHAT_APPID=fake.appid, WECHAT_SECRET=fake.secret,
               **{k: str(v) for k, v in extra.items()})
    return env


STARTED: list[subprocess.Popen] = []


@pytest.fixture(autouse=True)
def no_worker_outlives_its_test():
    """A failed assertion must not leave a worker running: it would send later tests' notifications."""
    yield
    while STARTED:
        process = STARTED.pop()
        if process.poll() is None:
            process.kill()
            process.wait(10)


def start_worker(env, tmp_path, *args):
    log = open(tmp_path / f"worker-{time.monotonic_ns()}.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "notify-worker", *args], cwd=ROOT,
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    STARTED.append(process)
    return process


def enqueue_many(app, count, veterans=10):
    """`count` submitted-case notifications for subscribed veterans, as the outbox writes them."""
    with app.app_context():
        cases = []
        for n in range(veterans):
            veteran = Veteran(openid=f"o_load_{n}")
            db.session.add(veteran)
            db.session.flush()
            db.session.add(SubscriptionGrant(veteran_id=veteran.id, template_id=PROGRESS))
            cases.append(Case(veteran_id=veteran.id, province="sichuan", status="submitted", matter_keys=["report"],
                              case_no=f"TY5120261122{n:06d}", handling_region="510104"))
        db.session.add_all(cases)
        for n in range(count):
            event = CaseEvent(case=cases[n % veterans], actor="system", actor_label="系统", from_status="draft",
                              to_status="submitted")
            db.session.add(event)
            outbox.enqueue(event)
        db.session.commit()
        return [n.id for n in db.session.query(Notification)]


def wait_until(condition, timeout=60, message="timed out"):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.05)


@on_postgres
@shared_redis
def test_two_workers_send_a_thousand_notifications_each_exactly_once(app, fake_wechat, database_url, tmp_path):
    fake_wechat.delay(SUBSCRIBE, 0.005)  # long enough for both workers to be at it together
    ids = enqueue_many(app, 1000)
    env = environment(database_url, fake_wechat)
    workers = [start_worker(env, tmp_path, "--once", "--concurrency", "4") for _ in range(2)]
    for worker in workers:
        assert worker.wait(180) == 0
    assert sorted(sent_ids(fake_wechat)) == sorted(ids)
    rows = notifications(app)
    assert {n.push_status for n in rows} == {"sent"} and {n.attempts for n in rows} == {1}
    assert len({n.claimed_by for n in rows}) == 2
    assert fake_wechat.token_fetches == 1


@on_postgres
@shared_redis
def test_a_worker_killed_while_sending_loses_nothing(app, fake_wechat, database_url, tmp_path):
    fake_wechat.delay(SUBSCRIBE, 0.02)
    ids = enqueue_many(app, 300)
    env = environment(database_url, fake_wechat, NOTIFY_LEASE_SECONDS=2)
    worker = start_worker(env, tmp_path, "--concurrency", "4")
    wait_until(lambda: len(fake_wechat.sent_subscribe_messages()) >= 60, timeout=120, message="the worker sent nothing")
    worker.send_signal(signal.SIGKILL)
    worker.wait(10)
    held = [n.id for n in notifications(app, push_status="sending")]
    assert held, "the kill should land while the worker holds claims"

    time.sleep(2.1)  # the dead worker's lease runs out
    assert start_worker(env, tmp_path, "--once").wait(120) == 0
    copies = Counter(sent_ids(fake_wechat))
    assert set(copies) == set(ids)  # nothing lost
    assert max(copies.values()) <= 2  # at most one resend
    assert {i for i, c in copies.items() if c == 2} <= set(held)  # only of what the dead worker held
    assert {n.push_status for n in notifications(app)} == {"sent"}


@on_postgres
@shared_redis
def test_two_workers_and_four_web_processes_hold_one_token(app, fake_wechat, database_url, redis_client, tmp_path):
    env = environment(database_url, fake_wechat)
    port = free_port()
    log = open(tmp_path / "gunicorn.log", "w")
    web = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "4", "-b", f"127.0.0.1:{port}", "wsgi:app"],
                           cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    workers = [start_worker(env, tmp_path, "--poll-interval", "0.05") for _ in range(2)]
    try:
        wait_until(lambda: _answers(f"http://127.0.0.1:{port}/healthz"), timeout=120, message="gunicorn did not start")
        ids = enqueue_many(app, 200)

        def login(n):
            return requests.post(f"http://127.0.0.1:{port}/api/v1/auth/wechat-login", json={"code": f"code-{n}"},
                                 timeout=10).status_code
        with ThreadPoolExecutor(8) as pool:
            assert set(pool.map(login, range(40))) == {200}
        wait_until(lambda: len(fake_wechat.sent_subscribe_messages()) >= len(ids), timeout=120)
    finally:
        for process in (web, *workers):
            process.terminate()
        for process in (web, *workers):
            process.wait(20)
    assert fake_wechat.token_fetches == 1
    assert not [r for r in fake_wechat.received if r.errcode in (40001, 42001)]
    assert sorted(sent_ids(fake_wechat)) == sorted(ids)


def _answers(url):
    try:
        return requests.get(url, timeout=1).status_code == 200
    except requests.RequestException:
        return False


# -- Redis going away ------------------------------------------------------------------------------------

class RedisServer:
    """A redis-server of our own, so it can be stopped and started again without touching the shared one."""

    def __init__(self, tmp_path):
        self.port, self.dir = free_port(), tmp_path
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                                         "--save", "", "--appendonly", "no", "--dir", str(self.dir)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self._up, timeout=10, message="redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(10)

    def _up(self):
        try:
            return redis.Redis.from_url(self.url).ping()
        except redis.ConnectionError:
            return False


@pytest.fixture
def private_redis(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


def test_redis_restarted_between_two_sends_the_token_is_fetched_again_and_nothing_is_lost(
        private_redis, make_app, fake_wechat):
    app = make_app(REDIS_URL=private_redis.url, NOTIFY_RETRY_DELAYS=[60])
    api = ApiClient(app)
    for openid in ("o_before", "o_after"):
        subscribe(api, api.veteran_token(openid), ids=[PROGRESS])
    api.submit(api.veteran_token("o_before"))
    drain(app)
    api.submit(api.veteran_token("o_after"))

    private_redis.stop()
    drain(app)  # the token cannot be read: the push waits for its retry, it is not dropped
    waiting = notifications(app)[-1]
    assert (waiting.push_status, waiting.attempts) == ("pending", 1) and "ConnectionError" in waiting.last_error

    private_redis.start()  # empty: the shared token is gone
    with app.app_context():
        db.session.query(Notification).filter_by(id=waiting.id).update({"next_attempt_at": waiting.created_at})
        db.session.commit()
    drain(app)
    assert [n.push_status for n in notifications(app)] == ["sent", "sent"]
    assert [m["touser"] for m in fake_wechat.sent_subscribe_messages()] == ["o_before", "o_after"]
    assert fake_wechat.token_fetches == 2
