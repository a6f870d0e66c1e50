"""Vacancy lookup: jobs by city and trade from the database, paged, a digit for the full entry."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from bot import vacancies
from bot.messages import Option, Reply
from bot.storage.models import Worker
from bot.vacancies import VacancyQuery
from handlers.base import Context, handler
from handlers.menu import menu_reply

ASK = "您想在哪个城市、做什么工？直接回复，比如「苏州 普工」「深圳 日结」。"


def _where(q: VacancyQuery) -> str:
    parts = [p for p in (q.city, q.job_type, "日结" if q.daily else None) if p]
    return "·".join(parts) if parts else "全部"


@handler
class VacancySearchHandler:
    intents: ClassVar[tuple[str, ...]] = ("search_vacancy",)

    def handle(self, ctx: Context) -> Reply:
        city, job_type = ctx.entity("city"), ctx.entity("job_type")
        home = None
        if not city and (job_type or "daily" in ctx.payload) and "city" not in ctx.payload:
            worker = ctx.db.get(Worker, ctx.worker_id)
            home = city = worker.city if worker else None  # the city they shared or told us
        min_pay = ctx.entity("salary")
        q = VacancyQuery.from_text(ctx.text, city, job_type, int(min_pay) if min_pay else None)
        if "daily" in ctx.payload:
            q = VacancyQuery(q.city, q.job_type, q.min_pay, bool(ctx.payload["daily"]), q.industries)
        if not (q.city or q.job_type or q.daily):
            ctx.state.flow = "search_vacancy"
            return Reply(ASK)
        ctx.state.flow = None
        offset = int(ctx.payload.get("offset", 0))
        today = date.today()
        found, total = vacancies.search(ctx.db, q, today, offset, ctx.page_size)
        note = ""
        if total == 0 and home:  # nothing where they are: look everywhere
            note = f"{home}暂时没有，看看其他城市的：\n"
            q = VacancyQuery(None, q.job_type, q.min_pay, q.daily, q.industries)
            found, total = vacancies.search(ctx.db, q, today, 0, ctx.page_size)
        elif total == 0 and q.city and q.job_type:  # widen: same city, any trade
            note = f"{q.city}暂时没有{q.job_type}岗位，先看看{q.city}的其他岗位：\n"
            q = VacancyQuery(city=q.city, daily=q.daily)
            found, total = vacancies.search(ctx.db, q, today, 0, ctx.page_size)
        if total == 0:
            return Reply(
                f"暂时没有{_where(q)}的岗位。换个城市或工种试试，比如「东莞 普工」。",
                (Option("换个条件再找", "search_vacancy"), Option("主菜单", "help")),
            )
        end = offset + len(found)
        span = f"（第{offset + 1}-{end}个）" if total > len(found) else ""
        head = f"{note}{_where(q)} 共{total}个岗位{span}，回复序号看详情："
        options = tuple(Option(vacancies.summary_line(v), "vacancy_detail", {"ref": v.ref}) for v in found)
        tail = ""
        if end < total:
            ctx.state.more = Option(
                "看更多", "search_vacancy",
                {"city": q.city, "job_type": q.job_type, "daily": q.daily, "offset": end},
            )
            tail = "\n回复0看更多"
        return Reply(head + tail, options)


@handler
class VacancyDetailHandler:
    intents: ClassVar[tuple[str, ...]] = ("vacancy_detail",)

    def handle(self, ctx: Context) -> Reply:
        vacancy = vacancies.find_open(ctx.db, str(ctx.payload.get("ref", "")), date.today())
        if vacancy is None:
            return menu_reply("这个岗位已招满或过期了。请回复数字：")
        return Reply(
            vacancies.detail_text(vacancy),
            (
                Option("找同类岗位", "search_vacancy", {"city": vacancy.city, "job_type": vacancy.job_type}),
                Option("换个条件找", "search_vacancy"),
                Option("主菜单", "help"),
            ),
        )
