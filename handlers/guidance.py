"""Case status (查询进度) and the hand-off to a person (转人工).

Complaint and wage-arrears intake live in handlers/intake/.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import ClassVar

from domain.cases import handoff
from domain.cases import lifecycle as cases
from domain.messages import Option, Reply
from domain.storage.models import Worker
from domain.subsidies import applications
from handlers.base import Context, handler
from handlers.menu import menu_reply

TO_PERSON = Option("转人工", "human_agent")
# Words that ask for a person, narrowly: only these let the model's 「human_agent」 leave an open form
# (「就我一个人」 answers 「几个人被欠？」, it does not ask for one).
ASKS_FOR_A_PERSON = re.compile(r"人工|工作人员|客服|真人|转人|找人帮|有人吗|跟人说|派人")
# And broadly, outside a form. The model's 「human_agent」 without them (「你是机器人吗」, 「在城里有没有给打工
# 的人帮忙的地方」) is asked about first: a hand-off silences the bot until staff release the conversation.
WANTS_A_PERSON = re.compile(r"人工|工作人员|客服|真人|转人|找人|找个人|换个人|叫个人|有人吗|人呢|[跟和]人[说讲聊]|"
                            r"派人|律师|领导|管事的|打电话给我|给我打电话|回个电话|打个电话|当面|视频")
CONFIRM_HANDOFF = "要我转给工作人员吗？转过去以后由工作人员在这里回复您（工作时间内）。"
HOME = Option("主菜单", "help")
NOTHING = "没有查到您的登记。可以回复数字办理："


@handler
class StatusHandler:
    """The worker's own cases; a case number that is someone else's finds nothing, like a wrong one."""

    intents: ClassVar[tuple[str, ...]] = ("check_status",)

    def handle(self, ctx: Context) -> Reply:
        number = ctx.entity("case_id")
        found = cases.worker_cases(ctx.db, ctx.worker_id, str(number) if number else None)
        # 「查一下我的申请进度」: a subsidy application is the worker's too (not when a case number was given)
        applied = [] if number else [r for r in applications.mine(ctx.db, ctx.worker_id) if r.status != "draft"]
        if not found and not applied:
            return menu_reply(NOTHING)
        lines = [cases.status_line(c) for c in found] + [applications.status_line(r) for r in applied[:3]]
        return Reply("\n".join(lines), (TO_PERSON, HOME))


@handler
class HandoffHandler:
    intents: ClassVar[tuple[str, ...]] = ("human_agent",)

    def handle(self, ctx: Context) -> Reply:
        if ctx.nlu.source == "rasa" and not WANTS_A_PERSON.search(ctx.text):
            return Reply(CONFIRM_HANDOFF, (Option("要，转人工", "human_agent", {"confirmed": True}),
                                           Option("不用，接着问", "help")))
        worker = ctx.db.get(Worker, ctx.worker_id)
        assert worker is not None
        reason = str(ctx.payload.get("reason") or "asked")
        case = handoff.hand_off(ctx.db, worker, ctx.origin, reason, ctx.text, opened_by=ctx.inbound_id)
        ctx.state.flow = None
        lead = "我没能看懂您的意思，" if reason == "misunderstood" else ""
        when = ctx.office.when_text(datetime.now(UTC))
        return Reply(f"{lead}已转给工作人员（编号{case.number}）。{when}，期间可以直接留言。着急可打12333。")
