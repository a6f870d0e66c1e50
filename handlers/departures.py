"""「今年有组织去新疆摘棉花的吗」: the office's batches to come (to a place when one is named), one
batch's details, joining with a number, 「我的行程」 with a way to cancel."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar

from domain.departures import batches
from domain.departures.batches import JoinRefused
from domain.messages import Option, Reply
from handlers.base import Context, handler
from nlu.geo import province_in

MINE = (Option("我的行程", "my_departures"), Option("主菜单", "help"))


@handler
class DepartureSearchHandler:
    intents: ClassVar[tuple[str, ...]] = ("find_departure",)

    def handle(self, ctx: Context) -> Reply:
        ctx.state.flow = None
        now = datetime.now(UTC)
        paging = "offset" in ctx.payload  # 「0」: the next page of the same list
        place = ctx.payload.get("place") if paging else ctx.entity("city") or province_in(ctx.text)
        found = batches.upcoming(ctx.db, now, str(place) if place else None)
        lead = ""
        if not found and place:
            lead, found, place = f"近期没有组织去{place}的。", batches.upcoming(ctx.db, now), None
        if not found:
            return Reply(f"{lead}近期没有组织外出的批次。有了会在这里公布；想先找活可以回复「找工作」。",
                         (Option("找工作", "search_vacancy"), Option("主菜单", "help")))
        offset = int(ctx.payload.get("offset", 0))
        page = found[offset: offset + ctx.page_size]
        taken = batches.seats_taken(ctx.db, [d.id for d in page])
        options = [Option(batches.line(d, max(d.seats - taken.get(d.id, 0), 0)), "departure_detail", {"ref": d.ref})
                   for d in page]
        head = f"{lead}劳务办组织外出{len(found)}批（带队、统一乘车），回复序号看详情："
        if offset + len(page) < len(found):
            ctx.state.more = Option("看更多", "find_departure", {"offset": offset + len(page), "place": place})
            head += "\n回复0看更多"
        return Reply(head, tuple(options))


@handler
class DepartureDetailHandler:
    intents: ClassVar[tuple[str, ...]] = ("departure_detail",)

    def handle(self, ctx: Context) -> Reply:
        departure = batches.find(ctx.db, str(ctx.payload.get("ref", "")))
        if departure is None or departure.status != "open":
            return Reply("这一批已经停止报名了。", (Option("看其他批次", "find_departure"), Option("主菜单", "help")))
        seats_left = batches.left(ctx.db, departure)
        join = [Option("我要报名", "departure_join", {"ref": departure.ref})] if seats_left else []
        return Reply(batches.card(departure, seats_left), (*join, Option("看其他批次", "find_departure"),
                                                           Option("主菜单", "help")))


@handler
class DepartureJoinHandler:
    intents: ClassVar[tuple[str, ...]] = ("departure_join",)

    def handle(self, ctx: Context) -> Reply:
        departure = batches.find(ctx.db, str(ctx.payload.get("ref", "")))
        if departure is None:
            return Reply("没找到这一批。", (Option("看其他批次", "find_departure"), Option("主菜单", "help")))
        try:
            joined = batches.join(ctx.db, ctx.worker_id, departure, ctx.origin, datetime.now(UTC))
        except JoinRefused as why:
            return Reply(f"{why}。", (Option("看其他批次", "find_departure"), Option("主菜单", "help")))
        meet = f"{batches.when(departure.departs_at)}在{departure.meeting_point}集合"
        if not joined.created:
            return Reply(f"您已经报过这一批了，报名号{joined.signup.number}。{meet}。", MINE)
        return Reply(f"报名成功！报名号{joined.signup.number}。{meet}，出发前一天会提醒您点名。"
                     f"回复「我的行程」可查看或取消。", MINE)


@handler
class MyDeparturesHandler:
    intents: ClassVar[tuple[str, ...]] = ("my_departures",)

    def handle(self, ctx: Context) -> Reply:
        rows = batches.mine(ctx.db, ctx.worker_id)
        if not rows:
            return Reply("您还没有报名组织外出。", (Option("看近期批次", "find_departure"), Option("主菜单", "help")))
        cancellable = [Option(f"不去了，取消{s.number}", "departure_cancel", {"number": s.number})
                       for s, _ in rows if s.status == "joined"]
        return Reply("您的行程：\n" + "\n".join(batches.status_line(s, d) for s, d in rows),
                     (*cancellable[:3], Option("看近期批次", "find_departure"), Option("主菜单", "help")))


@handler
class DepartureCancelHandler:
    intents: ClassVar[tuple[str, ...]] = ("departure_cancel",)

    def handle(self, ctx: Context) -> Reply:
        signup = batches.cancel(ctx.db, ctx.worker_id, str(ctx.payload.get("number", "")))
        if signup is None:
            return Reply("这个报名已经不能取消了，有事请打带队电话。", MINE)
        return Reply(f"已取消{signup.number}，位置会让给别人。", (Option("看近期批次", "find_departure"),
                                                          Option("主菜单", "help")))
