"""Merging two records of one person, for supervisors: a worker proved on WeChat (by an SMS code)
that they hold a number which already carries another record's history. Nothing moves until staff
look at both and merge; every merge is a case event on each case it moves."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from console.actions import actor
from console.auth import login_required, permission_required
from console.web import bp, data_cipher, session_db, signed_in
from domain import phone_links
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
            "wechat": db.get(Worker, request.worker_id),
            "other": db.get(Worker, other) if other else None,
            "other_cases": db.scalar(select(func.count()).select_from(Case).where(Case.worker_id == other)) or 0,
        })
    return render_template("console/merges.html", rows=rows)


@bp.post("/merges/<int:request_id>")
@login_required
@permission_required("merge_records")
def merge(request_id: int) -> Response:
    db = session_db()
    request = db.get(PhoneVerification, request_id)
    if request is None:
        abort(404)
    try:
        moved = phone_links.merge(db, data_cipher(), request, actor(signed_in()))
    except ValueError as exc:
        flash(str(exc), "error")
    else:
        flash(f"已合并：{moved}件案件转到微信用户名下。", "ok")
    return redirect(url_for("console.merges"))
