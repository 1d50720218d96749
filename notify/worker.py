"""The notification worker: keeps a few subscribe messages in flight at all times, claiming due
notifications as room frees up and settling the answers as they come back; gives lost claims back and
raises staff deadline alerts.

Any number of workers may run on PostgreSQL (claims skip each other's rows); SQLite runs one.
"""
import logging
import os
import socket
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import timedelta

from flask import Flask

from catalog.china_time import today_in_china
from models import db
from notify import outbox, sender, staff_alerts

log = logging.getLogger(__name__)


class NotifyWorker:
    def __init__(self, app: Flask, concurrency: int = 16, poll_interval: float = 0.2, alert_interval: float = 60.0):
        self.app = app
        self.concurrency = concurrency
        self.poll_interval, self.alert_interval = poll_interval, alert_interval
        self.name = f"{socket.gethostname()}:{os.getpid()}"[:64]
        self.lease = timedelta(seconds=app.config["NOTIFY_LEASE_SECONDS"])
        self.retry_delays = app.config["NOTIFY_RETRY_DELAYS"]
        self.page = app.config["WECHAT_NOTIFY_PAGE"] or None
        self._stop = threading.Event()

    def stop(self) -> None:
        """Send nothing new; settle what is in flight, then return from run()."""
        self._stop.set()

    def run(self, once: bool = False) -> None:
        """Work until stop(); with `once`, until nothing is due or in flight (errors then propagate)."""
        with self.app.app_context(), ThreadPoolExecutor(self.concurrency, thread_name_prefix="notify") as pool:
            log.info("notify worker %s started", self.name)
            in_flight: dict[Future, list[outbox.Delivery]] = {}
            next_release = next_alerts = 0.0
            failures = 0
            while in_flight or not self._stop.is_set():
                try:
                    if time.monotonic() >= next_release:
                        outbox.release_lost_claims()
                        next_release = time.monotonic() + 1
                    if time.monotonic() >= next_alerts:
                        next_alerts = time.monotonic() + self.alert_interval
                        self._raise_alerts()
                    busy = self._fill(pool, in_flight) + self._settle_finished(in_flight)
                    failures = 0
                except Exception:
                    db.session.rollback()
                    if once:
                        raise
                    # The database is away (restart, failover): wait and carry on; claims held meanwhile
                    # come back when their lease runs out.
                    failures += 1
                    log.exception("notify worker loop failed (%s in a row)", failures)
                    self._stop.wait(min(30.0, self.poll_interval * 2 ** failures))
                    continue
                if not busy and not in_flight:
                    if once:
                        break
                    self._stop.wait(self.poll_interval)
            log.info("notify worker %s stopped", self.name)

    def _raise_alerts(self) -> None:
        """Staff deadline alerts; a failure is logged and tried again at the next pass, never holding up pushes."""
        try:
            staff_alerts.raise_deadline_alerts(self.app.extensions["context"], today_in_china())
        except Exception:
            db.session.rollback()
            log.exception("raising staff deadline alerts failed; trying again in %.0f s", self.alert_interval)

    def _fill(self, pool: ThreadPoolExecutor, in_flight: dict) -> int:
        """Claim as many due notifications as there is room for and start sending them; the rows claimed."""
        # Twice the sending threads: the next sends wait ready while the current ones are on the wire.
        room = 2 * self.concurrency - sum(map(len, in_flight.values()))
        gateway = self.app.extensions["wechat"]
        # WeChat refused us a token moments ago: every push would be refused alike, so they wait, pending.
        if room <= 0 or self._stop.is_set() or gateway.token_refused():
            return 0
        claim = outbox.claim_due(self.app.extensions["context"], self.name, room, self.lease, self.page)
        for deliveries in _by_veteran(claim.deliveries):
            in_flight[pool.submit(_send_in_turn, gateway, deliveries)] = deliveries
        return claim.rows

    def _settle_finished(self, in_flight: dict) -> int:
        """Wait briefly for sends to come back and record those that did, in one transaction; how many."""
        if not in_flight:
            return 0
        done, _ = wait(in_flight, timeout=self.poll_interval, return_when=FIRST_COMPLETED)
        if done:
            # Forgotten only once recorded: a settle the database refused is tried again at the next pass,
            # instead of the message going out a second time when its lease runs out.
            outbox.settle([pair for future in done for pair in zip(in_flight[future], future.result())],
                          self.retry_delays)
            for future in done:
                del in_flight[future]
        return len(done)


def _by_veteran(deliveries: list[outbox.Delivery]) -> list[list[outbox.Delivery]]:
    """The claimed deliveries, one list per veteran, each in the order the changes happened."""
    groups: dict[int, list[outbox.Delivery]] = {}
    for delivery in deliveries:
        groups.setdefault(delivery.veteran_id, []).append(delivery)
    return list(groups.values())


def _send_in_turn(gateway, deliveries: list[outbox.Delivery]) -> list:
    """One veteran's messages one after the other ("已办结" before "全部办结"): sent side by side they could
    reach the phone in either order. Different veterans' messages still go out in parallel."""
    return [sender.send(gateway, delivery) for delivery in deliveries]

