"""The case service: drafts, filing with a number the worker can read over the phone, the event log
(audit trail), a worker's own cases. Handlers and (later) the staff console both go through here."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from domain.cases.clock import legal_deadlines
from domain.cases.grouping import assign_group, employer_key, priority
from domain.cases.vocabulary import (
    DRAFT_RESUMABLE,
    FIRST_ANSWER,
    NEXT_STEP,
    NOT_FILED,
    NUMBER_PREFIX,
    OPEN,
    STATUS_TEXT,
    TRANSITIONS,
    Kind,
    Status,
    is_staff,
    overdue,
)
from domain.crypto import DataCipher, mask_address
from domain.local_time import local_today
from domain.storage.models import Case, CaseEvent


def event(db: Session, case: Case, kind: str, actor: str = "worker", **detail: Any) -> CaseEvent:
    row = CaseEvent(case_id=case.id, at=datetime.now(UTC), actor=actor, kind=kind, detail=detail)
    db.add(row)
    return row


def placeholder_number() -> str:
    """A unique stand-in until the case is numbered on filing (the column is unique and required)."""
    return f"draft-{uuid.uuid4().hex[:24]}"


def start_draft(db: Session, worker_id: int, kind: str, channel: str, details: dict[str, Any]) -> Case:
    case = Case(number=placeholder_number(), kind=kind, status=Status.DRAFT, worker_id=worker_id,
                channel=channel, details=details)
    db.add(case)
    db.flush()
    event(db, case, "drafted")
    return case


def open_draft(db: Session, worker_id: int, now: datetime | None = None) -> Case | None:
    """The worker's form in progress (for resuming after Redis lost the dialogue state)."""
    now = now or datetime.now(UTC)
    return db.scalar(select(Case).where(
        Case.worker_id == worker_id, Case.status == Status.DRAFT, Case.created_at >= now - DRAFT_RESUMABLE,
    ).order_by(Case.created_at.desc()).limit(1))


def cancel_draft(db: Session, case: Case) -> None:
    case.status = Status.CANCELLED
    event(db, case, "cancelled")


def next_number(db: Session, kind: str, day: date) -> str:
    prefix = f"{NUMBER_PREFIX[kind]}{day:%Y%m%d}"
    taken = db.scalar(select(func.count()).select_from(Case).where(Case.number.like(f"{prefix}%"))) or 0
    return f"{prefix}{taken + 1:04d}"


def assign_number(db: Session, case: Case, day: date) -> str:
    """TS/QX/RG + date + a 4-digit sequence of the day: 「QX202611220003」. Two filings at once
    cannot share a number (unique column; the loser takes the next)."""
    for _ in range(20):
        number = next_number(db, case.kind, day)
        try:
            with db.begin_nested():
                case.number = number
                db.flush()
            return number
        except IntegrityError:
            continue
    raise RuntimeError("could not allocate a case number")


def file_case(db: Session, case: Case, cipher: DataCipher, now: datetime | None = None) -> Case:
    """Turn a completed draft into a filed case: number, clock, personal data sealed, group, priority."""
    now = now or datetime.now(UTC)
    d = case.details
    case.status = Status.NEW
    case.filed_at = now
    case.first_response_due = now + FIRST_ANSWER
    case.category = str(d.get("category") or "") or None
    case.employer = str(d.get("employer") or "") or None
    case.employer_key = employer_key(case.employer) if case.employer else None
    case.city = str(d.get("city") or "") or None
    case.amount = int(str(d["amount"])) if d.get("amount") else None
    case.workers_affected = int(str(d["people"])) if d.get("people") else None
    case.anonymous = bool(d.get("anonymous"))
    case.consent_share = bool(d.get("consent")) and not case.anonymous
    d.pop("phone", None)  # the masked copy shown in the form; the number itself is sealed
    sealed = str(d.pop("phone_enc", "") or "")
    if sealed:
        phone = cipher.decrypt(sealed)
        case.phone_enc = sealed
        case.phone_hash = cipher.blind_index(phone)
        case.phone_masked = mask_address(phone)
    case.summary = str(d.get("story") or d.get("first") or "")[:500]
    case.details = dict(d)  # reassigned so the JSON change is saved
    assign_number(db, case, now.date())
    group = assign_group(db, case, now.date())
    if group is None:
        case.priority = priority(case, None, now.date())
    event(db, case, "filed", number=case.number, group=case.group_id)
    return case


def worker_cases(db: Session, worker_id: int, number: str | None = None, limit: int = 3) -> list[Case]:
    """The worker's own filed cases, newest first; a number that is not theirs finds nothing."""
    stmt = select(Case).where(Case.worker_id == worker_id, Case.status.notin_(NOT_FILED))
    if number:
        stmt = stmt.where(Case.number == number.upper())
    return list(db.scalars(stmt.order_by(Case.created_at.desc()).limit(limit)))


def status_line(case: Case) -> str:
    if case.kind == Kind.FAMILY_HELP and case.status == Status.REFERRED:
        return f"{case.number}：已转给老家乡镇、村里的联系人，他们会和您联系"
    return f"{case.number}：{STATUS_TEXT.get(case.status, case.status)}，{NEXT_STEP.get(case.status, '')}"


OVERDUE_TEXT = {
    "first": "【工友】您的{number}超过24小时还没答复，很抱歉，我们已经催办。着急可打12333，或回复「转人工」。",
    "accept": "【工友】您的{number}转到劳动保障监察已超过5个工作日，我们正在跟进是否受理。着急可打12333。",
    "investigate": "【工友】您的{number}已超过法定调查期限（60个工作日），我们会催办；"
                   "也可以申请劳动仲裁或法律援助（12348）。",
}


class StatusChangeError(ValueError):
    pass


def change_status(db: Session, case: Case, new: str, actor: str, reason: str = "", extended: bool = False,
                  now: datetime | None = None) -> None:
    """Move a case (new → accepted → referred → resolved → closed), starting the legal clocks on
    referral and stopping the first-answer clock on the first staff action."""
    now = now or datetime.now(UTC)
    if new not in TRANSITIONS.get(case.status, frozenset()):
        raise StatusChangeError(f"{case.number}: {case.status} → {new} is not a step a case can take")
    old = case.status
    case.status = new
    if new == Status.REFERRED and case.kind != Kind.FAMILY_HELP:  # the legal clocks are labour inspection's
        # counted from the office's day: a referral at 07:30 Beijing time on Monday is Monday's, not Sunday's
        case.details = {**case.details, "deadlines": legal_deadlines(local_today(now), extended)}
    first_answer(case, actor, now)
    event(db, case, "status", actor, old=old, new=new, reason=reason)


def first_answer(case: Case, actor: str, now: datetime | None = None) -> None:
    """The first thing staff do for a case (a reply, a status step) stops its 24-hour clock."""
    if case.first_response_at is None and is_staff(actor):
        case.first_response_at = now or datetime.now(UTC)


def deadlines(case: Case) -> dict[str, datetime | str | None]:
    """The clocks running on a case now: the first answer until staff act, the legal ones once referred."""
    found: dict[str, datetime | str | None] = {}
    if case.first_response_at is None and case.status in OPEN:
        found["first"] = case.first_response_due
    legal = (case.details or {}).get("deadlines")
    if case.status == Status.REFERRED and isinstance(legal, dict):
        found.update({k: str(v) for k, v in legal.items()})
    return found


def overdue_cases(db: Session, now: datetime | None = None,
                  *where: ColumnElement[bool]) -> list[tuple[Case, list[str]]]:
    """Open cases with a deadline passed, and which ones: for the staff queue (``where`` narrows it)."""
    now = now or datetime.now(UTC)
    found = []
    for case in db.scalars(select(Case).where(Case.status.in_(OPEN), Case.kind != Kind.HANDOFF, *where)):
        late = [name for name, due in deadlines(case).items() if overdue(due, now)]
        if late:
            found.append((case, late))
    return found


def sweep_overdue(db: Session, send: Callable[[int, str], object], now: datetime | None = None) -> int:
    """Tell each worker, once per deadline, that a deadline passed without news and what we do."""
    now = now or datetime.now(UTC)
    sent = 0
    for case, late in overdue_cases(db, now):
        raw = (case.details or {}).get("overdue_told")
        told = {str(name) for name in raw} if isinstance(raw, list) else set()
        for name in late:
            if name in told:
                continue
            send(case.worker_id, OVERDUE_TEXT[name].format(number=case.number))
            told.add(name)
            event(db, case, "overdue_notice", "system", deadline=name)
            sent += 1
        case.details = {**case.details, "overdue_told": sorted(told)}
    return sent
