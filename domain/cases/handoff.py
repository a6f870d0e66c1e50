"""Handing a conversation to staff (转人工): the bot stays silent in it until staff release it, and
the worker is told when someone will answer (office hours from settings)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.cases import lifecycle as cases
from domain.cases.vocabulary import FIRST_ANSWER, IN_STAFF_HANDS, Kind, Status
from domain.crypto import mask_text
from domain.storage.models import Case, Worker

WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class OfficeHours:
    days: str = "12345"  # ISO weekdays
    open: time = time(9, 0)
    close: time = time(18, 0)
    zone: str = "Asia/Shanghai"

    @classmethod
    def parse(cls, days: str, open_: str, close: str, zone: str) -> OfficeHours:
        return cls(days, time.fromisoformat(open_), time.fromisoformat(close), zone)

    def is_open(self, now: datetime) -> bool:
        local = now.astimezone(ZoneInfo(self.zone))
        return str(local.isoweekday()) in self.days and self.open <= local.time() < self.close

    def next_opening(self, now: datetime) -> datetime:
        local = now.astimezone(ZoneInfo(self.zone))
        day: date = local.date()
        for _ in range(8):
            start = datetime.combine(day, self.open, tzinfo=ZoneInfo(self.zone))
            if str(day.isoweekday()) in self.days and start > local:
                return start
            day += timedelta(days=1)
        return local + timedelta(days=1)

    def when_text(self, now: datetime) -> str:
        """「工作人员一般1小时内」 during hours; else the next opening, in words."""
        if self.is_open(now):
            return "工作人员上班时间，一般1小时内在这里回复您"
        opening = self.next_opening(now)
        local = now.astimezone(ZoneInfo(self.zone))
        if opening.date() == local.date():
            day = "今天"
        elif opening.date() == local.date() + timedelta(days=1):
            day = "明天"
        else:
            day = f"周{WEEKDAYS[opening.isoweekday() - 1]}"
        return f"现在是下班时间，工作人员{day}{opening:%H:%M}以后在这里回复您"


def hand_off(db: Session, worker: Worker, channel: str, reason: str, text: str, opened_by: int = 0,
             city: str | None = None, station: str | None = None) -> Case:
    """Open (or reuse) the worker's hand-off case and silence the bot for this worker. ``city`` and
    ``station``: a hand-off to the home office's station there (staff of that city's region see it)."""
    now = datetime.now(UTC)
    case = db.scalar(select(Case).where(Case.worker_id == worker.id, Case.kind == Kind.HANDOFF,
                                        Case.status.in_(IN_STAFF_HANDS)))
    if case is None:
        case = Case(number=cases.placeholder_number(), kind=Kind.HANDOFF, status=Status.NEW, worker_id=worker.id,
                    channel=channel, summary=mask_text(text)[:500], filed_at=now,
                    details={"reason": reason, "opened_by": opened_by, **({"station": station} if station else {})},
                    city=city, first_response_due=now + FIRST_ANSWER)
        db.add(case)
        db.flush()
        cases.assign_number(db, case, now.date())
        cases.event(db, case, "handed_off", reason=reason)
    elif station and not case.city:  # an open hand-off the worker now wants a station to take
        case.city = city
        case.details = {**case.details, "station": station}
    worker.handed_off_at = now
    return case


def release(db: Session, worker_id: int, actor: str) -> None:
    """Staff give the conversation back to the bot."""
    worker = db.get(Worker, worker_id)
    if worker is None or worker.handed_off_at is None:
        return
    worker.handed_off_at = None
    for case in db.scalars(select(Case).where(Case.worker_id == worker_id, Case.kind == Kind.HANDOFF,
                                              Case.status.in_(IN_STAFF_HANDS))):
        cases.event(db, case, "released", actor=actor)
