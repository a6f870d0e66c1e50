"""The JSON API for integration (/api): list and get cases, change a status, post a reply — the same
service layer as the console, the same authorisation (a token acts as its staff user). Its OpenAPI
document is served at /api/openapi.json."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from console import actions
from console.access import can, can_view
from console.openapi import CASE_NUMBER, OPENAPI, STATUS_VALUES
from console.queue import Filters, queue
from console.web import session_db  # one database session per request, committed at its end
from domain.cases import lifecycle as cases
from domain.cases.vocabulary import KIND_LABEL, NOT_FILED, STATUS_LABEL, Status, overdue
from domain.outreach.notify import Notifier
from domain.storage.models import ApiToken, Case, CaseEvent, OutboundMessage, StaffUser, aware
from domain.text import has_controls

bp = Blueprint("api", __name__, url_prefix="/api")
NUMBER = re.compile(CASE_NUMBER)


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


TOKEN_DAYS = 90  # a token expires; issue a new one rather than keep one forever


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(db: Session, user: StaffUser, name: str, days: int = TOKEN_DAYS) -> str:
    """A new token for ``user`` (shown once; only its hash is stored), expiring after ``days``."""
    token = "gy_" + secrets.token_urlsafe(32)
    db.add(ApiToken(name=name, token_hash=token_hash(token), staff_user_id=user.id,
                    expires_at=datetime.now(UTC) + timedelta(days=days)))
    db.flush()
    return token


def revoke_tokens(db: Session, username: str, name: str) -> int:
    user = db.scalar(select(StaffUser).where(StaffUser.username == username))
    if user is None:
        return 0
    tokens = list(db.scalars(select(ApiToken).where(ApiToken.staff_user_id == user.id, ApiToken.name == name,
                                                    ApiToken.revoked_at.is_(None))))
    for token in tokens:
        token.revoked_at = datetime.now(UTC)
    return len(tokens)


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError) -> tuple[Response, int]:
    return jsonify(error=str(exc)), exc.status


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> tuple[Response, int]:
    return jsonify(error=exc.name), exc.code or 500


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(OPENAPI)


def _user() -> StaffUser:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer ") or len(header) > 200:
        raise ApiError(401, "missing bearer token")
    db = session_db()
    token = db.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(header[7:].strip()),
                                             ApiToken.revoked_at.is_(None)))
    user = db.get(StaffUser, token.staff_user_id) if token is not None else None
    expired = token is not None and token.expires_at is not None and aware(token.expires_at) < datetime.now(UTC)
    if token is None or user is None or not user.active or expired:
        raise ApiError(401, "invalid token")
    token.last_used_at = datetime.now(UTC)
    return user


def _case(number: str, user: StaffUser) -> Case:
    if not NUMBER.fullmatch(number):
        raise ApiError(400, "case number looks like QX202611220001")
    case = session_db().scalar(select(Case).where(Case.number == number))
    if case is None or case.status in NOT_FILED or not can_view(user, case):
        raise ApiError(404, "no such case")
    return case


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return aware(moment).isoformat()


def summary(case: Case, now: datetime) -> dict[str, Any]:
    return {
        "number": case.number, "kind": case.kind, "category": case.category, "status": case.status,
        "city": case.city, "employer": case.employer, "amount": case.amount,
        "workers_affected": case.workers_affected, "priority": case.priority, "filed_at": _iso(case.filed_at),
        "first_response_due": _iso(case.first_response_due),
        "overdue": any(overdue(d, now) for d in cases.deadlines(case).values()),
    }


def detail(db: Session, case: Case, now: datetime) -> dict[str, Any]:
    d = case.details or {}
    events = db.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id))
    return {
        **summary(case, now),
        "anonymous": case.anonymous, "phone_masked": case.phone_masked,
        "site": d.get("site"), "months": d.get("months"), "story": str(d.get("story") or case.summary or ""),
        "deadlines": {k: (_iso(v) if isinstance(v, datetime) else v) for k, v in cases.deadlines(case).items()},
        "events": [{"at": _iso(e.at), "actor": e.actor, "kind": e.kind} for e in events],
    }


def _body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "a JSON object is expected")
    return data


@bp.get("/cases")
def list_cases() -> Response:
    user = _user()
    args = request.args
    status = args.get("status", "open")
    kind = args.get("kind", "")
    if status not in STATUS_VALUES:
        raise ApiError(400, f"status must be one of {', '.join(STATUS_VALUES)}")
    if kind and kind not in KIND_LABEL:
        raise ApiError(400, f"kind must be one of {', '.join(KIND_LABEL)}")
    try:
        limit = int(args.get("limit", "50"))
    except ValueError:
        raise ApiError(400, "limit must be an integer") from None
    if not 1 <= limit <= 200:
        raise ApiError(400, "limit must be 1-200")
    city, q = args.get("city", ""), args.get("q", "")
    if len(city) > 32 or len(q) > 64 or has_controls(city + q):
        raise ApiError(400, "city or q too long or not text")
    overdue_only = args.get("overdue", "false")
    if overdue_only not in ("true", "false"):
        raise ApiError(400, "overdue must be true or false")
    cipher = current_app.extensions["gongyou.pipeline"].cipher
    now = datetime.now(UTC)
    rows = queue(session_db(), user, Filters(kind=kind, status=status, city=city, overdue=overdue_only == "true", q=q),
                 cipher, now, limit=limit)
    return jsonify(cases=[summary(r.case, now) for r in rows[:limit]])


@bp.get("/cases/<number>")
def get_case(number: str) -> Response:
    user = _user()
    case = _case(number, user)
    actions.viewed(session_db(), case, user)
    return jsonify(detail(session_db(), case, datetime.now(UTC)))


@bp.post("/cases/<number>/status")
def change_status(number: str) -> Response:
    user = _user()
    case = _case(number, user)
    body = _body()
    new, reason = body.get("status"), body.get("reason")
    if (new not in STATUS_LABEL or not isinstance(reason, str) or not reason.strip() or len(reason) > 500
            or has_controls(reason)):
        raise ApiError(400, "status (new|accepted|referred|resolved|closed) and a reason (1-500 characters) needed")
    if not can(user, "close" if new == Status.CLOSED else "status"):
        raise ApiError(403, "your role may not do this")
    try:
        actions.change_status(session_db(), case, user, str(new), reason, current_app.extensions["gongyou.notifier"])
    except cases.StatusChangeError as exc:
        raise ApiError(409, str(exc)) from None
    return jsonify(detail(session_db(), case, datetime.now(UTC)))


@bp.post("/cases/<number>/replies")
def post_reply(number: str) -> tuple[Response, int]:
    user = _user()
    case = _case(number, user)
    text = _body().get("text")
    if not isinstance(text, str) or not text.strip() or len(text) > actions.REPLY_MAX or has_controls(text):
        raise ApiError(400, f"text: 1-{actions.REPLY_MAX} characters")
    notifier: Notifier = current_app.extensions["gongyou.notifier"]
    outbound_id = actions.reply(session_db(), notifier, case, user, text)
    row = session_db().get(OutboundMessage, outbound_id)
    return jsonify(outbound_id=outbound_id, status=row.status if row else "queued"), 202
