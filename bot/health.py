"""GET /healthz: database, Redis and Rasa, 200 when all are up, 503 with detail otherwise; and how policy
answers are found (by meaning, or by words only when the embedding model could not load), which
lowers answer quality but not availability."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue

from nlu.client import NluUnavailable

bp = Blueprint("health", __name__)


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
                   journaled_messages=waiting), (200 if healthy else 503)
