"""The subsidies a worker can check (seed 004: the transport subsidy for working in another province,
the social-insurance subsidy for flexible employment, free training): each with the region its rule
holds for, its source, the questions that decide who may have it, and the office's document checklist.

Eligibility is the worker's own answers, yes / no / not sure, to each condition: any "no" ends it with
the reason; "not sure" may still apply, and staff check it with the documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

import yaml

from nlu.geo import load_places, provinces

CATALOGUE = Path(__file__).resolve().parent / "seed_data" / "schemes.yml"


class Said(StrEnum):
    YES = "yes"
    NO = "no"
    UNSURE = "unsure"


SAID_LABEL = {Said.YES: "是", Said.NO: "不是", Said.UNSURE: "不清楚"}


@dataclass(frozen=True)
class Condition:
    key: str
    ask: str
    missing: str  # what a "no" means, in the worker's words


@dataclass(frozen=True)
class Scheme:
    key: str
    name: str
    words: re.Pattern[str]  # how a worker names it (「路费」「社保」)
    region: str
    source: str
    article: str  # the knowledge-base article with the whole rule
    amount: str
    max_yuan: int
    conditions: tuple[Condition, ...]
    documents: tuple[str, ...]
    where: str
    courses: bool = False  # applied for by signing up for a course, not by an application
    province: str = ""  # where the rule's workers come from (「外省」 is any other)

    @property
    def headline(self) -> str:
        return f"{self.name}（{self.region}）：{self.amount}。\n依据：{self.source}"


class Verdict(StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    TO_CHECK = "to_check"  # no "no", but something the worker was not sure of: staff check it


@cache
def schemes() -> tuple[Scheme, ...]:
    rows = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    return tuple(Scheme(
        key=r["key"], name=r["name"], words=re.compile(r["words"]), region=r["region"], source=r["source"],
        article=r["article"], amount=r["amount"], max_yuan=int(r.get("max_yuan") or 0),
        conditions=tuple(Condition(c["key"], c["ask"], c["missing"]) for c in r["conditions"]),
        documents=tuple(r["documents"]), where=r["where"], courses=bool(r.get("courses")),
        province=str(r.get("province") or "")) for r in rows)


def by_key(key: str) -> Scheme | None:
    return next((s for s in schemes() if s.key == key), None)


def for_article(article_id: str) -> Scheme | None:
    """The scheme whose rule a knowledge-base article gives (its answer then offers the check)."""
    return next((s for s in schemes() if s.article == article_id), None)


def named_in(text: str) -> Scheme | None:
    """The one scheme a message names (「路费补贴怎么申请」), or None when it names none or several."""
    named = [s for s in schemes() if s.words.search(text)]
    return named[0] if len(named) == 1 else None


def verdict(scheme: Scheme, answers: dict[str, str]) -> Verdict | None:
    """What the answers so far decide; None while a condition is still to be asked."""
    said = [answers.get(c.key) for c in scheme.conditions]
    if Said.NO in said:
        return Verdict.NOT_ELIGIBLE
    if None in said:
        return None
    return Verdict.ELIGIBLE if all(s == Said.YES for s in said) else Verdict.TO_CHECK


def next_condition(scheme: Scheme, answers: dict[str, str]) -> Condition | None:
    return next((c for c in scheme.conditions if c.key not in answers), None)


def failed(scheme: Scheme, answers: dict[str, str]) -> Condition | None:
    return next((c for c in scheme.conditions if answers.get(c.key) == Said.NO), None)


# An answer in words to a yes-or-no question (a digit picks the option). Workers say more than yes or
# no (「是的 俺家是建档立卡的」「不是 厂里给交的」「不清楚 得问俺爹」): doubt anywhere decides first, then
# the first clause, then the words of the whole answer.
FILLER = re.compile(r"^(?:那个|就是|嗯+|啊|呃|额|这个|喂)\s*")
CLAUSE = re.compile(r"[\s，,。.!！？?、；;~]+")
UNSURE_WORDS = re.compile(r"不(?:太|是很|是太)?(?:清楚|知道|晓得|确定|明白|懂)|说不好|说不准|说不清|记不(?:太)?清|"
                          r"记不得|不记得|搞不(?:清|明白|懂)|唔知|唔清楚|啥是|什么是|啥叫|什么叫|咩嚟|算不算|好像|可能|也许|大概是|"
                          r"未决定|未定|还没定|没定|没想好|还没想|没决定|不一定|看情况|看包工头|得问|要问|问问|忘了")
NO_FIRST = re.compile(r"^(?:不是|不算|不属于|没有|没|木有|冇|唔係|唔系|唔是|否|不|没交|没出省|没出去|莫得|莫有|不在|"
                      r"没得|没跨省|不是的|并不是)")
YES_FIRST = re.compile(r"^(?:是|对|嗯|係|系|对头|没错|没问题|没毛病|当然|交了|交着|自己交|自个交|shi|yes|ok|对的|"
                       r"对啊|好像是|算是)", re.I)
YES_ALONE = re.compile(r"^(?:中|有|算|在|有的|中啊|有啊)[啊呀的嘞哈]?$")  # 「中」 alone, not 「中介费多少」
ASKS_BACK = re.compile(r"吗|么|什么|啥|多少|是不是|想问|怎么|咋|为什么|为啥|有用|有啥用|要钱|交钱|[？?]")
NEVER_MIND = re.compile(r"^算了")
NO_WORDS = re.compile(r"不是|不算|没有|木有|冇|唔係|没交|没出省|没出去|本省|省内|省里|就在家|家附近|家这边|在县城|本地|"
                      r"普通户|一般户|条件还行|还过得去|过得去|不困难|没评上|"
                      r"(?:单位|厂里|厂|公司|老板|工地)(?:给|帮|幫)(?:我|俺)?(?:交|缴|买|上|供)|单位交|不给交|没跨省")
YES_WORDS = re.compile(r"是|建档立卡|贫困户|扶贫手册|扶贫证|贫困证|评上|评的|外省|跨省|出省|"
                       r"自(?:己|个儿?)[^，,。\s]{0,6}(?:交|缴|买|供)|灵活就业|交了|在交|交着")
HOME_SAID = re.compile(r"人|老家|来的|的人|俺是|我是|我係|我系")  # 「四川人 在成都」: the province named is home
SUBJECT = re.compile(r"^(?:我|俺|咱|我们|俺们|咱们|我哋)(?:家|屋企)?(?:也|就)?")


def read_said(text: str) -> Said | None:
    """「是贫困户」「是的 俺家是建档立卡的」→ yes, 「不是 厂里给交的」→ no, 「不清楚 得问俺爹」→ not sure;
    None for a message that says none of these (「我老板欠我三个月工资没给」 is a message of its own)."""
    said = FILLER.sub("", text.strip()).strip() or text.strip()  # 「嗯嗯」 alone is a nod, not a filler
    if not said or len(said) > LONGEST:
        return None
    if UNSURE_WORDS.search(said):
        return Said.UNSURE
    if NEVER_MIND.match(said):  # 「算了 不办了」: no answer to the condition
        return None
    clauses = [c for c in CLAUSE.split(said) if c and not FILLER.fullmatch(c)] or [said]
    first = SUBJECT.sub("", clauses[0]) if clauses else ""
    if re.match(r"^(?:没错|没问题|没毛病)", first):
        return Said.YES
    if YES_ALONE.match(said):
        return Said.YES
    if ASKS_BACK.search(said) and not NO_FIRST.match(first):  # 「是不是要交钱」「有什么用」: a question back
        return None
    if NO_FIRST.match(first):
        return Said.NO
    if YES_FIRST.match(first):
        return Said.NO if NO_WORDS.search(said) and not YES_FIRST.match(clauses[0]) else Said.YES
    if NO_WORDS.search(said):
        return Said.NO
    if YES_WORDS.search(said) and len(said) <= SHORT:
        return Said.YES
    return None


LONGEST = 30  # characters: past this it is a message of its own, not an answer
SHORT = 16


def read_answer(scheme_key: str, condition_key: str, text: str) -> Said | None:
    """The answer to one condition: where the worker works, for the other-province question, by the
    provinces named (「俺是河南的 在广东东莞打工」: two provinces, yes; 「俺山西的 就在太原干」: one, no; a
    place alone is compared with the scheme's province), else in words."""
    if condition_key == "other_province" and not UNSURE_WORDS.search(text):
        named = provinces_named(text)
        scheme = by_key(scheme_key)
        if scheme is not None and scheme.province and re.search(rf"(?:不在|没在|不是在){scheme.province}", text):
            return Said.YES  # 「不在山西」: out of the province
        if re.search(r"外省|外地|出省|跨省", text) and NO_FIRST.match(text.strip()) is None:
            return Said.YES  # 「俺是山西的 在外省打工」
        if len(named) >= 2:
            return Said.YES
        if len(named) == 1 and NO_FIRST.match(text.strip()) is None:
            if HOME_SAID.search(text):  # home and work in the one province
                return Said.NO
            if scheme is not None and scheme.province:
                return Said.YES if named[0] != scheme.province else Said.NO
    return read_said(text)


def provinces_named(text: str) -> list[str]:
    """The provinces of the places a text names, in order, each once (「在广东东莞」 is one: 广东)."""
    found: list[tuple[int, str]] = []
    for name, place in _place_names():
        at = text.find(name)
        if at >= 0 and len(name) >= 2:
            found.append((at, place))
    ordered = [province for _, province in sorted(found)]
    return list(dict.fromkeys(ordered))


@cache
def _place_names() -> tuple[tuple[str, str], ...]:
    names = [(name, place.province) for name, place in load_places().items()]
    names += [(province, province) for province in provinces()]
    return tuple(sorted(set(names), key=lambda n: -len(n[0])))
