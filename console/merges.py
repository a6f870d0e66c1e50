"""Merging two records of one person, for supervisors: a worker proved on WeChat (by an SMS code)
that they hold a number which already carries another record's history. Nothing moves until staff
look at both and merge; every merge is a case event on each case it moves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from console.actions import actor
from console.auth import login_required, permission_required
from console.web import bp, data_cipher, session_db, signed_in
from domain import audit, phone_links
from domain.cases import lifecycle as cases
from domain.storage.models import Case, PhoneVerification, Worker


@bp.get("/merges")
@login_required
@permission_required("merge_records")
def merges() -> Any:
    db, cipher = session_db(), data_cipher()
    rows = []
    for request in phone_links.merge_requests(db):
        identity = phone_links.sms_identity(db, cipher, request)
        other = identity.worker_id if identity is not None else None
        rows.append({
            "id": request.id, "phone": request.phone_masked, "at": request.created_at,
            "wechat": db.get(Worker, request.worker_id), "wechat_cases": _cases(request.worker_id),
            "other": db.get(Worker, other) if other else None, "other_cases": _cases(other) if other else [],
        })
    return render_template("console/merges.html", rows=rows)


def _cases(worker_id: int) -> list[Case]:
    """A record's filed cases, for staff to compare the two stories before merging."""
    return cases.worker_cases(session_db(), worker_id, limit=50)


@bp.post("/merges/<int:request_id>/reject")
@login_required
@permission_required("merge_records")
def reject(request_id: int) -> Response:
    def rejected(db: Session, request: PhoneVerification, who: str) -> str:
        phone_links.reject(db, request, who)
        audit.record(db, who, "merge_rejected", f"request {request_id}")
        return "已驳回：两个记录保持分开。"

    return _decide(request_id, rejected)


@bp.post("/merges/<int:request_id>")
@login_required
@permission_required("merge_records")
def merge(request_id: int) -> Response:
    def merged(db: Session, request: PhoneVerification, who: str) -> str:
        moved = phone_links.merge(db, data_cipher(), request, who)
        audit.record(db, who, "records_merged", f"request {request_id}", cases=moved)
        return f"已合并：{moved}件案件转到微信用户名下。"

    return _decide(request_id, merged)


def _decide(request_id: int, decide: Callable[[Session, PhoneVerification, str], str]) -> Response:
    """Staff's decision on one request, audited; a request already decided says so instead of failing."""
    db = session_db()
    request = db.get(PhoneVerification, request_id)
    if request is None:
        abort(404)
    try:
        flash(decide(db, request, actor(signed_in())), "ok")
    except ValueError as exc:
        flash(str(exc), "error")
    return redirect(url_for("console.merges"))
