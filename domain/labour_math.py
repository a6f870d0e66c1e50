"""Figures the law computes, as estimates a worker can check: economic compensation
(《劳动合同法》第四十七条) and its double for unlawful dismissal (第八十七条), overtime pay at
150/200/300% (《劳动法》第四十四条), and the one-off disability allowance by grade
(《工伤保险条例》第三十五条–第三十七条).

Each is an estimate from what the worker said; the reply says what could change it (the 12-month
average wage, the local average-wage cap, the contract wage as the overtime base).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WORK_DAYS_PER_MONTH = 21.75  # the statutory average used to turn a monthly wage into a daily one
OVERTIME_RATES = {"weekday": 1.5, "rest_day": 2.0, "holiday": 3.0}
DISABILITY_MONTHS = {1: 27, 2: 25, 3: 23, 4: 21, 5: 18, 6: 16, 7: 13, 8: 11, 9: 9, 10: 7}

NUMBER = r"(?<![\d.])(\d{1,2}(?:\.\d+)?|[一二两三四五六七八九十]+)"
# 「3年」「3年半」「2年零2个月」; not 「2019年」 or 「去年」
YEARS = re.compile(NUMBER + r"\s*年(半)?(?![前后底初级纪代])(?:零?([\d一二两三四五六七八九十]+)个?月)?")
MONTHS = re.compile(r"(?:干了|做了|工作了|上了|干|做)\s*" + NUMBER + r"\s*个?多?月")
WAGE = re.compile(
    r"(?:每月|1个月|一个月|月薪|月工资|工资|底薪|每个月)\s*(?:是|有|拿|发)?\s*(\d{3,6})"
    r"|(\d{3,6})\s*(?:元|块)?\s*(?:1个月|一个月|每月|/月)")


@dataclass(frozen=True)
class Compensation:
    months: float  # months of wage owed
    amount: int  # at the wage said
    double: int  # 第八十七条: unlawful dismissal


def compensation_months(months_worked: int) -> float:
    """One month per full year; a remainder of six months or more counts as a year, less as half."""
    years, rest = divmod(max(months_worked, 0), 12)
    return years + (1.0 if rest >= 6 else 0.5 if rest > 0 else 0.0)


def compensation(months_worked: int, monthly_wage: int) -> Compensation:
    months = compensation_months(months_worked)
    amount = round(months * monthly_wage)
    return Compensation(months, amount, amount * 2)


def overtime_pay(monthly_wage: int, hours: float, kind: str) -> int:
    hourly = monthly_wage / WORK_DAYS_PER_MONTH / 8
    return round(hourly * hours * OVERTIME_RATES[kind])


def disability_allowance(grade: int, monthly_wage: int) -> int:
    return DISABILITY_MONTHS[grade] * monthly_wage


def months_worked(text: str) -> int | None:
    """「干了3年」 → 36, 「3年半」 → 42, 「8个月」 → 8 (from normalised text, numerals as digits)."""
    years = YEARS.search(text)
    if years:
        extra = _number(years.group(3)) if years.group(3) else 0
        return round((_number(years.group(1)) + (0.5 if years.group(2) else 0)) * 12 + extra)
    months = MONTHS.search(text)
    return round(_number(months.group(1))) if months else None


def _number(text: str) -> float:
    if re.fullmatch(r"[\d.]+", text):
        return float(text)
    import cn2an

    return float(cn2an.cn2an(text.replace("两", "二"), "smart"))


def monthly_wage(text: str) -> int | None:
    found = WAGE.search(text)
    if not found:
        return None
    value = int(found.group(1) or found.group(2))
    return value if 500 <= value <= 100_000 else None
