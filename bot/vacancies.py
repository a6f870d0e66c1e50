"""Vacancy queries and the demo data loader. Expired or filled vacancies never show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from bot.storage.models import Vacancy

DEMO_FILE = Path(__file__).resolve().parent / "seed_data" / "vacancies.yml"
INDUSTRIES = ("电子", "服装", "建筑", "物流", "餐饮", "家政", "农业", "机械", "食品", "汽配",
              "装修", "物业", "纺织", "化工", "制造", "快递", "酒店", "工地")
DAILY_WORDS = ("日结", "按天", "天结", "当天结")
PAY_UNITS = {"month": "元/月", "day": "元/天", "piece": "元/月(计件)"}
PERIODS = {"long_term": "长期", "seasonal": "季节工", "daily": "日结"}


@dataclass(frozen=True)
class VacancyQuery:
    city: str | None = None
    job_type: str | None = None
    min_pay: int | None = None
    daily: bool = False
    industries: tuple[str, ...] = ()

    @classmethod
    def from_text(cls, text: str, city: str | None, job_type: str | None, min_pay: int | None) -> VacancyQuery:
        return cls(
            city=city,
            job_type=job_type,
            min_pay=min_pay,
            daily=any(w in text for w in DAILY_WORDS),
            industries=tuple(i for i in INDUSTRIES if i in text),
        )


def _filters(q: VacancyQuery, today: date) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [
        Vacancy.status == "open",
        Vacancy.headcount > 0,
        Vacancy.expires_on >= today,
    ]
    if q.city:
        conds.append(Vacancy.city == q.city)
    if q.job_type:
        conds.append(Vacancy.job_type == q.job_type)
    if q.daily:
        conds.append(Vacancy.period == "daily")
    if q.min_pay:
        conds.append(Vacancy.pay_max >= q.min_pay)
    return conds


def search(db: Session, q: VacancyQuery, today: date, offset: int = 0, limit: int = 5) -> tuple[list[Vacancy], int]:
    """Matching open vacancies ranked by industry match, freshness and pay; and the total count."""
    conds = _filters(q, today)
    total = db.scalar(select(func.count()).select_from(Vacancy).where(*conds)) or 0
    industry_first = (
        case((Vacancy.industry.in_(q.industries), 0), else_=1) if q.industries else case((Vacancy.id > 0, 0))
    )
    stmt = (
        select(Vacancy)
        .where(*conds)
        .order_by(industry_first, Vacancy.posted_on.desc(), Vacancy.pay_max.desc(), Vacancy.id)
        .offset(offset)
        .limit(limit)
    )
    return list(db.scalars(stmt)), total


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
