"""What a worker's message means, before any handler sees it: the dialogue rules, in order.

The first rule that knows decides. ``BEFORE_NLU`` rules need no model (a menu click, a digit that
picks an option); ``AFTER_NLU`` rules read what the NLU heard in the light of the conversation (an
open form, a flow in progress, a lone phone number, one misunderstanding too many). A message no
rule claims means what the NLU heard.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from domain.dialogue import DialogueState
from domain.messages import InboundMessage, Option
from domain.subsidies import schemes as subsidy_schemes
from domain.vacancies.query import read_query
from handlers import checkins, policy
from handlers.base import CODE_PENDING, VERIFY_INTENT, FormHandler, HandlerRegistry
from handlers.guidance import ASKS_FOR_A_PERSON, WANTS_A_PERSON
from handlers.intake.fields import bare
from handlers.menu import MAIN_MENU
from handlers.policy import FOLLOW_UP_OF, LAST_QUESTION
from nlu.normalize import normalize, parse_amount
from nlu.result import FALLBACK_INTENT, Entity, NluResult
from nlu.service import ABOUT_RIGHTS, NluService

# Intents that mean "I did not say anything new": a flow in progress keeps going.
FLOW_CONTINUES_ON = frozenset({FALLBACK_INTENT, "out_of_scope"})
# A message that is nothing but a mobile number (perhaps with 「我的电话」 before it).
ONLY_A_PHONE = re.compile(
    r"(?:我的?)?(?:电话|手机|手机号|号码|联系方式|电话号码)?(?:是|:|：)?\s*(?:\+?86)?1[3-9]\d(?:[\s-]?\d){8}"
)
# Channel actions an open form takes as evidence (a photo, a voice note the platform could not read).
MEDIA_ACTIONS = frozenset({"image_received", "voice_unheard"})
# What still leaves an open form: the worker asks for a person (「取消」 is the form's own business).
ESCAPES = frozenset({"human_agent"})
MISSES_BEFORE_HANDOFF = 3
# The model's 「cancel」 counts only with a word that cancels: 「深圳电子厂」 was once read as one.
SAYS_CANCEL = re.compile(r"取消|退出|不弄了|不办了|算了|不要了|不用了|不找了|不填了|不登记|不想[弄办填找登]|重新|停止|"
                         r"别[弄问填]了|结束|撤销|撤回|不搞了|唔要|唔使|冇需要|cancel", re.I)
SIX_DIGITS = re.compile(r"(?:验证码)?[:：]?\d{6}")
# The model's 「human_agent」 leans on 「机器」 (from 「机器人听不懂」): 「我手被机器压了」 was handed to staff at
# night and the bot fell silent. A hurt body with no call for a person is a question about one's rights.
HURT = re.compile(r"受伤|工伤|伤[了到着]|[烫摔砸压割扭撞烧碰扎划咬]伤|伤口|骨折|流血|住院|截肢|"
                  r"(?:手|脚|腿|腰|头|眼|指|胳膊|身子).{0,4}[压砸卷夹轧绞切割烫扎撞断]|"
                  r"[压砸卷夹轧绞切割烫扎撞][了到伤断住坏]?.{0,3}(?:手|脚|腿|腰|头|眼|指|胳膊)")


@dataclass(frozen=True)
class Understood:
    """What a message means: its normalised text, the intent with its entities, and the payload the
    handler gets (a picked option's, a photo's media ids, why a person was called)."""

    text: str
    nlu: NluResult
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Turn:
    """One message and the conversation it arrives in: what every rule may look at."""

    msg: InboundMessage
    state: DialogueState  # a rule may clear ``more`` and count ``misses``
    registry: HandlerRegistry
    text: str  # normalised: 「２」 → 「2」
    form: FormHandler | None  # the open form, if the flow in progress is one


Rule = Callable[[Turn], Understood | None]
Reading = Callable[[Turn, Understood], Understood | None]


# --- before the NLU ---------------------------------------------------------------------------


def evidence_for_open_form(turn: Turn) -> Understood | None:
    """A photo of the pay slip (or a voice note the platform could not read) while a form is open:
    evidence the form keeps, not a new topic."""
    if turn.form is None or turn.msg.action not in MEDIA_ACTIONS:
        return None
    return Understood(turn.text, NluResult(turn.state.flow or "", 1.0, source="event"), {"media": list(turn.msg.media)})


def channel_action(turn: Turn) -> Understood | None:
    """The channel says what the message is: a click on the 「找工作」 menu, a follow, a location."""
    if not turn.msg.action:
        return None
    return Understood(turn.text, NluResult(turn.msg.action, 1.0, source="event"), dict(turn.msg.payload))


def code_for_phone_link(turn: Turn) -> Understood | None:
    """「382916」 after we texted a code to the number the worker gave: the code, not an amount."""
    if not turn.state.data.get(CODE_PENDING) or not SIX_DIGITS.fullmatch(turn.text.replace(" ", "")):
        return None
    return Understood(turn.text, NluResult(VERIFY_INTENT, 1.0, source="rule"))


# 「第一个」「第2个」「选3」: a numbered option picked in words (the SMS hotline's 「第一个」 got 「没看懂」)
ORDINAL = re.compile(r"^(?:第|选)([1-9一二三四五六七八九])(?:个|条|项|号)?[的吧啊。.!！]*$|"
                     r"^([1-9一二三四五六七八九])(?:个|条|项)[的吧啊。.!！]*$")
NUMERALS = dict(zip("一二三四五六七八九", "123456789", strict=True))


def ordinal(text: str) -> str:
    """「第一个」 → 「1」; anything else unchanged."""
    found = ORDINAL.match(text.strip())
    if found is None:
        return text
    said = found.group(1) or found.group(2)
    return NUMERALS.get(said, said)


def state_has_options(turn: Turn) -> bool:
    return bool(turn.state.options) and turn.form is None


def offered_option(turn: Turn) -> Understood | None:
    """「2」 picks the second option offered, 「0」 shows more. While a form is open a number it did not
    offer is the form's own answer (「3」 months, 「20」 people), not a wrong pick — but 「0」 under a
    paged question still turns the page."""
    text, state = ordinal(turn.text) if state_has_options(turn) else turn.text, turn.state
    if not text.isdigit() or len(text) > 2:
        return None
    next_page = int(text) == 0 and state.more is not None  # 「回复0看下一页」 holds inside a form too
    if turn.form is not None and not next_page and not 1 <= int(text) <= len(state.options):
        return None
    pick = picked(int(text), state)
    state.more = None
    return Understood(text, NluResult(pick.action, 1.0, source="option"), dict(pick.payload))


def picked(number: int, state: DialogueState) -> Option:
    """The option a digit names; a digit outside the offer asks again with the same options."""
    if number == 0:
        return state.more or Option("没有更多", "no_more")
    offered = state.options or list(MAIN_MENU)
    if 1 <= number <= len(offered):
        return offered[number - 1]
    return Option("重选", "repeat_options", {"count": len(offered)})


def option_named(turn: Turn) -> Understood | None:
    """「确定删除」 typed instead of 「1」: the worker named an offered option in its own words."""
    said = turn.text.strip(" 。.!！「」\"'")
    named = [opt for opt in turn.state.options if opt.label == said]
    if len(named) != 1 or turn.form is not None:
        return None
    turn.state.more = None
    return Understood(turn.text, NluResult(named[0].action, 1.0, source="option"), dict(named[0].payload))


# A short yes or no, said to a yes-or-no offer (「您是要登记欠薪求助吗？1 是，开始登记 2 不是」).
SAYS_YES = re.compile(r"^(?:是|是的|是啊|对|对的|对头|好|好的|好嘞|行|可以|嗯|嗯嗯|要|需要|确定|同意|中|没错|要得|得|"
                      r"係|系|ok|yes)$", re.I)
SAYS_NO = re.compile(r"^(?:不|不是|不是的|不对|不要|不用|不用了|不了|不需要|算了|别|不行|否|没有|唔|唔使|唔要|冇|"
                     r"no)$", re.I)
YES_LABEL = re.compile(r"^(?:是|确定|同意|好|要|开始)")
NO_LABEL = re.compile(r"^(?:不|别|算了|取消)")


def short_reply_to_offer(turn: Turn) -> Understood | None:
    """「是的」 or 「不用了」 to a question that offered a yes and a no: that option, not the model's
    affirm (which once answered 「好的。请回复数字选择要办的事」 and lost the yes)."""
    options = turn.state.options
    if turn.form is not None or not options:
        return None
    said = bare(turn.text).lower()
    yes = next((opt for opt in options if YES_LABEL.match(opt.label)), None)
    no = next((opt for opt in options if NO_LABEL.match(opt.label)), None)
    pick = yes if yes is not None and no is not None and SAYS_YES.match(said) else None
    pick = no if yes is not None and no is not None and SAYS_NO.match(said) else pick
    if pick is None:
        return None
    turn.state.more = None
    return Understood(turn.text, NluResult(pick.action, 1.0, source="option"), dict(pick.payload))


def answer_to_check_in(turn: Turn) -> Understood | None:
    """「还没发呢」 to 「这个月工资发了吗？」 (the monthly question offered its answers): that answer."""
    asked = next((opt for opt in turn.state.options if opt.action == checkins.ANSWER_INTENT), None)
    said = checkins.read_answer(turn.text) if asked is not None and turn.form is None else None
    if asked is None or said is None:
        return None
    turn.state.more = None
    return Understood(turn.text, NluResult(checkins.ANSWER_INTENT, 1.0, source="option"),
                      {**asked.payload, "answer": said})


def answer_to_subsidy_question(turn: Turn) -> Understood | None:
    """「是贫困户」「不太清楚」「在省内」 to a subsidy's yes-or-no condition: that answer's option."""
    asked = [opt for opt in turn.state.options if opt.action == "subsidy_check" and "said" in opt.payload]
    step = asked[0].payload if asked else {}
    said = subsidy_schemes.read_answer(str(step.get("scheme", "")), str(step.get("step", "")), bare(turn.text)) \
        if asked and turn.form is None else None
    pick = next((opt for opt in asked if opt.payload["said"] == said), None)
    if pick is None:
        return None
    turn.state.more = None
    return Understood(turn.text, NluResult(pick.action, 1.0, source="option"), dict(pick.payload))


BEFORE_NLU: tuple[Rule, ...] = (evidence_for_open_form, channel_action, code_for_phone_link, offered_option,
                                option_named, answer_to_check_in, answer_to_subsidy_question, short_reply_to_offer)


# --- after the NLU ----------------------------------------------------------------------------


def answer_to_open_form(turn: Turn, heard: Understood) -> Understood | None:
    """「欠了三个月」 while the wage-arrears form asks how long: the form's answer, whatever the NLU
    thought, with any photo sent along as evidence. Only asking for a person (「转人工」) leaves the form.
    A form asks again itself, so its answers never count as misunderstandings."""
    if turn.form is None or (heard.nlu.intent in ESCAPES and ASKS_FOR_A_PERSON.search(heard.text)):
        return None
    media = {"media": list(turn.msg.media)} if turn.msg.media else {}
    return Understood(heard.text, dataclasses.replace(heard.nlu, intent=turn.state.flow or ""), media)


def flow_goes_on(turn: Turn, heard: Understood) -> Understood | None:
    """「电工 宝安」 after 「您想找什么活、在哪个城市？」: the NLU saw nothing new in it (or another search),
    so the flow in progress takes it."""
    flow = turn.state.flow
    if not flow or heard.nlu.intent not in FLOW_CONTINUES_ON | {"search_vacancy"} or not turn.registry.serves(flow):
        return None
    return _understood(turn, Understood(heard.text, dataclasses.replace(heard.nlu, intent=flow)))


# A short refinement of the list of jobs just shown (「别的城市呢」「工资高点的」, the latter once read as a
# wage-arrears report and opening that form): the same search, elsewhere or better paid.
AFTER_A_SEARCH = frozenset({"vacancy_detail", "vacancy_alert_on"})
CONTEXT = "context"  # read from what came just before: no law-first guessing on top of it
ELSEWHERE = re.compile(r"(?:别的|其他|其它|换个|换一个|另外的?)(?:城市|地方|地区)|别处|外地|外省")
BETTER_PAY = re.compile(r"(?:工资|钱|工钱|待遇|薪水|薪资|人工|工价|收入)(?:再|更|太)?(?:高|多|好|低|少)|"
                        r"(?:高|多)一?[点些]的?$|高工资|高薪|挣(?:得|的)?(?:多|更多)|多挣|上万|太少|太低|好一?点的|"
                        r"多给|给得多|钱多|不够")
OWED = re.compile(r"欠|拖|没发|没给|不给|讨|跑路|扣")
REFINEMENT_MAX = 12  # characters: a refinement is a few words, not a story


def refines_search(turn: Turn, heard: Understood) -> Understood | None:
    if turn.form is not None or not any(opt.action in AFTER_A_SEARCH for opt in turn.state.options):
        return None
    text = heard.text.replace(" ", "")
    if len(text) > REFINEMENT_MAX or OWED.search(text):
        return None
    refine = "elsewhere" if ELSEWHERE.search(text) else "better_pay" if BETTER_PAY.search(text) else None
    if refine is None:
        if policy.tells_of_harm(text) or ABOUT_RIGHTS.search(text) or any(
                e.name == "city" for e in heard.nlu.entities):
            return None  # 「在电子厂受伤了」「电子厂加班费怎么算」; 「深圳电子厂」 is a new search of its own
        floor = pay_floor(text)
        if floor is None and not _narrows(text, heard.nlu):
            return None
        # 「有没有一万的」「包吃住的呢」「电子厂」 (the first and last once read as a yes, answered with the
        # main menu): the same search with a pay floor, board, day rates or a trade added (the vacancy
        # handler keeps its place, and its trade unless a new one is named)
        trades = tuple(e for e in heard.nlu.entities if e.name == "job_type")
        return _understood(turn, Understood(heard.text, NluResult("search_vacancy", 1.0, trades, source=CONTEXT),
                                            {"min_pay": floor} if floor else {}))
    return _understood(turn, Understood(heard.text, NluResult("search_vacancy", 1.0, source=CONTEXT),
                                        {"refine": refine}))


TEN_THOUSAND = re.compile(r"上万|过万|破万")
AT_MOST = re.compile(r"以下|以内|不超过|之内|最多|低于")
NOT_PAY = re.compile(r"\d{4}\s*[年号届]")  # 「有2024年新开的吗」: a year
MONTH_PAY = range(1000, 100_000)  # what a month's pay can be (a phone number, an age or a count is not)


def pay_floor(text: str) -> int | None:
    """A month's pay named right after a list of jobs (「有没有10000的」「8千以上」「1.2万」「上万的」): what they
    want at least. Only there: elsewhere a bare number is a phone fragment, a year or an amount owed. A
    ceiling (「8千以下」) is no floor; a phone number is no pay."""
    if AT_MOST.search(text) or NOT_PAY.search(text):
        return None
    if TEN_THOUSAND.search(text):
        return 10000
    read = parse_amount(text)
    return read[0] if read and read[0] in MONTH_PAY else None


def _narrows(text: str, nlu: NluResult) -> bool:
    """Whether a few words name board and lodging, day rates, a trade or an industry (「电子厂」)."""
    q = read_query(text, None, None, None)
    return bool(q.daily or q.board_lodging or q.industries or any(e.name == "job_type" for e in nlu.entities))


# A short follow-up to an answer from the law (「那周末呢」 after 「加班费怎么算」): asked in its light.
AFTER_AN_ANSWER = frozenset({"kb_detail"})
FOLLOWS_UP = re.compile(r"^(?:那|那么|那如果|如果|要是|假如|那要是)|呢[?？。]?$")
FOLLOW_UP_MAX = 15  # characters


def follows_up_an_answer(turn: Turn, heard: Understood) -> Understood | None:
    before = turn.state.data.get(LAST_QUESTION)
    if turn.form is not None or not before or not any(o.action in AFTER_AN_ANSWER for o in turn.state.options):
        return None
    text = heard.text.strip()
    if len(text) > FOLLOW_UP_MAX or not FOLLOWS_UP.search(text) or heard.nlu.intent in ("cancel", "human_agent"):
        return None
    return _understood(turn, Understood(heard.text, NluResult("ask_policy", 1.0, source=CONTEXT),
                                        {FOLLOW_UP_OF: str(before)}))


def lone_phone(turn: Turn, heard: Understood) -> Understood | None:
    """「我的电话138 0013 8000」 and nothing else, outside any flow: the worker gives their number."""
    if turn.state.flow or not ONLY_A_PHONE.fullmatch(heard.text):
        return None
    phone = Entity("phone", re.sub(r"\D", "", heard.text)[-11:], heard.text, "pipeline")
    nlu = NluResult("phone_given", 1.0, (phone,), heard.nlu.source, heard.nlu.ranking)
    return _understood(turn, Understood(heard.text, nlu))


def misunderstood_again(turn: Turn, heard: Understood) -> Understood | None:
    """「啊？」「那个那个」: nothing understood it. The polite fallback answers; the third time in a row
    a person takes over (「我没能看懂您的意思，已转给工作人员」)."""
    if heard.nlu.intent not in FLOW_CONTINUES_ON:
        return None
    turn.state.misses += 1
    if turn.state.misses < MISSES_BEFORE_HANDOFF:
        return heard
    turn.state.misses = 0
    handoff = NluResult("human_agent", heard.nlu.confidence, heard.nlu.entities, "pipeline")
    return Understood(heard.text, handoff, {"reason": "misunderstood"})


def as_heard(turn: Turn, heard: Understood) -> Understood:
    """「深圳有电工的活吗」: what the NLU heard stands."""
    return _understood(turn, heard)


AFTER_NLU: tuple[Reading, ...] = (answer_to_open_form, refines_search, follows_up_an_answer, flow_goes_on, lone_phone,
                                  misunderstood_again)


def _understood(turn: Turn, meant: Understood) -> Understood:
    turn.state.misses = 0  # understood: the count of misunderstandings in a row starts again
    return meant


def hear(turn: Turn, nlu: NluService) -> Understood:
    """The NLU's reading. Only a message that says nothing new leaves 「0」 meaning what it meant."""
    text, heard = nlu.understand(turn.msg.text)
    if heard.intent == "cancel" and not SAYS_CANCEL.search(text):
        heard = _runner_up(heard)
    if heard.intent == "human_agent" and HURT.search(text) and not WANTS_A_PERSON.search(text):
        heard = dataclasses.replace(heard, intent="ask_policy", source="rules")
    if heard.intent not in FLOW_CONTINUES_ON:
        turn.state.more = None
    return Understood(text, heard)


def _runner_up(heard: NluResult) -> NluResult:
    """The model's second reading (「深圳电子厂」: search_vacancy after a cancel with no cancel word), or
    「not understood」 when it has none."""
    second = next((name for name, _ in heard.ranking if name != heard.intent), FALLBACK_INTENT)
    confidence = next((c for name, c in heard.ranking if name == second), 0.0)
    return dataclasses.replace(heard, intent=second, confidence=confidence)


def understand(msg: InboundMessage, state: DialogueState, registry: HandlerRegistry, nlu: NluService,
               ahead: Callable[[str], None] | None = None) -> Understood:
    """Walk the rules in order: the first that knows what the message means decides. ``ahead`` is
    given the normalised text when the NLU is about to be asked (work that can overlap the call)."""
    turn = Turn(msg, state, registry, normalize(msg.text), registry.captures(state.flow))
    for rule in BEFORE_NLU:
        if (meant := rule(turn)) is not None:
            return meant
    if ahead is not None:
        ahead(turn.text)
    heard = hear(turn, nlu)
    for reading in AFTER_NLU:
        if (meant := reading(turn, heard)) is not None:
            return meant
    return as_heard(turn, heard)
