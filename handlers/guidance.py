"""First answers for policy, complaints, wage arrears, status and handoff.

Short, correct guidance with the legal source, until the knowledge base and the intake forms
(later work) replace them. Facts: ../shared/PROTOCOLS.md.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import ClassVar

from sqlalchemy import select

from bot.messages import Option, Reply
from bot.storage.models import Case
from handlers.base import Context, handler
from handlers.menu import menu_reply

TO_PERSON = Option("转人工", "human_agent")
HOME = Option("主菜单", "help")
FIRST_RESPONSE = timedelta(hours=24)


@handler
class WageArrearsHandler:
    intents: ClassVar[tuple[str, ...]] = ("report_wage_arrears",)

    def handle(self, ctx: Context) -> Reply:
        amount = next((e for e in ctx.nlu.entities if e.name == "amount"), None)
        if amount is None:
            heard = "您反映的情况已记下。"
        else:
            heard = f"记下了：欠款{amount.value}元{'以上' if amount.approximate else ''}（按「{amount.text}」理解）。"
        return Reply(
            f"{heard}讨薪先做三件事：\n"
            "一、留好考勤、工资条、聊天记录、转账截图；\n"
            "二、到干活所在地的劳动保障监察投诉或打12333；\n"
            "三、农民工讨薪申请法律援助不查经济困难（《法律援助法》第四十二条），电话12348。",
            (TO_PERSON, Option("投诉举报", "file_complaint"), HOME),
        )


@handler
class ComplaintHandler:
    intents: ClassVar[tuple[str, ...]] = ("file_complaint",)

    def handle(self, ctx: Context) -> Reply:
        return Reply(
            "您反映的情况已记下。中介收押金、扣身份证都是违法的"
            "（《就业促进法》第四十一条、《劳动合同法》第九条）。可打12333举报。",
            (TO_PERSON, Option("欠薪求助", "report_wage_arrears"), HOME),
        )


@handler
class StatusHandler:
    intents: ClassVar[tuple[str, ...]] = ("check_status",)

    def handle(self, ctx: Context) -> Reply:
        number = ctx.entity("case_id")
        stmt = select(Case).where(Case.worker_id == ctx.worker_id)
        if number:
            stmt = stmt.where(Case.number == str(number).upper())
        case = ctx.db.scalar(stmt.order_by(Case.created_at.desc()).limit(1))
        if case is None:
            return menu_reply("没有查到您的记录。请回复数字：")
        return Reply(f"{case.number}：{STATUS_TEXT.get(case.status, case.status)}。", (TO_PERSON, HOME))


STATUS_TEXT = {"new": "已收到，等工作人员处理", "accepted": "已受理", "referred": "已转交有关部门",
               "resolved": "已办结", "closed": "已关闭"}


@handler
class HandoffHandler:
    intents: ClassVar[tuple[str, ...]] = ("human_agent",)

    def handle(self, ctx: Context) -> Reply:
        now = datetime.now(UTC)
        case = ctx.db.scalar(
            select(Case).where(Case.worker_id == ctx.worker_id, Case.kind == "handoff", Case.status == "new")
        )
        if case is None:
            case = Case(number=f"tmp-{uuid.uuid4().hex[:24]}", kind="handoff", status="new", worker_id=ctx.worker_id,
                        channel=ctx.origin, summary=ctx.text, first_response_due=now + FIRST_RESPONSE)
            ctx.db.add(case)
            ctx.db.flush()
            case.number = f"RG{now:%Y%m%d}{case.id:04d}"
        return Reply(
            f"已转给工作人员（编号{case.number}），24小时内在这里回复您。着急可打12333。",
            (HOME,),
        )
