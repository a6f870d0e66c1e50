"""The console's request plumbing: the blueprint, a database session per request, the signed-in
user, CSRF on every POST, security headers, template globals."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from flask import Blueprint, current_app, g, request, session
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from console.access import ROLE_LABEL, can
from console.auth import check_csrf, csrf_token, current_user
from domain.cases.facts import CATEGORY_BY_KEY, FAMILY_NEEDS
from domain.cases.vocabulary import KIND_LABEL, STATUS_LABEL, Kind
from domain.crypto import DataCipher
from domain.local_time import local
from domain.messages import CHANNEL_LABEL
from domain.outreach.outbox import DELIVERY_LABEL
from domain.storage.db import Database
from domain.storage.models import StaffUser
from domain.text import without_controls

bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates", static_folder="static")
EVENT_LABELS = {
    "drafted": "开始登记", "filed": "提交", "cancelled": "取消", "evidence": "补充证据", "viewed": "查看",
    "reply": "回复工友", "note": "备注", "assigned": "分配", "status": "改状态", "handed_off": "转人工",
    "released": "交回机器人", "revealed": "查看电话", "reveal_refused": "查看电话（未获同意）",
    "exported": "导出登记表", "overdue_notice": "超时提醒工友", "media_viewed": "查看附件",
}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def session_db() -> Session:
    if "console_db" not in g:
        database: Database = current_app.extensions["gongyou.db"]
        g.console_db = database.sessionmaker()
    return cast(Session, g.console_db)


def data_cipher() -> DataCipher:
    return cast(DataCipher, current_app.extensions["gongyou.pipeline"].cipher)


def form_text(name: str) -> str:
    return without_controls(request.form.get(name, ""))


@bp.before_request
def load_user() -> None:
    if request.method == "POST":
        check_csrf()
    staff_id = session.get("staff_id")
    g.staff = None
    if staff_id:
        user = session_db().get(StaffUser, int(staff_id))
        if user is not None and user.active and session.get("v") == user.session_version:
            g.staff = user
        else:
            session.clear()


@bp.after_app_request
def security_headers(response: Response) -> Response:
    if request.blueprint == "console":
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cache-Control"] = "no-store"
        if current_app.config.get("SESSION_COOKIE_SECURE"):  # production: HTTPS only, remembered
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
    return response


@bp.teardown_app_request
def close_db(exc: BaseException | None) -> None:
    db = g.pop("console_db", None)
    if db is not None:
        if exc is None:
            db.commit()
        else:
            db.rollback()
        db.close()


@bp.app_template_filter("local")
def local_time_text(moment: datetime | None, form: str = "%m-%d %H:%M") -> str:
    """A stored time (UTC) as staff read it: the office's local time. The console showed UTC, eight
    hours off for staff in China (a reply 「03:20」 sent at 11:20)."""
    return local(moment).strftime(form) if isinstance(moment, datetime) else str(moment or "")


@bp.app_context_processor
def template_globals() -> dict[str, Any]:
    return {"csrf_token": csrf_token, "me": current_user(), "can": can, "KIND": Kind, "KINDS": KIND_LABEL,
            "STATUSES": STATUS_LABEL, "CATEGORIES": CATEGORY_BY_KEY, "FAMILY_NEEDS": FAMILY_NEEDS,
            "ROLE_LABEL": ROLE_LABEL, "CHANNEL_LABEL": CHANNEL_LABEL, "EVENT_LABELS": EVENT_LABELS,
            "DELIVERY": DELIVERY_LABEL}


# --- login ---------------------------------------------------------------------------------------

def signed_in() -> StaffUser:
    user = current_user()
    assert user is not None  # login_required ran
    return user




def tell(worker_ids: list[int], text: str) -> int:
    """A notice from staff's work to each of these workers, on their own channel; how many."""
    notifier = current_app.extensions["gongyou.notifier"]
    for worker_id in worker_ids:
        notifier.notify(worker_id, text)
    return len(worker_ids)
