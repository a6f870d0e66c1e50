"""「每月问我工资发了没」: the monthly wage check-in, turned on and off, and its answer — 「没发」 offers
the wage-arrears form with what is already known filled in."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import ClassVar

from domain import checkins
from domain.cases.vocabulary import Kind
from domain.local_time import local_today
from domain.messages import Option, Reply
from handlers.base import Context, handler

ANSWER_INTENT = "check_in_answer"
# An answer in words to 「工资发了吗」 (a digit or the exact label is an option picked), the whole message
# and nothing else: 「有人欠我工资」 or 「有活吗」 after the question is a message of its own, not 「有」.
TAIL = r"[了啊呀的呢哈嘛吧。.!！~\s]*"
WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("partly", re.compile(r"^(?:只?(?:发|给)了?(?:一部分|一半|一点|一些|点|些)|没(?:发|给)(?:全|完|够|齐)|少发了?|"
                          r"(?:发|给)了?不(?:全|够)|不够|发了?一半)" + TAIL + "$")),
    ("unpaid", re.compile(r"^(?:还?没(?:有)?(?:发|给|到账?|发工资)?|还没呢|一分(?:钱)?都?没(?:发|给|有)?|"
                          r"都?没(?:有)?发|不发|冇|冇发|没得|没收到|没到账)" + TAIL + "$")),
    ("paid", re.compile(r"^(?:发了|发啦|已经?发了?|到账了?|收到了?|拿到了?|有|有的|有了|嗯|嗯嗯|是的|发放了|给了|"
                        r"都发了|发齐了|发咗|已发)" + TAIL + "$")),
)
SHORT = 12  # characters: an answer is a few words

def offer(month: str) -> list[Option]:
    """The numbered answers to the month's question, as the question itself lists them."""
    return [Option(label, ANSWER_INTENT, {"answer": key, "month": month}) for key, label in
            checkins.ANSWER_LABEL.items()]


def read_answer(text: str) -> str | None:
    said = text.strip()
    if len(said) > SHORT:
        return None
    return next((key for key, words in WORDS if words.match(said)), None)


@handler
class CheckInOnHandler:
    intents: ClassVar[tuple[str, ...]] = ("check_in_on",)

    def handle(self, ctx: Context) -> Reply:
        row, created = checkins.subscribe(ctx.db, ctx.worker_id, local_today(datetime.now(UTC)))
        said = "好的，" if created else "已经开着了，"
        return Reply(f"{said}每月{row.day}号以后问您一次上个月工资发了没，没发的话帮您登记欠薪求助。"
                     "回复「不用问工资了」可停止。", (Option("主菜单", "help"),))


@handler
class CheckInOffHandler:
    intents: ClassVar[tuple[str, ...]] = ("check_in_off",)

    def handle(self, ctx: Context) -> Reply:
        stopped = checkins.stop(ctx.db, ctx.worker_id)
        text = "好的，不再每月问工资了。" if stopped else "您没有开每月问工资。"
        return Reply(text, (Option("主菜单", "help"),))


@handler
class CheckInAnswerHandler:
    intents: ClassVar[tuple[str, ...]] = (ANSWER_INTENT,)

    def handle(self, ctx: Context) -> Reply:
        said, month = str(ctx.payload.get("answer", "")), str(ctx.payload.get("month", ""))
        if said not in checkins.ANSWER_LABEL or not month:
            return Reply("这次询问已经过了。", (Option("主菜单", "help"),))
        checkins.answer(ctx.db, ctx.worker_id, month, said)
        m = int(month[5:])
        if said == "paid":
            return Reply(f"好的，记下了：{m}月工资已发。下个月再问您。", (Option("主菜单", "help"),))
        known = checkins.last_employer(ctx.db, ctx.worker_id)
        details = {"kind": Kind.WAGE_ARREARS, "first": f"{m}月工资{checkins.ANSWER_LABEL[said]}（每月询问时答）",
                   **known, **({"months": 1} if said == "unpaid" else {})}
        boss = f"（{known['employer']}）" if known.get("employer") else ""
        return Reply(f"记下了：{m}月工资{checkins.ANSWER_LABEL[said]}{boss}。要登记欠薪求助吗？工作人员会跟进。",
                     (Option("是，登记欠薪求助", "intake_confirmed", {"kind": Kind.WAGE_ARREARS, "details": details}),
                      Option("不用，先等等", "help")))
