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

    @property
    def headline(self) -> str:
        return f"{self.name}（{self.region}，{self.source}）：{self.amount}。"


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
        documents=tuple(r["documents"]), where=r["where"], courses=bool(r.get("courses"))) for r in rows)


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


# An answer in words to a yes-or-no question (a digit picks the option): a few words, nothing else.
_TAIL = r"[了啊呀的呢哈嘛吧啦。.!！~\s]*"
_WORDS: tuple[tuple[Said, re.Pattern[str]], ...] = (
    (Said.UNSURE, re.compile(r"^(?:不(?:太)?(?:清楚|知道|晓得|确定|记得)|不懂|说不准|说不清|搞不清|不记得|忘了|"
                             r"唔知|唔清楚|可能吧?|好像是?|应该是吧|大概是?吧?|也许)" + _TAIL + "$")),
    (Said.NO, re.compile(r"^(?:不是|不是的|不是啊|否|没有|没|没交|没参加|不是贫困户|不在|在省内|省内|本省|就在本省|"
                         r"没出省|不是外省|在老家|冇|唔系|唔係|不)" + _TAIL + "$")),
    (Said.YES, re.compile(r"^(?:是|是的|是啊|对|对的|嗯|嗯嗯|有|有的|交了|交着呢|在交|一直在交|自己交的?|"
                          r"是贫困户|贫困户|建档立卡(?:户|的)?|我是|外省|出省了?|在外省|跨省|是外省|在|系|係|对头|"
                          r"没错|当然)" + _TAIL + "$")),
)
SHORT = 12


def read_said(text: str) -> Said | None:
    """「是贫困户」→ yes, 「不太清楚」→ not sure, 「在省内」→ no; None for anything longer or else."""
    said = text.strip()
    if len(said) > SHORT:
        return None
    return next((key for key, words in _WORDS if words.match(said)), None)
