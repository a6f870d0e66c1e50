"""Policy Q&A from the knowledge base: the short answer, its source, numbered follow-ups.

Below a confidence threshold the bot says it is not sure and offers a person, rather than guess.
"""

from __future__ import annotations

from typing import ClassVar

from domain.messages import Option, Reply
from domain.storage.models import Worker
from handlers.base import Context, handler
from handlers.guidance import TO_PERSON
from knowledge_base import Article, KnowledgeBase
from nlu.geo import locate

MIN_SCORE = 6.0  # BM25: every right answer in tests/data/policy_questions.yml scores ≥ 7.3, unrelated questions 0–5
ASK = "请直接说您想问的，比如「工伤怎么认定」「没签合同怎么办」「仲裁要钱吗」。"
NOT_SURE = "这个问题我没把握答准，不乱说。可以转人工，或打12333（人社）、12348（法律援助）问。"
LONG_QUESTION = 40  # characters: past this a question is usually a whole story
COMPLEX = "您说的情况比较复杂，建议转人工一起看。先看一条相关规定："
NEXT_STEP = {
    "工资支付": Option("欠薪求助", "report_wage_arrears"),
    "黑中介": Option("投诉举报", "file_complaint"),
    "身份证押金": Option("投诉举报", "file_complaint"),
    "劳动合同": Option("投诉举报", "file_complaint"),
}


def article_reply(art: Article, kb: KnowledgeBase) -> Reply:
    options = [Option("详细说明", "kb_detail", {"id": art.id})]
    options += [Option(kb.by_id[r].title, "kb_article", {"id": r}) for r in art.related[:2] if r in kb.by_id]
    if art.topic in NEXT_STEP:
        options.append(NEXT_STEP[art.topic])
    options.append(TO_PERSON)
    return Reply(f"{art.short}\n{art.citation}", tuple(options))


@handler
class PolicyHandler:
    intents: ClassVar[tuple[str, ...]] = ("ask_policy",)

    def handle(self, ctx: Context) -> Reply:
        if ctx.nlu.source in ("option", "event") or len(ctx.text) < 3:  # 「2 政策咨询」 picked from the menu
            ctx.state.flow = "ask_policy"
            return Reply(ASK)
        kb = ctx.library.index()
        where = _places(ctx)
        hits = kb.search(ctx.text, topic=ctx.entity("policy_topic"), where=where)
        if not hits or hits[0][1] < MIN_SCORE:
            return Reply(NOT_SURE, (TO_PERSON, Option("主菜单", "help")))
        art = hits[0][0]
        reply = article_reply(art, kb)
        if where and not art.holds_in(where):  # another place's rule: say so, and where to ask
            reply = Reply(f"{reply.text}\n这是{art.region}的规定，{where[0]}的做法请问当地12333。", reply.options)
        if len(ctx.text) > LONG_QUESTION:  # a whole story: one article rarely answers it, a person should look
            others = tuple(o for o in reply.options if o.action != "human_agent")
            return Reply(f"{COMPLEX}\n{reply.text}", (TO_PERSON, *others))
        return reply


def _places(ctx: Context) -> tuple[str, ...]:
    """Where the worker is: the city in the message, else the one they shared; with its province."""
    city = ctx.entity("city")
    if not city:
        worker = ctx.db.get(Worker, ctx.worker_id)
        city = worker.city if worker else None
    if not city:
        return ()
    place = locate(str(city))
    return (str(city), place.province) if place else (str(city),)


@handler
class ArticleHandler:
    """「详细说明」 (the longer answer) and related articles offered as options."""

    intents: ClassVar[tuple[str, ...]] = ("kb_detail", "kb_article")

    def handle(self, ctx: Context) -> Reply:
        kb = ctx.library.index()
        art = kb.by_id.get(str(ctx.payload.get("id", "")))
        if art is None:
            return Reply(NOT_SURE, (TO_PERSON,))
        if ctx.nlu.intent == "kb_article":
            return article_reply(art, kb)
        also = f"；{art.also}" if art.also else ""
        region = "" if art.region in ("全国", "") else f"（适用于{art.region}）"
        return Reply(f"{art.body}\n{art.citation}{also}{region}", (TO_PERSON, Option("主菜单", "help")))
