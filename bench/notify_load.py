"""Load benchmark of the status pushes: matters are completed at a steady rate (each a status change
through cases.transitions, which writes the notification in the same transaction) while
`flask notify-worker` processes send the subscribe messages to the fake WeChat (its own process).

Prints the throughput and the p50/p99 delay from the status change (the notification written with
the change) to the fake WeChat receiving the message. Target: p99 under 1 s at 200 a second.

    .venv/bin/python bench/notify_load.py --rate 200 --seconds 15 --workers 2

Needs PostgreSQL and Redis: BENCH_DATABASE_URL (default: database `bench_notify` on 127.0.0.1, created
and emptied) and BENCH_REDIS_URL (default: redis://127.0.0.1:6379/13, flushed).
"""
import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from werkzeug.serving import WSGIRequestHandler, make_server  # noqa: E402
from werkzeug.wrappers import Response  # noqa: E402

from tests.fakes.wechat_server import FakeWeChatServer  # noqa: E402

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench_notify")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
RESULT = "社保卡已寄出，邮件号 1190012345678"


class KeepAliveHandler(WSGIRequestHandler):
    """HTTP/1.1 with keep-alive, as api.weixin.qq.com answers: no new connection for every message."""

    protocol_version = "HTTP/1.1"

    def log_request(self, *args, **kwargs):
        pass


class TimingFake(FakeWeChatServer):
    """The fake WeChat, noting when each subscribe message arrived (by the message id in its page)."""

    def bind(self):
        self._server = make_server(self.host, self.port, self.wsgi_app, threaded=True,
                                   request_handler=KeepAliveHandler)
        return self

    def reset(self):
        super().reset()
        self.arrivals = {}

    def _subscribe_send(self, body):
        answer = super()._subscribe_send(body)
        if answer.get("errcode") == 0:
            self.arrivals.setdefault(int(body["page"].split("id=")[1]), time.time())
        return answer

    def wsgi_app(self, environ, start_response):
        if environ["PATH_INFO"] == "/__bench__/arrivals":
            with self._lock:
                return Response(json.dumps(self.arrivals), mimetype="application/json")(environ, start_response)
        return super().wsgi_app(environ, start_response)


def serve_fake(port: int) -> None:
    fake = TimingFake(port=port).bind()
    print("ready", flush=True)
    fake._server.serve_forever()


def fresh_database() -> None:
    server, name = DATABASE_URL.rsplit("/", 1)
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    engine = create_engine(DATABASE_URL)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def seed(matters_wanted: int) -> list[int]:
    """Subscribed veterans with cases under way whose matters are in processing: the matter ids to complete."""
    from datetime import date, timedelta

    from api.services import context
    from models import Case, Matter, SubscriptionGrant, Veteran, db

    profile = context().profile
    template = profile.template_for_event("matter_completed")
    keys = [m.key for m in profile.matters.values() if not m.display_only]
    matters, n = [], 0
    while len(matters) < matters_wanted:
        veteran = Veteran(openid=f"o_bench_{n}")
        db.session.add(veteran)
        db.session.flush()
        db.session.add(SubscriptionGrant(veteran_id=veteran.id, template_id=template.id, remaining=len(keys)))
        case = Case(veteran_id=veteran.id, province=profile.key, status="in_progress", matter_keys=keys,
                    case_no=f"TY51202611{n:010d}", handling_region="510104", deadline=date.today() + timedelta(days=9))
        case.matters = [Matter(key=k, department=profile.matters[k].department, region="510104", status="processing")
                        for k in keys]
        db.session.add(case)
        matters += case.matters
        n += 1
    db.session.commit()
    return [m.id for m in matters[:matters_wanted]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200, help="status changes a second")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--producers", type=int, default=2, help="processes making the status changes")
    parser.add_argument("--backlog", action="store_true",
                        help="make every change first, then start the workers: their throughput on a full outbox")
    parser.add_argument("--serve-fake", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_fake:
        return serve_fake(args.serve_fake)

    import redis

    from api import create_app
    from models import Notification, db

    port = 18900 + os.getpid() % 1000
    fake = subprocess.Popen([sys.executable, __file__, "--serve-fake", str(port)], stdout=subprocess.PIPE, text=True)
    assert fake.stdout.readline().strip() == "ready"
    fake_url = f"http://127.0.0.1:{port}/"
    fresh_database()
    redis.Redis.from_url(REDIS_URL).flushdb()
    config = {"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": DATABASE_URL, "REDIS_URL": REDIS_URL,
              "PROVINCE": "sichuan", "WECHAT_API_BASE_URL": fake_url,
              "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 20, "max_overflow": 10}}
    app = create_app(config)
    total = int(args.rate * args.seconds)
    with app.app_context():
        upgrade(revision="heads")
        print(f"seeding {total} matters in processing…", flush=True)
        targets = seed(total)

    env = {**os.environ, "APP_ENV": "testing", "DATABASE_URL": DATABASE_URL, "REDIS_URL": REDIS_URL,
           "PROVINCE": "sichuan", "WECHAT_API_BASE_URL": fake_url}
    if args.backlog:
        _produce(config, targets, 1e9, args.producers)
    logs = [open(f"/tmp/notify-bench-worker-{i}.log", "w") for i in range(args.workers)]
    workers = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "notify-worker"], cwd=ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT) for log in logs]
    try:
        _wait_for_workers(args.workers)
        started = {"workers": sum(_cpu_seconds(w.pid) for w in workers), "fake WeChat": _cpu_seconds(fake.pid)}
        if args.backlog:
            lateness, producer_cpu = [0.0], 0.0
        else:
            lateness, producer_cpu = _produce(config, targets, args.rate, args.producers)
        sent = _wait_until_sent(app)
        arrivals = {int(k): v for k, v in requests.get(fake_url + "__bench__/arrivals", timeout=10).json().items()}
        cpu = {"workers": sum(_cpu_seconds(w.pid) for w in workers) - started["workers"],
               "fake WeChat": _cpu_seconds(fake.pid) - started["fake WeChat"], "producers": producer_cpu}
        with app.app_context():
            rows = db.session.query(Notification.id, Notification.created_at).all()
    finally:
        for process in (*workers, fake):
            process.terminate()
            process.wait(20)
    if args.backlog:
        span = max(arrivals.values()) - min(arrivals.values())
        print(f"\nworkers {args.workers} on a backlog of {len(rows)}: sent {len(arrivals)} in {span:.1f} s, "
              f"{len(arrivals) / span:.0f} messages/s; CPU per message: workers "
              f"{cpu['workers'] / len(rows) * 1000:.1f} ms, fake WeChat {cpu['fake WeChat'] / len(rows) * 1000:.1f} ms")
    else:
        _report(args, rows, arrivals, sent, lateness, cpu)


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far (Linux)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_for_workers(count: int) -> None:
    deadline = time.monotonic() + 60
    while sum("started" in open(f"/tmp/notify-bench-worker-{i}.log").read() for i in range(count)) < count:
        assert time.monotonic() < deadline, "workers did not start (see /tmp/notify-bench-worker-*.log)"
        time.sleep(0.2)


def _produce(config, matter_ids, rate, processes) -> list[float]:
    """Complete the matters at `rate` a second from `processes` processes (one Python process cannot
    make 200 changes a second); how late each change started against its schedule, and the CPU used."""
    spawn = multiprocessing.get_context("spawn")
    ready, results, go, start_at = spawn.Queue(), spawn.Queue(), spawn.Event(), spawn.Value("d", 0.0)
    producers = [spawn.Process(target=_producer, args=(config, matter_ids, n, processes, rate, ready, go, start_at,
                                                       results)) for n in range(processes)]
    for producer in producers:
        producer.start()
    for _ in producers:
        ready.get(timeout=120)
    print(f"completing {len(matter_ids)} matters at {rate:g}/s from {processes} processes…", flush=True)
    start_at.value = time.time() + 0.5
    go.set()
    shares = [results.get(timeout=600) for _ in producers]
    for producer in producers:
        producer.join(30)
    print(f"made {len(matter_ids)} status changes in {time.time() - start_at.value:.1f} s", flush=True)
    return [late for lateness, _ in shares for late in lateness], sum(cpu for _, cpu in shares)


def _producer(config, matter_ids, share, shares, rate, ready, go, start_at, results) -> None:
    """One producer process: every `shares`-th matter from `share` on, each completed in its own transaction
    through cases.transitions, so the status change and its notification commit together."""
    from sqlalchemy import select

    from api import create_app
    from cases.transitions import Actor, move_matter
    from models import Matter, db

    app = create_app(config)
    officer = Actor("staff:bench", "人力资源社会保障部门")

    def complete(matter_id):
        with app.app_context():
            matter = db.session.execute(select(Matter).where(Matter.id == matter_id).with_for_update()).scalar_one()
            matter.result = RESULT
            move_matter(matter, "completed", officer)
            db.session.commit()

    ready.put(share)
    go.wait()
    cpu = time.process_time()
    lateness, futures = [], []
    with ThreadPoolExecutor(4) as pool:
        for n in range(share, len(matter_ids), shares):
            pause = start_at.value + n / rate - time.time()
            if pause > 0:
                time.sleep(pause)
            lateness.append(max(0.0, -pause))
            futures.append(pool.submit(complete, matter_ids[n]))
        for future in futures:
            future.result()
    results.put((lateness, time.process_time() - cpu))


def _wait_until_sent(app) -> dict:
    from models import Notification, db

    deadline = time.monotonic() + 120
    with app.app_context():
        while True:
            counts = dict(db.session.query(Notification.push_status, db.func.count()).group_by(Notification.push_status))
            db.session.rollback()
            if not counts.get("pending") and not counts.get("sending"):
                return counts
            assert time.monotonic() < deadline, f"not all sent: {counts}"
            time.sleep(0.1)


def _report(args, rows, arrivals, counts, lateness, cpu) -> None:
    created = {i: c.timestamp() for i, c in rows}
    delays = sorted(arrivals[i] - created[i] for i in created if i in arrivals)
    span = max(arrivals.values()) - min(created.values())

    def pct(p):
        return delays[min(len(delays) - 1, int(p / 100 * len(delays)))]

    print(f"\nworkers {args.workers}, offered {args.rate:g} status changes/s for {args.seconds:g} s")
    print(f"notifications {len(rows)} (statuses {counts}), received by the fake {len(arrivals)}, "
          f"missing {len(set(created) - set(arrivals))}")
    made = (len(created) - 1) / (max(created.values()) - min(created.values()))
    print(f"status changes made at {made:.0f}/s (a change started at most {max(lateness) * 1000:.0f} ms late)")
    print(f"throughput {len(arrivals) / span:.0f} messages/s from the first change to the last arrival ({span:.1f} s)")
    print(f"delay status change -> fake WeChat: p50 {pct(50) * 1000:.0f} ms, p99 {pct(99) * 1000:.0f} ms, "
          f"max {delays[-1] * 1000:.0f} ms, mean {statistics.mean(delays) * 1000:.0f} ms")
    print("CPU per message: " + ", ".join(f"{name} {seconds / len(rows) * 1000:.1f} ms" for name, seconds in cpu.items())
          + f" (on {os.cpu_count()} cores)")
    print("target p99 < 1000 ms:", "met" if pct(99) < 1 else "NOT met")


if __name__ == "__main__":
    main()
