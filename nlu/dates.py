"""When something happened, in a worker's words: 「去年10月」「春节后」「3个月前」「从今年3月干到现在」 → the
months meant, so the summary can say 「2025年10月」 back and staff see a date, not 「去年」.

The parsing itself is jionlp-time's (lunar holidays included: 春节, 正月十五, 腊月). This module finds
the time words inside a longer answer (「郑州 锦绣小区工地 春节后来的」), puts the colloquial ones in the
parser's terms (「过完年」「年后」 → 春节后), and keeps the result in the past: a worker reporting what
happened does not mean next October by 「10月」.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import date, datetime

import cn2an
import jionlp_time

# One piece of a time expression; a run of them (「去年10月」「今年正月十五」) is one expression.
_UNIT = (
    r"(?:20)?\d\d年|大前年|前年|去年|今年|上半年|下半年|年初|年底|年中|年后|年前|过完年|过年|春节|元旦|五一|国庆|"
    r"中秋节?|端午节?|清明节?|正月(?:十五|初[一二三四五六七八九十])?|腊月|冬天|夏天|春天|秋天|"
    r"\d{1,2}月份?(?:\d{1,2}[号日])?|上上个?月|上个?月|这个月|本月|上周|上个?星期|前天|昨天|"
    r"(?:\d+|半|[一两二三四五六七八九十]+)\s*个?\s*多?\s*(?:月|年|星期|礼拜|周|天)\s*多?\s*(?:前|以前|之前)|前\d+个?月"
)
_TAIL = r"(?:以前|以后|之后|之前|前|后|开始|起|左右|底|初|中旬|下旬|上旬)?"
_LINK = r"(?:一直干到|一直到|干到|到|至|-|~)"
_SPAN = re.compile(
    rf"(?:从)?(?:{_UNIT})(?:\s*(?:{_UNIT}))*{_TAIL}(?:\s*{_LINK}\s*(?:(?:{_UNIT})(?:\s*(?:{_UNIT}))*{_TAIL}|现在|今天|如今))?"
)
# Said the way people say it → said the way the parser reads it.
_PLAIN = (
    (re.compile(r"过完年|过了年|过年后|年后"), "春节后"),
    (re.compile(r"过年前|年前"), "春节前"),
    (re.compile(r"过年"), "春节"),
    (re.compile(r"一直干到|一直到|干到"), "到"),
    (re.compile(r"^从"), ""),
    (re.compile(r"开始|起$"), "以后"),
)
_TWO_MONTHS_BACK = re.compile(r"^上上个?月$")
# 「3个月前」「半年前」「1年多以前」: about then (the parser makes a two-month span of it).
_AGO = re.compile(r"^(\d+|半|[一两二三四五六七八九十]+)\s*个?\s*多?\s*(月|年)\s*多?\s*(?:前|以前|之前)$")
_HAS_YEAR = re.compile(r"年")


@dataclass(frozen=True)
class Period:
    words: str  # the worker's words for it: 「春节后」
    start: date | None  # None: open before (「春节前」)
    end: date | None  # None: up to now
    exact: bool  # a month named (「去年10月」), not a blur (「3个月前」)

    def shown(self) -> str:
        """「2025年10月」「2026年2月起」「2025年8月至2026年1月」「2026年2月前」."""
        start = f"{self.start.year}年{self.start.month}月" if self.start else ""
        end = f"{self.end.year}年{self.end.month}月" if self.end else ""
        if start and not end:
            return f"{start}起"
        if end and not start:
            return f"{end}前"
        if self.start and self.end and (self.start.month, self.end.month, self.end.day) == (1, 12, 31):
            years = (self.start.year, self.end.year)
            return f"{years[0]}年" if years[0] == years[1] else f"{years[0]}至{years[1]}年"
        if start == end:  # one month
            return start if self.exact or self.start != self.end else f"{start}前后"
        return f"{start}至{end}"


def find(text: str, today: date | None = None) -> Period | None:
    """The first time expression in an answer that the parser understands, or None."""
    today = today or date.today()
    for match in _SPAN.finditer(text):
        words = match.group().strip()
        period = read(words, today)
        if period is not None:
            return period
    return None


def read(words: str, today: date) -> Period | None:
    if _TWO_MONTHS_BACK.match(words):  # the parser reads 「上上个月」 as last month
        first = _months_back(today, 2)
        return Period(words, first, first, exact=True)
    ago = _AGO.match(words)
    if ago is not None:
        number = ago.group(1)
        count = 6 if number == "半" else int(number if number.isdigit() else cn2an.cn2an(number, "smart"))
        count *= 12 if ago.group(2) == "年" and number != "半" else 1
        first = _months_back(today, count)
        return Period(words, first, first, exact=False)
    plain = words
    for pattern, said in _PLAIN:
        plain = pattern.sub(said, plain)
    if not plain:
        return None
    base = time.mktime(datetime(today.year, today.month, today.day, 12).timetuple())
    try:
        parsed = jionlp_time.parse_time(plain, time_base=base)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return None
    if parsed.get("type") not in ("time_point", "time_span"):  # 「3月」 read as three months' length
        return None
    start, end = (_day(x, today) for x in parsed["time"])
    if start is not None and start > today and not _HAS_YEAR.search(words):  # 「10月」 said in February
        start, end = _year_back(start), _year_back(end) if end is not None and end > today else end
    if start is not None and start > today:
        return None
    return Period(words, start, end, exact=parsed.get("definition") == "accurate")


def _day(stamp: str, today: date) -> date | None:
    """A parser time as a day; None for open ends (-inf, inf) and for 「now」 (the base time)."""
    if not stamp or "inf" in stamp:
        return None
    day = date.fromisoformat(stamp[:10])
    return None if day == today and stamp.endswith("12:00:00") else day


def _months_back(today: date, count: int) -> date:
    month = today.year * 12 + today.month - 1 - count
    return date(month // 12, month % 12 + 1, 1)


def _year_back(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
