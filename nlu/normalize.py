"""Input normalisation before parsing: full-width → half-width, pinyin-only → Chinese, Traditional →
Simplified, Chinese numerals that form amounts → digits. Also amount parsing for entity values."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import cn2an
from opencc import OpenCC

from nlu.pinyin import from_pinyin, is_pinyin_only

CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
# A Chinese-numeral run that is followed by a money/count unit: 八千五块, 三个月, 两个人, 五百元;
# or that is a number by its shape: a digit then a magnitude, 八千五, 一万二, 三十 (not 一直, 十分, 千万).
_CN_AMOUNT = re.compile(
    rf"([{CN_DIGITS}]+)(?=(?:块钱|块|元|个月|月|天|个人|人|多块|多元))"
    r"|([一二两三四五六七八九十][一二两三四五六七八九]?[十百千万][零〇一二两三四五六七八九十百千万]*)"
)
_MIXED = re.compile(r"(\d+(?:\.\d+)?)\s*([万千])\s*(\d)?(?!\d)")
# Two neighbouring digits without a magnitude between them: a range (五六 = five or six), maybe of 万/千.
_RANGE = re.compile(r"([一二两三四五六七八九])([一二两三四五六七八九])([十百千万]?)")
_APPROX = re.compile(r"(多|几|左右|来块|上下)")  # 「多」 in the summary; 「大概」 is not 「多」
# Hedges and fillers around a spoken amount: 「呃 大概五六千吧」 is 五六千.
_HEDGE = re.compile(r"^(?:呃|嗯|额|那个|就是|大概|大约|差不多|估计|约莫|约|一共|总共|总计|合计|加起来|可能|应该|好像|"
                    r"反正|算下来|[\s，,。])+|(?:吧|啊|呀|哦|的样子|这样|那样|[\s，,。！!])+$")
_WS = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _t2s() -> OpenCC:
    return OpenCC("t2s")


def _cn_number(token: str) -> int | None:
    try:
        value = cn2an.cn2an(token, "smart")
    except (ValueError, KeyError, TypeError):
        return None
    return int(value) if float(value).is_integer() else None


# Cantonese and northern words with one plain meaning, read as the model was taught (issue 14):
# 「搵工」 is 找工作, not a yes.
DIALECT: tuple[tuple[str, str], ...] = (
    ("搵工", "找工作"), ("揾工", "找工作"), ("搵嘢做", "找工作"), ("揾嘢做", "找工作"),
    ("冇", "没有"), ("唔该", "谢谢"), ("咋整", "怎么办"), ("咋办", "怎么办"), ("点算", "怎么办"),
    ("俾我", "给我"), ("老细", "老板"),
)
_DIALECT = re.compile("|".join(re.escape(a) for a, _ in DIALECT if a))
_DIALECT_TO = {a: b for a, b in DIALECT if a}


def _dialect(text: str) -> str:
    return _DIALECT.sub(lambda m: _DIALECT_TO[m.group()], text)


# The numerals of cheques and IOUs (「四万伍」「叁仟」), read as plain ones where they stand among numbers:
# not the 伍 of a surname, the 陆 of 陆续 or the 拾 of 收拾.
_FORMAL = "壹贰叁肆伍陆柒捌玖拾佰仟"
_FORMAL_NUMERAL = re.compile(
    rf"(?<=[\d{CN_DIGITS}{_FORMAL}])[{_FORMAL}]|[{_FORMAL}](?=[\d{CN_DIGITS}{_FORMAL}块元])")
_PLAIN_NUMERAL = str.maketrans(_FORMAL, "一二三四五六七八九十百千")


def _formal_numerals(text: str) -> str:
    return _FORMAL_NUMERAL.sub(lambda m: m.group().translate(_PLAIN_NUMERAL), text)


# A run of lower-case letters in a message that also has Chinese: pinyin for a word the worker could
# not type (「jiaban费」「chuangye daikuan」), read when it reads as known words. Not 「HR」「QC」 (too short),
# not 「Zhang Wei」「Mike」「HONDA」 (capitals: a name), not 「zhangsan@qq.com」「xiaoming123」 (an address).
_LETTERS = re.compile(r"(?<![A-Za-z0-9@._-])[a-z]{4,}(?:\s+[a-z]{2,})*(?![A-Za-z0-9@._-])")


def _pinyin_run(run: str) -> str:
    read = from_pinyin(run)
    return read if read else run


def normalize(text: str) -> str:
    """The form every message is understood in (the worker's original is kept elsewhere)."""
    text = unicodedata.normalize("NFKC", text)  # full-width letters, digits, punctuation
    if is_pinyin_only(text):  # 「shenzhen you pugong ma」 → 深圳有普工吗 (left alone if unreadable)
        text = from_pinyin(text) or text
    elif _LETTERS.search(text):  # 「laodong zhongcai 怎么弄」: the pinyin among Chinese, word by word
        text = _LETTERS.sub(lambda m: _pinyin_run(m.group()), text)
    text = _t2s().convert(text)
    text = _formal_numerals(_dialect(_WS.sub(" ", text).strip()))

    def repl(match: re.Match[str]) -> str:
        token = match.group(1) or match.group(2)
        if _RANGE.fullmatch(token):  # 五六个人, 七八个月, 两三万: a range, not 56 — leave it in words
            return token
        value = _cn_number(token)
        return str(value) if value is not None else token

    return _CN_AMOUNT.sub(repl, text)


def parse_amount(raw: str) -> tuple[int, bool] | None:
    """Read an amount as a worker writes it: 「八千五」→8500, 「1万2」→12000, 「两万多」→(20000, approx).

    Returns (yuan, approximate) or None when no number is found.
    """
    text = unicodedata.normalize("NFKC", str(raw)).replace(",", "").replace("，", "")
    approximate = bool(_APPROX.search(text))
    units = r"(块钱|块|元|人民币|个月|月|个人|人|天|工资|钱)"  # a space: 「1个月5000」 is not 15000
    core = re.sub(r"(多|几|左右|来|上下)", "", _HEDGE.sub("", text))  # none: 「十几万」 is 十万
    core = _WS.sub(" ", re.sub(units, " ", core)).strip()
    core = _HEDGE.sub("", core)  # 「差不多」 before 「多」 is taken away; 「七八千块吧」 after
    if not core:
        return None
    ranged = _RANGE.fullmatch(core)
    if ranged:  # 七八 → 7, 两三万 → 20000: the lower bound, approximate
        low = _cn_number(ranged.group(1)) or 0
        unit = {"": 1, "十": 10, "百": 100, "千": 1000, "万": 10000}[ranged.group(3)]
        return low * unit, True
    mixed = _MIXED.fullmatch(core)
    if mixed:  # 1万2 → 12000, 3千5 → 3500, 1.5万 → 15000
        base = float(mixed.group(1))
        unit = 10000 if mixed.group(2) == "万" else 1000
        tail = int(mixed.group(3)) * unit // 10 if mixed.group(3) else 0
        return int(base * unit) + tail, approximate
    if core.isdigit():
        return int(core), approximate
    thousands = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([kKwW])", core)
    if thousands:  # 「15k」, 「10w」 (万)
        return int(float(thousands.group(1)) * (1000 if thousands.group(2) in "kK" else 10000)), approximate
    mixed = _MIXED.search(core)
    if mixed:  # 「一共20万」「欠我1万2吧」: the amount inside other words
        base = float(mixed.group(1))
        unit = 10000 if mixed.group(2) == "万" else 1000
        tail = int(mixed.group(3)) * unit // 10 if mixed.group(3) else 0
        return int(base * unit) + tail, approximate or "来" in text
    if re.fullmatch(rf"[{CN_DIGITS}]+", core):
        value = _cn_number(core)
        return (value, approximate) if value is not None else None
    digits = re.search(r"\d+", core)
    return (int(digits.group()), approximate) if digits else None
