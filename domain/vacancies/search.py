"""Vacancy queries and the demo data loader. Expired or filled vacancies never show."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from domain.storage.models import Vacancy
from domain.vacancies.query import WORK_DAYS_PER_MONTH, VacancyQuery

DEMO_FILE = Path(__file__).resolve().parent / "seed_data" / "vacancies.yml"
PAY_UNITS = {"month": "元/月", "day": "元/天", "piece": "元/月(计件)"}
PERIODS = {"long_term": "长期", "seasonal": "季节工", "daily": "日结"}


def _filters(q: VacancyQuery, today: date) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [
        Vacancy.status == "open",
        Vacancy.headcount > 0,
        Vacancy.expires_on >= today,
    ]
    if q.place_filter:
        conds.append(Vacancy.city.in_(q.place_filter))
    if q.job_types:
        conds.append(Vacancy.job_type.in_(q.job_types))
    elif q.job_type:
        conds.append(Vacancy.job_type == q.job_type)
    if q.daily:
        conds.append(Vacancy.period == "daily")
    if q.min_monthly_pay:
        conds.append(monthly_pay_max() >= q.min_monthly_pay)
    if q.board_lodging:
        conds.append(Vacancy.board_lodging.is_(True))
    if q.age:
        conds.append(or_(Vacancy.age_min.is_(None), Vacancy.age_min <= q.age))
        conds.append(or_(Vacancy.age_max.is_(None), Vacancy.age_max >= q.age))
    if q.gender:
        conds.append(or_(Vacancy.gender.is_(None), Vacancy.gender == "", Vacancy.gender == q.gender))
    return conds


def monthly_pay_max() -> ColumnElement[int]:
    """The best pay of a vacancy as a month's pay (a day rate × 26 working days)."""
    return case((Vacancy.pay_unit == "day", Vacancy.pay_max * WORK_DAYS_PER_MONTH), else_=Vacancy.pay_max)


def search(db: Session, q: VacancyQuery, today: date, offset: int = 0, limit: int = 5,
           only_ids: Collection[int] | None = None, created_after: datetime | None = None,
           ) -> tuple[list[Vacancy], int]:
    """Matching open vacancies ranked by match quality (the industry named, the city asked rather
    than a nearby one, the trade asked rather than a related one), freshness and pay; and the count."""
    conds = _filters(q, today)
    if only_ids is not None:
        conds.append(Vacancy.id.in_(list(only_ids)))
    if created_after is not None:
        conds.append(Vacancy.created_at > created_after)
    quality = []
    if q.industries:
        quality.append(case((Vacancy.industry.in_(q.industries), 0), else_=1))
    if q.cities and q.city:
        quality.append(case((Vacancy.city == q.city, 0), else_=1))
    if q.job_types and q.job_type:
        quality.append(case((Vacancy.job_type == q.job_type, 0), else_=1))
    stmt = (
        select(Vacancy)
        .where(*conds)
        .order_by(*quality, Vacancy.posted_on.desc(), monthly_pay_max().desc(), Vacancy.id)
        .offset(offset)
        .limit(limit)
    )
    found = list(db.scalars(stmt))
    if len(found) < limit and (found or offset == 0):  # the last page: no need to count
        return found, offset + len(found)
    return found, db.scalar(select(func.count()).select_from(Vacancy).where(*conds)) or 0


def find_open(db: Session, ref: str, today: date) -> Vacancy | None:
    return db.scalar(select(Vacancy).where(Vacancy.ref == ref, *_filters(VacancyQuery(), today)))


def pay_text(v: Vacancy) -> str:
    span = f"{v.pay_min}" if v.pay_min == v.pay_max else f"{v.pay_min}-{v.pay_max}"
    return f"{span}{PAY_UNITS.get(v.pay_unit, '元')}"


def summary_line(v: Vacancy) -> str:
    extra = "，包吃住" if v.board_lodging else ""
    return f"{v.title}｜{v.city}{v.district}｜{pay_text(v)}{extra}"


def detail_text(v: Vacancy) -> str:
    age = f"{v.age_min or 16}-{v.age_max}岁" if v.age_max else "不限"
    lines = [
        f"【{v.title}】{v.employer}",
        f"地点：{v.city}{v.district}",
        f"工资：{pay_text(v)}（{PERIODS.get(v.period, v.period)}）",
        f"包吃住：{'是' if v.board_lodging else '否'}　招{v.headcount}人　年龄：{age}",
    ]
    if v.requirements:
        lines.append(f"要求：{v.requirements}")
    lines.append(f"联系：{v.contact_name} {v.contact_phone}")
    lines.append(f"来源：{v.source}，有效至{v.expires_on:%m月%d日}")
    lines.append("提醒：正规招工不收押金、不扣身份证。")
    return "\n".join(lines)


def load_demo(db: Session, today: date, path: Path = DEMO_FILE) -> int:
    """Insert or refresh the demo vacancies (dates relative to ``today``). Returns the count."""
    rows: list[dict[str, Any]] = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("vacancies", [])
    existing = {v.ref: v for v in db.scalars(select(Vacancy))}
    for row in rows:
        posted = today - timedelta(days=int(row["posted_days_ago"]))
        fields = {k: v for k, v in row.items() if k not in ("posted_days_ago", "valid_days")}
        fields.update(
            posted_on=posted,
            expires_on=posted + timedelta(days=int(row["valid_days"])),
            status="open" if int(row["headcount"]) > 0 else "filled",
            requirements=row.get("requirements") or "",
        )
        vacancy = existing.get(row["ref"])
        if vacancy is None:
            db.add(Vacancy(**fields))
        else:
            for key, value in fields.items():
                setattr(vacancy, key, value)
    db.flush()
    return len(rows)
