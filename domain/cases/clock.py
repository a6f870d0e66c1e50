"""Working days for the legal clocks (official holidays and make-up working days from
chinese-calendar); the clocks' lengths and the lateness rule are in ``domain.cases.vocabulary``."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import chinese_calendar

from domain.cases.vocabulary import ACCEPT_DAYS, EXTENSION_DAYS, INVESTIGATE_DAYS

log = logging.getLogger(__name__)
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

