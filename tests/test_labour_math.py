"""The figures the law computes, as the bot estimates them from a worker's words."""

from __future__ import annotations

import pytest

from domain import labour_math
from nlu.normalize import normalize


@pytest.mark.parametrize(("said", "months", "wage", "owed", "double"), [
    ("在厂里干了三年 每月五千 老板说明天不用来了", 36, 5000, 15000, 30000),  # 3 full years: 3 months
    ("干了三年半，月薪8000", 42, 8000, 32000, 64000),  # six months or more count as a year
    ("干了两年零两个月 一个月六千", 26, 6000, 15000, 30000),  # 2 years and a remainder under six months
    ("做了8个月 工资4500", 8, 4500, 4500, 9000),
    ("才干了4个月 底薪3000", 4, 3000, 1500, 3000),  # under six months: half a month
])
def test_compensation_from_what_the_worker_said(said: str, months: int, wage: int, owed: int, double: int) -> None:
    text = normalize(said)
    assert labour_math.months_worked(text) == months
    assert labour_math.monthly_wage(text) == wage
    result = labour_math.compensation(months, wage)
    assert (result.amount, result.double) == (owed, double)


def test_a_calendar_year_is_not_years_worked() -> None:
    assert labour_math.months_worked(normalize("2019年进厂 工资5000")) is None


def test_overtime_and_disability_figures() -> None:
    assert labour_math.overtime_pay(4350, 8, "rest_day") == 400  # 4350 ÷ 21.75 ÷ 8 = 25 an hour, ×2
    assert labour_math.overtime_pay(4350, 2, "weekday") == 75
    assert labour_math.overtime_pay(4350, 8, "holiday") == 600
    assert labour_math.disability_allowance(9, 5000) == 45000
