"""WeChat official account webhook: URL check; plaintext, compatible and safe modes; all message types.

Signature and freshness first (403), then hostile-XML checks (4xx), then the message becomes one
neutral InboundMessage: text and recognised voice go to the NLU; a menu click, a follow, a photo,
a location or unheard voice carry their own action. Replies are passive XML (encrypted in safe mode).
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from functools import partial

from flask import Blueprint, Response, current_app, request
from wechatpy import parse_message
from wechatpy.messages import BaseMessage
from wechatpy.replies import TextReply

from bot.answer_pool import AnswerPool, arrived_at
from bot.channels.errors import BadRequest, CannotCheckNow, ForbiddenSignature
from bot.channels.wechat.inbound import to_inbound
from bot.channels.wechat.security import Opened, WeChatSecurity
from bot.channels.wechat.xmlsafe import check_xml
from bot.conversation.pipeline import Outcome, Pipeline
from domain.messages import Channel, Reply

log = logging.getLogger(__name__)
bp = Blueprint("wechat", __name__)
MAX_PASSIVE_BYTES = 2048
MIN_WAIT_SECONDS = 0.5  # less budget than this left after queueing: answer later rather than race the deadline
SUCCESS = "success"  # tells WeChat "received, no passive reply" and stops its retries


def _plain(text: str, status: int = 200) -> Response:
    return Response(text, status=status, mimetype="text/plain")


def _security() -> WeChatSecurity:
    return current_app.extensions["gongyou.wechat_security"]


@bp.get("/wechat")
def verify_url() -> Response:
    try:
        _security().verify(request.args)
    except ForbiddenSignature:
        return _plain("forbidden", 403)
    return _plain(request.args.get("echostr", ""))


def reply_xml(to: str, from_: str, text: str) -> str:
    """A passive text reply. 「]]>」 in the text would end the CDATA section early: it is split across
    two sections, so the worker reads exactly the text."""
    return str(TextReply(content=text.replace("]]>", "]]]]><![CDATA[>"), source=from_, target=to).render())


def _render(msg: BaseMessage, reply: Reply | None, opened: Opened) -> Response:
    """The reply as passive XML; none (a repeat still being answered) or an empty one: 「success」."""
    text = reply.render_text() if reply is not None else ""
    if not text:
        return _plain(SUCCESS)
    while len(text.encode("utf-8")) > MAX_PASSIVE_BYTES - 400:  # room for the XML envelope
        text = text[: int(len(text) * 0.9)]
    xml = reply_xml(to=msg.source, from_=msg.target, text=text)
    return Response(WeChatSecurity.seal(xml, opened, request.args), mimetype="application/xml")


@bp.post("/wechat")
def receive() -> Response:
    security = _security()
    try:
        security.verify(request.args)
        security.check_fresh(request.args)
    except ForbiddenSignature:
        return _plain("forbidden", 403)
    except BadRequest as exc:
        return _plain(f"bad request: {exc}", exc.status)
    body = request.get_data(cache=False)
    try:
        check_xml(body)
        opened = security.open(body, request.args)
        security.check_once(request.args, body)  # after msg_signature is checked: only signed triples are kept
        if opened.crypto is not None:
            check_xml(opened.xml)
        msg = parse_message(opened.xml)
        inbound = to_inbound(msg)
    except ForbiddenSignature:
        return _plain("forbidden", 403)
    except BadRequest as exc:
        return _plain(f"bad request: {exc}", exc.status)
    except CannotCheckNow:
        return _plain("busy: send again", 503)
    except Exception:  # wechatpy raises assorted errors on odd but well-formed XML
        return _plain("bad request: not a WeChat message", 400)
    if inbound is None:
        return _plain(SUCCESS)
    ext = current_app.extensions
    pipeline: Pipeline = ext["gongyou.pipeline"]
    pool: AnswerPool = ext["gongyou.answer_pool"]
    budget = current_app.config["GONGYOU"].wechat_reply_budget_seconds
    deadline = arrived_at(request.headers.get("X-Request-Start", "")) + budget
    try:
        received = pipeline.receive(inbound)  # recorded (or journaled) before any 200
    except Exception:  # not recorded anywhere: no 200, so WeChat tries again (it retries what it gets no answer to)
        log.exception("WeChat message %s could not be recorded", inbound.message_id)
        return _plain("busy: not recorded, send again", 503)
    if isinstance(received, Outcome):  # a repeat, or kept in the journal
        return _render(msg, received.reply, opened)
    queued = pool.busy()  # no thread free: it would wait
    future = pool.submit(pipeline.answer, received)
    late = partial(_send_late, pipeline, inbound.message_id)
    if queued or deadline - time.time() < MIN_WAIT_SECONDS:
        # Every thread is busy (or the budget is spent queueing): 「received」 now, the answer when ready.
        future.add_done_callback(late)
        log.warning("WeChat message %s admitted late (answer pool busy): answering later", inbound.message_id)
        return _plain(SUCCESS)
    try:
        outcome = future.result(timeout=max(0.0, deadline - time.time()))
    except FutureTimeout:
        # WeChat gives up at 5 s and retries: say "received" now, send the answer when it is ready.
        future.add_done_callback(late)
        log.warning("WeChat message %s not answered within budget: answering later", inbound.message_id)
        return _plain(SUCCESS)
    response = _render(msg, outcome.reply, opened)
    response.call_on_close(partial(pipeline.replied, outcome))  # once WeChat has it: the transcript says so
    return response


def _send_late(pipeline: Pipeline, message_id: str, future: Future[Outcome]) -> None:
    """When a slow answer is finally ready, send it through the customer-service API."""
    try:
        outcome = future.result()
    except Exception:
        log.exception("WeChat message %s failed after the reply budget", message_id)
        return
    pipeline.send_late(outcome, Channel.WECHAT.value)
