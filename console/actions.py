"""What staff do to a case, each an audited event: view, reply (through the worker's channel),
note, assign, change status, reveal personal data, release a hand-off."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.cases import handoff
from domain.cases import lifecycle as cases
from domain.cases.vocabulary import REPORTED_TO_WORKER
from domain.crypto import DataCipher, mask_text
from domain.outreach.notify import Notifier
from domain.storage.models import Case, MediaFile, Message, OutboundMessage, StaffUser

REPLY_MAX = 300


def actor(user: StaffUser) -> str:
    return f"staff:{user.id}"


def viewed(db: Session, case: Case, user: StaffUser) -> None:
    cases.event(db, case, "viewed", actor(user))


def reply(db: Session, notifier: Notifier, case: Case, user: StaffUser, text: str) -> int:
    """Send a reply on the worker's channel (48-hour window, opt-out and SMS consent respected by
    the Notifier); the first reply stops the 24-hour clock."""
    text = text.strip()
    if not text:
        raise ValueError("回复内容不能为空")
    if len(text) > REPLY_MAX:
        raise ValueError(f"回复太长（最多{REPLY_MAX}字）")
    outbound_id = notifier.notify(case.worker_id, f"【工友·{case.number}】{text}", reason="staff_reply")
    cases.first_answer(case, actor(user))
    cases.event(db, case, "reply", actor(user), outbound=outbound_id, text=mask_text(text))
    return outbound_id


def note(db: Session, case: Case, user: StaffUser, text: str) -> None:
    if not text.strip():
        raise ValueError("备注不能为空")
    cases.event(db, case, "note", actor(user), text=mask_text(text.strip())[:2000])


def assign(db: Session, case: Case, user: StaffUser, to: StaffUser | None) -> None:
    case.assigned_to = to.id if to else None
    cases.event(db, case, "assigned", actor(user), to=to.username if to else None)


def change_status(db: Session, case: Case, user: StaffUser, new: str, reason: str,
                  notifier: Notifier | None = None) -> None:
    """Move the case; the worker hears of it in one short line (the reason stays internal)."""
    if not reason.strip():
        raise ValueError("请写明原因")
    cases.change_status(db, case, new, actor(user), reason=reason.strip()[:500])
    if notifier is not None and case.kind in REPORTED_TO_WORKER:
        notifier.notify(case.worker_id, f"【工友】{cases.status_line(case)}。回复「查询进度」可随时查看。",
                        reason="status_update")


def release(db: Session, case: Case, user: StaffUser) -> None:
    handoff.release(db, case.worker_id, actor(user))


def reveal_phone(db: Session, cipher: DataCipher, case: Case, user: StaffUser) -> str | None:
    """The worker's phone number, only where they consented to share it; audited either way."""
    if not (case.consent_share and case.phone_enc):
        cases.event(db, case, "reveal_refused", actor(user))
        return None
    cases.event(db, case, "revealed", actor(user), what="phone")
    return cipher.decrypt(case.phone_enc)


def transcript(db: Session, case: Case, limit: int = 200) -> list[Message]:
    """The worker's messages, phone and ID numbers masked."""
    return list(db.scalars(select(Message).where(Message.worker_id == case.worker_id)
                           .order_by(Message.created_at, Message.id).limit(limit)))


def attachments(db: Session, case: Case) -> list[MediaFile]:
    """The worker's photos and voice notes (all of them: evidence is rarely sent at the right moment)."""
    return list(db.scalars(select(MediaFile).join(Message, MediaFile.message_id == Message.id)
                           .where(Message.worker_id == case.worker_id).order_by(MediaFile.id)))


def replies(db: Session, case: Case) -> list[OutboundMessage]:
    return list(db.scalars(select(OutboundMessage).where(OutboundMessage.worker_id == case.worker_id)
                           .order_by(OutboundMessage.created_at)))
