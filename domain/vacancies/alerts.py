"""Vacancy alerts: a worker's saved search, and the short notice when matching vacancies appear.

A worker says 「有新岗位通知我」 after (or with) a search; the search is saved. When vacancies are
imported or added, ``announce`` sends each subscriber one short message naming how many new jobs
match and the best of them — through the Notifier, so the worker's channel, WeChat's 48-hour
window and SMS opt-out are respected — and at most one message per alert a day (WeChat's
customer-service quota and SMS cost both argue for fewer, fuller messages). Matches seen while an
alert is resting are announced in its next message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.storage.models import VacancyAlert, aware
from domain.vacancies import search as vacancies
from domain.vacancies.query import VacancyQuery

log = logging.getLogger(__name__)
MIN_INTERVAL = timedelta(hours=20)  # ≈ once a day, without drifting later each day
MAX_ALERTS_PER_WORKER = 5


def subscribe(db: Session, worker_id: int, q: VacancyQuery) -> tuple[VacancyAlert, bool]:
    """Save the search; returns (alert, created). The same search twice is one alert."""
    payload = q.to_payload()
    mine = active(db, worker_id)
    same = next((alert for alert in mine if alert.query == payload), None)
    if same is not None:
        return same, False
    if len(mine) >= MAX_ALERTS_PER_WORKER:  # the oldest makes room
        mine[0].cancelled_at = datetime.now(UTC)
    alert = VacancyAlert(worker_id=worker_id, query=payload, label=q.label(), created_at=datetime.now(UTC),
                         sent_count=0)
    db.add(alert)
    db.flush()
    return alert, True


def active(db: Session, worker_id: int) -> list[VacancyAlert]:
    return list(db.scalars(select(VacancyAlert).where(VacancyAlert.worker_id == worker_id,
                                                      VacancyAlert.cancelled_at.is_(None))
                           .order_by(VacancyAlert.created_at)))


def cancel_all(db: Session, worker_id: int) -> list[str]:
    """Stop every alert of the worker; returns their labels."""
    now = datetime.now(UTC)
    stopped = active(db, worker_id)
    for alert in stopped:
        alert.cancelled_at = now
    return [a.label for a in stopped]


@dataclass(frozen=True)
class Notice:
    alert_id: int
    worker_id: int
    text: str


def due_notices(db: Session, today: date, now: datetime | None = None) -> list[Notice]:
    """For every active, rested alert: the new vacancies matching it since it last spoke."""
    now = now or datetime.now(UTC)
    notices: list[Notice] = []
    for alert in db.scalars(select(VacancyAlert).where(VacancyAlert.cancelled_at.is_(None))):
        if alert.last_sent_at is not None and now - aware(alert.last_sent_at) < MIN_INTERVAL:
            continue
        since = aware(alert.last_sent_at or alert.created_at)
        q = VacancyQuery.from_payload(dict(alert.query))
        found, total = vacancies.search(db, q, today, 0, 1, created_after=since)
        if total:
            notices.append(Notice(alert.id, alert.worker_id, notice_text(alert.label, found[0], total)))
    return notices


def notice_text(label: str, best: vacancies.Vacancy, total: int) -> str:
    more = f"等{total}个" if total > 1 else ""
    return (f"【工友】有新的{label}岗位：{vacancies.summary_line(best)}{more}。"
            f"回复「{label.replace('·', ' ')}」查看，回复「取消订阅」不再通知。")


def announce(db: Session, today: date, send: Callable[[int, str], object], now: datetime | None = None) -> int:
    """Send the due notices through ``send(worker_id, text)`` (the Notifier); returns how many."""
    now = now or datetime.now(UTC)
    notices = due_notices(db, today, now)
    for notice in notices:
        send(notice.worker_id, notice.text)
        alert = db.get(VacancyAlert, notice.alert_id)
        if alert is not None:
            alert.last_sent_at = now
            alert.sent_count += 1
    if notices:
        log.info("vacancy alerts: %d notice(s) sent", len(notices))
    return len(notices)
