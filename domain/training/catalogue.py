"""Courses as a worker finds them: upcoming, by trade and kind, with seats left; kept by staff."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain import demo_rows
from domain.storage.models import Course, CourseSignup
from domain.text import too_long, whole_number
from nlu.gazetteer import load_gazetteer

DEMO_FILE = Path(__file__).resolve().parent / "seed_data" / "courses.yml"
KIND_LABEL = {"skills": "技能培训", "order": "订单培训", "guidance": "岗前引导培训", "startup": "创业培训"}
TAKING_PLACES = ("signed_up", "attended", "certified", "not_passed")  # a sign-up that holds a seat
LIMITS = {"title": ("名称", 64), "trade": ("工种", 32), "county": ("县区", 32), "venue": ("地点", 128),
          "start_time": ("开班时间", 8), "eligibility": ("条件", 500), "certificate": ("证书", 64),
          "employer": ("订单单位", 128), "contact_phone": ("咨询电话", 32), "source": ("来源", 64)}
FIELDS = ("ref", "title", "kind", "trade", "county", "venue", "starts_on", "ends_on", "start_time", "seats", "fee",
          "eligibility", "certificate", "employer", "contact_phone", "source")


def seats_taken(db: Session, course_ids: list[int]) -> dict[int, int]:
    if not course_ids:
        return {}
    rows = db.execute(select(CourseSignup.course_id, func.count()).where(
        CourseSignup.course_id.in_(course_ids), CourseSignup.status.in_(TAKING_PLACES))
        .group_by(CourseSignup.course_id)).all()
    return {course_id: int(count) for course_id, count in rows}


def upcoming(db: Session, today: date, trade: str | None = None, kind: str | None = None) -> list[Course]:
    """Courses still to start and open for sign-up, soonest first; of a trade or kind when given."""
    stmt = select(Course).where(Course.status == "open", Course.starts_on > today).order_by(Course.starts_on,
                                                                                            Course.id)
    if trade:
        stmt = stmt.where(Course.trade == trade)
    if kind:
        stmt = stmt.where(Course.kind == kind)
    return list(db.scalars(stmt))


def find(db: Session, ref: str) -> Course | None:
    return db.scalar(select(Course).where(Course.ref == ref))


def left(db: Session, course: Course) -> int:
    return max(course.seats - seats_taken(db, [course.id]).get(course.id, 0), 0)


def fee_text(course: Course) -> str:
    return "免费" if course.fee == 0 else f"{course.fee}元"


def line(course: Course, seats_left: int) -> str:
    """One course in a numbered list: 「3月12日 焊工技能培训 免费 剩8个名额」."""
    full = "已满" if seats_left == 0 else f"剩{seats_left}个名额"
    return f"{course.starts_on.month}月{course.starts_on.day}日 {course.title} {fee_text(course)} {full}"


def card(course: Course, seats_left: int) -> str:
    """A course as a worker reads it before signing up."""
    days = (course.ends_on - course.starts_on).days + 1
    lines = [f"{course.title}（{KIND_LABEL.get(course.kind, '培训')}，{fee_text(course)}）",
             f"时间：{course.starts_on.month}月{course.starts_on.day}日 {course.start_time}开班，共{days}天",
             f"地点：{course.county}{course.venue}",
             f"条件：{course.eligibility}" if course.eligibility else "",
             f"结业：{course.certificate}" if course.certificate else "",
             f"结业后去：{course.employer}" if course.employer else "",
             f"名额：还剩{seats_left}个" if seats_left else "名额：已报满",
             f"咨询：{course.contact_phone}" if course.contact_phone else ""]
    return "\n".join(text for text in lines if text)


def parse(values: dict[str, Any]) -> tuple[dict[str, Any] | None, list[str]]:
    """A course from a staff form or the demo file: its fields, or what is wrong in staff's words."""
    problems: list[str] = []
    text = {name: str(values.get(name, "") or "").strip() for name in FIELDS}
    if not text["ref"] or len(text["ref"]) > 32:
        problems.append("编号必填（最多32字）")
    if not text["title"] or len(text["title"]) > 64:
        problems.append("名称必填（最多64字）")
    if text["kind"] not in KIND_LABEL:
        problems.append("类型只能是：" + "、".join(f"{k}（{v}）" for k, v in KIND_LABEL.items()))
    dates: dict[str, date] = {}
    for name, label in (("starts_on", "开班日期"), ("ends_on", "结束日期")):
        try:
            dates[name] = date.fromisoformat(text[name])
        except ValueError:
            problems.append(f"{label}请写成 2026-03-12")
    if len(dates) == 2 and dates["ends_on"] < dates["starts_on"]:
        problems.append("结束日期早于开班日期")
    numbers: dict[str, int] = {}
    for name, label in (("seats", "名额"), ("fee", "收费")):
        number = whole_number(text[name] or "0")
        if number is None:
            problems.append(f"{label}请写数字")
        else:
            numbers[name] = number
    if numbers.get("seats") == 0:
        problems.append("名额至少1个")
    problems += too_long(text, LIMITS)
    if problems:
        return None, problems
    fields: dict[str, Any] = {**text, **dates, **numbers}
    if text["trade"]:  # the worker's 「叉车」 is the model's 叉车工: stored as the model names it
        fields["trade"] = load_gazetteer().canonical("job_type", text["trade"])
    fields["start_time"] = text["start_time"] or "08:30"
    return fields, []


def save(db: Session, fields: dict[str, Any], course: Course | None = None) -> tuple[Course, list[int]]:
    """The course saved, and the workers to tell when its dates moved (their reminder is due again)."""
    moved: list[int] = []
    if course is None:
        course = Course(**fields, status="open")
        db.add(course)
    else:
        if (fields["starts_on"], fields["start_time"]) != (course.starts_on, course.start_time):
            live = _live(db, course)
            for signup in live:
                signup.reminded_at = None
            moved = [signup.worker_id for signup in live]
        for key, value in fields.items():
            setattr(course, key, value)
    db.flush()
    return course, moved


def _live(db: Session, course: Course) -> list[CourseSignup]:
    """Places still to be taken up: the workers a change of date or a cancellation concerns."""
    return list(db.scalars(select(CourseSignup).where(CourseSignup.course_id == course.id,
                                                      CourseSignup.status == "signed_up")))


STATUS_LABEL = {"open": "报名中", "closed": "停止报名", "cancelled": "已取消"}


def set_status(db: Session, course: Course, status: str) -> list[int]:
    """Open, close or cancel sign-up; cancelling cancels every place and returns the workers to tell."""
    if status not in STATUS_LABEL:
        raise ValueError(status)
    course.status = status
    if status != "cancelled":
        return []
    live = _live(db, course)
    for signup in live:
        signup.status = "cancelled"
    return [signup.worker_id for signup in live]


def load_demo(db: Session, today: date, path: Path = DEMO_FILE) -> int:
    """Insert the demo county's courses (dates relative to ``today``) not there yet. The count."""
    def dated(row: dict[str, Any]) -> dict[str, Any]:
        starts = today + timedelta(days=int(row["starts_in_days"]))
        return {**row, "starts_on": starts.isoformat(),
                "ends_on": (starts + timedelta(days=int(row["days"]) - 1)).isoformat()}

    return demo_rows.insert_new(path, "courses", set(db.scalars(select(Course.ref))), parse,
                                lambda fields: save(db, fields), dated)
