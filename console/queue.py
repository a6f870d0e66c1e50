"""The staff queue: open cases by priority and deadline, with filters, search and counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from console.access import visible
from domain.cases import lifecycle as cases
from domain.cases.vocabulary import KIND_LABEL, NOT_FILED, OPEN, STATUS_LABEL, overdue
from domain.crypto import DataCipher
from domain.storage.models import Case, StaffUser
from nlu.phone import normalise_phone


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    status: str = "open"  # open | one status | all
    city: str = ""
    overdue: bool = False
    mine: bool = False
    q: str = ""  # a case number, an employer, or a phone number
    group: int | None = None  # the reports grouped under one employer


@dataclass(frozen=True)
class Row:
    case: Case
    late: list[str]


def queue(db: Session, user: StaffUser, f: Filters, cipher: DataCipher, now: datetime | None = None,
          limit: int = 200) -> list[Row]:
    now = now or datetime.now(UTC)
    stmt = visible(select(Case).where(Case.status.notin_(NOT_FILED)), user)
    if f.status == "open":
        stmt = stmt.where(Case.status.in_(OPEN))
    elif f.status in STATUS_LABEL:
        stmt = stmt.where(Case.status == f.status)
    if f.kind in KIND_LABEL:
        stmt = stmt.where(Case.kind == f.kind)
    if f.city:
        stmt = stmt.where(Case.city == f.city)
    if f.mine:
        stmt = stmt.where(Case.assigned_to == user.id)
    if f.group:
        stmt = stmt.where(Case.group_id == f.group)
    if f.q:
        stmt = stmt.where(_search(f.q, cipher))
    stmt = stmt.order_by(Case.priority.desc(), Case.first_response_due.asc().nulls_last(), Case.id).limit(limit)
    rows = []
    found: list[Case] = list(db.scalars(stmt))
    for case in found:
        late = [name for name, due in cases.deadlines(case).items() if overdue(due, now)]
        if f.overdue and not late:
            continue
        rows.append(Row(case, late))
    rows.sort(key=lambda r: (not r.late, -r.case.priority))  # overdue cases first
    return rows


def _search(q: str, cipher: DataCipher):  # type: ignore[no-untyped-def]
    q = q.strip()
    phone = normalise_phone(q)
    if phone:  # matched on the keyed hash of the encrypted number, never by decrypting every row
        return Case.phone_hash.in_(cipher.blind_indexes(phone.removeprefix("+86")))
    return or_(Case.number == q.upper(), Case.employer.contains(q))


def counts(db: Session, user: StaffUser) -> dict[str, int]:
    """How many visible open cases per kind, and how many are assigned to the user."""
    base = visible(select(Case).where(Case.status.in_(OPEN)), user).subquery()
    by_kind: dict[str, int] = {str(k): int(n) for k, n in db.execute(select(base.c.kind, func.count())
                                                                      .group_by(base.c.kind)).all()}
    out: dict[str, int] = {kind: int(by_kind.get(kind, 0)) for kind in KIND_LABEL}
    out["open"] = sum(out.values())
    out["mine"] = int(db.scalar(select(func.count()).select_from(base).where(base.c.assigned_to == user.id)) or 0)
    out["overdue"] = len(cases.overdue_cases(db, None, Case.id.in_(select(base.c.id))))
    return out
