"""Batches as a worker finds and joins them, and as staff keep them (roll call, a message to all).

Times are kept in UTC and shown in the office's local time (domain.local_time)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain import demo_rows, places
from domain.local_time import local, zone
from domain.storage.models import Departure, DepartureSignup, aware
from domain.text import too_long, whole_number
from nlu.gazetteer import load_gazetteer
from nlu.geo import locate, provinces

log = logging.getLogger(__name__)
DEMO_FILE = Path(__file__).resolve().parent / "seed_data" / "departures.yml"
HOLDING = ("joined", "boarded", "absent")  # a sign-up that holds a seat
STATUS_LABEL = {"joined": "已报名", "cancelled": "已取消", "boarded": "已上车出发", "absent": "点名未到"}
LIMITS = {"employer": ("单位", 128), "trade": ("工种", 32), "terms": ("待遇", 500), "county": ("县区", 32),
          "meeting_point": ("集合地点", 128), "escort_phone": ("带队电话", 32), "source": ("来源", 64)}
FIELDS = ("ref", "destination", "employer", "trade", "terms", "county", "departs_at", "meeting_point",
          "escort_phone", "seats", "source")


class JoinRefused(Exception):
    """Why a worker cannot take a seat, in their words."""


@dataclass(frozen=True)
class Joined:
    signup: DepartureSignup
    created: bool


def when(moment: datetime) -> str:
    at = local(moment)
    return f"{at.month}月{at.day}日{at:%H:%M}"


def seats_taken(db: Session, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = db.execute(select(DepartureSignup.departure_id, func.count()).where(
        DepartureSignup.departure_id.in_(ids), DepartureSignup.status.in_(HOLDING))
        .group_by(DepartureSignup.departure_id)).all()
    return {departure_id: int(count) for departure_id, count in rows}


def left(db: Session, departure: Departure) -> int:
    return max(departure.seats - seats_taken(db, [departure.id]).get(departure.id, 0), 0)


def upcoming(db: Session, now: datetime, place: str | None = None) -> list[Departure]:
    """Batches still to leave and open, soonest first; to a city or province when one is named."""
    stmt = select(Departure).where(Departure.status == "open", Departure.departs_at > now).order_by(
        Departure.departs_at, Departure.id)
    found = locate(place) if place else None
    if found is not None:
        stmt = stmt.where(Departure.destination == found.city)
    elif place in provinces():
        stmt = stmt.where(Departure.province == place)
    return list(db.scalars(stmt))


def find(db: Session, ref: str) -> Departure | None:
    return db.scalar(select(Departure).where(Departure.ref == ref))


def line(departure: Departure, seats_left: int) -> str:
    what = departure.trade or departure.employer
    full = "已满" if seats_left == 0 else f"剩{seats_left}个位置"
    return f"{when(departure.departs_at)} 去{departure.destination} {what} {full}"


def card(departure: Departure, seats_left: int) -> str:
    lines = [f"{departure.county}组织去{departure.destination}（{departure.province}）",
             f"单位：{departure.employer}" if departure.employer else "",
             f"工种：{departure.trade}" if departure.trade else "",
             f"待遇：{departure.terms}" if departure.terms else "",
             f"出发：{when(departure.departs_at)}，在{departure.meeting_point}集合",
             f"带队电话：{departure.escort_phone}" if departure.escort_phone else "",
             f"位置：还剩{seats_left}个" if seats_left else "位置：已报满"]
    return "\n".join(text for text in lines if text)


def join(db: Session, worker_id: int, departure: Departure, channel: str, now: datetime) -> Joined:
    """A seat in the batch. The batch's row is locked first, so two workers taking the last seat at once
    (or one worker's double tap) are served one after the other."""
    db.execute(select(Departure.id).where(Departure.id == departure.id).with_for_update())
    mine_already = db.scalar(select(DepartureSignup).where(
        DepartureSignup.worker_id == worker_id, DepartureSignup.departure_id == departure.id,
        DepartureSignup.status != "cancelled"))
    if mine_already is not None:
        return Joined(mine_already, False)
    if departure.status != "open" or aware(departure.departs_at) <= now:
        raise JoinRefused("这一批已经出发或停止报名了")
    if left(db, departure) <= 0:
        raise JoinRefused("这一批位置已经报满了")
    signup = DepartureSignup(number=places.stand_in(), departure_id=departure.id, worker_id=worker_id,
                             channel=channel, status="joined")
    places.give_number(db, signup, "ZC")
    return Joined(signup, True)


def mine(db: Session, worker_id: int) -> list[tuple[DepartureSignup, Departure]]:
    rows = db.execute(select(DepartureSignup, Departure).join(Departure, Departure.id == DepartureSignup.departure_id)
                      .where(DepartureSignup.worker_id == worker_id).order_by(Departure.departs_at.desc())).all()
    return [(signup, departure) for signup, departure in rows]


def cancel(db: Session, worker_id: int, number: str) -> DepartureSignup | None:
    signup = db.scalar(select(DepartureSignup).where(DepartureSignup.worker_id == worker_id,
                                                     DepartureSignup.number == number,
                                                     DepartureSignup.status == "joined"))
    if signup is not None:
        signup.status = "cancelled"
    return signup


def status_line(signup: DepartureSignup, departure: Departure) -> str:
    meet = f"{when(departure.departs_at)}，{departure.meeting_point}集合"
    return f"{signup.number} 去{departure.destination}（{meet}）：{STATUS_LABEL.get(signup.status, signup.status)}"


def remind(db: Session, now: datetime, send: Callable[[int, str], object]) -> int:
    """Roll call the day before (local time): where and when to meet, what to bring, the escort's phone."""
    tomorrow = (local(now) + timedelta(days=1)).date()
    # in UTC: SQLite drops a zone without converting, and would compare local midnight as UTC
    start = datetime(tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=zone()).astimezone(UTC)
    due = db.execute(select(DepartureSignup, Departure).join(Departure, Departure.id == DepartureSignup.departure_id)
                     .where(Departure.departs_at >= start, Departure.departs_at < start + timedelta(days=1),
                            Departure.status == "open", DepartureSignup.status == "joined",
                            DepartureSignup.reminded_at.is_(None))).all()
    for signup, departure in due:
        escort = f"带队电话{departure.escort_phone}。" if departure.escort_phone else ""
        send(signup.worker_id, f"点名提醒：明天{local(departure.departs_at):%H:%M}在{departure.meeting_point}集合"
                               f"去{departure.destination}，带身份证。{escort}去不了回「我的行程」取消。")
        signup.reminded_at = now
        db.commit()  # the notice is queued (committed by the notifier): its mark must not wait for the next one
    if due:
        log.info("departure roll-call reminders: %d sent", len(due))
    return len(due)


def roll_call(signup: DepartureSignup, status: str) -> None:
    if status not in STATUS_LABEL:
        raise ValueError(status)
    signup.status = status


def message_all(db: Session, departure: Departure, text: str, send: Callable[[int, str], object]) -> int:
    """Staff's message to everyone in the batch (a changed time, a bus number); how many it went to."""
    workers = db.scalars(select(DepartureSignup.worker_id).where(DepartureSignup.departure_id == departure.id,
                                                                 DepartureSignup.status.in_(("joined", "boarded"))))
    count = 0
    for worker_id in workers:
        send(worker_id, f"【去{departure.destination}的队伍】{text}")
        count += 1
    return count


def parse(values: dict[str, Any]) -> tuple[dict[str, Any] | None, list[str]]:
    """A batch from a staff form or the demo file: its fields, or what is wrong, in staff's words."""
    text = {name: str(values.get(name, "") or "").strip() for name in FIELDS}
    problems: list[str] = []
    if not text["ref"] or len(text["ref"]) > 32:
        problems.append("编号必填（最多32字）")
    place = locate(text["destination"])
    if place is None:
        problems.append(f"目的地「{text['destination']}」不认识：请写地级市名，比如 阿克苏、东莞")
    try:
        departs = datetime.fromisoformat(text["departs_at"].replace(" ", "T"))
        departs = (departs if departs.tzinfo else departs.replace(tzinfo=zone())).astimezone(UTC)
    except (ValueError, OverflowError):
        problems.append("出发时间请写成 2026-12-20 07:00")
        departs = None
    if not text["meeting_point"]:
        problems.append("集合地点必填")
    seats = whole_number(text["seats"] or "0")
    if seats is None or not 0 < seats <= 2000:
        problems.append("位置数请写1到2000的数字")
    problems += too_long(text, LIMITS)
    if problems or place is None or departs is None or seats is None:
        return None, problems
    if text["trade"]:
        text["trade"] = load_gazetteer().canonical("job_type", text["trade"])
    return {**text, "destination": place.city, "province": place.province, "departs_at": departs,
            "seats": seats}, []


def save(db: Session, fields: dict[str, Any], departure: Departure | None = None) -> tuple[Departure, list[int]]:
    """The batch saved, and the workers to tell when its time moved (their roll call is due again)."""
    moved: list[int] = []
    if departure is None:
        departure = Departure(**fields, status="open")
        db.add(departure)
    else:
        if aware(fields["departs_at"]) != aware(departure.departs_at) or \
                fields["meeting_point"] != departure.meeting_point:
            live = _live(db, departure)
            for signup in live:
                signup.reminded_at = None
            moved = [signup.worker_id for signup in live]
        for key, value in fields.items():
            setattr(departure, key, value)
    db.flush()
    return departure, moved


def _live(db: Session, departure: Departure) -> list[DepartureSignup]:
    """Seats still to be taken up: the workers a new time or a cancellation concerns."""
    return list(db.scalars(select(DepartureSignup).where(DepartureSignup.departure_id == departure.id,
                                                         DepartureSignup.status == "joined")))


BATCH_STATUS_LABEL = {"open": "报名中", "closed": "停止报名", "cancelled": "已取消"}


def set_status(db: Session, departure: Departure, status: str) -> list[int]:
    """Open, close or cancel a batch; cancelling cancels every seat and returns the workers to tell."""
    if status not in BATCH_STATUS_LABEL:
        raise ValueError(status)
    departure.status = status
    if status != "cancelled":
        return []
    live = _live(db, departure)
    for signup in live:
        signup.status = "cancelled"
    return [signup.worker_id for signup in live]


def load_demo(db: Session, now: datetime, path: Path = DEMO_FILE) -> int:
    """Insert the demo county's batches (dates relative to ``now``) not there yet. The count."""
    def dated(row: dict[str, Any]) -> dict[str, Any]:
        day = (local(now) + timedelta(days=int(row["in_days"]))).date()
        return {**row, "departs_at": f"{day.isoformat()} {row['at']}"}

    return demo_rows.insert_new(path, "departures", set(db.scalars(select(Departure.ref))), parse,
                                lambda fields: save(db, fields), dated)
