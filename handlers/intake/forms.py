"""The two intake forms as data: which slots, in which order, how each is asked and read, how the
summary shows it. The engine (handlers/intake/engine.py) walks any form the same way."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from domain.cases.facts import CATEGORIES, CATEGORY_MENU, FAMILY_NEEDS, guess_category
from domain.cases.vocabulary import Kind
from domain.messages import Option
from domain.registry.records import DONT_KNOW, HOME_PLACE, HOME_SAID, not_a_place
from domain.subsidies.applications import county_of
from handlers.intake import fields
from nlu.result import NluResult

Reader = Callable[[str, NluResult], dict[str, Any] | None]


@dataclass(frozen=True)
class Slot:
    name: str  # the detail it fills (a reader may fill others too)
    label: str  # in the summary and the 「修改」 list
    ask: str
    read: Reader
    options: tuple[Option, ...] = ()  # offered with the question; a digit answers with its label
    needed: Callable[[dict[str, Any]], bool] = lambda d: True  # ask only when this holds
    also: str = ""  # another detail the question asks for in the same breath …
    alone: str = ""  # … and the question without it, once that detail is known (or when editing)

    def question(self, d: dict[str, Any]) -> str:
        return self.alone if self.also and self.also in d else self.ask


ONLY_THE_KIND = re.compile(r"^(?:我|俺)?(?:想|要)?(?:反映|投诉|举报|说|问)(?:一下)?.{0,8}(?:的事|的问题|问题|的情况)?$")
OTHER = re.compile(r"6|其[他它](?:的)?(?:事|问题|情况)?|别的(?:事|问题|情况)?|都不是|不是这些|(?:以上|上面)都不是")


def read_category(text: str, nlu: NluResult) -> dict[str, Any] | None:
    picked = next((c for c in CATEGORIES if text.strip() == c.label), None)
    key = picked.key if picked else guess_category(text)
    if key is None and OTHER.fullmatch(fields.bare(text)):
        key = "other"
    if key and not picked and len(fields.clean(text)) >= STORY_LENGTH and not ONLY_THE_KIND.match(fields.clean(text)):
        # 「胳膊被机器夹伤了」: what happened, too (「我想反映一下合同的事」 is only the kind)
        return {"category": key, "story": fields.clean(text)}
    return {"category": key} if key else None


STORY_LENGTH = 8  # characters: a story, not a word


def _has_story(d: dict[str, Any]) -> bool:
    return len(str(d.get("story") or "")) >= STORY_LENGTH


ANON_NOTE = "不想留就回复「匿名」（匿名的话工作人员只能在这里回复您，没法打电话核实）。"
PHONE = Slot("phone", "联系电话", "留个手机号方便工作人员联系您？" + ANON_NOTE, fields.phone)
CONSENT = Slot(
    "consent", "身份", "同意把您的电话告诉处理部门吗？不同意的话，工作人员只看到化名。",
    fields.consent,
    options=(Option("同意", "intake", {"answer": "同意"}), Option("不同意", "intake", {"answer": "不同意"})),
    needed=lambda d: not d.get("anonymous"),
)

COMPLAINT: tuple[Slot, ...] = (
    Slot("category", "类别", "您要反映什么问题？回复数字，或直接说：", read_category,
         options=tuple(Option(c.label, "intake", {"answer": c.label}) for c in CATEGORY_MENU)),
    Slot("employer", "单位/中介",
         "中介或单位叫什么名字？在哪个城市？比如「东莞长安 华达劳务」。不知道名字就说「不知道」。", fields.who_where),
    Slot("story", "经过", "发生了什么？简单说说，也可以发语音或照片。", fields.free_text("story"),
         needed=lambda d: not _has_story(d)),
    Slot("when", "时间", "什么时候的事？比如「上个月」「今年3月」。", fields.when),
    PHONE,
    CONSENT,
)

WAGE_ARREARS: tuple[Slot, ...] = (
    Slot("employer", "老板/单位",
         "欠钱的老板或公司叫什么？有包工头的也写上，比如「华达建筑 包工头老李」。"
         "不知道就说「不知道」。", fields.employer),
    Slot("site", "干活地点",
         "在哪干的活，从什么时候干起？城市、工地或厂名，比如「郑州金水区 锦绣小区工地 今年3月开始」。", fields.site),
    Slot("months", "欠了几个月", "欠了几个月的工资、一共欠多少钱？比如「3个月 两万多」。", fields.months_and_amount,
         needed=lambda d: d.get("months") is None, also="amount", alone="欠了几个月的工资？"),
    Slot("amount", "欠多少钱", "一共欠多少钱？说个大概也行，比如「两万多」。", fields.amount,
         needed=lambda d: "amount" not in d),
    Slot("people", "被欠人数", "一共几个人被欠？就您自己就回复「1」。", fields.people,
         needed=lambda d: d.get("people") is None and not d.get("people_unknown")),
    Slot("evidence", "证据材料",
         "有这些材料吗？可多选，比如回复「12」；有照片可以直接发过来：\n"
         "1 劳动合同\n2 考勤或工资条\n3 聊天记录或转账截图\n4 都没有",
         fields.evidence),
    PHONE,
    CONSENT,
)

# Help for family left at home (seed 004: the elderly, children, farm-season labour), for the contact of
# the home county, town or village: the home place decides which staff see it.
_NEED_WORDS = {
    "elderly": re.compile(r"老人|老母|老父|老爹|老娘|爹|娘|妈|爸|父亲|母亲|父母|爷爷|奶奶|姥姥|姥爷|外婆|外公|"
                          r"公公|婆婆|老头|老太|老伴|老两口|阿爸|阿妈|阿嫲|阿婆|阿公|阿爷|嫲嫲|老豆|老母"),
    "children": re.compile(r"孩子|娃|小孩|儿子|女儿|闺女|细路|仔|留守|上学|读书|学校|作业"),
    "farm": re.compile(r"农活|农忙|种地|地里|庄稼|收麦|割麦|麦子|玉米|秋收|播种|插秧|收割|果园|苹果|浇地|收成|田|棉花|"
                       r"亩|地没人|荒着|撂荒|没人种|耕地|犁地|打药"),
}


def read_need(text: str, nlu: NluResult) -> dict[str, Any] | None:
    picked = next((key for key, label in FAMILY_NEEDS.items() if text.strip() == label), None)
    said = fields.clean(text)
    # the need named most (「老人孩子都有 主要是孩子没人看」: children), the first named on a tie
    found = {k: [m.start() for m in words.finditer(said)] for k, words in _NEED_WORDS.items()}
    named = sorted((k for k in found if found[k]), key=lambda k: (-len(found[k]), found[k][0]))
    key = picked or (named[0] if named else None)
    first = re.split(r"[\s，,。.!！、]+", said)[0]
    if key is None and (OTHER.fullmatch(fields.bare(text).replace("4", "6")) or OTHER.fullmatch(first)):
        key = "other"
    if key is None and len(said) >= OTHER_STORY and not fields.nod(said) and not fields.UNKNOWN.match(said) \
            and not QUESTION.search(said):  # 「这种情况能报警吗」 is a question, not a need
        key = "other"  # 「媳妇生病了 想有人帮着看看病」: something else, told in words
    if key is None:
        return None
    told = not picked and len(said) >= FAMILY_STORY_LENGTH  # 「老母亲一个人在家 腿脚不好」: the story too, but
    return {"need": key, **({"story": said[:500]} if told else {})}  # 「老家有人能帮我照顾孩子吗」 only asks


FAMILY_STORY_LENGTH = 14
QUESTION = re.compile(r"吗|么|[？?]|怎么|咋|多久|多少|能不能|可不可以|找工作|找活")
OTHER_STORY = 6


def read_home(text: str, nlu: NluResult) -> dict[str, Any] | None:
    """「大宁县曲峨镇东村」: the home place as said; its county decides who at the office sees the request."""
    said = HOME_SAID.sub("", fields.clean(text)) or fields.clean(text)  # 「是永和县桑壁镇」: the place
    if not said or fields.nod(said) or len(said) > 40 or fields.UNKNOWN.match(said) or DONT_KNOW.search(said) \
            or not_a_place(said):
        return None
    if not HOME_PLACE.search(said) and len(said) > 8:
        return None
    return {"home": said, "city": county_of(said)[:16]}  # 「临汾市大宁县曲峨镇」: 大宁县


FAMILY_HELP: tuple[Slot, ...] = (
    Slot("need", "需要帮什么", "家里需要什么帮忙？回复数字，或直接说：", read_need,
         options=tuple(Option(label, "intake", {"answer": label}) for label in FAMILY_NEEDS.values())),
    Slot("home", "老家地址", "老家在哪个县、乡镇、村？比如「大宁县曲峨镇东村」。", read_home),
    Slot("story", "具体情况", "具体要帮什么？比如「老母亲一个人在家，腿脚不好，想请村里隔几天去看看」。",
         fields.free_text("story"), needed=lambda d: not _has_story(d)),
    PHONE,
    CONSENT,
)

FORMS: dict[str, tuple[Slot, ...]] = {Kind.COMPLAINT: COMPLAINT, Kind.WAGE_ARREARS: WAGE_ARREARS,
                                      Kind.FAMILY_HELP: FAMILY_HELP}
TITLES: dict[str, str] = {Kind.COMPLAINT: "投诉举报", Kind.WAGE_ARREARS: "欠薪求助", Kind.FAMILY_HELP: "家人帮扶"}
