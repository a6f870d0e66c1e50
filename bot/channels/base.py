"""What a channel is to the rest of Gongyou: one folder under ``bot/channels/`` whose ``unit()``
returns a ``ChannelUnit``, listed once in ``bot/channels/__init__.py``.

The unit carries the channel's webhook (a blueprint that turns the platform's requests into
``InboundMessage`` and renders the neutral ``Reply``), how much text one reply may hold, how we write
first (its sender, if configured) and when we may (its ``Reach``), and where evidence files come from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask import Blueprint

from bot.conversation.paging import Fits
from domain.media import MediaSource
from domain.messages import Channel
from domain.outreach.notify import Reach
from domain.outreach.outbox import Sender


@dataclass(frozen=True)
class ChannelUnit:
    channel: Channel
    blueprint: Blueprint
    page_size: int  # results per page of a list (vacancies)
    fits: Fits | None = None  # does a reply's text fit one message? (None: no limit; longer ones are paged)
    sender: Sender | None = None  # None: not configured; messages we write first are held for staff
    reach: Reach = field(default_factory=Reach)
    media_source: MediaSource | None = None
    extensions: Mapping[str, object] = field(default_factory=dict)  # put in app.extensions for the webhook
