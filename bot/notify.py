"""Reaching a worker on our own initiative (case updates, staff replies), whatever their channel.

The worker is reached where they last wrote from. WeChat customer-service messages are allowed only
within 48 hours of the worker's last message: past that, SMS where the worker linked a phone number
with consent, else a template message where one is configured, otherwise the message is held for
staff (recorded, not lost).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.outbox import Outbox
from bot.storage.db import Database
from bot.storage.models import Message, aware

WECHAT_WINDOW = timedelta(hours=48)


class Notifier:
    def __init__(self, db: Database, outbox: Outbox, wechat_template: bool = False) -> None:
        self.db = db
        self.outbox = outbox
        self.wechat_template = wechat_template  # a template message is configured for updates

    def notify(self, worker_id: int, text: str, reason: str = "notification", now: datetime | None = None) -> int:
        """Queue ``text`` for the worker on the best channel; returns the outbound message id."""
        now = now or datetime.now(UTC)
        with self.db.session() as db:
            last = db.execute(
                select(Message.channel, Message.created_at)
                .where(Message.worker_id == worker_id, Message.direction == "in", Message.channel != "cli")
                .order_by(Message.created_at.desc())
                .limit(1)
            ).first()
        if last is None:
            return self.outbox.queue(worker_id, "sms", text, reason, hold="no channel to reach this worker")
        channel, last_at = last
        if channel == "wechat" and now - aware(last_at) > WECHAT_WINDOW:
            if self.outbox.sms_consented(worker_id):
                return self.outbox.queue(worker_id, "sms", text, reason)
            if self.wechat_template:
                return self.outbox.queue(worker_id, "wechat", text, reason, kind="template")
            return self.outbox.queue(worker_id, "wechat", text, reason, hold="WeChat 48-hour window closed")
        return self.outbox.queue(worker_id, channel, text, reason)
