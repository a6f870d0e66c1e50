"""Subsidy applications (issue 16): every staff member sees the list with names masked; a supervisor
(within their regions) opens one, which shows the applicant's name and is audited, and records the
decision — documents missing, approved with an amount, paid, rejected with a reason — which the worker
is told on their channel. Approved applications go on the public list (公示) when a supervisor
publishes them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from console.access import can_manage_in, sees_all
from console.actions import actor
from console.auth import login_required, permission_required
from console.web import bp, data_cipher, form_text, session_db, signed_in, tell
from domain import audit
from domain.storage.models import SubsidyApplication, Worker
from domain.subsidies import applications
from domain.subsidies.applications import ApplicationRefused, county_of
from domain.subsidies.schemes import SAID_LABEL, Said, by_key, schemes

DECISIONS = ("need_more", "approved", "paid", "rejected")


@bp.get("/subsidies")
@login_required
def subsidy_list() -> str:
    status = request.args.get("status", "")
    query = select(SubsidyApplication, Worker.pseudonym).join(Worker, Worker.id == SubsidyApplication.worker_id) \
        .where(SubsidyApplication.status != "draft")
    if status in applications.STATUS_LABEL:
        query = query.where(SubsidyApplication.status == status)
    me = signed_in()  # as with cases: all regions, else the home counties of one's regions

    def mine(row: SubsidyApplication) -> bool:
        return sees_all(me) or county_of(row.county) in (me.regions or []) or can_manage_in(me, county_of(row.county))
    found = session_db().execute(query.order_by(SubsidyApplication.id.desc()).limit(1000)).all()
    rows = [(row, pseudonym) for row, pseudonym in found if mine(row)][:300]
    return render_template("console/subsidies.html", rows=rows, labels=applications.STATUS_LABEL, status=status,
                           schemes={s.key: s for s in schemes()}, county_of=county_of,
                           may=lambda row: can_manage_in(signed_in(), county_of(row.county)))


@bp.get("/subsidies/<int:application_id>")
@login_required
@permission_required("manage_services")
def subsidy_view(application_id: int) -> str:
    row = _managed(application_id)
    audit.record(session_db(), actor(signed_in()), "subsidy_application_viewed", row.number)
    scheme = by_key(row.scheme)
    answers = [(c.ask, SAID_LABEL.get(Said(row.answers[c.key]), "") if row.answers.get(c.key) in set(Said) else "")
               for c in (scheme.conditions if scheme else ())]
    return render_template("console/subsidy.html", row=row, scheme=scheme, answers=answers,
                           name=data_cipher().decrypt(row.name_enc) if row.name_enc else "",
                           labels=applications.STATUS_LABEL, decisions=DECISIONS)


@bp.post("/subsidies/<int:application_id>")
@login_required
@permission_required("manage_services")
def subsidy_decide(application_id: int) -> Response | tuple[str, int]:
    row = _managed(application_id)
    status = form_text("status")
    if status not in DECISIONS:
        abort(400)
    try:
        amount = int(form_text("amount").strip() or 0)
    except ValueError:
        amount = -1
    try:
        notice = applications.record(row, status, amount, form_text("note"))
    except ApplicationRefused as why:
        flash(f"没有保存：{why}。", "error")
        return redirect(url_for("console.subsidy_view", application_id=row.id))
    audit.record(session_db(), actor(signed_in()), "subsidy_application_decided", row.number, status=status)
    if notice:
        session_db().flush()
        tell([row.worker_id], notice)
    flash(f"{row.number}：{applications.STATUS_LABEL[status]}{'，已通知工友' if notice else ''}。", "ok")
    return redirect(url_for("console.subsidy_view", application_id=row.id))


@bp.post("/subsidies/publish")
@login_required
@permission_required("manage_services")
def subsidy_publish() -> Response:
    """Every approved application the user keeps that is not yet on the public list goes on it."""
    db = session_db()
    me = signed_in()
    ready = [r for r in db.scalars(select(SubsidyApplication).where(
        SubsidyApplication.status.in_(applications.ON_THE_LIST), SubsidyApplication.published_at.is_(None)))
        if can_manage_in(me, county_of(r.county))]
    added = applications.publish(db, [r.id for r in ready])
    audit.record(db, actor(me), "subsidy_list_published", "", count=added)
    flash(f"已公示{added}条（工友发「补贴公示」可查看，只显示姓）。" if added else "没有待公示的申请。", "ok")
    return redirect(url_for("console.subsidy_list"))


def _managed(application_id: int) -> SubsidyApplication:
    """The application a supervisor acts on: 404 when there is none, 403 when not in their regions."""
    row = session_db().get(SubsidyApplication, application_id)
    if row is None or row.status == "draft":
        abort(404)
    if not can_manage_in(signed_in(), county_of(row.county)):
        abort(403)
    return row
