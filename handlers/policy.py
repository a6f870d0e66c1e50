"""Policy Q&A from the knowledge base: the short answer, its source, numbered follow-ups.

Below a confidence threshold the bot says it is not sure and offers a person, rather than guess.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import ClassVar

from domain import labour_math
from domain.messages import Option, Reply
from domain.storage.models import Worker
from domain.subsidies.schemes import for_article as subsidy_for_article
from handlers.base import Context, handler
from handlers.guidance import TO_PERSON
from handlers.menu import MAIN_MENU
from knowledge_base import Article, KnowledgeBase
from knowledge_base.store import PICK_SLACK, Hit
from nlu.geo import locate

LAST_QUESTION = "last_question"  # state.data: the question last answered from the law
FOLLOW_UP_OF = "follow_up_of"  # payload: that question, when the message follows it up
LAST_ARTICLE = "last_article"  # state.data: the article that answered it
ASK = "请直接说您想问的，比如「工伤怎么认定」「没签合同怎么办」「仲裁要钱吗」。"
NOT_SURE = "这个问题我没把握答准，不乱说。可以转人工，或打12333（人社）、12348（法律援助）问。"
FORMS_OFFERED = frozenset({"file_complaint", "report_wage_arrears"})
# A question about one's rights (「中介可以收押金吗」「被辞退了有补偿吗」「老板不给工资咋整」), not only a report.
RIGHTS_QUESTION = re.compile(
    r"可以.{0,12}[吗么嘛]|能不能|能否|可不可以|是否|算不算|算.{0,6}[吗么嘛]|合法|违法[吗么嘛]|有没有|有补偿|有赔偿|"
    r"(?!动不动|时不时|理不理|人不人|鬼不鬼)((?!不)[\u4e00-\u9fff])不\1|"  # 签不签, 扣不扣: yes or no? (not 动不动)
    r"怎么算|咋算|怎么办|咋办|咋整|怎么弄|多少|几个月|几天|几年|多久|多长时间|要不要|该不该|给不给|赔不赔|犯法|"
    r"行不行|对不对|是不是|会不会|找谁|去哪|上哪|哪里[能可办告找申]|"
    r"正常[吗么嘛]|[吗么嘛呢][？?!！。 ]*$|[？?]\s*$|"
    r"使唔使|可唔可以|得唔得|有冇|係唔係|點算|点算")  # and in Cantonese
# Life outside work the labour law does not answer (a landlord's deposit, a credit card, a train ticket):
# no article is cited for it, however close the words, unless the message is also about work.
OFF_TOPIC = re.compile(r"房东|租房|房租|押一付|离婚|彩礼|抚养权|信用卡|网贷|花呗|借呗|驾照|驾驶证|车牌|上牌|罚单|违章|"
                       r"火车票|机票|车票|天气|下雨|快递|网购|淘宝|话费|流量|宽带|封号|账号被盗|个税|退税|签证|护照|"
                       r"彩票|算命|相亲|医院挂号|电动车上牌")
ABOUT_WORK = re.compile(r"老板|老细|工资|工钱|人工|厂|公司|单位|上班|返工|工地|工伤|工商|合同|社保|加班|辞退|开除|劳动|"
                        r"打工|干活|做嘢|中介|包工头|创业|招工|找工|务工|职工|员工")
# A job named in a story of harm (「开叉车被货砸了脚」「当保安被人打了」) is not a job search: the job is
# where it happened. Unless the worker also asks for work (「找个保安的活」「哪里招叉车工」). A wrong
# done, not a wish: 「不压工资的」「不扣押金」「死工资也行」 describe the job wanted.
HARMED = re.compile(r"受伤|伤了|伤到|烫伤|砸伤|压伤|摔伤|割伤|撞伤|打伤|"
                    r"被.{0,6}(?:伤|摔|砸|压|夹|烫|撞|捅|砍|割|打|扣|欠|辞|开除|炒|罚|骗)|摔|切到|切伤|看病|砸了|砸到|压到|夹到|烫到|撞了|捅了|砍了|割到|骨折|住院|死了|去世|生病|"
                    r"欠了|扣了|拖了|不给钱|没给钱|不发工资|没发工资|开除了|辞退了|炒了|炒鱿鱼|不要我了|赶走|罚了|罚款了")
SEEKS_WORK = re.compile(r"找|招|岗位|缺人|要人|想[去干做进学]|介绍|推荐|包吃住|日结|有没有.{0,8}(?:活|工作|厂|岗|班)|"
                        r"哪里.{0,6}(?:多|好)|工资.{0,2}(?:多少|高|怎么样)")
MAX_OPTIONS = 6
LOOKED_UP_FROM = 6  # characters: shorter messages are menu answers, greetings, places


ASIDE_MIN = 6  # characters: 「行吗」「是吗」 to a form's question is no question of its own


# Plainly a question: not 「几天」「几个月」, which answer 「什么时候的事」 (「国庆节那几天」).
ASIDE_QUESTION = re.compile(r"[吗么嘛呢？?]\s*$|怎么|咋|能不能|可不可以|可以.{0,12}[吗么嘛]|是不是|算不算|有没有|"
                            r"合法|违法|要不要|该不该|给不给|多少|多久|找谁|去哪|上哪|使唔使|可唔可以|得唔得|有冇|點算|点算")


def asks_aside(text: str) -> bool:
    """Whether a message put in the middle of a form reads as a question of its own (「一个月加班最多多少
    小时」), not an answer: the law is asked only then (and must answer it confidently)."""
    bare = text.strip()
    return len(bare) >= ASIDE_MIN and ASIDE_QUESTION.search(bare) is not None and not _off_topic(bare)


def may_be_looked_up(text: str) -> bool:
    """Whether a message will likely be looked up in the law (a question about rights, a story of a
    wrong): its meaning is then found while the NLU reads it. A wrong guess costs an embedding."""
    return len(text) >= LOOKED_UP_FROM and bool(RIGHTS_QUESTION.search(text) or HARMED.search(text))
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
    scheme = subsidy_for_article(art.id)
    if scheme is not None:  # the rule of a subsidy the office pays: whether this worker may have it
        options.insert(1, Option("看我能不能领", "subsidy_check", {"scheme": scheme.key}))
    options.append(TO_PERSON)
    return Reply(f"{art.short}\n{art.citation}", tuple(options))


@handler
class PolicyHandler:
    intents: ClassVar[tuple[str, ...]] = ("ask_policy",)

    def handle(self, ctx: Context) -> Reply:
        if ctx.nlu.source in ("option", "event") or len(ctx.text) < 3:  # 「2 政策咨询」 picked from the menu
            ctx.state.flow = "ask_policy"
            return Reply(ASK)
        before = str(ctx.payload.get(FOLLOW_UP_OF) or "")
        if before:  # 「那周末呢」 after 「加班费怎么算」: asked in the light of the question before
            ctx = replace(ctx, text=f"{before}，{ctx.text}")
        return answer(ctx, not_again=bool(before)) or not_sure(ctx)


SUGGEST = 1.40  # a best score from which, not sure, the nearest articles are offered to pick from
SUGGESTED = 2
MAYBE = "您问的是不是下面这些？回复数字看："


def not_sure(ctx: Context) -> Reply:
    """Not sure enough to answer: say so, and offer the nearest articles' titles when they are near
    (the worker picks 「上班时间在干活的地方因工受伤，算工伤」 instead of being left with a phone
    number), then a person."""
    offers: tuple[Option, ...] = ()
    if not _off_topic(ctx.text):
        hits = ctx.library.index().search(ctx.text, where=_places(ctx), limit=SUGGESTED + 2)
        offers = tuple(Option(h.article.title, "kb_article", {"id": h.article.id}) for h in hits
                       if not h.article.is_gap and h.best >= SUGGEST and h.score >= h.best - 2 * PICK_SLACK)
        offers = offers[:SUGGESTED]
    text = f"{NOT_SURE}\n{MAYBE}" if offers else NOT_SURE
    return Reply(text, _merge((*offers, *_form_offer(ctx)), (TO_PERSON, Option("主菜单", "help"))))


def answer(ctx: Context, not_again: bool = False, gaps: bool = True) -> Reply | None:
    """The best article's answer when retrieval is confident, with the form the worker's words pointed
    to offered after it; None when no article answers well enough (say so rather than guess).
    ``not_again``: a follow-up — the article just given is not its answer (「那转正以后呢」 after the
    article on dismissal in probation), the next best is, if it too is clearly about it. ``gaps``:
    whether a known gap may be the reply (not before a form: 「欠了三个月工资 火车票也买不到」 still
    opens the arrears form)."""
    looked = _lookup(ctx, limit=5)
    if gaps and looked[1] and looked[0].points_to_gap(looked[1][0]):
        ctx.state.data[LAST_QUESTION] = ctx.text[:200]
        ctx.state.data.pop(LAST_ARTICLE, None)
        return gap_reply(looked[1][0].article)
    found = _answering(looked, ctx.text, limit=5)
    if found is None:
        return None
    kb, hits, where = found
    if not_again and hits[0].article.id == ctx.state.data.get(LAST_ARTICLE):
        next_best = hits[1:]
        if not next_best or not kb.confident(ctx.text, next_best[0], next_best[1] if len(next_best) > 1 else None):
            return None
        hits = next_best
    ctx.state.data[LAST_QUESTION] = ctx.text[:200]  # what 「那周末呢」 would follow up
    ctx.state.data[LAST_ARTICLE] = hits[0].article.id
    form = _form_offer(ctx)
    art = hits[0][0]
    reply = article_reply(art, kb)
    reply = Reply(reply.text, _merge(form, reply.options))  # asked first, then offered the form
    estimate = _compensation_estimate(ctx, art)
    if estimate:
        reply = Reply(f"{reply.text}\n{estimate}", reply.options)
    if where and not art.holds_in(where):  # another place's rule: say so, and where to ask
        reply = Reply(f"{reply.text}\n这是{art.region}的规定，{where[0]}的做法请问当地12333。", reply.options)
    if len(ctx.text) > LONG_QUESTION:  # a whole story: the main answer, the story's other problems offered
        others = tuple(Option(a.title, "kb_article", {"id": a.id}) for a in _story_follow_ups(kb, ctx.text, art, where))
        rest = tuple(o for o in reply.options if o.action != "human_agent")
        return Reply(f"{COMPLEX}\n{reply.text}", _merge((TO_PERSON, *others), rest)[:MAX_OPTIONS])
    return reply


STORY_PARTS = re.compile(r"[，。,.!！?？；;、\s]+")
PART_MIN = 4  # characters: 「没签合同」 is a problem of its own, 「然后」 is not
MAX_PARTS = 4
FOLLOW_UPS = 2


def _story_follow_ups(kb: KnowledgeBase, story: str, main: Article, where: tuple[str, ...]) -> list[Article]:
    """The story's other problems: each clause (「老板没给买工伤保险」「伤还没好就说让我走人」) looked up on
    its own, by words; those an article clearly answers, other than the main answer, in the story's order."""
    parts = [p for p in STORY_PARTS.split(story) if len(p) >= PART_MIN and not _only_asks(p)]
    parts = sorted(parts, key=len, reverse=True)[:MAX_PARTS]
    parts.sort(key=story.index)
    found: list[Article] = []
    for part, hit in zip(parts, kb.search_parts(parts, where), strict=True):
        if hit is None or not kb.confident(part, hit):
            continue
        art = hit.article
        if art.id != main.id and art.citation != main.citation and art not in found:
            found.append(art)
    return found[:FOLLOW_UPS]


def _only_asks(part: str) -> bool:
    """「我该怎么办」「咋整啊」: a question with no situation in it."""
    return len(part) <= 6 and RIGHTS_QUESTION.search(part) is not None


Found = tuple[KnowledgeBase, list[Hit], tuple[str, ...]]  # the index, its best hits, the worker's places


def _lookup(ctx: Context, limit: int) -> Found:
    """The best articles and known gaps for the message (a gap may come first: then nothing is cited)."""
    kb = ctx.library.index()
    where = _places(ctx)
    hits = kb.search(ctx.text, topic=ctx.entity("policy_topic"), where=where, limit=limit + 2)
    return kb, hits, where


def _answering(looked: Found, text: str, limit: int) -> Found | None:
    """The articles that clearly answer a question about work, best first; None when none does, when
    a known gap comes first or the message is about life outside work."""
    kb, hits, where = looked
    if _off_topic(text) or (hits and kb.points_to_gap(hits[0])):
        return None
    hits = [hit for hit in hits if not hit.article.is_gap]
    runner_up = hits[1] if len(hits) > 1 else None
    return (kb, hits[:limit], where) if hits and kb.confident(text, hits[0], runner_up) else None


def _confident_hits(ctx: Context, limit: int) -> Found | None:
    return _answering(_lookup(ctx, limit), ctx.text, limit)


GAP_PREFIX = "这个问题我这里没有现成的规定可查，没把握答准，不乱说。"


def gap_reply(gap: Article) -> Reply:
    """A question the sources do not answer (sick pay's amount, the housing fund, a train ticket): no
    article is cited; the worker is told where such questions are answered."""
    return Reply(f"{GAP_PREFIX}\n{gap.short}", (TO_PERSON, Option("主菜单", "help")))


def tells_of_harm(text: str) -> bool:
    """A story of something done to the worker, not a request for work, though it names a job."""
    return HARMED.search(text) is not None and SEEKS_WORK.search(text) is None


def _off_topic(text: str) -> bool:
    """「房东不退押金」「信用卡逾期会坐牢吗」: not a question about work, whatever an article's words."""
    return OFF_TOPIC.search(text) is not None and ABOUT_WORK.search(text) is None


def law_line(ctx: Context) -> str:
    """The law on a situation reported with no question (「身份证被老板扣着不还」), in two lines to put
    before the form it opens, when an article clearly answers it; else nothing."""
    found = _confident_hits(ctx, limit=1)
    if found is None or (found[2] and not found[1][0].article.holds_in(found[2])):
        return ""
    art = found[1][0].article
    estimate = _compensation_estimate(ctx, art)
    return f"{art.short}\n{art.citation}" + (f"\n{estimate}" if estimate else "")


COMPENSATION_ARTICLES = frozenset({"第四十六条", "第四十七条", "第四十八条", "第八十七条", "第三十八条", "第四十条"})


def _compensation_estimate(ctx: Context, art: Article) -> str:
    """「干了3年 每月5000 被辞退有补偿吗」: the figure 第四十七条 gives, as an estimate."""
    if art.source != "《劳动合同法》" or art.article not in COMPENSATION_ARTICLES:
        return ""
    worked = labour_math.months_worked(ctx.text)
    wage = labour_math.monthly_wage(ctx.text) or _int(ctx.entity("salary")) or _int(ctx.entity("amount"))
    if not worked or not wage:
        return ""
    owed = labour_math.compensation(worked, wage)
    span = f"{worked // 12}年" + ("半" if worked % 12 == 6 else "") if worked >= 12 else f"{worked}个月"
    return (f"按您说的估算：干了{span}、每月{wage}元，经济补偿约{owed.amount}元（{owed.months:g}个月工资）；"
            f"违法辞退可要求双倍约{owed.double}元（第八十七条）。以离职前12个月平均工资为准。")


def _int(value: object) -> int | None:
    try:
        return int(str(value)) if value is not None else None
    except ValueError:
        return None


def _form_offer(ctx: Context) -> tuple[Option, ...]:
    """The form the worker's words pointed to (「中介可以收押金吗」 → 投诉举报), offered after the answer."""
    ranked = ctx.nlu.ranking[0][0] if ctx.nlu.ranking else ""
    pointed = ctx.nlu.intent if ctx.nlu.intent in FORMS_OFFERED else ranked
    return tuple(opt for opt in MAIN_MENU if opt.action == pointed and pointed in FORMS_OFFERED)


def _merge(first: tuple[Option, ...], then: tuple[Option, ...]) -> tuple[Option, ...]:
    seen: set[str] = set()
    merged = []
    for opt in (*first, *then):
        key = f"{opt.action}:{opt.payload.get('id', '')}"
        if key not in seen:
            seen.add(key)
            merged.append(opt)
    return tuple(merged)


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
