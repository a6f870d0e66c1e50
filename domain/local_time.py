"""The office's local time: what 「明天」 and 「这个月」 mean to a worker, and when a message of ours may
reach a phone. China keeps one time zone; an office elsewhere sets GONGYOU_OFFICE_TIMEZONE, which the
app passes to ``set_zone`` at start."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from domain.storage.models import aware

_zone = ZoneInfo("Asia/Shanghai")
DAYTIME = (8, 21)  # reminders and questions go out from 08:00 to 21:00 local time, not at midnight


def set_zone(name: str) -> None:
    global _zone
    _zone = ZoneInfo(name)


def zone() -> ZoneInfo:
    return _zone


def local(moment: datetime) -> datetime:
    return aware(moment).astimezone(_zone)


def local_today(now: datetime) -> date:
    return local(now).date()


def daytime(now: datetime) -> bool:
    return DAYTIME[0] <= local(now).hour < DAYTIME[1]
