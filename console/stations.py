"""The home office's stations in receiving cities (issue 16): every staff member may look them up;
supervisors and admins add, edit and close them (a supervisor with regions, only theirs)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from console.access import can_manage_in
from console.actions import actor
from console.auth import login_required, permission_required
from console.web import bp, form_text, session_db, signed_in
from domain import audit
from domain.stations import directory
from domain.storage.models import Station

FORM = (("ref", "编号"), ("name", "名称"), ("kind", "类型"), ("office", "所属劳务办"), ("city", "城市"),
        ("district", "区县"), ("address", "地址"), ("phone", "电话"), ("hours", "办公时间"),
        ("services", "能办的事（用、分开）"), ("source", "来源"))


@bp.get("/stations")
@login_required
def station_list() -> str:
    city = request.args.get("city", "").strip()[:32]
    stmt = select(Station).order_by(Station.active.desc(), Station.province, Station.city, Station.id)
    if city:
        stmt = stmt.where(Station.city == city)
    rows = list(session_db().scalars(stmt))
    return render_template("console/stations.html", rows=rows, city=city, kinds=directory.KIND_LABEL,
                           may=lambda s: can_manage_in(signed_in(), s.city))


def _values(station: Station | None) -> dict[str, str]:
    if station is None:
        return {"kind": "liaison"}
    return {name: "、".join(station.services) if name == "services" else str(getattr(station, name) or "")
            for name, _ in FORM}


@bp.route("/stations/new", methods=["GET", "POST"])
@bp.route("/stations/<int:station_id>/edit", methods=["GET", "POST"])
@login_required
@permission_required("manage_services")
def station_edit(station_id: int | None = None) -> Any:
    db = session_db()
    station = db.get(Station, station_id) if station_id else None
    if station_id and station is None:
        abort(404)
    me = signed_in()
    if station is not None and not can_manage_in(me, station.city):
        abort(403)
    values, problems = _values(station), list[str]()
    if request.method == "POST":
        values = {name: form_text(name).strip() for name, _ in FORM}
        if station is not None:
            values["ref"] = station.ref
        fields, problems = directory.parse(values)
        if fields is not None and not can_manage_in(me, fields["city"]):
            problems = [f"{fields['city']}不在您负责的地区（{'、'.join(me.regions or [])}）"]
        elif fields is not None and station is None and directory.ref_taken(db, fields["ref"]):
            problems = [f"编号{fields['ref']}已存在"]
        elif fields is not None:
            saved = directory.save(db, fields, station)
            audit.record(db, actor(me), "station_saved", saved.ref, city=saved.city, new=station is None)
            flash(f"「{saved.name}」已保存，工友问{saved.city}的老乡站时会看到。", "ok")
            return redirect(url_for("console.station_list"))
    return render_template("console/record_form.html", values=values, problems=problems, record=station,
                           heading=f"编辑服务站 {station.ref}" if station else "新增服务站", what="station",
                           form=FORM, kinds=directory.KIND_LABEL, dates=()), 400 if problems else 200


@bp.post("/stations/<int:station_id>/active")
@login_required
@permission_required("manage_services")
def station_active(station_id: int) -> Response:
    db = session_db()
    station = db.get(Station, station_id)
    if station is None:
        abort(404)
    if not can_manage_in(signed_in(), station.city):
        abort(403)
    station.active = request.form.get("active") == "1"
    audit.record(db, actor(signed_in()), "station_opened" if station.active else "station_closed", station.ref)
    flash(f"「{station.name}」{'已恢复' if station.active else '已停用，工友不会再看到'}。", "ok")
    return redirect(url_for("console.station_list"))
