"""Organised departures (issue 16): every staff member may look at the batches and their rosters;
supervisors and admins add and edit batches, take the roll call (boarded / absent) and send a
message to everyone in a batch (a changed time, the bus number), on each worker's channel."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from console.access import can_manage_in
from console.actions import actor
from console.auth import login_required, permission_required
from console.web import bp, form_text, session_db, signed_in, tell
from domain import audit
from domain.departures import batches
from domain.local_time import local
from domain.outreach.notify import Notifier
from domain.storage.models import Departure, DepartureSignup, Worker

FORM = (("ref", "编号"), ("destination", "目的地（城市）"), ("employer", "单位"), ("trade", "工种"),
        ("terms", "待遇"), ("county", "组织县区"), ("departs_at", "出发时间（2026-12-20 07:00，北京时间）"),
        ("meeting_point", "集合地点"), ("escort_phone", "带队电话"), ("seats", "位置数"), ("source", "来源"))
MESSAGE_MAX = 300


@bp.get("/departures")
@login_required
def departure_list() -> str:
    rows = list(session_db().scalars(select(Departure).order_by(Departure.departs_at.desc()).limit(300)))
    taken = batches.seats_taken(session_db(), [d.id for d in rows])
    return render_template("console/departures.html", rows=rows, taken=taken, when=batches.when,
                           statuses=batches.BATCH_STATUS_LABEL,
                           may=lambda d: can_manage_in(signed_in(), d.county))


def _values(departure: Departure | None) -> dict[str, str]:
    if departure is None:
        return {}
    values = {name: str(getattr(departure, name) or "") for name, _ in FORM}
    values["departs_at"] = f"{local(departure.departs_at):%Y-%m-%d %H:%M}"
    return values


@bp.route("/departures/new", methods=["GET", "POST"])
@bp.route("/departures/<int:departure_id>/edit", methods=["GET", "POST"])
@login_required
@permission_required("manage_services")
def departure_edit(departure_id: int | None = None) -> Any:
    db = session_db()
    departure = db.get(Departure, departure_id) if departure_id else None
    if departure_id and departure is None:
        abort(404)
    me = signed_in()
    if departure is not None and not can_manage_in(me, departure.county):
        abort(403)
    values, problems = _values(departure), list[str]()
    if request.method == "POST":
        values = {name: form_text(name).strip() for name, _ in FORM}
        if departure is not None:
            values["ref"] = departure.ref
        fields, problems = batches.parse(values)
        if fields is not None and not can_manage_in(me, fields["county"]):
            problems = [f"{fields['county'] or '（未填县区）'}不在您负责的地区（{'、'.join(me.regions or [])}）"]
        elif fields is not None and departure is None and batches.find(db, fields["ref"]) is not None:
            problems = [f"编号{fields['ref']}已存在"]
        elif fields is not None:
            saved, moved = batches.save(db, fields, departure)
            audit.record(db, actor(me), "departure_saved", saved.ref, new=departure is None)
            told = tell(moved, f"【去{saved.destination}的队伍】出发时间或集合地点改了："
                               f"{batches.when(saved.departs_at)}在{saved.meeting_point}集合。去不了请回复「我的行程」取消。")
            said = f"，已通知{told}位报名的工友新的时间地点" if told else ""
            flash(f"去{saved.destination}的批次已保存{said}。", "ok")
            return redirect(url_for("console.departure_list"))
    return render_template("console/record_form.html", values=values, problems=problems, record=departure,
                           heading=f"编辑批次 {departure.ref}" if departure else "新增批次", what="departure",
                           form=FORM, kinds={}, dates=()), 400 if problems else 200


def _departure(departure_id: int) -> Departure:
    departure = session_db().get(Departure, departure_id)
    if departure is None:
        abort(404)
    return departure


@bp.get("/departures/<int:departure_id>")
@login_required
def departure_roster(departure_id: int) -> str:
    db = session_db()
    departure = _departure(departure_id)
    rows = db.execute(select(DepartureSignup, Worker.pseudonym).join(Worker, Worker.id == DepartureSignup.worker_id)
                      .where(DepartureSignup.departure_id == departure.id).order_by(DepartureSignup.id)).all()
    audit.record(db, actor(signed_in()), "departure_roster_viewed", departure.ref)
    return render_template("console/departure_roster.html", departure=departure, rows=rows, when=batches.when,
                           statuses=batches.BATCH_STATUS_LABEL,
                           labels=batches.STATUS_LABEL, may=can_manage_in(signed_in(), departure.county))


def _may_manage(departure: Departure) -> None:
    if not can_manage_in(signed_in(), departure.county):
        abort(403)


@bp.post("/departures/<int:departure_id>/signups/<int:signup_id>")
@login_required
@permission_required("manage_services")
def departure_roll_call(departure_id: int, signup_id: int) -> Response:
    db = session_db()
    departure = _departure(departure_id)
    signup = db.get(DepartureSignup, signup_id)
    if signup is None or signup.departure_id != departure.id:
        abort(404)
    _may_manage(departure)
    status = form_text("status")
    if status not in ("boarded", "absent", "joined"):
        abort(400)
    batches.roll_call(signup, status)
    audit.record(db, actor(signed_in()), "departure_roll_call", signup.number, status=status)
    flash(f"{signup.number}：{batches.STATUS_LABEL[status]}。", "ok")
    return redirect(url_for("console.departure_roster", departure_id=departure.id))


@bp.post("/departures/<int:departure_id>/message")
@login_required
@permission_required("manage_services")
def departure_message(departure_id: int) -> Response:
    db = session_db()
    departure = _departure(departure_id)
    _may_manage(departure)
    text = form_text("text").strip()
    if not text or len(text) > MESSAGE_MAX:
        flash(f"消息不能为空，最多{MESSAGE_MAX}字。", "error")
        return redirect(url_for("console.departure_roster", departure_id=departure.id))
    notifier: Notifier = current_app.extensions["gongyou.notifier"]
    sent = batches.message_all(db, departure, text, notifier.notify)
    audit.record(db, actor(signed_in()), "departure_messaged", departure.ref, workers=sent)
    flash(f"已发给这一批的{sent}位工友。", "ok")
    return redirect(url_for("console.departure_roster", departure_id=departure.id))


@bp.post("/departures/<int:departure_id>/status")
@login_required
@permission_required("manage_services")
def departure_status(departure_id: int) -> Response:
    db = session_db()
    departure = _departure(departure_id)
    _may_manage(departure)
    status = form_text("status")
    if status not in batches.BATCH_STATUS_LABEL:
        abort(400)
    cancelled = batches.set_status(db, departure, status)
    audit.record(db, actor(signed_in()), "departure_status", departure.ref, status=status)
    db.flush()
    told = tell(cancelled, f"【去{departure.destination}的队伍】这一批（{batches.when(departure.departs_at)}）取消了，"
                            "报名作废。回复「组织外出」看其他批次。")
    flash(f"去{departure.destination}的批次：{batches.BATCH_STATUS_LABEL[status]}"
          f"{f'，已通知{told}位报名的工友' if told else ''}。", "ok")
    return redirect(url_for("console.departure_roster", departure_id=departure.id))
