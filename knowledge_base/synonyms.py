"""Workers' words for the same thing, folded to one before retrieval: 「炒鱿鱼」「不用来了」 are 辞退,
「五险」 is 社保, 「砸伤」 is 工伤. Applied to the question and to every article alike, so BM25 matches
meaning that shares no characters. Typos seen in workers' messages (「工商」 for 工伤) are folded too."""

from __future__ import annotations

import re
from functools import lru_cache

GROUPS: dict[str, tuple[str, ...]] = {
    "辞退": ("炒我鱿鱼", "炒鱿鱼", "炒了", "开除", "解雇", "辞掉", "辞推", "不用来了", "别来了", "不要我了", "让我走人",
           "叫我走人", "赶走", "被裁", "裁员", "裁掉", "劝退"),
    "辞职": ("离职", "不想干了", "不干了", "辞工", "自离", "走人"),
    "工伤": ("工商", "受伤", "压伤", "摔伤", "砸伤", "烫伤", "割伤", "夹伤", "碰伤", "伤残"),
    "社保": ("五险一金", "五险", "社会保险", "社宝"),
    "押金": ("保证金", "风险金", "抵押金", "压金"),
    "加班费": ("加班工资", "加班钱", "加班废", "加班費"),
    "工资": ("工钱", "薪水", "薪资", "人工钱", "血汗钱", "工資"),
    "补偿": ("赔偿", "赔钱", "赔尝", "补偿金", "赔償", "補償"),
    "合同": ("合通", "合約", "合同书"),
    "怀孕": ("大肚子", "有身孕", "懷孕"),
    "产假": ("坐月子", "生孩子的假", "產假"),
    "年假": ("年休假", "带薪假", "带薪年假"),
    "扣工资": ("扣钱", "罚钱", "罚款", "扣我钱"),
    "上下班途中": ("上班路上", "下班路上", "上下班路上", "回家路上", "通勤"),
    "包工头": ("工头", "包头", "带班的"),
    "仲裁": ("打官司", "告他", "告公司", "告老板"),
    "试用期": ("试工期", "试用"),
}
NOT_A_TYPO = re.compile(r"工商(局|银行|执照|注册|部门|登记)")  # 「工商局」 is the business registry, not 工伤


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    canonical = {variant: word for word, variants in GROUPS.items() for variant in variants}
    ordered = sorted(canonical, key=len, reverse=True)  # 「五险一金」 before 「五险」
    return re.compile("|".join(map(re.escape, ordered))), canonical


def fold(text: str) -> str:
    """The text with workers' variants replaced by one word each."""
    pattern, canonical = _pattern()
    kept = {m.start(): m.group() for m in NOT_A_TYPO.finditer(text)}
    return pattern.sub(lambda m: m.group() if m.start() in kept else canonical[m.group()], text)
