"""Training courses (issue 16): every staff member may look at courses and their rosters;
supervisors and admins add and edit courses and record how each worker did (attended, certified
with the certificate's number, not passed), which the worker is told on their channel. A supervisor
with regions keeps the courses of those counties."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from console.access import can_manage_in
from console.actions import actor
from console.auth import login_required, permission_required
from console.web import bp, form_text, session_db, signed_in, tell
from domain import audit
from domain.local_time import local_today
from domain.storage.models import Course, CourseSignup, Worker
from domain.training import catalogue, signups

FORM = (("ref", "编号"), ("title", "名称"), ("kind", "类型"), ("trade", "工种（如 焊工、厨师；不限则空着）"),
        ("county", "举办县区"), ("venue", "地点"), ("starts_on", "开班日期"), ("ends_on", "结束日期"),
        ("start_time", "开班时间"), ("seats", "名额"), ("fee", "收费（元，免费写0）"), ("eligibility", "报名条件"),
        ("certificate", "结业证书"), ("employer", "订单单位（订单培训）"), ("contact_phone", "咨询电话"),
        ("source", "来源"))


@bp.get("/courses")
@login_required
def course_list() -> str:
    rows = list(session_db().scalars(select(Course).order_by(Course.starts_on.desc(), Course.id.desc()).limit(300)))
    taken = catalogue.seats_taken(session_db(), [c.id for c in rows])
    return render_template("console/courses.html", rows=rows, taken=taken, kinds=catalogue.KIND_LABEL,
                           statuses=catalogue.STATUS_LABEL,
                           today=local_today(datetime.now(UTC)), may=lambda c: can_manage_in(signed_in(), c.county))


def _values(course: Course | None) -> dict[str, str]:
    if course is None:
        return {"kind": "skills", "fee": "0", "start_time": "08:30"}
    return {name: str(getattr(course, name) or "") for name, _ in FORM} | {"fee": str(course.fee)}


@bp.route("/courses/new", methods=["GET", "POST"])
@bp.route("/courses/<int:course_id>/edit", methods=["GET", "POST"])
@login_required
@permission_required("manage_services")
def course_edit(course_id: int | None = None) -> Any:
    db = session_db()
    course = db.get(Course, course_id) if course_id else None
    if course_id and course is None:
        abort(404)
    me = signed_in()
    if course is not None and not can_manage_in(me, course.county):
        abort(403)
    values, problems = _values(course), list[str]()
    if request.method == "POST":
        values = {name: form_text(name).strip() for name, _ in FORM}
        if course is not None:
            values["ref"] = course.ref
        fields, problems = catalogue.parse(values)
        if fields is not None and not can_manage_in(me, fields["county"]):
            problems = [f"{fields['county'] or '（未填县区）'}不在您负责的地区（{'、'.join(me.regions or [])}）"]
        elif fields is not None and course is None and catalogue.find(db, fields["ref"]) is not None:
            problems = [f"编号{fields['ref']}已存在"]
        elif fields is not None:
            saved, moved = catalogue.save(db, fields, course)
            audit.record(db, actor(me), "course_saved", saved.ref, new=course is None)
            told = tell(moved, f"您报名的{saved.title}时间改了：{saved.starts_on.month}月{saved.starts_on.day}日"
                                f"{saved.start_time}开班，地点{saved.county}{saved.venue}。去不了请回复「我的培训」取消。")
            flash(f"「{saved.title}」已保存{f'，开班时间变了，已通知{told}位报名的工友' if told else ''}。", "ok")
            return redirect(url_for("console.course_list"))
    return render_template("console/record_form.html", values=values, problems=problems, record=course, form=FORM,
                           heading=f"编辑培训班 {course.ref}" if course else "新增培训班", what="course",
                           kinds=catalogue.KIND_LABEL, dates=("starts_on", "ends_on")), 400 if problems else 200


@bp.get("/courses/<int:course_id>")
@login_required
def course_roster(course_id: int) -> str:
    db = session_db()
    course = db.get(Course, course_id)
    if course is None:
        abort(404)
    rows = db.execute(select(CourseSignup, Worker.pseudonym).join(Worker, Worker.id == CourseSignup.worker_id)
                      .where(CourseSignup.course_id == course.id).order_by(CourseSignup.id)).all()
    audit.record(db, actor(signed_in()), "course_roster_viewed", course.ref)
    return render_template("console/course_roster.html", course=course, rows=rows, labels=signups.STATUS_LABEL,
                           statuses=catalogue.STATUS_LABEL,
                           kinds=catalogue.KIND_LABEL, may=can_manage_in(signed_in(), course.county))


@bp.post("/courses/<int:course_id>/signups/<int:signup_id>")
@login_required
@permission_required("manage_services")
def course_signup_record(course_id: int, signup_id: int) -> Response:
    db = session_db()
    course = _managed_course(course_id)
    signup = db.get(CourseSignup, signup_id)
    if signup is None or signup.course_id != course.id:
        abort(404)
    status = form_text("status")
    if status not in signups.STATUS_LABEL:
        abort(400)
    notice = signups.record(db, signup, status, form_text("certificate_no").strip())
    audit.record(db, actor(signed_in()), "course_signup_recorded", signup.number, status=status)
    if notice:
        db.flush()
        tell([signup.worker_id], notice)
    flash(f"{signup.number}：{signups.STATUS_LABEL[status]}{'，已通知工友' if notice else ''}。", "ok")
    return redirect(url_for("console.course_roster", course_id=course.id))


@bp.post("/courses/<int:course_id>/status")
@login_required
@permission_required("manage_services")
def course_status(course_id: int) -> Response:
    db = session_db()
    course = _managed_course(course_id)
    status = form_text("status")
    if status not in catalogue.STATUS_LABEL:
        abort(400)
    cancelled = catalogue.set_status(db, course, status)
    audit.record(db, actor(signed_in()), "course_status", course.ref, status=status)
    db.flush()
    told = tell(cancelled, f"您报名的{course.title}（{course.starts_on.month}月{course.starts_on.day}日）取消了，"
                            "报名作废。回复「培训」看其他班。")
    said = f"，已通知{told}位报名的工友" if told else ""
    flash(f"「{course.title}」：{catalogue.STATUS_LABEL[status]}{said}。", "ok")
    return redirect(url_for("console.course_roster", course_id=course.id))


def _managed_course(course_id: int) -> Course:
    """The course a change is for: 404 when there is none, 403 when it is not the user's to keep."""
    course = session_db().get(Course, course_id)
    if course is None:
        abort(404)
    if not can_manage_in(signed_in(), course.county):
        abort(403)
    return course
