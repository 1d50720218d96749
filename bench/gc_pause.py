"""How long one full garbage collection takes in a web worker, with and without the app's long-lived
objects frozen (wsgi.py freezes them after start): the pause every request waiting behind it sees.

    .venv/bin/python bench/gc_pause.py
"""
import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api import create_app  # noqa: E402


def full_collection_ms(rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        gc.collect()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    gc.collect()
    print(f"objects the app keeps: {len(gc.get_objects()):,}")
    print(f"full collection, nothing frozen: {full_collection_ms():.1f} ms (median of 5)")
    gc.freeze()
    print(f"full collection, after gc.freeze(): {full_collection_ms():.2f} ms (median of 5)")


if __name__ == "__main__":
    main()
