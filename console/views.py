"""The console's pages: login, the queue, a case and what staff do on it. Server-rendered, escaped,
CSRF on every form, authorisation on every route and every case lookup."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from console import actions
from console.access import can, can_view
from console.auth import (
    LoginRefused,
    authenticate,
    change_password,
    current_user,
    end_sessions,
    log_in,
    login_required,
    permission_required,
    redis_client,
    verify_password,
)
from console.queue import Filters, counts, queue
from console.report_files import csv_text, xlsx
from console.stats import add_service_figures, figures, month_range, quarter_range
from console.web import bp, data_cipher, form_text, session_db, signed_in
from domain.cases import lifecycle as cases
from domain.cases.report import inspection_html
from domain.cases.vocabulary import NOT_FILED, STATUS_LABEL, TRANSITIONS, Status
from domain.media import MediaStore
from domain.outreach.notify import Notifier
from domain.outreach.outbox import held_count
from domain.storage.models import Case, CaseEvent, CaseGroup, StaffUser, Worker
from domain.text import without_controls


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    error, status = "", 200
    if request.method == "POST":
        try:
            user = authenticate(session_db(), redis_client(), request.remote_addr or "", form_text("username"),
                                request.form.get("password", ""))
        except LoginRefused as exc:
            session_db().commit()  # the failure count is kept even though the login failed
            error, status = str(exc), exc.status
        else:
            log_in(user)
            target = request.args.get("next", "")
            return redirect(target if target.startswith("/console/") else url_for("console.index"))
    return render_template("console/login.html", error=error), status


@bp.post("/logout")
def logout() -> Response:
    user = current_user()
    if user is not None:
        end_sessions(user)  # a copy of the cookie taken before logout stops working too
    session.clear()
    return redirect(url_for("console.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password() -> Any:
    """Change one's own password (the current one first); other sessions of the account end."""
    user, problem = signed_in(), ""
    if request.method == "POST":
        new = request.form.get("new_password", "")
        try:
            if not verify_password(user, request.form.get("current_password", "")):
                raise ValueError("现在的密码不对。")
            if new != request.form.get("repeat_password", ""):
                raise ValueError("两次输入的新密码不一样。")
            change_password(session_db(), user, new, actions.actor(user))
        except ValueError as exc:
            problem = str(exc) if "密码" in str(exc) else "新密码至少10位。"
        else:
            log_in(user)  # this session goes on under the new version
            flash("密码已修改，其他地方登录的都已退出。", "ok")
            return redirect(url_for("console.index"))
    return render_template("console/password.html", problem=problem), 400 if problem else 200


# --- the queue -----------------------------------------------------------------------------------

# A mobile number (「138 0013 8000」), not a case number (「QX202611290001」).
PHONE_LIKE = re.compile(r"(?<![A-Za-z\d])(?:\+?86)?1[3-9]\d(?:[\s-]?\d){8}(?!\d)")

@bp.route("/", methods=["GET", "POST"])
@login_required
def index() -> str:
    """The queue. The filter form is posted: a phone number searched for never stands in a URL (access
    logs, browser history, proxies); a GET that carries one is not searched."""
    user = signed_in()
    values = request.form if request.method == "POST" else request.args
    arg = values.get
    q = without_controls(arg("q", "")).strip()[:64]
    if request.method == "GET" and PHONE_LIKE.search(q):
        flash("按手机号查找请用页面上的搜索框（号码不放在网址里）。", "error")
        q = ""
    f = Filters(kind=arg("kind", ""), status=arg("status", "open"), city=without_controls(arg("city", "")).strip()[:32],
                overdue=arg("overdue") == "1", mine=arg("mine") == "1", q=q,
                group=int(arg("group", "")) if arg("group", "").isdigit() else None)
    rows = queue(session_db(), user, f, data_cipher())
    groups = {g.id: g for g in session_db().scalars(select(CaseGroup).where(
        CaseGroup.id.in_([r.case.group_id for r in rows if r.case.group_id])))}
    held = held_count(session_db()) if can(user, "held_messages") else 0
    return render_template("console/queue.html", rows=rows, f=f, counts=counts(session_db(), user), groups=groups,
                           held=held)


# --- a case --------------------------------------------------------------------------------------

def _case(case_id: int, action: str = "view") -> Case:
    user = signed_in()
    case = session_db().get(Case, case_id)
    # Not yours and not found look the same: an id guessed outside one's regions reveals nothing.
    if case is None or case.status in NOT_FILED or not can_view(user, case):
        abort(404)
    if not can(user, action):
        abort(403)
    return case


@bp.get("/cases/<int:case_id>")
@login_required
def case_page(case_id: int) -> str:
    case = _case(case_id)
    db, user = session_db(), signed_in()
    actions.viewed(db, case, user)
    worker = db.get(Worker, case.worker_id)
    group = db.get(CaseGroup, case.group_id) if case.group_id else None
    events = list(db.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)))
    staff = {u.id: u for u in db.scalars(select(StaffUser))}
    return render_template(
        "console/case.html", case=case, worker=worker, group=group, events=events, staff=staff,
        transcript=actions.transcript(db, case, user), replies=actions.replies(db, case, user),
        deadlines=cases.deadlines(case),
        next_statuses=[s for s in STATUS_LABEL if s in TRANSITIONS.get(case.status, ())],
        phone=_take_revealed(case.id), attachments=actions.attachments(db, case, user),
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
        actions.reply(session_db(), notifier, case, signed_in(), form_text("text"))
    except ValueError as exc:
        return _back(case, str(exc), error=True)
    return _back(case, "回复已发出（送达情况见下方）。")


@bp.post("/cases/<int:case_id>/note")
@login_required
def note(case_id: int) -> Response:
    case = _case(case_id, "note")
    try:
        actions.note(session_db(), case, signed_in(), form_text("text"))
    except ValueError as exc:
        return _back(case, str(exc), error=True)
    return _back(case, "备注已保存。")


@bp.post("/cases/<int:case_id>/status")
@login_required
def status(case_id: int) -> Response:
    new = request.form.get("status", "")
    case = _case(case_id, "close" if new == Status.CLOSED else "status")
    try:
        actions.change_status(session_db(), case, signed_in(), new, form_text("reason"),
                              current_app.extensions["gongyou.notifier"])
    except ValueError as exc:
        return _back(case, str(exc), error=True)
    return _back(case, f"状态已改为「{STATUS_LABEL.get(new, new)}」。")


@bp.post("/cases/<int:case_id>/assign")
@login_required
@permission_required("assign")
def assign(case_id: int) -> Response:
    case = _case(case_id, "assign")
    username = form_text("username").strip()
    to = session_db().scalar(select(StaffUser).where(StaffUser.username == username)) if username else None
    if username and to is None:
        return _back(case, f"没有用户「{username}」。", error=True)
    actions.assign(session_db(), case, signed_in(), to)
    return _back(case, f"已分配给{to.display_name if to else '（无人）'}。")


@bp.post("/cases/<int:case_id>/release")
@login_required
def release(case_id: int) -> Response:
    case = _case(case_id, "release")
    actions.release(session_db(), case, signed_in())
    return _back(case, "已把对话交回机器人。")


@bp.post("/cases/<int:case_id>/reveal")
@login_required
def reveal(case_id: int) -> Response:
    case = _case(case_id, "reveal")
    phone = actions.reveal_phone(session_db(), data_cipher(), case, signed_in())
    if phone is None:
        return _back(case, "工友没有同意告知电话，只能通过平台回复。", error=True)
    _hold_revealed(case.id, phone)
    return _back(case)


# A revealed number is shown once, on the page the reveal redirects to. It waits server-side (sealed,
# a minute at most); the cookie holds only a random ticket, never the number.
REVEALED = "gongyou:console:revealed:{}"


def _hold_revealed(case_id: int, phone: str) -> None:
    ticket = secrets.token_urlsafe(16)
    redis_client().set(REVEALED.format(ticket), data_cipher().encrypt(phone), ex=60)
    session[f"revealed:{case_id}"] = ticket


def _take_revealed(case_id: int) -> str | None:
    ticket = session.pop(f"revealed:{case_id}", None)
    sealed = redis_client().getdel(REVEALED.format(ticket)) if ticket else None
    return data_cipher().decrypt(str(sealed)) if sealed else None


@bp.get("/cases/<int:case_id>/report")
@login_required
def report(case_id: int) -> Response:
    case = _case(case_id, "report")
    user = signed_in()
    reveal_ok = can(user, "export_personal") and request.args.get("reveal") == "1"
    db = session_db()
    html = inspection_html(case, db.get(Worker, case.worker_id),
                           db.get(CaseGroup, case.group_id) if case.group_id else None, data_cipher(), reveal=reveal_ok)
    cases.event(db, case, "exported", actions.actor(user), reveal=reveal_ok)
    return Response(html, mimetype="text/html")


# --- dashboard and reports -----------------------------------------------------------------------

@bp.get("/dashboard")
@login_required
def dashboard() -> str:
    asked = request.args.get("weeks", "12")
    weeks = min(max(int(asked), 1), 104) if asked.isdigit() else 12  # 「?weeks=abc」 shows the default
    today = datetime.now(UTC).date()
    start = today - timedelta(weeks=weeks)
    f = add_service_figures(session_db(), figures(session_db(), signed_in(), start, today + timedelta(days=1)))
    weekly = [(week, sum(kinds.values())) for week, kinds in f.by_week.items()]
    cities = [(city, amount) for city, (_, _, amount) in f.arrears_by_city.items()]
    return render_template("console/dashboard.html", f=f, weeks=weeks, weekly=weekly, cities=cities,
                           month=f"{today:%Y-%m}", quarter=f"{today.year}-Q{(today.month - 1) // 3 + 1}")


@bp.get("/reports/<period>.<fmt>")
@login_required
@permission_required("reports")
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
    f = add_service_figures(session_db(), figures(session_db(), signed_in(), start, end))
    name = f"gongyou-report-{period}.{fmt}"
    if fmt == "xlsx":
        body: bytes | str = xlsx(f, title)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, mimetype = csv_text(f, title), "text/csv; charset=utf-8"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={name}"})


INLINE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")


@bp.get("/cases/<int:case_id>/media/<int:file_id>")
@login_required
def media_file(case_id: int, file_id: int) -> Response:
    """A worker's photo or voice note, decrypted for this view only; every view audited."""
    case = _case(case_id)
    db = session_db()
    shown = actions.attachments(db, case, signed_in())
    row = next((f for f in shown if f.id == file_id and f.status == "stored"), None)
    if row is None:
        abort(404)
    store: MediaStore = current_app.extensions["gongyou.media"]
    cases.event(db, case, "media_viewed", actions.actor(signed_in()), file=row.id)
    inline = row.content_type in INLINE_TYPES
    return Response(store.open(row), mimetype=row.content_type if inline else "application/octet-stream",
                    headers={"Content-Disposition": "inline" if inline else f"attachment; filename=evidence-{row.id}"})
