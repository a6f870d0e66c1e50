"""What staff do to a case, each an audited event: view, reply (through the worker's channel),
note, assign, change status, reveal personal data, release a hand-off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from console.access import can, can_view
from domain.cases import handoff
from domain.cases import lifecycle as cases
from domain.cases.vocabulary import NOT_FILED, REPORTED_TO_WORKER
from domain.crypto import DataCipher, mask_text
from domain.outreach.notify import Notifier
from domain.storage.models import Case, MediaFile, Message, OutboundMessage, StaffUser, aware

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


@dataclass(frozen=True)
class Line:
    """A message as staff are shown it (never the stored row: redacting it must not change the record)."""

    created_at: datetime
    direction: str
    text: str
    media: tuple[str, ...] = ()
    channel: str = ""
    status: str = ""
    error: str | None = None


@dataclass(frozen=True)
class Scope:
    """What of a worker's record one staff user may see from one case. A worker with cases in two
    regions is two stories: an agent of 东莞 sees the 东莞 case's messages, not the 深圳 case's, and
    nowhere the 深圳 case's number or employer. A case's story starts with the message that opened
    its form (the last one recorded before its draft) and runs until the next case's story starts."""

    hidden: tuple[Case, ...] = ()
    starts: tuple[tuple[int, datetime, bool], ...] = ()  # (opening message id, draft time, visible?), in order
    shown_employers: frozenset[str] = frozenset()

    def shows_message(self, message_id: int) -> bool:
        owners = [visible for first, _, visible in self.starts if first <= message_id]
        return owners[-1] if owners else True  # before any case: general questions

    def shows_since(self, at: datetime) -> bool:
        owners = [visible for _, start, visible in self.starts if start <= aware(at)]
        return owners[-1] if owners else True

    def redact(self, text: str) -> str:
        for other in self.hidden:
            text = text.replace(other.number, "（其他地区的案件）")
            if other.employer and other.employer not in self.shown_employers:
                text = text.replace(other.employer, "（…）")
        return text


def scope(db: Session, case: Case, user: StaffUser) -> Scope:
    if can(user, "see_all_regions"):
        return Scope()
    # Drafts and cancelled forms start a story too (a 深圳 form left half-filled is 深圳's, not the
    # earlier 东莞 case's); whose they are is not known, so an agent does not see them.
    cases = list(db.scalars(select(Case).where(Case.worker_id == case.worker_id).order_by(Case.created_at)))
    visible = {c.id: c.status not in NOT_FILED and can_view(user, c) for c in cases}
    if all(visible.values()):
        return Scope()
    starts = [(_opened_by(db, c), aware(c.created_at), visible[c.id]) for c in cases]
    hidden = tuple(c for c in cases if not visible[c.id] and c.status not in NOT_FILED)
    return Scope(hidden, tuple(starts),
                 frozenset(c.employer for c in cases if visible[c.id] and c.employer))


def _opened_by(db: Session, case: Case) -> int:
    """The message that opened the case's form; for cases from before that was recorded, the last
    message received before the draft (message times can be the platform's, whole seconds)."""
    recorded = (case.details or {}).get("opened_by")
    if isinstance(recorded, int) and recorded:
        return recorded
    return db.scalar(select(func.max(Message.id)).where(
        Message.worker_id == case.worker_id, Message.direction == "in", Message.created_at <= case.created_at)) or 0


def transcript(db: Session, case: Case, user: StaffUser, limit: int = 200) -> list[Line]:
    """The worker's messages this user may see, phone and ID numbers masked."""
    seen = scope(db, case, user)
    rows = list(db.scalars(select(Message).where(Message.worker_id == case.worker_id)
                           .order_by(Message.created_at, Message.id).limit(limit)))
    late = {m.outbound_id for m in rows if m.outbound_id is not None}
    sent = dict(db.execute(select(OutboundMessage.id, OutboundMessage.status)
                           .where(OutboundMessage.id.in_(late))).tuples().all()) if late else {}
    return [Line(m.created_at, m.direction, seen.redact(m.text), tuple(m.media or ()),
                 status=sent.get(m.outbound_id, "queued") if m.outbound_id else (m.delivery or ""))
            for m in rows if seen.shows_message(m.id)]


def attachments(db: Session, case: Case, user: StaffUser) -> list[MediaFile]:
    """The worker's photos and voice notes (all of them: evidence is rarely sent at the right moment),
    except those sent during a case this user may not see."""
    seen = scope(db, case, user)
    rows = db.scalars(select(MediaFile).join(Message, MediaFile.message_id == Message.id)
                      .where(Message.worker_id == case.worker_id).order_by(MediaFile.id))
    return [f for f in rows if seen.shows_message(f.message_id)]


def replies(db: Session, case: Case, user: StaffUser) -> list[Line]:
    seen = scope(db, case, user)
    rows = db.scalars(select(OutboundMessage).where(OutboundMessage.worker_id == case.worker_id)
                      .order_by(OutboundMessage.created_at))
    return [Line(r.created_at, "out", seen.redact(r.text), channel=r.channel, status=r.status, error=r.error)
            for r in rows if seen.shows_since(r.created_at) and not any(h.number in r.text for h in seen.hidden)]
