"""Linking a phone number to a worker on WeChat, proved by a code sent to that number.

Typing a number proves nothing: 「13800138000」 then 「1」 once moved that number's cases onto whoever
typed it. Now a 6-digit code goes by SMS to the number and only typing it back links it; codes expire,
wrong tries are counted, and requests are limited per number and per requester. A number that already
carries another worker's history (they texted the hotline) is never merged automatically: staff merge
the two records in the console, audited. The number is told by SMS when it is linked.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from domain.crypto import DataCipher, mask_address
from domain.storage.models import (
    Case,
    CaseEvent,
    Message,
    OutboundMessage,
    PhoneVerification,
    Worker,
    WorkerIdentity,
    aware,
    utcnow,
)
from domain.workers import identity_for

CODE_LIFETIME = timedelta(minutes=10)
MAX_TRIES = 5
PER_NUMBER_PER_HOUR = 3  # codes sent to one number: an attacker cannot flood someone's phone …
PER_NUMBER_PER_DAY = 6  # … nor guess more than 30 times a day against it, from any number of accounts
PER_REQUESTER_PER_DAY = 5  # numbers one worker may try a day: no trawling for whose number is whose
CODE_TEXT = "【工友】验证码{code}，10分钟内有效，请勿告诉他人。在微信里回复这6位数字即可绑定；不是您本人操作请忽略。"
LINKED_TEXT = "【工友】您的手机号已绑定微信，微信联系不上时会发短信给您。不是您本人操作请回复「转人工」。"
MERGE_TEXT = "【工友】有人在微信验证了您的手机号，申请合并办事记录，工作人员核对后才合并。不是您本人请回复「转人工」。"


@dataclass(frozen=True)
class CodeRequest:
    verification: PhoneVerification | None  # None: refused (``refusal`` says why)
    code: str = ""
    number_owner: int = 0  # the worker whose SMS identity receives the code
    refusal: str = ""  # too_many_for_number | too_many_for_you | opted_out


def phone_hash(cipher: DataCipher, phone: str) -> str:
    return cipher.blind_index(f"sms:{phone}")  # the same keyed hash as the number's SMS identity


def _code_hash(cipher: DataCipher, verification_id: int, code: str) -> str:
    return cipher.blind_index(f"otp:{verification_id}:{code}")


def request_code(db: Session, cipher: DataCipher, requester_id: int, phone: str,
                 now: datetime | None = None) -> CodeRequest:
    """A new code for ``phone``, unless limits forbid it. The number's SMS identity is found or
    created (the code is an outbound SMS on that identity's record)."""
    now = now or datetime.now(UTC)
    digest = phone_hash(cipher, phone)
    to_number = db.scalar(select(func.count()).select_from(PhoneVerification).where(
        PhoneVerification.phone_hash == digest, PhoneVerification.created_at >= now - timedelta(hours=1))) or 0
    today = db.scalar(select(func.count()).select_from(PhoneVerification).where(
        PhoneVerification.phone_hash == digest, PhoneVerification.created_at >= now - timedelta(days=1))) or 0
    if to_number >= PER_NUMBER_PER_HOUR or today >= PER_NUMBER_PER_DAY:
        return CodeRequest(None, refusal="too_many_for_number")
    by_requester = db.scalar(select(func.count()).select_from(PhoneVerification).where(
        PhoneVerification.worker_id == requester_id, PhoneVerification.created_at >= now - timedelta(days=1))) or 0
    if by_requester >= PER_REQUESTER_PER_DAY:
        return CodeRequest(None, refusal="too_many_for_you")
    identity = identity_for(db, cipher, "sms", phone)
    if identity.opted_out_at is not None:
        return CodeRequest(None, refusal="opted_out")
    for old in db.scalars(select(PhoneVerification).where(PhoneVerification.worker_id == requester_id,
                                                          PhoneVerification.status == "pending")):
        old.status = "cancelled"  # one code at a time: a new request replaces the last
    code = f"{secrets.randbelow(10**6):06d}"
    row = PhoneVerification(worker_id=requester_id, phone_hash=digest, phone_enc=cipher.encrypt(phone),
                            phone_masked=mask_address(phone), code_hash="", tries=0, status="pending",
                            created_at=now, expires_at=now + CODE_LIFETIME)
    db.add(row)
    db.flush()
    row.code_hash = _code_hash(cipher, row.id, code)
    return CodeRequest(row, code, identity.worker_id)


def pending(db: Session, requester_id: int, now: datetime | None = None) -> PhoneVerification | None:
    now = now or datetime.now(UTC)
    row = db.scalar(select(PhoneVerification).where(
        PhoneVerification.worker_id == requester_id, PhoneVerification.status == "pending",
    ).order_by(PhoneVerification.id.desc()).limit(1))
    if row is not None and aware(row.expires_at) < now:
        row.status = "expired"
        return None
    return row


def cancel(db: Session, requester_id: int) -> None:
    db.execute(update(PhoneVerification).where(PhoneVerification.worker_id == requester_id,
                                               PhoneVerification.status == "pending").values(status="cancelled"))


def check_code(db: Session, cipher: DataCipher, row: PhoneVerification, code: str,
               now: datetime | None = None) -> str:
    """``linked``, ``merge_requested``, ``wrong``, ``locked`` or ``expired``."""
    now = now or datetime.now(UTC)
    if aware(row.expires_at) < now:
        row.status = "expired"
        return "expired"
    # The try is counted before the code is compared, in one statement: guesses sent at the same moment
    # cannot share a try.
    tries = db.scalar(update(PhoneVerification).where(
        PhoneVerification.id == row.id, PhoneVerification.status == "pending", PhoneVerification.tries < MAX_TRIES,
    ).values(tries=PhoneVerification.tries + 1).returning(PhoneVerification.tries))
    if tries is None:
        row.status = "locked"
        return "locked"
    db.refresh(row)
    if not secrets.compare_digest(_code_hash(cipher, row.id, code), row.code_hash):
        if tries >= MAX_TRIES:
            row.status = "locked"
            return "locked"
        return "wrong"
    row.status = link(db, cipher, row)
    if row.status == "merge_requested":  # one request per pair of records: older ones are superseded
        db.execute(update(PhoneVerification).where(
            PhoneVerification.worker_id == row.worker_id, PhoneVerification.phone_hash == row.phone_hash,
            PhoneVerification.status == "merge_requested", PhoneVerification.id != row.id,
        ).values(status="superseded"))
    return row.status


def sms_identity(db: Session, cipher: DataCipher, row: PhoneVerification) -> WorkerIdentity | None:
    """The SMS identity of the number being verified, whoever's record it is on."""
    digests = cipher.blind_indexes(f"sms:{cipher.decrypt(row.phone_enc)}")
    return db.scalar(select(WorkerIdentity).where(WorkerIdentity.channel == "sms",
                                                  WorkerIdentity.address_hash.in_(digests)))


def link(db: Session, cipher: DataCipher, row: PhoneVerification) -> str:
    """Give the requester the number's SMS identity, with consent, when nobody else's history is on
    it; otherwise leave everything where it is and ask staff to merge (``merge_requested``)."""
    identity = sms_identity(db, cipher, row)
    if identity is None:  # gone since the code was sent (the number's record was deleted)
        identity = identity_for(db, cipher, "sms", cipher.decrypt(row.phone_enc))
    owner = identity.worker_id
    if owner != row.worker_id:
        if has_history(db, owner):
            return "merge_requested"
        _absorb_shell(db, owner, row.worker_id)
    identity.consent_at = utcnow()
    db.flush()
    return "linked"


def has_history(db: Session, worker_id: int) -> bool:
    """Anything a person did or reported: a message they sent, a case, a draft."""
    said = db.scalar(select(Message.id).where(Message.worker_id == worker_id, Message.direction == "in").limit(1))
    filed = db.scalar(select(Case.id).where(Case.worker_id == worker_id).limit(1))
    return said is not None or filed is not None


def _absorb_shell(db: Session, shell_id: int, worker_id: int) -> None:
    """The number's record holds nothing but the codes we sent it: it becomes the requester's."""
    for model in (OutboundMessage, WorkerIdentity):
        db.execute(update(model).where(model.worker_id == shell_id).values(worker_id=worker_id))
    db.flush()
    db.expire_all()
    shell = db.get(Worker, shell_id)
    if shell is not None:
        db.delete(shell)


def merge_requests(db: Session) -> list[PhoneVerification]:
    return list(db.scalars(select(PhoneVerification).where(PhoneVerification.status == "merge_requested")
                           .order_by(PhoneVerification.id)))


def reject(db: Session, row: PhoneVerification, actor: str) -> None:
    """Staff found the two records are not one person: nothing moves."""
    if row.status != "merge_requested":
        raise ValueError("这条合并申请已处理")
    row.status, row.decided_by, row.decided_at = "rejected", actor, datetime.now(UTC)


def merge(db: Session, cipher: DataCipher, row: PhoneVerification, actor: str) -> int:
    """Staff confirm that the two records are one person: the number's record (messages, cases,
    identities, sent messages) moves to the worker who proved the number. Returns the cases moved."""
    identity = sms_identity(db, cipher, row)
    if identity is None or row.status != "merge_requested":
        raise ValueError("这条合并申请已处理或号码已不存在")
    other = identity.worker_id
    if other == row.worker_id:
        row.status = "superseded"
        raise ValueError("两个记录已经是同一个人的，不用合并")
    if db.scalar(select(WorkerIdentity.id).where(WorkerIdentity.worker_id == other,
                                                 WorkerIdentity.channel != "sms").limit(1)) is not None:
        raise ValueError("这个号码的记录还连着别的微信账号：两个微信不能合并，请电话核实后再处理")
    moved = [c for c in db.scalars(select(Case).where(Case.worker_id == other))]
    for model in (Message, Case, OutboundMessage, WorkerIdentity, PhoneVerification):
        db.execute(update(model).where(model.worker_id == other).values(worker_id=row.worker_id))
    db.flush()
    for case in moved:
        db.add(CaseEvent(case_id=case.id, at=datetime.now(UTC), actor=actor, kind="merged",
                         detail={"from_worker": other, "to_worker": row.worker_id}))
    db.expire_all()
    stale = db.get(Worker, other)
    if stale is not None:
        db.delete(stale)
    identity = db.get(WorkerIdentity, identity.id)
    if identity is not None:
        identity.consent_at = utcnow()
    row = db.get(PhoneVerification, row.id) or row
    row.status, row.decided_by, row.decided_at = "merged", actor, datetime.now(UTC)
    return len(moved)
