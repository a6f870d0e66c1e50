"""WeChat official account webhook: URL check; plaintext, compatible and safe modes; all message types.

Signature and freshness first (403), then hostile-XML checks (4xx), then the message becomes one
neutral InboundMessage: text and recognised voice go to the NLU; a menu click, a follow, a photo,
a location or unheard voice carry their own action. Replies are passive XML (encrypted in safe mode).
"""

from __future__ import annotations

import logging
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import UTC, datetime
from functools import partial
from typing import Any

from flask import Blueprint, Response, current_app, request
from wechatpy import parse_message
from wechatpy.events import (
    ClickEvent,
    LocationEvent,
    ScanEvent,
    SubscribeEvent,
    SubscribeScanEvent,
    UnsubscribeEvent,
    ViewEvent,
)
from wechatpy.messages import BaseMessage, ImageMessage, LocationMessage, TextMessage, VoiceMessage
from wechatpy.replies import TextReply

from bot.channels.wechat_security import Opened, WeChatSecurity
from bot.channels.xmlsafe import check_xml
from bot.errors import BadRequest, ForbiddenSignature
from bot.messages import Channel, InboundMessage, Reply
from bot.outbox import Outbox
from bot.pipeline import Outcome, Pipeline
from config.menu import load_menu

log = logging.getLogger(__name__)
bp = Blueprint("wechat", __name__)
MAX_PASSIVE_BYTES = 2048
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


def _when(msg: BaseMessage) -> datetime:
    created = getattr(msg, "create_time", None) or getattr(msg, "time", None)
    return created.astimezone(UTC) if isinstance(created, datetime) else datetime.now(UTC)


def to_inbound(msg: BaseMessage) -> InboundMessage | None:
    """The neutral form of a WeChat message; None when nothing needs answering (VIEW, unsubscribe done)."""
    when = _when(msg)
    # Messages have a MsgId; events have id 0, so they are de-duplicated on sender + time.
    msg_id = str(msg.id) if getattr(msg, "id", 0) else f"ev:{msg.source}:{int(when.timestamp())}:{msg.type}"
    base: dict[str, Any] = {"channel": Channel.WECHAT, "user_id": msg.source, "message_id": msg_id,
                            "received_at": when}
    if isinstance(msg, TextMessage):
        return InboundMessage(text=msg.content or "", **base)
    if isinstance(msg, VoiceMessage):
        heard = (msg.recognition or "").strip()
        return InboundMessage(text=heard, kind="voice", media=(msg.media_id,),
                              action=None if heard else "voice_unheard", **base)
    if isinstance(msg, ImageMessage):
        return InboundMessage(text="", kind="image", media=(msg.media_id,), action="image_received",
                              payload={"url": msg.image}, **base)
    if isinstance(msg, LocationMessage):
        return InboundMessage(text=msg.label or "", kind="location", action="location_shared",
                              payload={"label": msg.label or "", "lat": msg.location_x, "lng": msg.location_y},
                              **base)
    if isinstance(msg, SubscribeScanEvent | SubscribeEvent | ScanEvent):
        key = str(getattr(msg, "scene_id", "") or getattr(msg, "key", "") or "")
        return InboundMessage(text="", kind="event", action="subscribe",
                              payload={"scene": key.removeprefix("qrscene_")}, **base)
    if isinstance(msg, UnsubscribeEvent):
        return InboundMessage(text="", kind="event", action="unsubscribe", **base)
    if isinstance(msg, ClickEvent):
        item = load_menu().get(msg.key or "")
        if item is None:
            return InboundMessage(text="", kind="event", action="help", **base)
        return InboundMessage(text=item.name, kind="event", action=item.action, payload=dict(item.payload), **base)
    if isinstance(msg, LocationEvent):  # periodic location report: remember the city, no reply
        return InboundMessage(text="", kind="event", action="location_shared",
                              payload={"lat": msg.latitude, "lng": msg.longitude, "label": "", "silent": True},
                              **base)
    if isinstance(msg, ViewEvent):
        return None
    log.info("WeChat message type %r answered with the menu", getattr(msg, "type", "?"))
    return InboundMessage(text="", kind=str(getattr(msg, "type", "unknown"))[:16], action="unknown_message", **base)


def _render(msg: BaseMessage, reply: Reply, opened: Opened) -> Response:
    text = reply.render_text()
    if not text:
        return _plain(SUCCESS)
    while len(text.encode("utf-8")) > MAX_PASSIVE_BYTES - 400:  # room for the XML envelope
        text = text[: int(len(text) * 0.9)]
    xml = TextReply(content=text, message=msg).render()
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
        if opened.crypto is not None:
            check_xml(opened.xml)
        msg = parse_message(opened.xml)
    except ForbiddenSignature:
        return _plain("forbidden", 403)
    except BadRequest as exc:
        return _plain(f"bad request: {exc}", exc.status)
    except Exception:  # wechatpy raises assorted errors on odd but well-formed XML
        return _plain("bad request: not a WeChat message", 400)
    inbound = to_inbound(msg)
    if inbound is None:
        return _plain(SUCCESS)
    ext = current_app.extensions
    pipeline: Pipeline = ext["gongyou.pipeline"]
    future = ext["gongyou.answer_pool"].submit(pipeline.handle, inbound)
    try:
        outcome = future.result(timeout=current_app.config["GONGYOU"].wechat_reply_budget_seconds)
    except FutureTimeout:
        # WeChat gives up at 5 s and retries: say "received" now, send the answer when it is ready.
        future.add_done_callback(partial(_send_late, ext["gongyou.outbox"], inbound.message_id))
        log.warning("WeChat message %s not answered within budget: answering later", inbound.message_id)
        return _plain(SUCCESS)
    except Exception:
        log.exception("WeChat message %s could not be processed", inbound.message_id)
        return _render(msg, Reply("系统忙，请过一会儿再发一次。"), opened)
    if outcome.reply is None:  # a retry while the first delivery is still being answered
        return _plain(SUCCESS)
    return _render(msg, outcome.reply, opened)


def _send_late(outbox: Outbox, message_id: str, future: Future[Outcome]) -> None:
    """When a slow answer is finally ready, send it through the customer-service API."""
    try:
        outcome = future.result()
    except Exception:
        log.exception("WeChat message %s failed after the reply budget", message_id)
        return
    text = outcome.reply.render_text() if outcome.reply else ""
    if text and outcome.worker_id is not None:
        outbox.queue(outcome.worker_id, Channel.WECHAT.value, text, "late_answer")
