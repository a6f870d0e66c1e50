"""Case clocks. The first answer is due 24 hours after filing (the seeds' promise). A case referred
to labour inspection runs the legal clocks in working days (official holidays and make-up working
days from chinese-calendar): acceptance decided within 5 working days (劳社部令第25号 第十八条),
investigation within 60 working days, extendable by 30 (《劳动保障监察条例》第十七条).
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

import chinese_calendar

from domain.storage.models import aware

log = logging.getLogger(__name__)
ACCEPT_DAYS = 5
INVESTIGATE_DAYS = 60
EXTENSION_DAYS = 30
_warned: set[int] = set()


def is_workday(day: date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:  # the State Council publishes each year's holidays in late autumn
        if day.year not in _warned:
            _warned.add(day.year)
            log.warning("no official holiday calendar for %d yet: counting Monday-Friday as working days "
                        "(upgrade chinesecalendar when it is published)", day.year)
        return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (start itself not counted)."""
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_workday(day):
            counted += 1
    return day


def legal_deadlines(referred_on: date, extended: bool = False) -> dict[str, str]:
    """ISO dates for a case referred to labour inspection on ``referred_on``."""
    investigate = INVESTIGATE_DAYS + (EXTENSION_DAYS if extended else 0)
    return {"accept": add_working_days(referred_on, ACCEPT_DAYS).isoformat(),
            "investigate": add_working_days(referred_on, investigate).isoformat()}


def overdue(due: datetime | str | None, now: datetime | None = None) -> bool:
    """A deadline passed: a datetime (the 24-hour answer) or an ISO date (a legal clock, due by
    the end of that day)."""
    if due is None:
        return False
    now = now or datetime.now(UTC)
    if isinstance(due, str):
        return now.date() > date.fromisoformat(due)
    return now > aware(due)
