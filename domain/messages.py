"""Channel-neutral message types: what every channel parses into and renders from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class Channel(StrEnum):
    WECHAT = "wechat"
    SMS = "sms"
    CLI = "cli"


# How staff and reports name a channel (「工友会在微信收到」).
CHANNEL_LABEL: dict[str, str] = {Channel.WECHAT: "微信公众号", Channel.SMS: "短信", Channel.CLI: "测试"}

@dataclass(frozen=True, slots=True)
class InboundMessage:
    """One message from a worker, whatever channel it came on."""

    channel: Channel
    user_id: str  # WeChat openid, E.164 phone number, or a CLI name
    text: str
    message_id: str  # the platform's id, used for de-duplication of retries
    received_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    media: tuple[str, ...] = ()  # platform media ids / URLs (voice, photos)
    kind: str = "text"  # text | voice | image | location | event
    # Set by a channel when the message itself says what to do (a menu click, a follow, a photo):
    # the pipeline runs this action instead of asking the NLU.
    action: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Option:
    """A numbered next step. ``action`` is the intent it triggers; ``payload`` its entities."""

    label: str
    action: str
    payload: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "action": self.action, "payload": self.payload}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Option:
        return cls(label=data["label"], action=data["action"], payload=dict(data.get("payload") or {}))


@dataclass(frozen=True, slots=True)
class Reply:
    """What a handler answers: short text plus numbered options."""

    text: str
    options: tuple[Option, ...] = ()

    def render_text(self) -> str:
        """Plain-text form used by every text channel: the text, then ``1 label`` lines."""
        lines = [self.text.strip()]
        lines += [f"{i} {opt.label}" for i, opt in enumerate(self.options, start=1)]
        return "\n".join(line for line in lines if line)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "options": [o.to_dict() for o in self.options]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reply:
        return cls(text=data["text"], options=tuple(Option.from_dict(o) for o in data.get("options", [])))
