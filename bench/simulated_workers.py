"""Simulated workers: a worker with facts to report, answering each question the bot asks in their own
words, in a style of their own (plain, Traditional characters, a voice transcript without
punctuation), now and then correcting themselves or sending a photo.

Pools: bench/data/simulated_workers.yml (written by a helper who saw neither the bot's parsers nor its
training data; its failures have since been read and fixed: a dev set) and
bench/data/simulated_workers_blind.yml (written the same way by another helper; only its figures are
read).

``play`` runs one dialogue against anything with a ``say(message) -> reply`` and returns what
happened: whether the form was filed, in how many turns, any question asked three times (a loop),
any hand-off to staff the worker did not ask for, and whether the summary shows what the worker meant.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

POOLS = Path(__file__).resolve().parent / "data" / "simulated_workers.yml"
MAX_TURNS = 30
# What the bot asks, recognised by its words; the first match wins (a filed case's reply names no slot).
ASKED: tuple[tuple[str, str], ...] = (
    ("filed", "已提交。编号"),
    ("cancelled", "已取消，这次登记没有提交"),
    ("handoff", "已转给工作人员"),
    ("stuck", "还是没看明白"),
    ("confirm_start", "您是要登记"),
    ("summary", "请核对"),
    ("edit", "改哪一项"),
    ("employer", "欠钱的老板或公司叫什么"),
    ("site", "在哪干的活"),
    ("months_amount", "欠了几个月的工资、一共欠多少钱"),
    ("months", "欠了几个月"),
    ("amount", "一共欠多少钱"),
    ("people", "几个人被欠"),
    ("evidence", "有这些材料吗"),
    ("phone", "留个手机号"),
    ("consent", "同意把您的电话告诉处理部门"),
    ("category", "您要反映什么问题"),
    ("employer", "中介或单位叫什么名字"),
    ("story", "发生了什么"),
    ("when", "什么时候的事"),
)
STYLES = ("plain", "plain", "traditional", "voice")
FILLERS = ("那个", "嗯", "就是", "呃")
BOTH_AT_ONCE = 0.5  # asked 「欠了几个月、一共欠多少钱」, a worker says both about half the time (a guess)


@dataclass
class Outcome:
    kind: str  # wage_arrears | complaint
    style: str
    filed: bool = False
    turns: int = 0
    loops: int = 0  # a question asked a third time in a row
    misread: Counter[str] = field(default_factory=Counter)  # questions asked again right after an answer
    misread_answers: list[tuple[str, str]] = field(default_factory=list)  # (question, the answer not understood)
    handoffs: int = 0  # hand-offs the worker did not ask for
    stuck: int = 0  # 「还是没看明白」 offered skip / person / cancel
    summary_right: bool | None = None  # the summary shows the amount, months and people meant
    transcript: list[tuple[str, str]] = field(default_factory=list)
    ended_on: str = ""


_pool_file = [POOLS]


def use_pools(path: Path) -> None:
    """Answer from another pool file (bench/data/simulated_workers_blind.yml: the blind measurement)."""
    _pool_file[0] = path
    pools.cache_clear()


@lru_cache(maxsize=1)
def pools() -> dict[str, Any]:
    return dict(yaml.safe_load(_pool_file[0].read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def _to_traditional() -> Callable[[str], str]:
    import opencc  # type: ignore[import-untyped]

    return opencc.OpenCC("s2t").convert  # type: ignore[no-any-return]


def styled(text: str, style: str, rng: random.Random) -> str:
    """The answer as this worker writes it."""
    if style == "traditional":
        return _to_traditional()(text)
    if style == "voice":  # a voice transcript: no punctuation, a filler word
        bare = re.sub(r"[，。,!！?？、；;：:]|\.(?!\d)", " ", text).strip()  # not the point of 「1.5万」
        return f"{rng.choice(FILLERS)} {bare}" if rng.random() < 0.5 and not re.fullmatch(r"[\d\s+-]+", bare) else bare
    return text


def asked(reply: str) -> str:
    return next((name for name, words in ASKED if words in reply), "other")


class Worker:
    """One simulated worker: what they will say to each question, chosen once from the pools."""

    def __init__(self, kind: str, seed: int) -> None:
        self.kind = kind
        self.rng = random.Random(seed)
        p = pools()
        a = p["answers"]
        self.style = self.rng.choice(STYLES)
        self.opening = self.rng.choice(p["wage_openings"] if kind == "wage_arrears" else p["complaint_openings"])
        self.said: dict[str, Any] = {name: self.rng.choice(a[name]) for name in a if a[name]}
        self.corrects = self.rng.random() < 0.15  # sends one correction after answering a question
        self.sends_photo = self.rng.random() < 0.1  # answers the evidence question with a photo

    def answer(self, slot: str, attempt: int = 1, reply: str = "") -> str:
        """What the worker says to the question; asked again after 「没看明白」, they put it another
        way: another phrasing that means the same, or the number offered."""
        if slot == "months_amount":  # two questions in one: the months, and the money too or not
            months = self.answer("months", attempt, reply)
            return f"{months} {self.answer('amount', attempt, reply)}" if self.rng.random() < BOTH_AT_ONCE else months
        if attempt > 1 and slot in self.said:
            return styled(self._rephrased(slot, reply), self.style, self.rng)
        chosen = self.said.get(slot)
        if slot == "confirm_start":
            return self.rng.choice(("是的", "对 登记", "1"))
        if slot == "summary":
            chosen = self.said.get("confirm")
        if slot == "stuck":
            return "1"  # skip this one
        if slot == "edit":
            return "3"
        if chosen is None:
            return "不知道"
        text = str(chosen["say"]) if isinstance(chosen, dict) else str(chosen)
        return styled(text, self.style, self.rng)

    def _rephrased(self, slot: str, reply: str) -> str:
        chosen = self.said[slot]
        if not isinstance(chosen, dict):
            others = [x for x in pools()["answers"].get(slot, []) if x != chosen and isinstance(x, str)]
            return "不知道" if slot in ("employer", "when") or not others else self.rng.choice(others)
        meaning = {k: v for k, v in chosen.items() if k != "say"}
        if slot == "category":  # the digit in front of the label offered
            label = str(meaning.get("category", ""))
            found = re.search(rf"^(\d) {re.escape(label)}$", reply, re.M)
            return found.group(1) if found else label
        if slot == "evidence":
            return "".join(str(n) for n in meaning.get("picks", [])) or "4"
        if slot == "consent":
            return "1" if meaning.get("agree") else "2"
        if slot == "phone":
            return "匿名" if meaning.get("anonymous") else str(meaning.get("number") or chosen["say"])
        for key in ("months", "people", "amount", "per_person"):
            if key in meaning:
                unit = {"months": "个月", "people": "个人", "amount": "元", "per_person": "元一个人"}[key]
                return f"{meaning[key]}{unit}"
        return str(chosen["say"])

    def meant(self, answered: set[str]) -> dict[str, int]:
        """The figures the summary should show for the questions the worker answered from their facts
        (amount as a total, per person times the head count when they gave that too); what an opening
        message already said is not checked."""
        out: dict[str, int] = {}
        months, amount, people = (self.said.get(k) if k in answered else None for k in ("months", "amount", "people"))
        if isinstance(months, dict) and "months" in months:
            out["months"] = int(months["months"])
        if isinstance(people, dict) and "people" in people:
            out["people"] = int(people["people"])
        if isinstance(amount, dict):
            if "amount" in amount:
                out["amount"] = int(amount["amount"])
            elif "per_person" in amount and "people" in out:
                out["amount"] = int(amount["per_person"]) * out["people"]
        return out


def play(worker: Worker, say: Callable[[str], str], photo: Callable[[], str] | None = None) -> Outcome:
    """One dialogue, from the opening report to the filed case (or until it breaks)."""
    out = Outcome(worker.kind, worker.style)
    seen: Counter[str] = Counter()
    reply = say(styled(worker.opening, worker.style, worker.rng))
    out.transcript.append((worker.opening, reply))
    out.turns = 1
    corrected = False
    answered: set[str] = set()
    previous, in_a_row = "", 0
    while out.turns < MAX_TURNS:
        slot = asked(reply)
        in_a_row = in_a_row + 1 if slot == previous else 1
        if previous and slot in (previous, "stuck"):
            out.misread[previous] += 1
            out.misread_answers.append((previous, out.transcript[-1][0]))
        previous = slot
        if slot in ("filed", "cancelled", "handoff"):
            out.filed = slot == "filed"
            out.handoffs += slot == "handoff"
            out.ended_on = slot
            return out
        seen[slot] += 1
        if in_a_row == 3 and slot != "other":
            out.loops += 1
        out.stuck += slot == "stuck"
        if slot == "summary" and out.summary_right is None:
            out.summary_right = _summary_right(reply, worker.meant(answered))
        if slot == "other":
            message = "登记欠薪" if worker.kind == "wage_arrears" else "我要投诉"
        elif slot == "evidence" and worker.sends_photo and photo is not None:
            reply = photo()
            out.transcript.append(("[照片]", reply))
            out.turns += 1
            continue
        else:
            message = worker.answer(slot, seen[slot], reply)
            answered.update(("months", "amount") if slot == "months_amount" else (slot,))
        reply = say(message)
        out.transcript.append((message, reply))
        out.turns += 1
        if worker.corrects and not corrected and slot in ("site", "employer") and asked(reply) != slot:
            corrected = True  # a place or a name put right (a changed amount would change what is meant)
            fixes = [c for c in pools()["answers"]["corrections"] if c.get("field") == slot]  # the answer just given
            if not fixes:
                continue
            fix = worker.rng.choice(fixes)
            reply = say(styled(str(fix["say"]), worker.style, worker.rng))
            out.transcript.append((str(fix["say"]), reply))
            out.turns += 1
    out.ended_on = "too many turns"
    return out


def _summary_right(summary: str, meant: dict[str, int]) -> bool:
    """The amount, months and head count in the summary are the ones the worker meant."""
    lines = {label: value for label, value in re.findall(r"^([^：\n]+)：(.*)$", summary, re.M)}
    checks = {"amount": "欠多少钱", "months": "欠了几个月", "people": "被欠人数"}
    for key, label in checks.items():
        if key not in meant or label not in lines:
            continue
        shown = [int(n) for n in re.findall(r"\d+", lines[label].replace(",", ""))]
        if meant[key] not in shown:
            return False
    return True
