"""「想学电焊」: the office's courses to come (by trade and kind), a course's details, signing up with
a number, 「我的培训」 with each sign-up's and certificate's status, and cancelling a place."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import ClassVar

from domain.local_time import local_today
from domain.messages import Option, Reply
from domain.training import catalogue, signups
from domain.training.signups import SignupRefused
from handlers.base import Context, handler

KIND_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("startup", re.compile(r"创业|开店|做生意|SYB", re.I)),
    ("order", re.compile(r"订单")),
    ("guidance", re.compile(r"岗前|引导|出门前|外出前")),
)
MORE_OPTIONS = (Option("我的培训", "my_courses"), Option("主菜单", "help"))


def _kind(text: str) -> str | None:
    return next((kind for kind, words in KIND_WORDS if words.search(text)), None)


@handler
class CourseSearchHandler:
    intents: ClassVar[tuple[str, ...]] = ("find_course",)

    def handle(self, ctx: Context) -> Reply:
        trade = ctx.payload.get("trade", ctx.entity("job_type") if "offset" not in ctx.payload else None)
        kind = ctx.payload.get("kind", _kind(ctx.text) if "offset" not in ctx.payload else None)
        today = local_today(datetime.now(UTC))
        found = catalogue.upcoming(ctx.db, today, trade, kind)
        lead = ""
        if not found and (trade or kind):
            wanted = trade or catalogue.KIND_LABEL.get(str(kind), "")
            lead = f"近期没有{wanted}的培训班。"
            trade = kind = None
            found = catalogue.upcoming(ctx.db, today)
        ctx.state.flow = None
        if not found:
            return Reply(f"{lead}近期没有在招的培训班。新班开报会在这里公布，也可以转工作人员问。",
                         (Option("转人工", "human_agent", {"confirmed": True}), Option("主菜单", "help")))
        offset = int(ctx.payload.get("offset", 0))
        page = found[offset: offset + ctx.page_size]
        seats = catalogue.seats_taken(ctx.db, [c.id for c in page])
        end = offset + len(page)
        span = f"（第{offset + 1}-{end}个）" if len(found) > len(page) else ""
        head = f"{lead}近期{'在招' if lead or not trade else trade + '的'}培训班{len(found)}个{span}，回复序号看详情："
        options = [Option(catalogue.line(c, max(c.seats - seats.get(c.id, 0), 0)), "course_detail", {"ref": c.ref})
                   for c in page]
        if end < len(found):
            ctx.state.more = Option("看更多", "find_course", {"offset": end, "trade": trade, "kind": kind})
            head += "\n回复0看更多"
        return Reply(head, tuple(options))


@handler
class CourseDetailHandler:
    intents: ClassVar[tuple[str, ...]] = ("course_detail",)

    def handle(self, ctx: Context) -> Reply:
        course = catalogue.find(ctx.db, str(ctx.payload.get("ref", "")))
        if course is None or course.status != "open":
            return Reply("这个班已经停止报名了。", (Option("看其他培训", "find_course"), Option("主菜单", "help")))
        seats_left = catalogue.left(ctx.db, course)
        options = [Option("我要报名", "course_signup", {"ref": course.ref})] if seats_left else []
        return Reply(catalogue.card(course, seats_left), (*options, Option("看其他培训", "find_course"),
                                                          Option("主菜单", "help")))


@handler
class CourseSignupHandler:
    intents: ClassVar[tuple[str, ...]] = ("course_signup",)

    def handle(self, ctx: Context) -> Reply:
        course = catalogue.find(ctx.db, str(ctx.payload.get("ref", "")))
        if course is None:
            return Reply("没找到这个班。", (Option("看其他培训", "find_course"), Option("主菜单", "help")))
        try:
            signed = signups.sign_up(ctx.db, ctx.worker_id, course, ctx.origin, local_today(datetime.now(UTC)))
        except SignupRefused as why:
            return Reply(f"{why}。", (Option("看其他培训", "find_course"), Option("主菜单", "help")))
        number = signed.signup.number
        day = f"{course.starts_on.month}月{course.starts_on.day}日{course.start_time}"
        when = f"{day}在{course.county}{course.venue}开班"
        if not signed.created:
            return Reply(f"您已经报过这个班了，报名号{number}。{when}。", MORE_OPTIONS)
        return Reply(f"报名成功！报名号{number}。{when}，开班前一天会提醒您，请带身份证。"
                     f"回复「我的培训」可查看或取消。", MORE_OPTIONS)


@handler
class MyCoursesHandler:
    intents: ClassVar[tuple[str, ...]] = ("my_courses",)

    def handle(self, ctx: Context) -> Reply:
        rows = signups.mine(ctx.db, ctx.worker_id)
        if not rows:
            return Reply("您还没有报名培训。", (Option("看近期培训班", "find_course"), Option("主菜单", "help")))
        lines = [signups.status_line(signup, course) for signup, course in rows]
        cancellable = [Option(f"取消报名{s.number}", "course_cancel", {"number": s.number})
                       for s, _ in rows if s.status == "signed_up"]
        return Reply("您的培训：\n" + "\n".join(lines), (*cancellable[:3], Option("看近期培训班", "find_course"),
                                                        Option("主菜单", "help")))


@handler
class CourseCancelHandler:
    intents: ClassVar[tuple[str, ...]] = ("course_cancel",)

    def handle(self, ctx: Context) -> Reply:
        signup = signups.cancel(ctx.db, ctx.worker_id, str(ctx.payload.get("number", "")))
        if signup is None:
            return Reply("这个报名已经不能取消了。", MORE_OPTIONS)
        return Reply(f"已取消报名{signup.number}，名额会让给别人。", (Option("看近期培训班", "find_course"),
                                                                 Option("主菜单", "help")))
