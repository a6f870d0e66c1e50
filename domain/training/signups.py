"""A worker's places on courses: signing up (a number, one place per course), cancelling, the
reminder the day before, and what staff record after (attended, certified with the certificate's
number, not passed) — each change the worker should know of is told them."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain import places
from domain.storage.models import Course, CourseSignup
from domain.training.catalogue import left

log = logging.getLogger(__name__)
STATUS_LABEL = {"signed_up": "已报名", "cancelled": "已取消", "attended": "已参训，证书办理中",
                "certified": "已结业，证书已发", "not_passed": "未通过考核"}
ACTIVE = ("signed_up", "attended")  # a sign-up that still has something to come


class SignupRefused(Exception):
    """Why a worker cannot take a place, in their words."""


@dataclass(frozen=True)
class Signed:
    signup: CourseSignup
    created: bool  # False: they already had a place on it


def sign_up(db: Session, worker_id: int, course: Course, channel: str, today: date) -> Signed:
    """A place on the course. The course's row is locked first, so two workers taking the last place at
    once (or one worker's double tap) are served one after the other."""
    db.execute(select(Course.id).where(Course.id == course.id).with_for_update())
    mine = db.scalar(select(CourseSignup).where(CourseSignup.worker_id == worker_id,
                                                CourseSignup.course_id == course.id,
                                                CourseSignup.status != "cancelled"))
    if mine is not None:
        return Signed(mine, False)
    if course.status != "open" or course.starts_on <= today:
        raise SignupRefused("这个班已经开班或停止报名了")
    if left(db, course) <= 0:
        raise SignupRefused("这个班名额已经报满了")
    signup = CourseSignup(number=places.stand_in(), course_id=course.id, worker_id=worker_id, channel=channel,
                          status="signed_up")
    places.give_number(db, signup, "BM")
    return Signed(signup, True)


def mine(db: Session, worker_id: int) -> list[tuple[CourseSignup, Course]]:
    """The worker's sign-ups, newest course first (cancelled ones too: they asked about them)."""
    rows = db.execute(select(CourseSignup, Course).join(Course, Course.id == CourseSignup.course_id)
                      .where(CourseSignup.worker_id == worker_id).order_by(Course.starts_on.desc())).all()
    return [(signup, course) for signup, course in rows]


def cancel(db: Session, worker_id: int, number: str) -> CourseSignup | None:
    signup = db.scalar(select(CourseSignup).where(CourseSignup.worker_id == worker_id,
                                                  CourseSignup.number == number,
                                                  CourseSignup.status == "signed_up"))
    if signup is not None:
        signup.status = "cancelled"
    return signup


def status_line(signup: CourseSignup, course: Course) -> str:
    text = f"{signup.number} {course.title}（{course.starts_on.month}月{course.starts_on.day}日开班）：" \
           f"{STATUS_LABEL.get(signup.status, signup.status)}"
    return text + (f"，证书编号{signup.certificate_no}" if signup.status == "certified" and signup.certificate_no
                   else "")


def remind(db: Session, today: date, send: Callable[[int, str], object], now: datetime | None = None) -> int:
    """The day before a class starts, tell each worker signed up for it where and when (once)."""
    now = now or datetime.now(UTC)
    due = db.execute(select(CourseSignup, Course).join(Course, Course.id == CourseSignup.course_id).where(
        Course.starts_on == today + timedelta(days=1), Course.status == "open",
        CourseSignup.status == "signed_up", CourseSignup.reminded_at.is_(None))).all()
    for signup, course in due:
        send(signup.worker_id, f"提醒：您报名的{course.title}明天{course.start_time}开班，地点{course.county}"
                               f"{course.venue}。请带身份证。报名号{signup.number}。去不了请回复「我的培训」取消。")
        signup.reminded_at = now
        db.commit()  # the notice is queued (committed by the notifier): its mark must not wait for the next one
    if due:
        log.info("course reminders: %d sent", len(due))
    return len(due)


def record(db: Session, signup: CourseSignup, status: str, certificate_no: str = "") -> str | None:
    """Staff record how the course went for this worker; the worker's notice, or None when there is
    nothing new to tell."""
    if status not in STATUS_LABEL or (status == signup.status and certificate_no == signup.certificate_no):
        return None
    signup.status = status
    signup.certificate_no = certificate_no[:32] if status == "certified" else ""
    course = db.get(Course, signup.course_id)
    title = course.title if course else "培训"
    if status == "certified":
        number = f"，证书编号{signup.certificate_no}" if signup.certificate_no else ""
        return f"您的{title}已结业，证书办好了{number}。领取请联系劳务办。"
    if status == "not_passed":
        return f"您的{title}这次考核没有通过。想再学可以回复「培训」看近期的班。"
    if status == "cancelled":
        return f"您报名的{title}（{signup.number}）已被取消。回复「培训」看其他班。"
    return None
