"""Background jobs (RQ on Redis) and the worker process: `python -m bot.jobs`."""

from __future__ import annotations

import logging

from flask import Flask

from bot.outbox import TransientFailure

QUEUE = "gongyou"
RETRY_INTERVALS = [5, 30, 120]
_app: Flask | None = None
log = logging.getLogger(__name__)


def bind(app: Flask) -> None:
    """Use this app's clients in jobs run by this process (the worker, or a test)."""
    global _app
    _app = app


def _current() -> Flask:
    global _app
    if _app is None:
        from bot import create_app

        _app = create_app()
    return _app


def deliver(outbound_id: int) -> str:
    try:
        status: str = _current().extensions["gongyou.outbox"].deliver(outbound_id)
    except TransientFailure:
        log.warning("outbound %s: transient failure, RQ will retry", outbound_id)
        raise
    return status


def main() -> None:
    from rq import Queue, Worker

    app = _current()
    bind(app)
    connection = app.extensions["gongyou.rq_connection"]
    Worker([Queue(QUEUE, connection=connection)], connection=connection).work(with_scheduler=True)


if __name__ == "__main__":
    main()
