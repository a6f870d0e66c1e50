"""Greeting, help, the numbered main menu, small talk, and the polite fallback."""

from __future__ import annotations

from typing import ClassVar

from domain.messages import Option, Reply
from handlers.base import Context, handler

MAIN_MENU: tuple[Option, ...] = (
    Option("找工作", "search_vacancy"),
    Option("政策咨询", "ask_policy"),
    Option("投诉举报", "file_complaint"),
    Option("欠薪求助", "report_wage_arrears"),
    Option("查询进度", "check_status"),
    Option("转人工", "human_agent"),
)


def menu_reply(text: str) -> Reply:
    return Reply(text, MAIN_MENU)


@handler
class GreetHandler:
    intents: ClassVar[tuple[str, ...]] = ("greet", "help")

    def handle(self, ctx: Context) -> Reply:
        ctx.state.flow = None
        return menu_reply("您好，我是工友助手。请回复数字：")


class FallbackHandler:
    """Anything not understood (nlu_fallback, out_of_scope, unknown intents)."""

    intents: ClassVar[tuple[str, ...]] = ("nlu_fallback", "out_of_scope")

    def handle(self, ctx: Context) -> Reply:
        return menu_reply("抱歉，没看懂您的意思。请回复数字，或直接说要办的事：")


@handler
class SmallTalkHandler:
    intents: ClassVar[tuple[str, ...]] = ("thank", "goodbye", "affirm", "deny")

    def handle(self, ctx: Context) -> Reply:
        if ctx.nlu.intent in ("thank", "goodbye"):
            ctx.state.flow = None
            return Reply("不客气，有事随时发消息。回复「菜单」看能办的事。")
        return menu_reply("好的。请回复数字选择要办的事：")


@handler
class CancelHandler:
    intents: ClassVar[tuple[str, ...]] = ("cancel",)

    def handle(self, ctx: Context) -> Reply:
        ctx.state.flow = None
        ctx.state.forget()
        return menu_reply("已取消。还需要什么帮助？")


@handler
class NoMoreHandler:
    """「0」 when there is nothing more to show."""

    intents: ClassVar[tuple[str, ...]] = ("no_more",)

    def handle(self, ctx: Context) -> Reply:
        return menu_reply("没有更多了。请回复数字：")


@handler
class RepeatOptionsHandler:
    """A digit that is not on offer: say so; the pipeline offers the same options again."""

    intents: ClassVar[tuple[str, ...]] = ("repeat_options",)

    def handle(self, ctx: Context) -> Reply:
        count = int(ctx.payload.get("count", len(MAIN_MENU)))
        if count <= 1:
            return Reply("没有这个选项。回复1，或回复「菜单」看全部：", MAIN_MENU)
        return Reply(f"没有这个选项，请回复1到{count}的数字，或回复「菜单」：", MAIN_MENU)


@handler
class NextPageHandler:
    """「0」 after a reply that was too long for the channel: the next page."""

    intents: ClassVar[tuple[str, ...]] = ("next_page",)

    def handle(self, ctx: Context) -> Reply:
        state = ctx.state
        if not state.pages:
            return menu_reply("没有更多了。请回复数字：")
        page = state.pages.pop(0)
        if state.pages:
            state.more = Option("下一页", "next_page")
        else:  # the last page: 「0」 means again what it meant before the long reply
            state.more, state.more_after_pages = state.more_after_pages, None
        return page
