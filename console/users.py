"""Accounts, for admins: list, create, change role and regions, deactivate, unlock, reset a password.
Every change is in the audit log; deactivating or resetting ends the account's sessions."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from console.access import ROLES
from console.actions import actor
from console.auth import change_password, create_user, current_user, end_sessions, login_required, permission_required
from console.web import bp, form_text, session_db, signed_in
from domain import audit
from domain.storage.models import StaffUser


@bp.route("/users", methods=["GET", "POST"])
@login_required
@permission_required("manage_users")
def users() -> Any:
    db = session_db()
    problem = ""
    if request.method == "POST":
        regions = [r.strip() for r in form_text("regions").replace("，", ",").split(",") if r.strip()]
        try:
            if db.scalar(select(StaffUser.id).where(StaffUser.username == form_text("username").strip())):
                raise ValueError("用户名已存在")
            created = create_user(db, form_text("username").strip(), request.form.get("password", ""),
                                  form_text("role"), regions, form_text("display_name").strip())
            audit.record(db, actor(signed_in()), "user_created", created.username, role=created.role, regions=regions)
        except ValueError as exc:
            problem = str(exc)
        else:
            flash("账号已建好。", "ok")
            return redirect(url_for("console.users"))
    rows = list(db.scalars(select(StaffUser).order_by(StaffUser.id)))
    return render_template("console/users.html", rows=rows, roles=ROLES, problem=problem), 400 if problem else 200


@bp.post("/users/<int:user_id>")
@login_required
@permission_required("manage_users")
def user_update(user_id: int) -> Response:
    user = session_db().get(StaffUser, user_id)
    if user is None:
        abort(404)
    me = current_user()
    action = form_text("action")
    if action == "deactivate" and me is not None and user.id == me.id:
        flash("不能停用自己的账号。", "error")
        return redirect(url_for("console.users"))
    elif action in ("deactivate", "activate"):
        user.active = action == "activate"
        if not user.active:
            end_sessions(user)
        flash(f"{user.username} 已{'启用' if user.active else '停用'}。", "ok")
    elif action == "unlock":
        user.locked_until, user.failed_logins = None, 0
        flash(f"{user.username} 已解锁。", "ok")
    elif action == "update" and form_text("role") in ROLES:
        user.role = form_text("role")
        user.regions = [r.strip() for r in form_text("regions").replace("，", ",").split(",") if r.strip()]
        flash(f"{user.username} 已更新。", "ok")
    elif action == "reset":
        try:
            change_password(session_db(), user, request.form.get("password", ""), actor(signed_in()))
        except ValueError:
            flash("新密码至少10位。", "error")
            return redirect(url_for("console.users"))
        flash(f"{user.username} 的密码已重设，请当面或电话告诉本人。", "ok")
        return redirect(url_for("console.users"))
    else:
        abort(400)
    audit.record(session_db(), actor(signed_in()), f"user_{action}", user.username,
                 role=user.role, regions=list(user.regions or []), active=user.active)
    return redirect(url_for("console.users"))
