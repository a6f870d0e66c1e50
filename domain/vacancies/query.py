"""What a worker is looking for, read from their words, and how to widen it when nothing matches.

「东莞有没有包吃住的普工 工资五千以上 我45岁」 → city 东莞, trade 普工, board and lodging, at least
5000 a month (a day rate counts as 26 working days), fits a 45-year-old. The query travels in
numbered options and alert subscriptions as a plain dict (``to_payload``/``from_payload``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from config import TRADES_FILE
from nlu.geo import cities_in, locate, province_in

INDUSTRIES = ("电子", "服装", "建筑", "物流", "餐饮", "家政", "农业", "机械", "食品", "汽配",
              "装修", "物业", "纺织", "化工", "制造", "快递", "酒店", "工地")
DAILY_WORDS = ("日结", "按天", "天结", "当天结")
BOARD_WORDS = re.compile(r"包吃住|管吃住|包食宿|管食宿|提供食宿|包住|管住|吃住全包")
AGE = re.compile(r"(?<!\d)([1-7]\d)\s*岁")
FEMALE = re.compile(r"我是女|女的|女工|找女")
MALE = re.compile(r"我是男|男的|男工|找男")
# Pay named in words the model may not tag: 五千以上 (normalised to 5000以上), 月薪6000, 日结200, 一天300
PAY = re.compile(r"(?:工资|月薪|薪水|底薪|日结|一天|每天|日薪)?\s*(\d{3,5})\s*(?:元|块)?\s*(?:以上|起|往上|多)?")
PAY_HINT = re.compile(r"工资|月薪|薪水|底薪|日结|一天|每天|日薪|以上|往上|起")
DAY_PAY_HINT = re.compile(r"日结|一天|每天|日薪|天")
WORK_DAYS_PER_MONTH = 26
DAY_RATE_LIMIT = 1000  # a figure below this, said with 日结/一天, is a day rate


@dataclass(frozen=True)
class VacancyQuery:
    city: str | None = None
    job_type: str | None = None
    min_pay: int | None = None  # as the worker said it: a month's pay, or a day's when pay_per_day
    pay_per_day: bool = False
    daily: bool = False
    board_lodging: bool = False
    age: int | None = None
    gender: str | None = None  # 男 | 女, when the worker said
    province: str | None = None  # 「新疆拾花」: any city of the province (when no city is named)
    industries: tuple[str, ...] = ()
    # widened search: these replace city/job_type as filters when set
    cities: tuple[str, ...] = field(default=())
    job_types: tuple[str, ...] = field(default=())

    @property
    def has_criteria(self) -> bool:
        return bool(self.city or self.province or self.job_type or self.daily or self.cities or self.job_types)

    @property
    def min_monthly_pay(self) -> int | None:
        """The pay asked for as a month's pay (a day rate × 26 working days)."""
        if not self.min_pay:
            return None
        return self.min_pay * WORK_DAYS_PER_MONTH if self.pay_per_day else self.min_pay

    @property
    def place_filter(self) -> tuple[str, ...]:
        """The cities to look in; () for anywhere."""
        if self.cities:
            return self.cities
        if self.city:
            return (self.city,)
        return cities_in(self.province) if self.province else ()

    def label(self) -> str:
        """Short words for what was asked: 东莞·普工·包吃住·5000元以上, 深圳·日结·日薪200以上."""
        parts: list[str] = [p for p in (self.city or self.province, self.job_type) if p]
        if self.daily:
            parts.append("日结")
        if self.board_lodging:
            parts.append("包吃住")
        if self.min_pay:
            parts.append(f"日薪{self.min_pay}以上" if self.pay_per_day else f"{self.min_pay}元以上")
        if self.age:
            parts.append(f"{self.age}岁")
        return "·".join(parts) if parts else "全部"

    def to_payload(self) -> dict[str, Any]:
        data = asdict(self)
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in data.items() if v not in (None, False, ())}

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> VacancyQuery:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        for key in ("industries", "cities", "job_types"):
            if key in known:
                known[key] = tuple(known[key])
        return cls(**known)


def read_query(text: str, city: str | None, job_type: str | None, salary: int | None) -> VacancyQuery:
    """The query in a worker's message; ``city``/``job_type``/``salary`` are the NLU's entities."""
    pay, per_day = _pay(text, salary)
    return VacancyQuery(
        city=city,
        province=None if city else province_in(text),
        job_type=job_type,
        min_pay=pay,
        pay_per_day=per_day,
        daily=any(w in text for w in DAILY_WORDS),
        board_lodging=bool(BOARD_WORDS.search(text)),
        age=_age(text),
        gender="女" if FEMALE.search(text) else "男" if MALE.search(text) else None,
        industries=tuple(i for i in INDUSTRIES if i in text),
    )


def _age(text: str) -> int | None:
    match = AGE.search(text)
    return int(match.group(1)) if match and 16 <= int(match.group(1)) <= 75 else None


def _pay(text: str, salary: int | None) -> tuple[int | None, bool]:
    """(the least pay asked for, whether it is a day's pay)."""
    value = salary
    day_rate = False
    for match in PAY.finditer(text):
        if not PAY_HINT.search(match.group()):
            continue  # a bare number: a phone fragment, a year, an age
        if value is None or int(match.group(1)) == value:
            value = int(match.group(1))
            day_rate = bool(DAY_PAY_HINT.search(match.group()))
            break
    if value is None or value <= 0:
        return None, False
    if value < DAY_RATE_LIMIT and (day_rate or any(w in text for w in DAILY_WORDS)):
        return value, True
    return (value, False) if value >= DAY_RATE_LIMIT else (None, False)  # 「300」 alone: not a month's pay


@lru_cache(maxsize=1)
def trade_groups(path: Path = TRADES_FILE) -> tuple[tuple[str, ...], ...]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return tuple(tuple(str(t) for t in group) for group in (doc.get("groups") or {}).values())


def related_trades(job_type: str) -> tuple[str, ...]:
    """Trades in the same groups as ``job_type`` (not itself), in file order."""
    related = [t for group in trade_groups() if job_type in group for t in group if t != job_type]
    return tuple(dict.fromkeys(related))


def nearby_cities(city: str) -> tuple[str, ...]:
    """Other cities of the same province."""
    place = locate(city)
    if place is None:
        return ()
    return tuple(c for c in cities_in(place.province) if c != place.city)


@dataclass(frozen=True)
class Widening:
    query: VacancyQuery
    note: str  # what was widened, said to the worker ("" for the query as asked)


def widenings(q: VacancyQuery, home: str | None = None) -> Iterator[Widening]:
    """The query as asked, then step by step wider: nearby cities, related trades, both; a city
    that came from the worker's profile (``home``) rather than their words finally drops."""
    yield Widening(q, "")
    near = nearby_cities(q.city) if q.city else ()
    related = related_trades(q.job_type) if q.job_type else ()
    place = locate(q.city) if q.city else None
    province = place.province if place else ""
    what = q.job_type or "符合条件的岗位"
    if near:
        yield Widening(replace(q, cities=near), f"{q.city}暂时没有{what}，{province}其他城市有：")
    if related:
        yield Widening(replace(q, job_types=related),
                       f"{q.city or q.province or ''}暂时没有{q.job_type}，看看相近的工种：")
    if near and related:
        yield Widening(replace(q, cities=near, job_types=related),
                       f"{q.city}附近也没有{q.job_type}，{province}其他城市相近的工种有：")
    if q.city and q.job_type:
        yield Widening(replace(q, job_type=None), f"{q.city}附近没有{q.job_type}，{q.city}的其他岗位有：")
    if home and q.city == home:
        yield Widening(replace(q, city=None), f"{home}暂时没有，看看其他城市的：")
