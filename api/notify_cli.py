"""`flask notify-worker`: the process that sends the outbox (run it beside the web processes)."""
import signal

import click
from flask import current_app
from flask.cli import with_appcontext

from notify.worker import NotifyWorker


@click.command("notify-worker")
@click.option("--once", is_flag=True, help="Send what is due now, then exit.")
@click.option("--concurrency", default=16, show_default=True, help="WeChat calls in flight at a time.")
@click.option("--poll-interval", default=0.2, show_default=True, help="Seconds to wait when nothing is due.")
@click.option("--alert-interval", default=60.0, show_default=True, help="Seconds between staff deadline checks.")
@with_appcontext
def notify_worker(once, concurrency, poll_interval, alert_interval):
    """Send status pushes: claim due notifications, send WeChat subscribe messages, retry, raise staff alerts."""
    worker = NotifyWorker(current_app._get_current_object(), concurrency, poll_interval, alert_interval)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: worker.stop())
    worker.run(once=once)
