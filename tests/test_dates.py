"""Dates in a worker's words (issue 14): 「去年10月」「春节后」「3个月前」 become the months meant, so a
summary or a report read next year never says 「去年」 alone."""

from __future__ import annotations

from datetime import date

import pytest

from handlers.intake import fields
from nlu.dates import find
from nlu.normalize import normalize
from nlu.result import NluResult

TODAY = date(2026, 12, 5)


@pytest.mark.parametrize(("said", "meant"), [
    ("去年10月", "2025年10月"),
    ("去年十月份", "2025年10月"),
    ("春节后来的", "2026年2月起"),  # 春节 2026 fell on 17 February
    ("过完年就来了", "2026年2月起"),
    ("三个月前", "2026年9月前后"),
    ("上个月", "2026年11月"),
    ("上上个月", "2026年10月"),
    ("从去年8月干到今年1月", "2025年8月至2026年1月"),
    ("前年", "2024年"),
    ("正月十五以后", "2026年3月起"),
    ("五一后进的厂", "2026年5月起"),
])
def test_a_time_in_words_is_the_months_meant(said: str, meant: str) -> None:
    period = find(normalize(said), TODAY)
    assert period is not None and period.shown() == meant, (said, period)


def test_a_month_without_a_year_is_in_the_past() -> None:
    period = find("10月", date(2027, 2, 10))  # said in February: last October, not next
    assert period is not None and period.shown() == "2026年10月"


@pytest.mark.parametrize("said", ["锦绣小区3号楼", "干了3个月", "欠了三个月工资", "东莞长安", "两万多"])
def test_words_that_are_no_time_are_not_read_as_one(said: str) -> None:
    assert find(normalize(said), TODAY) is None


def test_the_site_answer_gives_the_place_and_when_the_work_began() -> None:
    read = fields.site(normalize("郑州 锦绣小区3号楼工地 过完年来的"), NluResult("intake", 1.0))
    assert read is not None
    assert read["city"] == "郑州" and "锦绣小区3号楼工地" in read["site"]
    assert read["period"] == "过完年" and read["period_from"] and read["period_shown"].endswith("月起")


def test_how_long_ago_counts_from_the_date_meant() -> None:
    assert fields.years_ago("前年10月开始干的", TODAY) == 2
    assert fields.years_ago("去年10月", TODAY) == 1
    assert fields.years_ago("春节后", TODAY) == 0
