"""Background jobs (RQ on Redis) and the worker process: `python -m bot.jobs`."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from datetime import UTC, datetime

from flask import Flask

from domain.crypto import mask_every_log
from domain.outreach.outbox import TransientFailure

QUEUE = "gongyou"
RETRY_INTERVALS = [5, 30, 120]
_app: Flask | None = None
_bound_pid = 0  # the process that bound the app: a forked job process must not reuse its connections
log = logging.getLogger(__name__)


def bind(app: Flask) -> None:
    """Use this app's clients in jobs run by this process (the worker, or a test)."""
    global _app, _bound_pid
    _app, _bound_pid = app, os.getpid()


def _current() -> Flask:
    """The app jobs run with. RQ runs each job in a process forked from the worker: it inherits the bound
    app, but the database connections in the pool belong to the parent, so the child drops its copies
    (without closing them under the parent) and opens its own. Redis clients do this themselves."""
    global _app, _bound_pid
    if _app is None:
        from bot import create_app

        _app, _bound_pid = create_app(), os.getpid()
    elif _bound_pid != os.getpid():
        _app.extensions["gongyou.db"].engine.dispose(close=False)
        _bound_pid = os.getpid()
    return _app


def deliver(outbound_id: int) -> str:
    try:
        status: str = _current().extensions["gongyou.outbox"].deliver(outbound_id)
    except TransientFailure:
        log.warning("outbound %s: transient failure, RQ will retry", outbound_id)
        raise
    return status


def fetch_media(media_file_id: int) -> str:
    status: str = _current().extensions["gongyou.media"].fetch(media_file_id)
    return status


PERIOD_SECONDS = 600  # how often the worker sweeps deadlines and vacancy alerts


def run_periodic(app: Flask, now: datetime | None = None) -> dict[str, int] | None:
    """One round of the periodic work: overdue-case updates to workers, vacancy alerts, course
    reminders the day before a class, the monthly wage check-ins and the retention period. Several
    worker processes may run this; a Redis lock lets one of them do it per period (None: skipped)."""
    from domain import checkins, privacy
    from domain.cases import lifecycle as cases
    from domain.departures import batches
    from domain.local_time import daytime, local_today
    from domain.training import signups
    from domain.vacancies import alerts

    client = app.extensions["gongyou.redis"]
    if not client.set("gongyou:periodic:lock", "1", nx=True, ex=PERIOD_SECONDS - 30):
        return None
    notifier = app.extensions["gongyou.notifier"]
    database = app.extensions["gongyou.db"]
    moment = now or datetime.now(UTC)
    today = local_today(moment)  # the office's calendar: a moved clock moves it too
    # Each piece of work commits on its own: a notice is queued (and committed) as it is sent, so the
    # mark that it went must not wait for later work that might fail, or the next round sends it again.
    with database.session() as db:
        overdue = cases.sweep_overdue(db, notifier.notify, now)
    with database.session() as db:
        announced = alerts.announce(db, today, notifier.notify, now)
    reminded = rolled = asked = 0
    if daytime(moment):  # reminders and questions reach phones by day, not at midnight
        with database.session() as db:
            reminded = signups.remind(db, today, notifier.notify, moment)
        with database.session() as db:
            rolled = batches.remind(db, moment, notifier.notify)
        with database.session() as db:
            asked = checkins.ask_due(db, today, notifier.notify, moment, notifier.reachable)  # as notify: now
    with database.session() as db:
        retained = privacy.apply_retention(db, app.config["GONGYOU"].retention_months, now)
    if overdue or announced or reminded or rolled or asked or retained.workers:
        log.info("periodic: %d overdue update(s), %d vacancy alert(s), %d course reminder(s), %d roll call(s), "
                 "%d wage check-in(s), %d worker(s) past retention anonymised", overdue, announced, reminded, rolled,
                 asked, retained.workers)
    return {"overdue": overdue, "alerts": announced, "reminders": reminded, "roll_calls": rolled, "check_ins": asked,
            "anonymised": retained.workers}


RECONCILE_SECONDS = 60  # how often messages whose job was lost are scheduled again


def reconcile(app: Flask) -> int | None:
    """Outbox messages stuck in queued or sending (their RQ job lost with a Redis restart, or a worker
    that died) are scheduled again. One worker per round (a Redis lock; None: another has it)."""
    client = app.extensions["gongyou.redis"]
    if not client.set("gongyou:reconcile:lock", "1", nx=True, ex=RECONCILE_SECONDS - 5):
        return None
    requeued: int = app.extensions["gongyou.outbox"].requeue_stuck()
    return requeued


HEARTBEAT_KEY = "gongyou:worker:heartbeat"  # when a background worker last went round: /healthz shows it
HEARTBEAT_SECONDS = 30


def beat(app: Flask) -> None:
    app.extensions["gongyou.redis"].set(HEARTBEAT_KEY, f"{time.time():.0f}", ex=10 * HEARTBEAT_SECONDS)


def _reconciler(app: Flask, stop: threading.Event) -> None:
    rounds = 0
    while not stop.wait(HEARTBEAT_SECONDS):
        rounds += 1
        try:
            beat(app)
            if rounds % (RECONCILE_SECONDS // HEARTBEAT_SECONDS) == 0:
                reconcile(app)
        except Exception:  # Redis or the database away: the next round tries again
            log.exception("reconcile round failed")


def _clock(app: Flask, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            run_periodic(app)
        except Exception:  # a failed round is logged; the next one tries again
            log.exception("periodic round failed")
        stop.wait(PERIOD_SECONDS)


RESTART_SECONDS = 2  # after the RQ worker stopped on an error, before another starts (doubling up to a minute)
RESTART_MAX_SECONDS = 60


def _work(app: Flask) -> bool:
    """One RQ worker's life. True when it stopped because it was asked to (SIGTERM, Ctrl-C); False when
    an error ended it (RQ quits on an unhandled error, e.g. Redis restarting under it) or it could not
    start (Redis still away)."""
    from rq import Queue, Worker

    class StoppableWorker(Worker):
        asked_to_stop = False  # by SIGTERM or Ctrl-C (RQ calls this hook on a warm shutdown request)

        def handle_warm_shutdown_request(self) -> None:
            self.asked_to_stop = True
            super().handle_warm_shutdown_request()

    connection = app.extensions["gongyou.rq_connection"]
    every = app.config["GONGYOU"].worker_maintenance_seconds
    worker: StoppableWorker | None = None
    try:
        # RQ restarts a dead scheduler in its maintenance round, and only between two waits for a job:
        # both at most ``every`` seconds apart (RQ's defaults, 10 min and 405 s, left retries waiting).
        worker = StoppableWorker([Queue(QUEUE, connection=connection)], connection=connection,
                                 maintenance_interval=every, worker_ttl=every + 15)
        worker.work(with_scheduler=True)
    except Exception:  # Redis away when starting or tearing down: the next worker tries again
        log.warning("RQ worker ended by an error", exc_info=True)
    return worker is not None and worker.asked_to_stop


def main() -> None:
    from bot import jobs  # run as `python -m bot.jobs` this module is __main__; RQ's jobs call bot.jobs

    app = _current()
    bind(app)
    jobs.bind(app)  # without this every job built a whole app of its own (connections, threads, 0.25 s)
    stop = threading.Event()
    threading.Thread(target=_clock, args=(app, stop), name="gongyou-clock", daemon=True).start()
    threading.Thread(target=_reconciler, args=(app, stop), name="gongyou-reconciler", daemon=True).start()
    wait = RESTART_SECONDS
    try:
        mask_every_log()  # RQ logs through its own logger and handler
        while not _work(app):  # a Redis restart must not end the background work: start another worker
            # Between workers, SIGTERM and Ctrl-C end the loop (the dead worker's handlers are still set).
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: stop.set())
            log.warning("RQ worker stopped on an error: another starts in %d s", wait)
            if stop.wait(wait):
                break
            wait = min(wait * 2, RESTART_MAX_SECONDS)
    finally:
        stop.set()


if __name__ == "__main__":
    main()
