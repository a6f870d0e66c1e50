"""Reaching a worker on our own initiative (case updates, staff replies), whatever their channel.

The worker is reached where they last wrote from. A channel may limit when we can write first (its
``Reach``, declared by the channel: WeChat allows customer-service messages only within 48 hours of
the worker's last message): past that window, SMS where the worker linked a phone number with
consent, else the channel's late message kind (a WeChat template) where one is configured,
otherwise the message is held for staff (recorded, not lost).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from domain.outreach.outbox import Outbox
from domain.storage.db import Database
from domain.storage.models import Message, aware

NO_CHANNEL = "no channel to reach this worker"  # held: the worker has no channel we may write on


@dataclass(frozen=True)
class Reach:
    """When a channel lets us write first: within ``window`` of the worker's last message (None: any
    time); past it, only messages of ``late_kind`` (a WeChat template), if the channel has one."""

    window: timedelta | None = None
    late_kind: str | None = None
    closed_reason: str = "window closed"  # why a message is held for staff past the window


@dataclass(frozen=True)
class Route:
    """Where a message to a worker goes: a channel and the kind of message, or held for staff."""

    channel: str
    kind: str = "text"
    hold: str | None = None


class Notifier:
    def __init__(self, db: Database, outbox: Outbox, reach: Mapping[str, Reach]) -> None:
        self.db = db
        self.outbox = outbox
        self.reach = dict(reach)  # channel name → its rule; a channel not named can always be reached

    def notify(self, worker_id: int, text: str, reason: str = "notification", now: datetime | None = None) -> int:
        """Queue ``text`` for the worker on the best channel; returns the outbound message id."""
        way = self.route(worker_id, now)
        return self.outbox.queue(worker_id, way.channel, text, reason, hold=way.hold, kind=way.kind)

    def reachable(self, worker_id: int, now: datetime | None = None) -> bool:
        """Whether a message would reach the worker now rather than wait for staff: a question that
        only matters now (the monthly 「工资发了吗」) is not asked of a worker it cannot reach."""
        return self.route(worker_id, now).hold is None

    def route(self, worker_id: int, now: datetime | None = None) -> Route:
        """Where a message to the worker goes now: the channel they last wrote from, SMS or the late kind
        past that channel's window, or held for staff with the reason."""
        now = now or datetime.now(UTC)
        with self.db.session() as db:
            last = db.execute(
                select(Message.channel, Message.created_at)
                .where(Message.worker_id == worker_id, Message.direction == "in", Message.channel != "cli")
                .order_by(Message.created_at.desc())
                .limit(1)
            ).first()
        if last is None:
            return Route("sms", hold=NO_CHANNEL)
        channel, last_at = last
        rule = self.reach.get(channel, Reach())
        if rule.window is not None and now - aware(last_at) > rule.window:
            if self.outbox.sms_consented(worker_id):
                return Route("sms")
            if rule.late_kind:
                return Route(channel, kind=rule.late_kind)
            return Route(channel, hold=rule.closed_reason)
        return Route(channel)
