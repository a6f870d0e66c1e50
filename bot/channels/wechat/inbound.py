"""WeChat's messages in the neutral form: text and recognised voice go to the NLU; a menu click, a
follow, a photo, a location or unheard voice carry their own action."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

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

from bot.channels.errors import BadRequest
from config.menu import load_menu
from domain.messages import Channel, InboundMessage

log = logging.getLogger(__name__)
MAX_CREATE_TIME = 2**32  # WeChat's CreateTime is seconds since 1970 in 32 unsigned bits


def _when(msg: BaseMessage) -> datetime:
    created = getattr(msg, "create_time", None) or getattr(msg, "time", None)
    return created.astimezone(UTC) if isinstance(created, datetime) else datetime.now(UTC)


def to_inbound(msg: BaseMessage) -> InboundMessage | None:
    """The neutral form of a WeChat message; None when nothing needs answering (VIEW, unsubscribe done).
    A message whose fields are not what WeChat sends (a CreateTime of 「yesterday」, a MsgId 「abc」,
    markup inside <Recognition>, a latitude 「abc」) is a BadRequest, never a 500."""
    check_fields(getattr(msg, "_data", {}))
    try:
        return _convert(msg)
    except (ValueError, TypeError, OverflowError, AttributeError, OSError) as exc:
        raise BadRequest(f"malformed field in a {getattr(msg, 'type', 'WeChat')} message") from exc


def check_fields(fields: dict[str, Any]) -> None:
    """The raw fields: plain text each, a sender, a sane CreateTime and a numeric MsgId."""
    if not all(value is None or isinstance(value, str) for value in fields.values()):
        raise BadRequest("a message field holds markup")
    if not (fields.get("FromUserName") or "").strip():
        raise BadRequest("message without a sender")
    created = fields.get("CreateTime") or ""
    if not (created.isdigit() and 0 < int(created) < MAX_CREATE_TIME):
        raise BadRequest("CreateTime is not a time")
    if not (fields.get("MsgId") or "0").isdigit():
        raise BadRequest("MsgId is not a number")


def _convert(msg: BaseMessage) -> InboundMessage | None:
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
        lat, lng = float(msg.location_x), float(msg.location_y)  # 「north」 is not a latitude: 400
        return InboundMessage(text=msg.label or "", kind="location", action="location_shared",
                              payload={"label": msg.label or "", "lat": lat, "lng": lng},
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
