"""WeChat official account webhook: URL verification and plaintext messages, passive XML replies."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from flask import Blueprint, Response, current_app, request
from wechatpy import parse_message
from wechatpy.events import SubscribeEvent
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.messages import BaseMessage, TextMessage, VoiceMessage
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

from bot.channels.xmlsafe import check_xml
from bot.errors import BadRequest
from bot.messages import Channel, InboundMessage, Reply
from bot.pipeline import Pipeline

log = logging.getLogger(__name__)
bp = Blueprint("wechat", __name__)
MAX_PASSIVE_BYTES = 2048
VOICE_UNHEARD = Reply("语音没听清，请打字或回复数字：1 找工作 2 政策咨询 3 投诉举报 4 欠薪求助 5 查询进度 6 转人工")


def _verify() -> None:
    args = request.args
    try:
        check_signature(
            current_app.config["GONGYOU"].wechat_token,
            args.get("signature", ""),
            args.get("timestamp", ""),
            args.get("nonce", ""),
        )
    except InvalidSignatureException as exc:
        raise PermissionError("bad WeChat signature") from exc


@bp.get("/wechat")
def verify_url() -> Response:
    try:
        _verify()
    except PermissionError:
        return Response("forbidden", status=403, mimetype="text/plain")
    return Response(request.args.get("echostr", ""), mimetype="text/plain")


def to_inbound(msg: BaseMessage) -> InboundMessage | None:
    """The neutral form of a WeChat message, or None for what the pipeline does not take yet."""
    created = datetime.fromtimestamp(int(msg.create_time.timestamp()), UTC) if msg.create_time else None
    base = {"channel": Channel.WECHAT, "user_id": msg.source}
    if created:
        base["received_at"] = created
    if isinstance(msg, TextMessage):
        return InboundMessage(text=msg.content or "", message_id=str(msg.id), **base)  # type: ignore[arg-type]
    if isinstance(msg, VoiceMessage) and (msg.recognition or "").strip():
        return InboundMessage(text=msg.recognition, message_id=str(msg.id), kind="voice",  # type: ignore[arg-type]
                              media=(msg.media_id,), **base)
    if isinstance(msg, SubscribeEvent):  # events have id 0: dedupe on sender + time
        return InboundMessage(text="你好", message_id=f"ev:{msg.source}:{int(msg.time.timestamp())}",
                              kind="event", **base)  # type: ignore[arg-type]
    return None


def _render(msg: BaseMessage, reply: Reply) -> Response:
    text = reply.render_text()
    while len(text.encode("utf-8")) > MAX_PASSIVE_BYTES - 400:  # room for the XML envelope
        text = text[: int(len(text) * 0.9)]
    xml = TextReply(content=text, message=msg).render()
    return Response(xml, mimetype="application/xml")


@bp.post("/wechat")
def receive() -> Response:
    try:
        _verify()
    except PermissionError:
        return Response("forbidden", status=403, mimetype="text/plain")
    body = request.get_data(cache=False)
    try:
        check_xml(body)
        msg = parse_message(body)
    except BadRequest as exc:
        return Response(f"bad request: {exc}", status=exc.status, mimetype="text/plain")
    except Exception:  # wechatpy raises assorted errors on odd but well-formed XML
        return Response("bad request: not a WeChat message", status=400, mimetype="text/plain")
    inbound = to_inbound(msg)
    if inbound is None:
        if isinstance(msg, VoiceMessage):
            return _render(msg, VOICE_UNHEARD)
        log.info("WeChat message type %s not handled yet", getattr(msg, "type", "?"))
        return Response("success", mimetype="text/plain")
    pipeline: Pipeline = current_app.extensions["gongyou.pipeline"]
    try:
        outcome = pipeline.handle(inbound)
    except Exception:
        log.exception("WeChat message %s could not be processed", inbound.message_id)
        return _render(msg, Reply("系统忙，请过一会儿再发一次。"))
    if outcome.reply is None:  # a retry while the first delivery is still being answered
        return Response("success", mimetype="text/plain")
    return _render(msg, outcome.reply)
