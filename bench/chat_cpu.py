"""CPU time a chat turn costs in-process: whole recorded conversations (bench/chat_load.py's, 四川, 自主就业,
every matter) through the Flask test client on PostgreSQL and Redis, without gunicorn or a load generator,
so that two commits can be compared on one machine by running this alternately in two checkouts.

    .venv/bin/python bench/chat_cpu.py [--veterans 40]

Recreates the database `bench_cpu` and empties Redis db 3. Prints the turns, CPU and wall time per turn
and SQL statements per turn.
"""
import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.chat_load import CHAT_PATH, ID_MARK, environment, prepare, recreate_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--veterans", type=int, default=40)
    args = parser.parse_args()
    settings = argparse.Namespace(province="sichuan", database="bench_cpu", redis_db=3)
    import redis
    recreate_database(settings.database)
    redis.Redis(db=settings.redis_db).flushdb()
    script, veterans = prepare(environment(settings), args.veterans)

    from sqlalchemy import event

    from api import create_app
    from models import db
    app = create_app()
    statements = [0]
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *_: statements.__setitem__(0, statements[0] + 1))
    client, turns = app.test_client(), 0
    cpu, wall = time.process_time(), time.perf_counter()
    for token, id_number in veterans:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        for body in script.bodies:
            answer = client.post(CHAT_PATH, data=body.replace(ID_MARK, id_number).encode(), headers=headers)
            if answer.status_code != 200:
                raise SystemExit(f"turn failed: {answer.status_code} {answer.get_data(as_text=True)[:300]}")
            turns += 1
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"{turns} turns: {cpu / turns * 1000:.2f} ms CPU a turn, {wall / turns * 1000:.2f} ms wall, "
          f"{statements[0] / turns:.1f} SQL statements a turn")


if __name__ == "__main__":
    main()
