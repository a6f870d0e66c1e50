"""Health for people and for load balancers.

GET /healthz: database, Redis and Rasa, 200 when all are up, 503 with detail otherwise; how policy
answers are found (by meaning, or by words only when the embedding model could not load), and how many
messages wait in the journal. It may take as long as its slowest dependency.

GET /livez: the process answers (always fast). GET /readyz: can this node take messages — the database
and Redis answered within the deadline; Rasa down is "degraded" but still ready, because the dialogue
rules answer without it. Both answer within half a second whatever the dependencies do: each check runs
in its own thread and one that has not finished by the deadline counts as down."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

import redis
from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue

from bot.jobs import HEARTBEAT_KEY
from nlu.client import NluUnavailable

bp = Blueprint("health", __name__)
READY_DEADLINE_SECONDS = 0.4
# A check that hangs holds one of these threads, never the request.
_checks = ThreadPoolExecutor(max_workers=8, thread_name_prefix="gongyou-health")


@bp.get("/livez")
def livez() -> ResponseReturnValue:
    return jsonify(status="ok"), 200


@bp.get("/readyz")
def readyz() -> ResponseReturnValue:
    ext = current_app.extensions
    checks: dict[str, Callable[[], object]] = {
        "database": ext["gongyou.db"].ping,
        "redis": ext["gongyou.redis"].ping,
        "rasa": ext["gongyou.nlu"].rasa.status,
    }
    started = time.monotonic()
    futures = {name: _checks.submit(check) for name, check in checks.items()}
    found: dict[str, str] = {}
    for name, future in futures.items():
        try:
            future.result(timeout=max(0.0, READY_DEADLINE_SECONDS - (time.monotonic() - started)))
            found[name] = "ok"
        except FutureTimeout:
            found[name] = "no answer in time"
        except Exception as exc:
            found[name] = f"down: {type(exc).__name__}"
    ready = found["database"] == "ok" and found["redis"] == "ok"
    status = "ok" if ready and found["rasa"] == "ok" else ("degraded" if ready else "not ready")
    return jsonify(status=status, checks=found), (200 if ready else 503)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    ext = current_app.extensions
    checks: dict[str, str] = {}
    try:
        ext["gongyou.db"].ping()
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"down: {type(exc).__name__}"
    redis_client = ext["gongyou.redis"]
    try:
        redis_client.ping()
        checks["redis"] = "in-process stand-in" if getattr(redis_client, "gongyou_fallback", False) else "ok"
    except Exception as exc:
        checks["redis"] = f"down: {type(exc).__name__}"
    try:
        status = ext["gongyou.nlu"].rasa.status()
        checks["rasa"] = "ok" if status.get("model_file") else "up, no model loaded"
    except NluUnavailable:
        checks["rasa"] = "down"
    healthy = all(v == "ok" or v == "in-process stand-in" for v in checks.values())
    library = ext["gongyou.kb"]
    retrieval = "by meaning and words" if library.embedder is not None else "by words only (no embedding model)"
    journal = ext["gongyou.pipeline"].journal
    waiting = journal.waiting() if journal is not None else 0  # kept while the database was away, not yet replayed
    return jsonify(status="ok" if healthy else "degraded", checks=checks, policy_answers=retrieval,
                   journaled_messages=waiting, background_worker=_worker_seen(redis_client)), (200 if healthy else 503)


def _worker_seen(redis_client: redis.Redis) -> str:
    """When a background worker (`python -m bot.jobs`: deliveries, photos, deadlines) last went round.
    Informational: the webhook answers without it, but late answers and reminders wait."""
    try:
        stamp = redis_client.get(HEARTBEAT_KEY)
    except Exception:
        return "unknown (Redis unavailable)"
    if not stamp:
        return "not seen in the last 5 minutes"
    return f"seen {max(0, round(time.time() - float(stamp)))} s ago"
