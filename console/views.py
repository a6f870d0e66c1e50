"""The console's pages: login, the queue, a case and what staff do on it. Server-rendered, escaped,
CSRF on every form, authorisation on every route and every case lookup."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, cast

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from bot import cases
from bot.case_facts import CATEGORY_BY_KEY
from bot.crypto import DataCipher
from bot.notify import Notifier
from bot.reports import inspection_html
from bot.storage.db import Database
from bot.storage.models import Case, CaseEvent, CaseGroup, StaffUser, Worker
from bot.text import without_controls
from console import actions
from console.access import allowed, can_view
from console.auth import (
    LoginRefused,
    authenticate,
    check_csrf,
    csrf_token,
    current_user,
    log_in,
    login_required,
    redis_client,
    role_required,
)
from console.queue import KINDS, STATUSES, Filters, counts, queue
from console.report_files import csv_text, xlsx
from console.stats import figures, month_range, quarter_range

bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates", static_folder="static")
EVENT_LABELS = {
    "drafted": "开始登记", "filed": "提交", "cancelled": "取消", "evidence": "补充证据", "viewed": "查看",
    "reply": "回复工友", "note": "备注", "assigned": "分配", "status": "改状态", "handed_off": "转人工",
    "released": "交回机器人", "revealed": "查看电话", "reveal_refused": "查看电话（未获同意）",
    "exported": "导出登记表", "overdue_notice": "超时提醒工友",
}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def _db() -> Session:
    if "console_db" not in g:
        database: Database = current_app.extensions["gongyou.db"]
        g.console_db = database.sessionmaker()
    return cast(Session, g.console_db)


def _cipher() -> DataCipher:
    return cast(DataCipher, current_app.extensions["gongyou.pipeline"].cipher)


def _form(name: str) -> str:
    return without_controls(request.form.get(name, ""))


@bp.before_request
def load_user() -> None:
    if request.method == "POST":
        check_csrf()
    staff_id = session.get("staff_id")
    g.staff = None
    if staff_id:
        user = _db().get(StaffUser, int(staff_id))
        if user is not None and user.active:
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


@bp.app_context_processor
def template_globals() -> dict[str, Any]:
    return {"csrf_token": csrf_token, "me": current_user(), "KINDS": KINDS, "STATUSES": STATUSES,
            "CATEGORIES": CATEGORY_BY_KEY, "allowed": allowed, "EVENT_LABELS": EVENT_LABELS}


# --- login ---------------------------------------------------------------------------------------

@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    error, status = "", 200
    if request.method == "POST":
        try:
            user = authenticate(_db(), redis_client(), request.remote_addr or "", _form("username"),
                                request.form.get("password", ""))
        except LoginRefused as exc:
            _db().commit()  # the failure count is kept even though the login failed
            error, status = str(exc), exc.status
        else:
            log_in(user)
            target = request.args.get("next", "")
            return redirect(target if target.startswith("/console/") else url_for("console.index"))
    return render_template("console/login.html", error=error), status


@bp.post("/logout")
def logout() -> Response:
    session.clear()
    return redirect(url_for("console.login"))


# --- the queue -----------------------------------------------------------------------------------

@bp.get("/")
@login_required
def index() -> str:
    user = _user()
    arg = request.args.get
    f = Filters(kind=arg("kind", ""), status=arg("status", "open"), city=without_controls(arg("city", "")).strip()[:32],
                overdue=arg("overdue") == "1", mine=arg("mine") == "1", q=without_controls(arg("q", "")).strip()[:64])
    rows = queue(_db(), user, f, _cipher())
    groups = {g.id: g for g in _db().scalars(select(CaseGroup).where(
        CaseGroup.id.in_([r.case.group_id for r in rows if r.case.group_id])))}
    return render_template("console/queue.html", rows=rows, f=f, counts=counts(_db(), user), groups=groups)


# --- a case --------------------------------------------------------------------------------------

def _user() -> StaffUser:
    user = current_user()
    assert user is not None  # login_required ran
    return user


def _case(case_id: int, action: str = "view") -> Case:
    user = _user()
    case = _db().get(Case, case_id)
    # Not yours and not found look the same: an id guessed outside one's regions reveals nothing.
    if case is None or case.status in ("draft", "cancelled") or not can_view(user, case):
        abort(404)
    if not allowed(user, action):
        abort(403)
    return case


@bp.get("/cases/<int:case_id>")
@login_required
def case_page(case_id: int) -> str:
    case = _case(case_id)
    db = _db()
    actions.viewed(db, case, _user())
    worker = db.get(Worker, case.worker_id)
    group = db.get(CaseGroup, case.group_id) if case.group_id else None
    events = list(db.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)))
    staff = {u.id: u for u in db.scalars(select(StaffUser))}
    return render_template(
        "console/case.html", case=case, worker=worker, group=group, events=events, staff=staff,
        transcript=actions.transcript(db, case), replies=actions.replies(db, case),
        deadlines=cases.deadlines(case),
        next_statuses=[s for s in STATUSES if s in cases.TRANSITIONS.get(case.status, ())],
        phone=session.pop(f"revealed:{case.id}", None),
    )


def _back(case: Case, message: str = "", error: bool = False) -> Response:
    if message:
        flash(message, "error" if error else "ok")
    return redirect(url_for("console.case_page", case_id=case.id))


@bp.post("/cases/<int:case_id>/reply")
@login_required
def reply(case_id: int) -> Response:
    case = _case(case_id, "reply")
    notifier: Notifier = current_app.extensions["gongyou.notifier"]
    try:
        actions.reply(_db(), notifier, case, _user(), _form("text"))
    except ValueError as exc:
        return _back(case, str(exc), error=True)
    return _back(case, "回复已发出（送达情况见下方）。")


@bp.post("/cases/<int:case_id>/note")
@login_required
def note(case_id: int) -> Response:
    case = _case(case_id, "note")
    try:
        actions.note(_db(), case, _user(), _form("text"))
    except ValueError as exc:
        return _back(case, str(exc), error=True)
    return _back(case, "备注已保存。")


@bp.post("/cases/<int:case_id>/status")
@login_required
def status(case_id: int) -> Response:
    new = request.form.get("status", "")
    case = _case(case_id, "close" if new == "closed" else "status")
    try:
        actions.change_status(_db(), case, _user(), new, _form("reason"))
    except ValueError as exc:
        return _back(case, str(exc), error=True)
    return _back(case, f"状态已改为「{STATUSES.get(new, new)}」。")


@bp.post("/cases/<int:case_id>/assign")
@login_required
@role_required("supervisor", "admin")
def assign(case_id: int) -> Response:
    case = _case(case_id, "assign")
    username = _form("username").strip()
    to = _db().scalar(select(StaffUser).where(StaffUser.username == username)) if username else None
    if username and to is None:
        return _back(case, f"没有用户「{username}」。", error=True)
    actions.assign(_db(), case, _user(), to)
    return _back(case, f"已分配给{to.display_name if to else '（无人）'}。")


@bp.post("/cases/<int:case_id>/release")
@login_required
def release(case_id: int) -> Response:
    case = _case(case_id, "release")
    actions.release(_db(), case, _user())
    return _back(case, "已把对话交回机器人。")


@bp.post("/cases/<int:case_id>/reveal")
@login_required
def reveal(case_id: int) -> Response:
    case = _case(case_id, "reveal")
    phone = actions.reveal_phone(_db(), _cipher(), case, _user())
    if phone is None:
        return _back(case, "工友没有同意告知电话，只能通过平台回复。", error=True)
    session[f"revealed:{case.id}"] = phone  # shown once on the next page, not kept
    return _back(case)


@bp.get("/cases/<int:case_id>/report")
@login_required
def report(case_id: int) -> Response:
    case = _case(case_id, "report")
    user = _user()
    reveal_ok = allowed(user, "export_personal") and request.args.get("reveal") == "1"
    db = _db()
    html = inspection_html(case, db.get(Worker, case.worker_id),
                           db.get(CaseGroup, case.group_id) if case.group_id else None, _cipher(), reveal=reveal_ok)
    cases.event(db, case, "exported", actions.actor(user), reveal=reveal_ok)
    return Response(html, mimetype="text/html")


# --- dashboard and reports -----------------------------------------------------------------------

@bp.get("/dashboard")
@login_required
def dashboard() -> str:
    weeks = min(max(int(request.args.get("weeks", "12") or 12), 1), 104)
    today = datetime.now(UTC).date()
    start = today - timedelta(weeks=weeks)
    f = figures(_db(), _user(), start, today + timedelta(days=1))
    weekly = [(week, sum(kinds.values())) for week, kinds in f.by_week.items()]
    cities = [(city, amount) for city, (_, _, amount) in f.arrears_by_city.items()]
    return render_template("console/dashboard.html", f=f, weeks=weeks, weekly=weekly, cities=cities,
                           month=f"{today:%Y-%m}", quarter=f"{today.year}-Q{(today.month - 1) // 3 + 1}")


@bp.get("/reports/<period>.<fmt>")
@login_required
@role_required("supervisor", "admin")
def report_file(period: str, fmt: str) -> Response:
    try:
        if "-Q" in period:
            year, quarter = period.split("-Q", 1)
            start, end = quarter_range(int(year), int(quarter))
            title = f"{year}年第{quarter}季度"
        else:
            start, end = month_range(period)
            title = f"{start.year}年{start.month}月"
    except ValueError:
        abort(404)
    if fmt not in ("xlsx", "csv"):
        abort(404)
    f = figures(_db(), _user(), start, end)
    name = f"gongyou-report-{period}.{fmt}"
    if fmt == "xlsx":
        body: bytes | str = xlsx(f, title)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, mimetype = csv_text(f, title), "text/csv; charset=utf-8"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={name}"})
