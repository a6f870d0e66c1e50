"""Workers and their channel identities; the transcript of what they said and were told."""

from __future__ import annotations

import secrets

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.crypto import DataCipher, mask_address, seal_text
from domain.messages import InboundMessage, Reply
from domain.storage.models import Message, Worker, WorkerIdentity
from nlu.result import NluResult


def identity_for(db: Session, cipher: DataCipher, channel: str, address: str) -> WorkerIdentity:
    """The channel identity (and so the worker) behind an address, created on first contact."""
    digests = cipher.blind_indexes(f"{channel}:{address}")
    digest = digests[0]
    found = db.scalar(
        select(WorkerIdentity).where(WorkerIdentity.channel == channel, WorkerIdentity.address_hash.in_(digests))
    )
    if found is not None:
        if found.address_hash != digest:  # found under a previous key: move it to the current one
            found.address_hash = digest
            found.address_enc = cipher.encrypt(address)
        return found
    worker = Worker(pseudonym=f"工友{secrets.token_hex(3).upper()}")
    identity = WorkerIdentity(
        worker=worker,
        channel=channel,
        address_hash=digest,
        address_enc=cipher.encrypt(address),
        address_masked=mask_address(address),
    )
    try:
        with db.begin_nested():
            db.add_all([worker, identity])
    except IntegrityError:  # a concurrent first message from the same address won the race
        return identity_for(db, cipher, channel, address)
    identity.is_new = True  # first contact: nothing of theirs to resume
    return identity


REPEAT_CONSTRAINT = "uq_messages_delivery_key"


def delivery_key(cipher: DataCipher, msg: InboundMessage) -> str:
    """Which delivery this is, without naming the sender: a platform's retry has the same key."""
    return cipher.blind_index(f"{msg.channel.value}\n{msg.user_id}\n{msg.message_id}")


def is_repeat(exc: IntegrityError) -> bool:
    """The insert failed because this delivery is already recorded (not for any other reason)."""
    return REPEAT_CONSTRAINT in str(exc.orig)


def record_inbound(db: Session, cipher: DataCipher, worker: Worker, msg: InboundMessage) -> Message:
    """The message as received, before anything answers it. A repeat of a recorded delivery raises
    IntegrityError (``is_repeat``) on flush."""
    text, sealed = seal_text(cipher, msg.text)
    row = Message(
        worker_id=worker.id,
        channel=msg.channel.value,
        direction="in",
        kind=msg.kind,
        platform_id=None if msg.message_id.startswith("ev:") else msg.message_id[:128],
        delivery_key=delivery_key(cipher, msg),
        text=text,
        text_enc=sealed,
        media=list(msg.media),
        created_at=msg.received_at,
    )
    db.add(row)
    db.flush()
    return row


def annotate(row: Message, nlu: NluResult) -> None:
    row.intent = nlu.intent
    row.confidence = round(nlu.confidence, 4)
    row.nlu_source = nlu.source


def record_outbound(db: Session, cipher: DataCipher, worker: Worker, channel: str, reply: Reply) -> Message:
    """An answer in the transcript, as 「replying」 until the channel hands it over (``mark_replied``) or
    sends it late through the outbox (``mark_late``)."""
    text, sealed = seal_text(cipher, reply.render_text())
    row = Message(worker_id=worker.id, channel=channel, direction="out", kind="text", text=text, text_enc=sealed,
                  media=[], delivery="replying")
    db.add(row)
    db.flush()
    return row


def mark_replied(db: Session, answer_id: int) -> None:
    """The channel handed the answer back in the platform's reply."""
    db.execute(update(Message).where(Message.id == answer_id, Message.delivery == "replying")
               .values(delivery="replied"))


def mark_late(db: Session, answer_id: int, outbound_id: int) -> None:
    """The answer went out later through the outbox: the transcript shows that row's status."""
    db.execute(update(Message).where(Message.id == answer_id).values(delivery="late", outbound_id=outbound_id))
