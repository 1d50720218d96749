"""Load benchmark of the chat guide: whole conversations against gunicorn with PostgreSQL and Redis,
beside a bare JSON endpoint (`GET /ping`) of the same app, measured in the same run.

What it does, in about two minutes:
1. recreates the database `bench_chat` (PostgreSQL on 127.0.0.1:5432) with the migrations and empties
   Redis db 2; creates veterans and their tokens up front;
2. records the conversation of one scripted veteran (tests/bot/scripted_veteran.py, 四川, 自主就业,
   every matter, several values per message) in-process, so every bench veteran says the same thing
   with their own ID number, and every answer's `expecting.slot` is checked against the recording;
3. starts gunicorn (`wsgi:app`, APP_ENV=production) and waits for /healthz;
4. closed loop, 50 connections, with wrk (C, Lua-scripted; one thread per connection so every
   connection is one veteran typing one message after the other, moving to a fresh veteran when
   a conversation ends): `GET /ping`, then chat turns; a warm-up before each measurement;
5. open loop at a fixed arrival rate (200 a second) for `GET /ping` and for chat turns, from an
   asyncio client in this process, latency counted from each request's intended send time (no
   coordinated omission); 100 veterans talk at once, each every half second, started at staggered
   points of their conversations;
6. prints one table, and what every process used of the two cores while it was measured;
7. stops gunicorn.

Usage: .venv/bin/python bench/chat_load.py [--quick] [--worker-class gthread --workers 2 --threads 4]
Needs `wrk` (apt-get install wrk). Only loopback addresses are used.

gunicorn settings, tried on this 2-core machine: `sync -w 4` (the default here). gthread spends a
little less CPU per turn (keep-alive, no new connection per request), but its workers keep the
connections they accepted: with long-lived keep-alive connections one worker ends up with most of
them and its one core (the GIL) saturates while the other idles, and the open loop's p99 went to
seconds (2 workers x 4 threads) or 85-130 ms (4 x 2; 2 x 4 without keep-alive). sync workers
take one request at a time, so the kernel hands each new connection to a free worker: p99 at
200 turns/s 25-80 ms with 3 workers, 35-45 ms with 4; 5 workers only added contention.
"""
import argparse
import asyncio
import base64
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
PG = "postgresql+psycopg://postgres@127.0.0.1:5432"
OPENING = "我刚退伍，要办哪些手续？"
ID_MARK = "@ID@"
CHAT_PATH = "/api/v1/chat/messages"
CPUS = os.cpu_count() or 1
TICK = os.sysconf("SC_CLK_TCK")


# --- the database, the veterans and what they say ------------------------------------------------
def environment(args) -> dict:
    return {**os.environ, "APP_ENV": "production", "PROVINCE": args.province,
            "SECRET_KEY": secrets.token_urlsafe(48),
            "DATA_ENCRYPTION_KEY": base64.b64encode(os.urandom(32)).decode(),
            "DATABASE_URL": f"{PG}/{args.database}", "REDIS_URL": f"redis://{HOST}:6379/{args.redis_db}"}


def recreate_database(name: str) -> None:
    import psycopg
    if not re.fullmatch(r"bench_\w+", name):
        raise SystemExit(f"refusing to drop database {name!r}: the bench only recreates databases named bench_*")
    with psycopg.connect(f"host={HOST} port=5432 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


@dataclass
class Script:
    """One recorded conversation: the bodies a veteran sends (ID number as ID_MARK) and the slot
    each answer must expect (None: the case is submitted)."""

    bodies: list[str]
    slots: list[str | None]


def prepare(env: dict, veterans: int) -> tuple[Script, list[tuple[str, str]]]:
    """Build the schema, record the conversation, create `veterans` veterans; (script, [(token, id_number)])."""
    os.environ.update(env)
    import logging

    from flask_migrate import upgrade
    from sqlalchemy import insert, select

    from api import MIGRATIONS_DIR, create_app
    from api.auth import issue_token
    from catalog.field_values import example_id_number
    from models import Veteran, db
    from tests.bot.scripted_veteran import Persona

    app = create_app()
    logging.disable(logging.WARNING)  # the bench's own setup chatter; the server logs as usual
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR), revision="heads")
        persona = Persona(env["PROVINCE"], sequence=999)
        db.session.add(Veteran(openid="bench-recorder"))
        db.session.commit()
        token = issue_token("veteran", db.session.scalar(select(Veteran.id).where(Veteran.openid == "bench-recorder")))[0]
    client = app.test_client()
    bodies, slots, text = [], [], OPENING
    for _ in range(80):
        bodies.append(json.dumps({"text": text.replace(persona.id_number, ID_MARK)}, ensure_ascii=False))
        answer = client.post(CHAT_PATH, json={"text": text}, headers={"Authorization": f"Bearer {token}"})
        if answer.status_code != 200:
            raise SystemExit(f"recording the conversation failed: {answer.status_code} {answer.get_data(as_text=True)[:300]}")
        expecting = answer.get_json()["expecting"]
        slots.append(expecting and expecting["slot"])
        if expecting is None:
            break
        text = persona.answer(expecting)
    else:
        raise SystemExit("the recorded conversation did not end")
    county = Persona(env["PROVINCE"]).county
    ids = [example_id_number(county, f"{1990 + n % 12}{1 + n // 12 % 12:02d}{1 + n // 144 % 28:02d}", 100 + n % 900)
           for n in range(veterans)]
    with app.app_context():
        db.session.execute(insert(Veteran), [{"openid": f"bench-{n}"} for n in range(veterans)])
        db.session.commit()
        rows = db.session.execute(select(Veteran.id, Veteran.openid).where(Veteran.openid.like("bench-%"))).all()
        by_openid = {openid: vid for vid, openid in rows}
        tokens = [issue_token("veteran", by_openid[f"bench-{n}"])[0] for n in range(veterans)]
    return Script(bodies, slots), list(zip(tokens, ids))


# --- gunicorn ------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_gunicorn(args, env: dict, port: int, log_path: Path) -> subprocess.Popen:
    command = [str(ROOT / ".venv/bin/gunicorn"), "-b", f"{HOST}:{port}", "-w", str(args.workers),
               "-k", args.worker_class, "--backlog", "2048", "--keep-alive", str(args.keep_alive), "--log-level", "warning"]
    if args.worker_class == "gthread":
        command += ["--threads", str(args.threads)]
    command.append("wsgi:app")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_path.open("w"), stderr=subprocess.STDOUT,
                              start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited: {log_path.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2) as answer:
                if answer.status == 200 and len(children(server.pid)) >= args.workers:
                    return server
        except OSError:
            pass
        time.sleep(0.3)
    stop(server)
    raise SystemExit("gunicorn did not answer /healthz within 90 s")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(5)


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


# --- what each process used of the machine ---------------------------------------------------------
def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def machine_busy() -> float:
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / TICK


def pids_named(name: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == name:
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


class CpuProbe:
    """CPU seconds over one measurement: gunicorn (master and workers), the PostgreSQL backends
    of the bench database, redis-server, the load generator, and everything else on the machine."""

    def __init__(self, server: subprocess.Popen, database: str):
        self.server, self.database = server, database

    def _backends(self) -> list[int]:
        import psycopg
        with psycopg.connect(f"host={HOST} port=5432 user=postgres dbname=postgres", autocommit=True) as conn:
            return [r[0] for r in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", (self.database,))]

    def _snapshot(self) -> dict:
        gunicorn = [self.server.pid, *children(self.server.pid)]
        return {"wall": time.monotonic(), "machine": machine_busy(),
                "gunicorn": {p: cpu_seconds(p) for p in gunicorn},
                "postgres": {p: cpu_seconds(p) for p in self._backends()},
                "redis": {p: cpu_seconds(p) for p in pids_named("redis-server")},
                "self": time.process_time()}

    def __enter__(self):
        self.start = self._snapshot()
        return self

    def __exit__(self, *exc):
        self.end = self._snapshot()

    def shares(self, generator_seconds: float | None = None) -> dict:
        """Per process group, the share of the machine (all cores) it used during the measurement."""
        wall = self.end["wall"] - self.start["wall"]
        used = {}
        for group in ("gunicorn", "postgres", "redis"):
            used[group] = sum(v - self.start[group].get(p, 0.0) for p, v in self.end[group].items())
        used["generator"] = generator_seconds if generator_seconds is not None else self.end["self"] - self.start["self"]
        total = self.end["machine"] - self.start["machine"]
        used["other"] = max(0.0, total - sum(used.values()))
        return {k: v / (wall * CPUS) for k, v in used.items()}


# --- closed loop: wrk ------------------------------------------------------------------------------
LUA_COMMON = r"""
local threads = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("conn", counter)
  table.insert(threads, thread)
end
function done(summary, latency, requests)
  local t = {mismatch = 0, conversations = 0, recycled = 0}
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + (thread:get(k) or 0) end
  end
  local e = summary.errors
  io.write(string.format('WRK_RESULT {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "p50": %d, "p90": %d, "p99": %d, "max": %d, "mismatch": %d, "conversations": %d, "recycled": %d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    t.mismatch, t.conversations, t.recycled))
end
"""

LUA_CHAT = r"""
local script = dofile("@DIR@/script.lua")
function init(args)
  vets = dofile("@DIR@/conn" .. conn .. ".lua")
  vi, turn, mismatch, conversations, recycled = 1, 1, 0, 0, 0
end
function request()
  local v = vets[vi]
  local body = string.gsub(script.bodies[turn], "@ID@", v[2])
  return wrk.format("POST", "@PATH@", {["Content-Type"] = "application/json",
                                       ["Authorization"] = "Bearer " .. v[1]}, body)
end
function response(status, headers, body)
  local ok = false
  if status == 200 then
    local expected = script.slots[turn]
    if expected == "" then
      ok = string.find(body, '"expecting":null', 1, true) ~= nil
    else
      local at = string.find(body, '"slot":"' .. expected .. '"', 1, true)
      local replies = string.find(body, '"replies":', 1, true)
      ok = at ~= nil and (replies == nil or at < replies)
    end
    if not ok then mismatch = mismatch + 1 end
  end
  if ok and turn < #script.bodies then
    turn = turn + 1
  else
    if ok then conversations = conversations + 1 end
    turn, vi = 1, vi + 1   -- a finished or derailed conversation: the next veteran starts afresh
    if vi > #vets then vi, recycled = 1, recycled + 1 end
  end
end
"""


def lua_string(text: str) -> str:
    return "\"" + "".join(c if c not in "\"\\\n" else "\\" + {"\n": "n"}.get(c, c) for c in text) + "\""


def write_chat_files(folder: Path, script: Script, slices: list[list[tuple[str, str]]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    bodies = ",".join(lua_string(b) for b in script.bodies)
    slots = ",".join(lua_string(s or "") for s in script.slots)
    (folder / "script.lua").write_text(f"return {{bodies = {{{bodies}}}, slots = {{{slots}}}}}\n")
    for n, vets in enumerate(slices, 1):
        rows = ",".join(f"{{{lua_string(t)},{lua_string(i)}}}" for t, i in vets)
        (folder / f"conn{n}.lua").write_text(f"return {{{rows}}}\n")
    lua = folder / "chat.lua"
    lua.write_text(LUA_COMMON + LUA_CHAT.replace("@DIR@", str(folder)).replace("@PATH@", CHAT_PATH))
    return lua


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    p50: float
    p90: float
    p99: float
    max: float
    errors: int
    non_2xx: int
    mismatch: int = 0
    cpu: dict = field(default_factory=dict)
    note: str = ""

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def server_ms(self) -> float:
        """CPU milliseconds gunicorn, PostgreSQL and Redis spent per request: steadier than throughput
        on a machine shared with other work."""
        used = sum(self.cpu.get(k, 0) for k in ("gunicorn", "postgres", "redis")) * CPUS * self.seconds
        return 1000 * used / self.requests if self.requests else float("nan")


def run_wrk(name: str, url: str, lua: Path, connections: int, threads: int, seconds: float,
            probe: CpuProbe | None) -> Result:
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds:g}s", "--timeout", "10s",
               "-s", str(lua), url]
    with tempfile.TemporaryFile("w+") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        if probe:
            probe.__enter__()
        _, status, usage = os.wait4(process.pid, 0)
        if probe:
            probe.__exit__()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
    line = next((l for l in text.splitlines() if l.startswith("WRK_RESULT ")), None)
    if line is None:
        raise SystemExit(f"wrk failed ({process.returncode}): {text[-2000:]}")
    r = json.loads(line.split(" ", 1)[1])
    errors = r["connect"] + r["read"] + r["write"] + r["timeout"]
    result = Result(name, r["requests"], r["duration_us"] / 1e6, r["p50"] / 1000, r["p90"] / 1000, r["p99"] / 1000,
                    r["max"] / 1000, errors, r["status"], r["mismatch"])
    if probe:
        result.cpu = probe.shares(usage.ru_utime + usage.ru_stime)
    if r["recycled"]:
        result.note = f"{r['recycled']} connections ran out of fresh veterans"
    return result


# --- open loop: asyncio ------------------------------------------------------------------------------
class Connection:
    """A bare HTTP/1.1 keep-alive client connection, reconnecting when the server closes."""

    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (l.partition(":") for l in lines[1:] if l)}
        body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def http_request(method: str, path: str, body: str | None = None, token: str | None = None) -> bytes:
    data = body.encode() if body is not None else b""
    head = f"{method} {path} HTTP/1.1\r\nHost: {HOST}\r\n"
    if token:
        head += f"Authorization: Bearer {token}\r\n"
    if body is not None:
        head += f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
    return (head + "\r\n").encode() + data


class Talker:
    """One open-loop connection: bare pings, or a veteran's conversation, then the next veteran's."""

    def __init__(self, port: int, script: Script | None, veterans: list):
        self.connection = Connection(port)
        self.script, self.veterans = script, veterans
        self.vi = self.turn = 0
        self.mismatch = 0

    def next_request(self) -> bytes:
        if self.script is None:
            return http_request("GET", "/ping")
        token, id_number = self.veterans[self.vi % len(self.veterans)]
        return http_request("POST", CHAT_PATH, self.script.bodies[self.turn].replace(ID_MARK, id_number), token)

    def check(self, status: int, body: bytes) -> bool:
        if self.script is None:
            return status == 200
        ok = False
        if status == 200:
            expecting = json.loads(body)["expecting"]
            ok = (expecting and expecting["slot"]) == self.script.slots[self.turn]
            self.mismatch += not ok
        if ok and self.turn < len(self.script.bodies) - 1:
            self.turn += 1
        else:
            self.turn, self.vi = 0, self.vi + 1
        return ok


async def open_loop(name: str, port: int, rate: float, seconds: float, talkers: list[Talker],
                    server: subprocess.Popen, database: str, preplay: bool) -> Result:
    if preplay and talkers[0].script is not None:
        # Stagger the conversations: talker n starts its measured turns n turns into a conversation.
        length = len(talkers[0].script.bodies)

        async def advance(talker: Talker, turns: int):
            for _ in range(turns):
                talker.check(*await talker.connection.request(talker.next_request()))
        await asyncio.gather(*(advance(t, n % length) for n, t in enumerate(talkers)))
        await asyncio.sleep(1.0)
    loop = asyncio.get_running_loop()
    latencies, errors, bad = [], 0, 0
    count = int(rate * seconds)
    start = loop.time() + 0.2

    async def talk(index: int, talker: Talker):
        nonlocal errors, bad
        for k in range(index, count, len(talkers)):
            intended = start + k / rate
            delay = intended - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            try:
                status, body = await talker.connection.request(talker.next_request())
            except (OSError, asyncio.IncompleteReadError, ValueError):
                errors += 1
                talker.connection.close()
                continue
            latencies.append(loop.time() - intended)
            if not talker.check(status, body):
                bad += status != 200
    probe = CpuProbe(server, database)
    with probe:
        await asyncio.gather(*(talk(n, t) for n, t in enumerate(talkers)))
        elapsed = loop.time() - start
    for t in talkers:
        t.connection.close()
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000 if latencies else float("nan")
    result = Result(name, len(latencies), elapsed, pct(50), pct(90), pct(99), pct(100), errors, bad,
                    sum(t.mismatch for t in talkers))
    result.cpu = probe.shares()
    return result


# --- the report ------------------------------------------------------------------------------------
def table(results: list[Result]) -> str:
    head = (f"{'':<34}{'req/s':>8}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'max ms':>9}{'errors':>8}{'non-2xx':>8}"
            f"{'wrong':>7}{'CPU ms/req':>11}   share of {CPUS} cores: gunicorn postgres redis generator other")
    rows = [head, "-" * len(head)]
    for r in results:
        cpu = r.cpu
        rows.append(f"{r.name:<34}{r.throughput:>8.0f}{r.p50:>9.1f}{r.p90:>9.1f}{r.p99:>9.1f}{r.max:>9.1f}"
                    f"{r.errors:>8}{r.non_2xx:>8}{r.mismatch:>7}{r.server_ms:>11.2f}   "
                    + "".join(f"{cpu.get(k, 0) * 100:>{w}.0f}%" for k, w in
                              (("gunicorn", 24), ("postgres", 8), ("redis", 5), ("generator", 9), ("other", 5)))
                    + (f"   ({r.note})" if r.note else ""))
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--province", default="sichuan")
    parser.add_argument("--database", default="bench_chat", help="recreated at every run (must be bench_*)")
    parser.add_argument("--redis-db", type=int, default=2, help="emptied at every run (the tests use 15)")
    # sync -w 4: see "gunicorn settings" in the module docstring
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--keep-alive", type=int, default=30, help="gunicorn --keep-alive (gthread; 0: close each connection)")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", type=float, default=20, help="seconds of each closed-loop measurement")
    parser.add_argument("--warmup", type=float, default=4)
    parser.add_argument("--rate", type=float, default=200, help="arrivals a second in the open loop")
    parser.add_argument("--open-duration", type=float, default=30)
    parser.add_argument("--talkers", type=int, default=100, help="conversations at once in the open loop")
    parser.add_argument("--veterans", type=int, default=8000)
    parser.add_argument("--quick", action="store_true", help="5 s measurements, for trying settings")
    parser.add_argument("--only", choices=["closed", "open"], help="run one of the two loops")
    args = parser.parse_args()
    if args.quick:
        args.duration, args.warmup, args.open_duration, args.veterans = 5, 2, 10, 3000
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    began = time.monotonic()
    print(f"{CPUS} cores, load average {Path('/proc/loadavg').read_text().split()[0]} at the start", flush=True)
    env = environment(args)
    recreate_database(args.database)
    import redis
    redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    script, veterans = prepare(env, args.veterans)
    print(f"conversation: {len(script.bodies)} messages to a submitted case ({args.province}, 自主就业, every matter); "
          f"{len(veterans)} veterans with tokens", flush=True)
    # Fresh veterans for each phase: a submitted veteran's later messages take another path.
    pool = iter(veterans)

    def take(n: int) -> list:
        return [next(pool) for _ in range(n)]

    port = free_port()
    work = Path(tempfile.mkdtemp(prefix="chat_load."))
    server = start_gunicorn(args, env, port, work / "gunicorn.log")
    results = []
    try:
        base = f"http://{HOST}:{port}"
        print(f"gunicorn -k {args.worker_class} -w {args.workers}"
              + (f" --threads {args.threads}" if args.worker_class == "gthread" else "")
              + f" on {base} (log {work / 'gunicorn.log'}), PostgreSQL db {args.database}, Redis db {args.redis_db}",
              flush=True)
        c = args.connections
        if args.only != "open":
            bare = work / "bare.lua"
            bare.write_text(LUA_COMMON)
            # Per phase: enough veterans for 2,000 turns a second, spread over the connections.
            per = int(2000 * (args.duration + args.warmup) / len(script.bodies) / c) + 2
            per = min(per, (len(veterans) - args.talkers * 8) // (2 * c))
            write_chat_files(work / "warm", script, [take(per // 4 + 1) for _ in range(c)])
            write_chat_files(work / "chat", script, [take(per) for _ in range(c)])
            run_wrk("warm-up", f"{base}/ping", bare, c, c, args.warmup, None)
            results.append(run_wrk(f"bare GET /ping, closed loop c={c}", f"{base}/ping", bare, c, c, args.duration,
                                   CpuProbe(server, args.database)))
            print(table(results[-1:]).splitlines()[-1], flush=True)
            run_wrk("warm-up", f"{base}{CHAT_PATH}", work / "warm" / "chat.lua", c, c, args.warmup, None)
            results.append(run_wrk(f"chat turn, closed loop c={c}", f"{base}{CHAT_PATH}", work / "chat" / "chat.lua",
                                   c, c, args.duration, CpuProbe(server, args.database)))
            print(table(results[-1:]).splitlines()[-1], flush=True)
        if args.only != "closed":
            n = args.talkers
            rate, seconds = args.rate, args.open_duration
            ping = [Talker(port, None, []) for _ in range(n)]
            results.append(asyncio.run(open_loop(f"bare GET /ping, open {rate:g}/s", port, rate, min(seconds, 15),
                                                 ping, server, args.database, False)))
            print(table(results[-1:]).splitlines()[-1], flush=True)
            per = int(rate * seconds / len(script.bodies) / n) + 3
            talkers = [Talker(port, script, take(per)) for _ in range(n)]
            results.append(asyncio.run(open_loop(f"chat turn, open {rate:g}/s", port, rate, seconds, talkers,
                                                 server, args.database, True)))
    finally:
        stop(server)
    print()
    print(table(results))
    closed = {r.name.split(",")[0]: r for r in results if "closed" in r.name}
    if len(closed) == 2:
        ratio = closed["chat turn"].throughput / closed["bare GET /ping"].throughput
        print(f"\nchat saturation throughput = {ratio:.2f} of the bare endpoint's (target ≥ 0.33)")
    opened = [r for r in results if r.name.startswith("chat turn, open")]
    if opened:
        print(f"chat p99 at {args.rate:g} turns/s = {opened[0].p99:.1f} ms (target < 50 ms)")
    print("latency: closed loop as wrk measures it; open loop from each request's intended send time. "
          "'wrong': 200 answers whose expecting.slot was not the recorded one. CPU ms/req: gunicorn + "
          "PostgreSQL + Redis CPU time per request. 'other': processes not started by this run.")
    busiest = max((r.cpu.get("other", 0) for r in results), default=0)
    if busiest > 0.1:
        print(f"warning: other work on this machine took up to {busiest:.0%} of its CPU during the measurements: "
              "throughput and latency are worse than on a machine of its own")
    print(f"whole run {time.monotonic() - began:.0f} s")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
