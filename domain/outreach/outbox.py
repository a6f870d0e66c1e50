"""Messages we send on our own initiative: recorded first, then delivered by a background job.

``queue`` writes an ``outbound_messages`` row (``blocked`` if the worker opted out on that
channel) and hands its id to the job queue; ``deliver`` (run by the RQ worker) sends it through
the channel's sender and records the result. Transient errors are retried with backoff by RQ;
a closed WeChat window (45015/45047) holds the message for staff instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol, cast

from sqlalchemy import CursorResult, Result, func, or_, select, update
from sqlalchemy.orm import Session

from domain.crypto import DataCipher, mask_text, open_text, seal_text
from domain.storage.db import Database
from domain.storage.models import OutboundMessage, WorkerIdentity, utcnow

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 4
QUEUED_STUCK = timedelta(minutes=2)  # a queued message's job runs within seconds: after this it was lost
SENDING_STUCK = timedelta(minutes=5)  # longer than the longest retry interval (2 min) and a send
NO_ADDRESS = "no address on this channel"  # why a message cannot be sent, whoever tries again
NO_SENDER = "no sender configured"
FOR_STAFF = ("held", "failed", "undelivered")  # no channel carried these: staff decide (console 「待发消息」)
# What staff read for an answer's or a message's delivery (transcript rows and outbox rows alike).
DELIVERY_LABEL: dict[str, str] = {
    "replying": "回复中", "replied": "已回复", "late": "迟发", "queued": "排队待发", "sending": "发送中",
    "sent": "已发出", "delivered": "已送达", "undelivered": "未送达", "failed": "发送失败",
    "held": "待人工处理", "blocked": "对方已退订", "dismissed": "已处理，不再发送",
}


class HeldForStaff(Exception):
    """The platform won't deliver now (window closed, quota used): staff decide what to do."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class PermanentFailure(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class OptedOut(PermanentFailure):
    """The platform says the worker opted out (Twilio 21610): record it, never retry."""


class TransientFailure(Exception):
    """Worth retrying later (network, 5xx, rate limits)."""


class Sender(Protocol):
    def send(self, address: str, text: str, kind: str = "text") -> str | None:
        """Send; return the provider's message id. Raise HeldForStaff, PermanentFailure or TransientFailure."""
        ...


class Outbox:
    def __init__(self, db: Database, cipher: DataCipher, senders: dict[str, Sender],
                 enqueue: Callable[[int], None]) -> None:
        self.db = db
        self.cipher = cipher
        self.senders = senders
        self._enqueue = enqueue

    def queue(self, worker_id: int, channel: str, text: str, reason: str, hold: str | None = None,
              kind: str = "text", secret: str | None = None) -> int:
        """Record a message for a worker on a channel and schedule its delivery. Returns its id.

        With ``hold`` the message is recorded as held for staff (with that reason) and not sent.
        A ``secret`` in the text (a verification code) is starred in the readable copy, kept sealed."""
        with self.db.session() as db:
            identity = db.scalar(
                select(WorkerIdentity).where(WorkerIdentity.worker_id == worker_id, WorkerIdentity.channel == channel)
            )
            status, error = "queued", hold
            if hold:
                status = "held"
            elif identity is None:
                status, error = "failed", NO_ADDRESS
            elif identity.opted_out_at is not None:
                status = "blocked"
            masked, sealed = seal_text(self.cipher, text)
            if secret:
                masked, sealed = masked.replace(secret, "*" * len(secret)), self.cipher.encrypt(text)
            row = OutboundMessage(worker_id=worker_id, channel=channel, text=masked, text_enc=sealed, reason=reason,
                                  status=status, attempts=0, error=error, kind=kind)
            db.add(row)
            db.flush()
            outbound_id = row.id
        if status == "queued":
            self._enqueue(outbound_id)
        return outbound_id

    def deliver(self, outbound_id: int) -> str:
        """Send one queued message; returns its new status. Raises TransientFailure to be retried.

        A WeChat message the platform won't deliver (window closed) is held for staff and, where the
        worker linked a phone number with consent, also sent by SMS."""
        status, worker_id, channel, text = self._deliver(outbound_id)
        if status == "held" and channel != "sms" and self.sms_consented(worker_id):
            self.queue(worker_id, "sms", text, "sms_fallback")
        return status

    def sms_consented(self, worker_id: int) -> bool:
        with self.db.session() as db:
            return db.scalar(
                select(WorkerIdentity.id).where(
                    WorkerIdentity.worker_id == worker_id, WorkerIdentity.channel == "sms",
                    WorkerIdentity.consent_at.is_not(None), WorkerIdentity.opted_out_at.is_(None),
                )
            ) is not None

    def _deliver(self, outbound_id: int) -> tuple[str, int, str, str]:
        with self.db.session() as db:
            row = db.get(OutboundMessage, outbound_id)
            if row is None:
                return "missing", 0, "", ""
            result = (row.worker_id, row.channel, open_text(self.cipher, row.text, row.text_enc))
            if row.status not in ("queued", "sending"):
                return (row.status, *result)
            identity = db.scalar(
                select(WorkerIdentity).where(WorkerIdentity.worker_id == row.worker_id,
                                             WorkerIdentity.channel == row.channel)
            )
            if identity is None:  # no address on this channel (the worker was erased, or never had one)
                row.status, row.error = "failed", NO_ADDRESS
                return (row.status, *result)
            if identity.opted_out_at is not None:
                row.status = "blocked"
                return (row.status, *result)
            sender = self.senders.get(row.channel)
            if sender is None:
                # Nobody can send it (the channel's API is not configured): staff answer it by hand.
                row.status, row.error = "held", f"{NO_SENDER} for {row.channel}: for staff to answer"
                return (row.status, *result)
            row.attempts += 1
            row.status = "sending"
            address = self.cipher.decrypt(identity.address_enc)
            try:
                row.provider_id = sender.send(address, result[2], row.kind)
                row.status = "sent"
            except OptedOut as exc:
                row.status, row.error_code, row.error = "blocked", exc.code, str(exc)
                identity.opted_out_at = utcnow()
            except HeldForStaff as exc:
                row.status, row.error_code, row.error = "held", exc.code, str(exc)
            except PermanentFailure as exc:
                row.status, row.error_code, row.error = "failed", exc.code, str(exc)
            except TransientFailure as exc:
                row.error = str(exc)
                if row.attempts < MAX_ATTEMPTS:
                    db.commit()
                    raise
                row.status = "failed"
            log.info("outbound %s on %s: %s", outbound_id, row.channel, row.status)
            return (row.status, *result)

    def requeue_stuck(self, now: datetime | None = None) -> int:
        """Schedule again the messages whose job was lost (Redis restarted without its data, a worker
        died mid-send): queued for over QUEUED_STUCK, or sending for over SENDING_STUCK (longer than any
        retry interval). Returns how many. A message is never dropped for want of a job."""
        now = now or utcnow()
        with self.db.session() as db:
            rows = db.scalars(select(OutboundMessage).where(or_(
                (OutboundMessage.status == "queued") & (OutboundMessage.updated_at < now - QUEUED_STUCK),
                (OutboundMessage.status == "sending") & (OutboundMessage.updated_at < now - SENDING_STUCK),
            )).limit(500)).all()
            stuck = [row.id for row in rows]
            for row in rows:
                row.updated_at = now  # the next round waits its turn again
        for outbound_id in stuck:
            self._enqueue(outbound_id)
        if stuck:
            log.warning("outbox: %d message(s) whose job was lost scheduled again", len(stuck))
        return len(stuck)

    def update_status(self, provider_id: str, status: str, error_code: str | None) -> bool:
        """A delivery report (Twilio status callback). Returns False when the id is unknown."""
        with self.db.session() as db:
            row = db.scalar(select(OutboundMessage).where(OutboundMessage.provider_id == provider_id))
            if row is None:
                return False
            row.status = status[:16]
            if error_code:
                row.error_code = error_code[:16]
            return True

    def resend(self, outbound_id: int) -> bool:
        """Staff try a held or failed message again (the window may have reopened, a sender be configured)."""
        with self.db.session() as db:  # one conditional update: two staff clicking at once send it once
            taken = _changed(db.execute(update(OutboundMessage).where(
                OutboundMessage.id == outbound_id, OutboundMessage.status.in_(FOR_STAFF),
                OutboundMessage.error.is_distinct_from(NO_ADDRESS),  # nothing to send it to
            ).values(status="queued", error=None, error_code=None, attempts=0)))
        if taken:
            self._enqueue(outbound_id)
        return bool(taken)

    def dismiss(self, outbound_id: int, reason: str) -> bool:
        """Staff dealt with it another way (a call, a reply on another channel): never sent."""
        with self.db.session() as db:
            taken = _changed(db.execute(update(OutboundMessage).where(
                OutboundMessage.id == outbound_id, OutboundMessage.status.in_(FOR_STAFF),
            ).values(status="dismissed", error=mask_text(reason)[:500])))
        return bool(taken)


def held_messages(db: Session, limit: int = 200) -> list[OutboundMessage]:
    """Messages no channel could carry (no sender, a closed WeChat window, a failed send): for staff to
    decide, oldest first."""
    return list(db.scalars(select(OutboundMessage).where(OutboundMessage.status.in_(FOR_STAFF))
                           .order_by(OutboundMessage.created_at, OutboundMessage.id).limit(limit)))


def held_count(db: Session) -> int:
    """How many messages wait for staff (the queue page says so)."""
    return int(db.scalar(select(func.count()).select_from(OutboundMessage)
                         .where(OutboundMessage.status.in_(FOR_STAFF))) or 0)


def _changed(result: Result[Any]) -> int:
    """Rows an UPDATE changed."""
    return int(cast(CursorResult[Any], result).rowcount)
