"""Figures for the dashboard and the monthly/quarterly reports (月报/季报), computed over the cases
the user may see. Plain Python over one query: the same on PostgreSQL and SQLite."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.access import visible
from domain.cases import lifecycle as cases
from domain.cases.facts import CATEGORY_BY_KEY
from domain.cases.vocabulary import DONE, KIND_LABEL, NOT_FILED, OPEN, Kind, answered_in_time, overdue
from domain.checkins import ANSWER_LABEL
from domain.storage.models import (
    Case,
    CaseGroup,
    Course,
    CourseSignup,
    Departure,
    DepartureSignup,
    Registration,
    StaffUser,
    SubsidyApplication,
    WageCheckInAnswer,
    aware,
)
from domain.subsidies.schemes import by_key


@dataclass
class Figures:
    start: date
    end: date  # exclusive
    filed: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    by_category: Counter[str] = field(default_factory=Counter)  # complaint categories, in words
    by_week: dict[str, Counter[str]] = field(default_factory=dict)  # ISO week → kind → count
    arrears_by_city: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # city → cases, workers, yuan
    arrears_amount: int = 0
    arrears_workers: int = 0
    # employer, city, cases, workers, yuan, urgent
    groups: list[tuple[str, str, int, int, int, bool]] = field(default_factory=list)
    answered: int = 0
    answered_in_time: int = 0
    median_first_answer_hours: float | None = None
    resolved: int = 0
    overdue_now: int = 0
    # the labour-export office's services (issue 16; seeds 002, 004 ask for these monthly and quarterly)
    training_signed_up: Counter[str] = field(default_factory=Counter)  # course → places taken in the period
    training_certified: Counter[str] = field(default_factory=Counter)  # course → certificates in the period
    sent_out: Counter[tuple[str, str]] = field(default_factory=Counter)  # (destination, trade) → boarded
    wages_reported: Counter[str] = field(default_factory=Counter)  # 发了 / 只发了一部分 / 没发
    subsidies_paid: Counter[str] = field(default_factory=Counter)  # scheme → applications paid in the period
    subsidies_paid_yuan: Counter[str] = field(default_factory=Counter)  # scheme → yuan paid in the period
    registered: Counter[tuple[str, str]] = field(default_factory=Counter)  # (destination, trade) → registered

    @property
    def in_time_share(self) -> float | None:
        return self.answered_in_time / self.answered if self.answered else None


def figures(db: Session, user: StaffUser, start: date, end: date, now: datetime | None = None) -> Figures:
    now = now or datetime.now(UTC)
    lo = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
    hi = datetime.combine(end, datetime.min.time(), tzinfo=UTC)
    stmt = visible(select(Case).where(Case.filed_at.is_not(None), Case.filed_at >= lo, Case.filed_at < hi,
                                      Case.status.notin_(NOT_FILED)), user)
    found: list[Case] = list(db.scalars(stmt))
    out = Figures(start, end, filed=len(found))
    hours: list[float] = []
    by_city: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    group_ids: set[int] = set()
    for case in found:
        filed = aware(case.filed_at) if case.filed_at else now
        out.by_kind[KIND_LABEL.get(case.kind, case.kind)] += 1
        week = f"{filed.isocalendar().year}-W{filed.isocalendar().week:02d}"
        out.by_week.setdefault(week, Counter())[KIND_LABEL.get(case.kind, case.kind)] += 1
        if case.kind == Kind.COMPLAINT:
            category = CATEGORY_BY_KEY.get(case.category or "")
            out.by_category[category.label if category else "其他"] += 1
        if case.kind == Kind.WAGE_ARREARS:
            city = by_city[case.city or "未知"]
            city[0] += 1
            city[1] += case.workers_affected or 1
            city[2] += case.amount or 0
            out.arrears_amount += case.amount or 0
            out.arrears_workers += case.workers_affected or 1
            if case.group_id:
                group_ids.add(case.group_id)
        if case.first_response_at is not None:
            waited = aware(case.first_response_at) - filed
            out.answered += 1
            out.answered_in_time += answered_in_time(filed, case.first_response_at)
            hours.append(waited.total_seconds() / 3600)
        if case.status in DONE:
            out.resolved += 1
        if case.status in OPEN and any(overdue(d, now) for d in cases.deadlines(case).values()):
            out.overdue_now += 1
    out.by_week = dict(sorted(out.by_week.items()))
    out.arrears_by_city = {k: (v[0], v[1], v[2]) for k, v in sorted(by_city.items(), key=lambda kv: -kv[1][2])}
    out.median_first_answer_hours = round(statistics.median(hours), 1) if hours else None
    if group_ids:
        rows = db.scalars(select(CaseGroup).where(CaseGroup.id.in_(group_ids)).order_by(CaseGroup.amount_total.desc()))
        out.groups = [(g.employer, g.city, g.cases, g.workers_total, g.amount_total, g.urgent) for g in rows]
    return out


def add_service_figures(db: Session, out: Figures) -> Figures:
    """The office's services in the period: places taken on courses and certificates given, workers
    sent out (boarded at the roll call) by destination and trade, and what workers said of their pay."""
    lo = datetime.combine(out.start, datetime.min.time(), tzinfo=UTC)
    hi = datetime.combine(out.end, datetime.min.time(), tzinfo=UTC)
    for signup, title in db.execute(select(CourseSignup, Course.title).join(Course, Course.id == CourseSignup.course_id)
                                    .where(CourseSignup.created_at >= lo, CourseSignup.created_at < hi)):
        if signup.status != "cancelled":
            out.training_signed_up[title] += 1
        if signup.status == "certified":
            out.training_certified[title] += 1
    for destination, trade in db.execute(
            select(Departure.destination, Departure.trade).join(DepartureSignup,
                                                                DepartureSignup.departure_id == Departure.id)
            .where(Departure.departs_at >= lo, Departure.departs_at < hi, DepartureSignup.status == "boarded")):
        out.sent_out[(destination, trade or "不限")] += 1
    for said in db.scalars(select(WageCheckInAnswer.answer).where(WageCheckInAnswer.at >= lo,
                                                                  WageCheckInAnswer.at < hi)):
        out.wages_reported[ANSWER_LABEL.get(said, said)] += 1
    for scheme, amount in db.execute(select(SubsidyApplication.scheme, SubsidyApplication.amount).where(
            SubsidyApplication.status == "paid", SubsidyApplication.paid_at >= lo,
            SubsidyApplication.paid_at < hi)):
        named = by_key(scheme)
        out.subsidies_paid[named.name if named else scheme] += 1
        out.subsidies_paid_yuan[named.name if named else scheme] += int(amount or 0)
    for row in db.scalars(select(Registration).where(Registration.status == "active", Registration.created_at >= lo,
                                                     Registration.created_at < hi)):
        out.registered[(row.destination or "未定", (row.trade.split(" ")[0] if row.trade else "未填"))] += 1
    return out


def month_range(month: str) -> tuple[date, date]:
    """「2026-11」 → (2026-11-01, 2026-12-01)."""
    year, number = (int(p) for p in month.split("-", 1))
    start = date(year, number, 1)
    return start, date(year + (number == 12), number % 12 + 1, 1)


def quarter_range(year: int, quarter: int) -> tuple[date, date]:
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter must be 1-4")
    start = date(year, 3 * quarter - 2, 1)
    return start, date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
