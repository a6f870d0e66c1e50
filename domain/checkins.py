"""Monthly wage check-ins (issue 16): a worker who opts in is asked once a month, after payday,
whether last month's wages came (「11月的工资发了吗？」); each answer is kept (the office's "income
reported"), and an answer that the wage is missing leads to the wage-arrears form. The question stays
open for a few days and is taken by the worker's first message after it, answer or not (a question
never hangs over later talk)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from domain.cases.vocabulary import Kind
from domain.storage.models import Case, WageCheckIn, WageCheckInAnswer

log = logging.getLogger(__name__)
DAY = 16  # asked on or after this day of the month: most wages are due by the 15th
OPEN_FOR = timedelta(days=3)
ANSWER_LABEL = {"paid": "发了", "partly": "只发了一部分", "unpaid": "没发"}


def month_of(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def pay_month(asked_on: date) -> str:
    """The month whose wages are asked about: the one before (December's 16th asks about November's)."""
    first = asked_on.replace(day=1) - timedelta(days=1)
    return month_of(first)


def question(month: str) -> str:
    """The question for the month paid for; short enough for one SMS."""
    return f"【工友】{int(month[5:])}月的工资发了吗？回1 发了 2 只发了一部分 3 没发。回「不用问工资了」就不再问。"


def subscribe(db: Session, worker_id: int, today: date) -> tuple[WageCheckIn, bool]:
    """Turn the monthly question on; False when it already was. Turned on after this month's day, the
    first question comes next month (as the worker is told), not within the hour."""
    row = db.scalar(select(WageCheckIn).where(WageCheckIn.worker_id == worker_id))
    if row is not None and row.active:
        return row, False
    if row is None:
        row = WageCheckIn(worker_id=worker_id, day=DAY, active=True, asked_month="")
        db.add(row)
    row.active = True
    if today.day >= row.day:
        row.asked_month = month_of(today)
    db.flush()
    return row, True


def stop(db: Session, worker_id: int) -> bool:
    done = db.execute(update(WageCheckIn).where(WageCheckIn.worker_id == worker_id, WageCheckIn.active.is_(True))
                      .values(active=False, open_until=None))
    return bool(getattr(done, "rowcount", 0))


def ask_due(db: Session, today: date, send: Callable[[int, str], object], now: datetime | None = None,
            reachable: Callable[[int], bool] = lambda _: True) -> int:
    """Ask everyone whose day has come this month and who was not asked yet; how many were asked. A
    worker no message would reach now (WeChat's window closed, no SMS) is asked at a later round, once
    they write again, instead of filling staff's held messages with a question that expires."""
    now = now or datetime.now(UTC)
    month = month_of(today)
    due = [row for row in db.scalars(select(WageCheckIn).where(
        WageCheckIn.active.is_(True), WageCheckIn.day <= today.day, WageCheckIn.asked_month != month))
        if reachable(row.worker_id)]
    for row in due:
        send(row.worker_id, question(pay_month(today)))
        row.asked_month, row.asked_at, row.open_until = month, now, now + OPEN_FOR
        db.commit()  # the question is queued (committed by the notifier): its mark must not wait for the next one
    if due:
        log.info("wage check-ins: %d asked", len(due))
    return len(due)


def take_open(db: Session, worker_id: int, now: datetime | None = None) -> str | None:
    """The month paid for that the worker was asked about, if the question is still open; this message
    closes it."""
    now = now or datetime.now(UTC)
    row = db.scalar(select(WageCheckIn).where(WageCheckIn.worker_id == worker_id, WageCheckIn.open_until > now))
    if row is None or not row.asked_month:
        return None
    row.open_until = None
    year, month = (int(part) for part in row.asked_month.split("-"))
    return pay_month(date(year, month, 1))


def answer(db: Session, worker_id: int, month: str, said: str) -> WageCheckInAnswer:
    row = WageCheckInAnswer(worker_id=worker_id, month=month, answer=said)
    db.add(row)
    return row


def last_employer(db: Session, worker_id: int) -> dict[str, str]:
    """What the worker's last wage-arrears report said of the employer, to fill a new one in."""
    last = db.scalar(select(Case).where(Case.worker_id == worker_id, Case.kind == Kind.WAGE_ARREARS,
                                        Case.filed_at.is_not(None)).order_by(Case.id.desc()).limit(1))
    if last is None:
        return {}
    kept = {key: str(last.details[key]) for key in ("employer", "site", "city") if last.details.get(key)}
    return kept
