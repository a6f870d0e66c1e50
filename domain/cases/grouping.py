"""Reports about the same employer or site in the same city are one group (欠薪 often hits a whole
crew: twenty workers, twenty reports, one employer). Names are normalised (「深圳市华达电子有限公司」
and 「华达电子厂」 → 华达电子) and compared with rapidfuzz. A group crossing a threshold — many
workers, a large amount, or the weeks before Spring Festival, when arrears hurt most — is urgent.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from rapidfuzz import fuzz
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.cases.vocabulary import NOT_FILED, Kind
from domain.storage.models import Case, CaseGroup
from nlu.geo import load_places

SUFFIXES = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|集团|公司|总公司|分公司|工程队|施工队|项目部|项目|工地|工厂|厂|门店|店|劳务|建筑|建设|工程)$"
)
NOISE = re.compile(r"[\s()（）·,，.。\-_]|的|老板|包工头")
SAME = 85  # rapidfuzz ratio at or above which two normalised names are one employer
URGENT_WORKERS = 10
URGENT_AMOUNT = 100_000
# Spring Festival (春节) dates; before it, unpaid wages are the most urgent of the year.
SPRING_FESTIVAL = (date(2025, 1, 29), date(2026, 2, 17), date(2027, 2, 6), date(2028, 1, 26),
                   date(2029, 2, 13), date(2030, 2, 3))
BEFORE_FESTIVAL = timedelta(days=45)


def employer_key(name: str) -> str:
    """「深圳市华达电子有限公司」→「华达电子」: no place prefix, legal form or noise."""
    key = NOISE.sub("", name)
    for place in sorted(load_places(), key=len, reverse=True):  # a leading place name: 深圳市, 宝安
        for prefix in (f"{place}市", f"{place}区", f"{place}县", place):
            if key.startswith(prefix) and len(key) > len(prefix) + 1:
                key = key[len(prefix):]
                break
    previous = None
    while previous != key:
        previous = key
        stripped = SUFFIXES.sub("", key)
        key = stripped if len(stripped) >= 2 else key
    return key.lower()


def same_employer(a: str, b: str) -> bool:
    if not a or not b:
        return False
    return a == b or fuzz.ratio(a, b) >= SAME or (min(len(a), len(b)) >= 3 and (a in b or b in a))


def before_spring_festival(today: date) -> bool:
    return any(timedelta(0) <= festival - today <= BEFORE_FESTIVAL for festival in SPRING_FESTIVAL)


def assign_group(db: Session, case: Case, today: date) -> CaseGroup | None:
    """Put a filed case into the group of its employer in its city (made when a second report
    arrives), and refresh the group's totals and urgency. Returns the group, if any."""
    if not case.employer_key:
        return None
    candidates = db.scalars(select(Case).where(
        Case.id != case.id, Case.kind == case.kind, Case.status.notin_(NOT_FILED),
        Case.employer_key.is_not(None), func.coalesce(Case.city, "") == (case.city or ""),
    ))
    match = next((c for c in candidates if same_employer(c.employer_key or "", case.employer_key)), None)
    if match is None:
        return None
    group = db.get(CaseGroup, match.group_id) if match.group_id else None
    if group is None:
        group = CaseGroup(employer_key=match.employer_key or case.employer_key, employer=match.employer or "",
                          city=case.city or "", cases=0, workers_total=0, amount_total=0, urgent=False,
                          urgent_reason="")
        db.add(group)
        db.flush()
        match.group_id = group.id
    case.group_id = group.id
    db.flush()
    refresh(db, group, today)
    return group


def refresh(db: Session, group: CaseGroup, today: date) -> None:
    members = list(db.scalars(select(Case).where(Case.group_id == group.id)))
    group.cases = len(members)
    # Each report counts the workers it speaks for (one, unless it said how many); staff merge
    # duplicates from one crew by hand.
    group.workers_total = sum(c.workers_affected or 1 for c in members)
    group.amount_total = sum(c.amount or 0 for c in members)
    reasons = []
    if group.workers_total >= URGENT_WORKERS:
        reasons.append(f"{group.workers_total}人")
    if group.amount_total >= URGENT_AMOUNT:
        reasons.append(f"{group.amount_total}元")
    if before_spring_festival(today):
        reasons.append("春节前")
    group.urgent = bool(reasons)
    group.urgent_reason = "、".join(reasons)
    for member in members:
        member.priority = priority(member, group, today)


def priority(case: Case, group: CaseGroup | None, today: date) -> int:
    """A score for the staff queue: money, people, urgency, how old the arrears are."""
    score = min((case.amount or 0) // 2000, 40)
    score += min((group.workers_total if group else case.workers_affected or 1) * 2, 40)
    if group is not None and group.urgent:
        score += 30
    elif before_spring_festival(today):
        score += 15
    months = int(str((case.details or {}).get("months", 0) or 0))
    score += min(months * 2, 20)
    if case.kind == Kind.COMPLAINT and case.category in ("child_labour", "violence", "unsafe"):
        score += 40  # danger to a person first
    return int(score)
