"""The worker's rights over their data: what we keep and why (「隐私」), what is kept about them
(「我的信息」), and deleting it (「删除我的信息」, after a confirmation). The rules are in
``domain.privacy``; staff never need to be asked."""

from __future__ import annotations

from typing import ClassVar

from domain import privacy
from domain.cases.vocabulary import STATUS_TEXT
from domain.messages import Option, Reply
from handlers.base import Context, handler
from handlers.menu import menu_reply

FIRST_CONTACT = "（工友只为帮您办事保存您发的信息，回复「隐私」看说明。）"
CHANNELS = {"wechat": "微信", "sms": "手机"}
SHOW = Option("我的信息", "privacy_show")
DELETE = Option("删除我的信息", "privacy_delete")
HOME = Option("主菜单", "help")


@handler
class PrivacyNoticeHandler:
    intents: ClassVar[tuple[str, ...]] = ("privacy_notice",)

    def handle(self, ctx: Context) -> Reply:
        return Reply(
            "我们保存您发的消息、登记的事项和手机号（加密），只用来帮您找工作、办投诉欠薪和劳务办的培训、"
            "组织外出、每月工资询问（答复只按人数统计）；工作人员按需查看，每次查看都有记录。"
            "事项办结后保存24个月，之后匿名处理。",
            (SHOW, DELETE, HOME),
        )


@handler
class PrivacyShowHandler:
    intents: ClassVar[tuple[str, ...]] = ("privacy_show",)

    def handle(self, ctx: Context) -> Reply:
        kept = privacy.report(ctx.db, ctx.worker_id)
        lines = [f"我们存着您的：消息{kept.messages}条"
                 + (f"（从{kept.first_message:%Y-%m-%d}起）" if kept.first_message else "")]
        lines += [f"{CHANNELS.get(channel, channel)}：{masked}" for channel, masked in kept.addresses]
        lines += [f"登记{number}：{STATUS_TEXT.get(status, status)}" for number, status in kept.cases]
        if kept.alerts:
            lines.append(f"岗位提醒{kept.alerts}个")
        if kept.courses:
            lines.append(f"培训报名{kept.courses}个")
        if kept.departures:
            lines.append(f"组织外出报名{kept.departures}个")
        if kept.registered:
            lines.append("实名登记1份（姓名加密保存，回复「我的登记」查看）")
        if kept.subsidies:
            lines.append(f"补贴申请{kept.subsidies}个（姓名加密保存）")
        if kept.wage_answers or kept.check_in:
            lines.append(f"每月工资询问{'开着' if kept.check_in else '已关'}，答复{kept.wage_answers}条")
        return Reply("\n".join(lines), (DELETE, HOME))


@handler
class PrivacyDeleteHandler:
    intents: ClassVar[tuple[str, ...]] = ("privacy_delete",)

    def handle(self, ctx: Context) -> Reply:
        cases = privacy.report(ctx.db, ctx.worker_id).cases
        kept = (f"您登记的{len(cases)}件事项要依法办完，会保留但去掉您的手机号等身份信息，办结后24个月内删除；"
                if cases else "")
        return Reply(
            f"删除后，您的消息、照片、手机号、岗位提醒都会删掉，不能恢复。{kept}以后我们也联系不上您。确定删除吗？",
            (Option("确定删除", "privacy_delete_confirm"), Option("不删了", "help")),
        )


@handler
class PrivacyDeleteConfirmHandler:
    intents: ClassVar[tuple[str, ...]] = ("privacy_delete_confirm",)

    def handle(self, ctx: Context) -> Reply:
        kept = privacy.erase(ctx.db, ctx.worker_id)
        ctx.state.forget()
        ctx.state.flow = None
        note = f"登记的{kept}件事项已去掉您的身份信息，会继续办理。" if kept else ""
        return menu_reply(f"您的信息已删除。{note}以后再发消息，我们会当作新朋友。需要帮助请回复数字：")
