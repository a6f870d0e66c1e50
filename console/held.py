"""Messages no channel could carry, for supervisors: a late answer with no sender, a notification after
WeChat's 48-hour window closed, a send that failed for good. Nothing is dropped silently: each waits
here until staff send it again or note how they reached the worker instead. Every decision is audited."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from console.actions import actor
from console.auth import login_required, permission_required
from console.web import bp, current_app, form_text, session_db, signed_in
from domain import audit
from domain.cases import lifecycle as cases
from domain.crypto import mask_text
from domain.outreach.notify import NO_CHANNEL
from domain.outreach.outbox import NO_ADDRESS, NO_SENDER, Outbox, held_messages
from domain.storage.models import Worker

REASON_LABEL = {"late_answer": "迟到的回答", "staff_reply": "工作人员回复", "notification": "通知",
                "status_update": "案件进展", "phone_linked": "手机号绑定", "phone_code": "验证码",
                "sms_fallback": "改发短信"}


# Why a message is held, as staff read it (a provider's own error text is shown as it came, masked).
WHY = (("window closed", "微信48小时窗口已过（工友两天没发消息，公众号不能主动发）"),
       (NO_CHANNEL, "没有能联系到工友的渠道"),
       (NO_ADDRESS, "这个渠道没有工友的地址"),
       (NO_SENDER, "这个渠道没配置发送账号"))


def why(error: str | None) -> str:
    text = mask_text(error or "")  # a provider's error can name the number
    return next((label for said, label in WHY if said in text), text)  # 「WeChat 48-hour window closed」 too


def _outbox() -> Outbox:
    outbox: Outbox = current_app.extensions["gongyou.outbox"]
    return outbox


@bp.get("/held")
@login_required
@permission_required("held_messages")
def held() -> Any:
    db = session_db()
    rows = []
    for message in held_messages(db):
        worker = db.get(Worker, message.worker_id)
        rows.append({"m": message, "worker": worker.pseudonym if worker else "—",
                     "error": why(message.error),
                     "cases": cases.worker_cases(db, message.worker_id, limit=5)})
    return render_template("console/held.html", rows=rows, REASONS=REASON_LABEL)


@bp.post("/held/<int:outbound_id>/resend")
@login_required
@permission_required("held_messages")
def resend_held(outbound_id: int) -> Response:
    if _outbox().resend(outbound_id):
        audit.record(session_db(), actor(signed_in()), "held_resent", f"outbound {outbound_id}")
        flash("已重新排队发送。", "ok")
    else:
        flash("这条消息已经处理过了。", "error")
    return redirect(url_for("console.held"))


@bp.post("/held/<int:outbound_id>/dismiss")
@login_required
@permission_required("held_messages")
def dismiss_held(outbound_id: int) -> Response:
    how = form_text("how").strip()
    if not how:
        flash("请写明是怎么联系到工友的（比如「已电话告知」）。", "error")
    elif _outbox().dismiss(outbound_id, how):
        audit.record(session_db(), actor(signed_in()), "held_dismissed", f"outbound {outbound_id}",
                     how=mask_text(how)[:200])
        flash("已记下，不再发送。", "ok")
    else:
        flash("这条消息已经处理过了。", "error")
    return redirect(url_for("console.held"))
