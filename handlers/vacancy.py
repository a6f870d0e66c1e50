"""Vacancy lookup: jobs from the worker's words, widened step by step when nothing matches, paged,
a digit for the full entry; and alerts for new vacancies (「有新岗位通知我」/「取消订阅」)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import ClassVar

from domain.messages import Option, Reply
from domain.storage.models import Worker
from domain.vacancies import alerts
from domain.vacancies import search as vacancies
from domain.vacancies.query import WORK_DAYS_PER_MONTH, VacancyQuery, read_query, widenings
from handlers.base import Context, handler
from handlers.menu import menu_reply

ASK = "您想在哪个城市、做什么工？直接回复，比如「苏州 普工」「东莞 包吃住 5000以上」。"
ASK_ALERT = "想收到哪里、什么工的新岗位？回复比如「东莞 普工」，有新的就通知您。"
LAST_QUERY = "last_query"  # state.data key: the last search, for 「有新岗位通知我」 right after it


def _query(ctx: Context) -> tuple[VacancyQuery, str | None]:
    """The search asked for (from a picked option or the message) and the worker's home city when
    that, not their words, supplied the city. Context carries: 「有没有日结的」 after a 深圳 search
    searches 深圳; with no search yet, the city the worker shared or told us is the default."""
    if "query" in ctx.payload:
        return VacancyQuery.from_payload(dict(ctx.payload["query"])), ctx.payload.get("home")
    last = ctx.state.data.get(LAST_QUERY)
    if ctx.payload.get("refine") and last:
        return _refined(ctx, VacancyQuery.from_payload(dict(last)), str(ctx.payload["refine"])), None
    city, job_type, salary = ctx.entity("city"), ctx.entity("job_type"), ctx.entity("salary")
    q = read_query(ctx.text, city, job_type, int(salary) if salary else None)
    if "daily" in ctx.payload:
        q = replace(q, daily=bool(ctx.payload["daily"]))
    if str(ctx.payload.get("min_pay", "")).isdigit():  # 「有没有一万的」 right after a list of jobs
        q = replace(q, min_pay=int(ctx.payload["min_pay"]), pay_per_day=False)
    if "city" in ctx.payload or q.city or q.province:
        return q, None
    if last:  # a refinement of the search just made: its place and trade stay unless named anew
        before = VacancyQuery.from_payload(dict(last))
        named_pay = q.min_pay is not None  # 「有没有8000的」 after day rates: 8000 a month, not a day
        return replace(q, city=before.city, province=before.province, job_type=q.job_type or before.job_type,
                       daily=q.daily or before.daily, board_lodging=q.board_lodging or before.board_lodging,
                       min_pay=q.min_pay or before.min_pay,
                       pay_per_day=q.pay_per_day if named_pay else before.pay_per_day), None
    worker = ctx.db.get(Worker, ctx.worker_id)
    home = worker.city if worker else None  # the city they shared or told us
    return (replace(q, city=home), home) if home else (q, None)


def _refined(ctx: Context, before: VacancyQuery, refine: str) -> VacancyQuery:
    """「别的城市呢」: the same search anywhere; 「工资高点的」: the same search, the better-paid half of
    what it found (by the top of each pay range; day rates as day rates when all are)."""
    if refine == "elsewhere":
        return replace(before, city=None, province=None, cities=())
    found, _ = vacancies.search(ctx.db, before, date.today(), 0, 50)
    by_day = bool(found) and all(v.pay_unit == "day" for v in found)  # day rates compare as day rates
    tops = sorted(v.pay_max * (WORK_DAYS_PER_MONTH if v.pay_unit == "day" and not by_day else 1) for v in found)
    if not tops:
        return before
    return replace(before, min_pay=tops[len(tops) // 2], pay_per_day=by_day, cities=(), job_types=())


def _alert_option(q: VacancyQuery) -> Option:
    return Option("有新岗位通知我", "vacancy_alert_on", {"query": q.to_payload()})


@handler
class VacancySearchHandler:
    intents: ClassVar[tuple[str, ...]] = ("search_vacancy",)

    def handle(self, ctx: Context) -> Reply:
        q, home = _query(ctx)
        if not q.has_criteria and not ctx.payload.get("refine"):  # 「别的地方呢」 after 包吃住: anywhere
            ctx.state.flow = "search_vacancy"
            return Reply(ASK)
        ctx.state.flow = None
        ctx.state.data[LAST_QUERY] = q.to_payload()
        offset = int(ctx.payload.get("offset", 0))
        today = date.today()
        note = str(ctx.payload.get("note", ""))
        found, total = vacancies.search(ctx.db, q, today, offset, ctx.page_size)
        asked = q
        if total == 0 and offset == 0:
            for step in widenings(q, home):
                found, total = vacancies.search(ctx.db, step.query, today, 0, ctx.page_size)
                if total:
                    q, note = step.query, step.note + "\n" if step.note else ""
                    break
        if total == 0:
            return Reply(
                f"暂时没有{asked.label()}的岗位。可以换个城市或工种，或者有新岗位时通知您：",
                (_alert_option(asked), Option("换个条件再找", "search_vacancy"), Option("主菜单", "help")),
            )
        end = offset + len(found)
        span = f"（第{offset + 1}-{end}个）" if total > len(found) else ""
        head = f"{note or q.label() + ' '}共{total}个岗位{span}，回复序号看详情："
        options = [Option(vacancies.summary_line(v), "vacancy_detail", {"ref": v.ref}) for v in found]
        tail = ""
        if end < total:
            ctx.state.more = Option("看更多", "search_vacancy",
                                    {"query": q.to_payload(), "offset": end, "note": note})
            tail = "\n回复0看更多"
        if end >= total or offset == 0:
            options.append(_alert_option(asked))
        return Reply(head + tail, tuple(options))


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


@handler
class VacancyAlertOnHandler:
    """「有新岗位通知我」: save the search named in the message, else the one just made."""

    intents: ClassVar[tuple[str, ...]] = ("vacancy_alert_on",)

    def handle(self, ctx: Context) -> Reply:
        q, _ = _query(ctx)
        if not q.has_criteria and ctx.state.data.get(LAST_QUERY):
            q = VacancyQuery.from_payload(dict(ctx.state.data[LAST_QUERY]))
        q = replace(q, cities=(), job_types=())  # the search as asked, not as widened
        if not q.has_criteria:
            ctx.state.flow = "vacancy_alert_on"
            return Reply(ASK_ALERT)
        ctx.state.flow = None
        alert, created = alerts.subscribe(ctx.db, ctx.worker_id, q)
        said = "好的，" if created else "已经订阅过了，"
        return Reply(
            f"{said}有新的{alert.label}岗位会发消息通知您，每天最多1条。回复「取消订阅」可停止。",
            (Option("看现在的岗位", "search_vacancy", {"query": q.to_payload()}), Option("主菜单", "help")),
        )


@handler
class VacancyAlertOffHandler:
    intents: ClassVar[tuple[str, ...]] = ("vacancy_alert_off",)

    def handle(self, ctx: Context) -> Reply:
        stopped = alerts.cancel_all(ctx.db, ctx.worker_id)
        if not stopped:
            return menu_reply("您没有订阅岗位通知。请回复数字：")
        return menu_reply(f"已取消{'、'.join(stopped)}的岗位通知，不会再发了。请回复数字：")
