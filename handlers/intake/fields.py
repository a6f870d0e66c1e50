"""Reading one answer of an intake form: the worker's words → a value, or None to ask again.

Each reader gets the normalised text and the NLU's reading of it, and returns a dict of the slots
it filled (an answer may fill more than one: 「东莞长安 华达劳务」 gives the place and the name).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

from nlu import dates
from nlu.gazetteer import load_gazetteer
from nlu.geo import locate
from nlu.normalize import CN_DIGITS, normalize, parse_amount
from nlu.phone import normalise_phone
from nlu.result import NluResult

Filled = dict[str, Any]

UNKNOWN = re.compile(r"^(不知道|不清楚|忘了|不记得|没有|没|不晓得|不懂)")
# 「他们公司叫什么我忘了」: the name said to be unknown, not a name
NAME_FORGOTTEN = re.compile(r"(?:叫|是)(?:什么|啥|哪个|哪家).{0,6}(?:忘了|不知道|不记得|记不得|记不清|不清楚|搞不清)|"
                            r"(?:忘了|不知道|不记得|记不清|不清楚|搞不清)(?:他们|公司|厂)?(?:叫|是)(?:什么|啥|哪个|哪家)")
SKIP = re.compile(r"^(跳过|不知道|不清楚|没有|没|不记得|算了不说)$")
ANONYMOUS = re.compile(r"匿名|不留|不想留|不想说|不说电话|不给|不方便|保密|不要电话|不用电话|留啥|留什么电话|"
                       r"唔留|唔想留|唔俾|唔畀|唔方便")
# A voice transcript's fillers before an answer and particles after it: 「嗯 那个 好」「得喇」「中嘞」.
FILLERS = re.compile(r"^(?:(?:那个|嗯|呃|额|啊|就是|然后|那|这个)[\s，,。]*)+")
PARTICLES = re.compile(r"[啦喇嘞啊呀吧咯哈了嘛哦噢喔][!！。.\s]*$")
# Yes and no in a worker's words; a no is looked for first (「可以 只要别让老板知道」 is a yes with a
# condition, 「怕打击报复 不同意」 a no).
SAYS_NO = re.compile(r"不同意|唔同意|不要|不行|不想|不愿|不给|不能|不中|^不用了?$|别告诉|别给|莫|唔好|唔得|唔想|"
                     r"唔要|算了|^不$|^否$|^2$|^不登|^不弄|^先不|^不办|^不填")
SAYS_YES = re.compile(r"同意|可以|行|好|没问题|没有问题|冇问题|中|得|ok|嗯|是|对|^给(?:吧|啊|呗)?(?:\s|$)|^1$", re.I)
CN_PHONE_DIGITS = str.maketrans("零〇幺一二三四五六七八九", "001123456789")
YES = re.compile(r"^(1|是|是的|对|对的|好|好的|同意|可以|行|嗯|确认|确定|提交|ok)[!！。 ]*$", re.I)
NO = re.compile(r"^(2|不|不是|不同意|不行|不要|不可以|否|别)[!！。 ]*$")
PEOPLE = re.compile(r"(\d{1,4})(?!\d)\s*(多|来|几)?\s*(?:个)?\s*(?:人(?!民币)|工人|兄弟|老乡|工友)")
PEOPLE_WORDS = {"就我": 1, "我自己": 1, "就我一个": 1, "一个人": 1, "我一个": 1, "爷俩": 2, "父子俩": 2, "两口子": 2,
                "夫妻俩": 2, "兄弟俩": 2, "我俩": 2, "我们俩": 2, "俺俩": 2, "仨": 3}
MONTHS = re.compile(r"(\d+)\s*(?:个)?\s*(多)?\s*月")
YEAR = re.compile(r"(20\d\d)\s*年")
RELATIVE_YEAR = {"今年": 0, "去年": 1, "前年": 2, "大前年": 3}
CONTRACTOR = re.compile(r"(?:包工头|工头|班组长|带班的|老板)\s*(?:叫|是)?\s*([^\s，,。]{1,8})")
CONSTRUCTION = re.compile(r"工地|项目|小区|楼盘|施工|建筑|装修|搭架|钢筋|桥|隧道|道路")
FILLER = re.compile(r"^(在|是|叫|就是|我在|我们在|公司叫|厂叫|名字叫)")


def clean(text: str) -> str:
    return text.strip().strip("，,。.!！ ")


# 「好」「是的」 said to a question that wants a name, a place or a story: a nod to the bot, not the answer
# (the employer was once recorded as 「好」).
NOD = re.compile(r"^(?:确认|确定|提交|没问题|好|好的|好滴|好嘞|是|是的|对|对的|嗯|嗯嗯|行|可以|ok|okay|收到|知道了|"
                 r"明白|谢谢|1)$", re.I)


def nod(text: str) -> bool:
    said = bare(text)  # 「嗯」 alone is all filler: bare() leaves nothing, and nothing is no answer either
    return not said or NOD.match(said) is not None


def place_and_name(text: str, nlu: NluResult) -> Filled:
    """「东莞长安 华达劳务」→ city 东莞, district 长安镇, and the name that is left (华达劳务)."""
    out: Filled = {}
    rest = text
    for ent in [e for e in nlu.entities if e.name == "city"] or [
            e for e in load_gazetteer().find(text) if e.name == "city"]:
        place = locate(str(ent.text or ent.value)) or locate(str(ent.value))
        if place is None:
            continue
        if "city" not in out:
            out["city"] = place.city
        if place.city == out["city"] and place.district and "district" not in out:
            out["district"] = place.district
        rest = rest.replace(str(ent.text or ent.value), " ", 1)
    rest = clean(FILLER.sub("", clean(rest)))
    if rest:
        out["name"] = rest
    return out


def employer(text: str, nlu: NluResult) -> Filled | None:
    text = clean(text)
    if not text or nod(text):
        return None
    contractor = CONTRACTOR.search(text)
    by_contractor = contractor is not None and re.search(r"工头|班组长|带班", contractor.group()) is not None
    if UNKNOWN.match(text) or NAME_FORGOTTEN.search(text):  # 「不知道叫啥 就知道包工头姓刘」: the contractor kept
        return {"employer": "不知道", **({"contractor": contractor.group(1)} if contractor and by_contractor else {})}
    out: Filled = {"employer": text[:60]}
    if contractor and by_contractor:
        out["contractor"] = contractor.group(1)
        out["employer"] = clean(text.replace(contractor.group(), " ")).strip() or "不知道"
    return out


def who_where(text: str, nlu: NluResult) -> Filled | None:
    """The agent or employer and the city, in one answer."""
    if not clean(text) or nod(text):
        return None
    if UNKNOWN.match(clean(text)) or NAME_FORGOTTEN.search(text):
        return {"employer": "不知道"}
    found = place_and_name(text, nlu)
    out: Filled = {"employer": found.get("name", "不知道")[:60]}
    for key in ("city", "district"):
        if key in found:
            out[key] = found[key]
    return out


def site(text: str, nlu: NluResult) -> Filled | None:
    """「郑州金水区 锦绣小区工地 今年3月开始」→ the city, district, site and when the work began (2026-03)."""
    if not clean(text) or nod(text):
        return None
    period = dates.find(text)
    if period is not None:  # 「去年10月开始干的」: the time words and the verb after them
        text = re.sub(re.escape(period.words) + r"[^，,。\s]*", " ", text, count=1)
    found = place_and_name(text, nlu)
    # 「东莞 长安」: only the place, which city and district hold; else the site's own name
    out: Filled = {"site": found.get("name", "" if "city" in found else clean(text))[:80]}
    for key in ("city", "district"):
        if key in found:
            out[key] = found[key]
    out["construction"] = bool(CONSTRUCTION.search(text))
    if period is not None:
        out.update(_period("period", period))
    return out


def when(text: str, nlu: NluResult) -> Filled | None:
    """「去年10月」「春节后」: the words as said, and the months they mean when they say a time."""
    text = clean(text)
    if not text or nod(text):
        return None
    period = dates.find(text)
    if period is None and ASKS_BACK.search(text) and not FORGOT.search(text):
        return None  # 「有没有包吃住的」 is no time, whatever the question before
    return {"when": text[:60], **(_period("when_dates", period) if period else {})}


FORGOT = re.compile(r"不知道|不清楚|忘了|不记得|记不清|记不得|不晓得|唔记得")
ASKS_BACK = re.compile(r"[吗么嘛？?]\s*$|^有没有")


def _period(name: str, period: dates.Period) -> Filled:
    """A period kept as the worker's words, the months meant (「2026年3月起」) and ISO dates for staff."""
    return {name: period.words, f"{name}_shown": period.shown(),
            f"{name}_from": period.start.isoformat() if period.start else None,
            f"{name}_to": period.end.isoformat() if period.end else None}


def free_text(name: str, limit: int = 500) -> Any:
    def read(text: str, nlu: NluResult) -> Filled | None:
        text = clean(text)
        return {name: text[:limit]} if text and not nod(text) else None
    return read


PER_PERSON = re.compile(r"每人|每个人|[一1]人|人均|[一1]个人|每位|每个工友|俺的是|我的是|我自己的")
# A day rate and the days worked: 「一天三百 干了四十天」 (normalised: 「1天300 干了40天」) is 12000.
DAY_RATE = re.compile(
    rf"(?:[一1]天|每天|日薪|日工资)\s*([\d{CN_DIGITS}]+)\s*(?:块|元)?.*?([\d{CN_DIGITS}]+)\s*(?:个)?(?:工|天)")


MONTH_RATE = re.compile(rf"(?<![\d{CN_DIGITS}个])(?:[一1]个?月|每个?月|月薪|月工资)\s*(?:工资)?\s*(?:是|有|给)?\s*"
                        rf"([\d{CN_DIGITS}.]+[万千kKwW]?[\d{CN_DIGITS}]?)(多)?")
MONTHS_OWED = re.compile(rf"([\d{CN_DIGITS}]+)\s*个\s*(?:多\s*)?月|(半年)")
NOT_KNOWN = re.compile(r"记不清|说不准|说不清|算不清|不确定|不清楚|不知道|唔知|唔清楚|冇数|没数")


def amount(text: str, nlu: NluResult) -> Filled | None:
    """「两万多」 → 20000 (approximate); 「每人八千」 → 8000 each, multiplied by the head count once known."""
    each = {"amount_per_person": True} if PER_PERSON.search(text) else {}
    by_day = DAY_RATE.search(text)
    if by_day and (rate := parse_amount(by_day.group(1))) and (days := parse_amount(by_day.group(2))):
        return {"amount": rate[0] * days[0], "amount_said": clean(text)[:30], "amount_approx": False}
    rates = [(r[0], r[1] or bool(m.group(2))) for m in MONTH_RATE.finditer(text)
             if (r := parse_amount(m.group(1))) and r[0] >= 100]
    # the months owed, when one figure is said besides the pay's own 「一个月」 (「一个月五千 干了八个月 只发了
    # 两个月」 says two: not worked out here)
    said_months = {6 if m.group(2) else (parse_amount(m.group(1)) or (0, False))[0] for m in MONTHS_OWED.finditer(text)}
    said_months.discard(1)
    if len(rates) == 1 and len(said_months) == 1 and not each:  # 「每个月六千 欠了四个月」: 24000, not 6000
        months = said_months.pop()
        if 1 < months <= 60:
            return {"amount": rates[0][0] * months, "amount_said": clean(text)[:30], "amount_approx": rates[0][1]}
    ent = next((e for e in nlu.entities if e.name == "amount"), None)
    if ent is not None and (("万" in text and int(ent.value) < 10000) or each):
        ent = None  # 「一共二十来万」 read by the model as 20, 「一人一万多」 as 1: the words say more
    text = PER_PERSON.sub(" ", text) if each else text  # 「1人10000多」: the 1 counts heads, not yuan
    if ent is not None:
        value = int(ent.value)
        return {"amount": value, "amount_said": ent.text or str(ent.value), "amount_approx": bool(ent.approximate),
                **({**each, "amount_each": value} if each else {})}
    parsed = parse_amount(text)
    money = [int(n) for n in re.findall(r"(?<![\d.])\d{3,7}(?![\d.])", text)]
    if (parsed is None or parsed[0] < 100) and money:  # 「欠了11个月 3000」: the 3000, not the months
        parsed = (max(money), parsed[1] if parsed else False)
    if parsed and parsed[0] >= 10:
        return {"amount": parsed[0], "amount_said": clean(text), "amount_approx": parsed[1],
                **({**each, "amount_each": parsed[0]} if each else {})}
    if UNKNOWN.match(clean(text)) or NOT_KNOWN.search(text):
        return {"amount": None, "amount_said": "不清楚"}
    return None


def months(text: str, nlu: NluResult) -> Filled | None:
    ent = next((e for e in nlu.entities if e.name == "months"), None)
    if ent is not None:
        return {"months": int(ent.value)}
    match = MONTHS.search(text.replace("俩", "2").replace("仨", "3"))
    if match:
        return {"months": int(match.group(1))}
    parsed = parse_amount(text)
    if parsed and 0 < parsed[0] <= 60:
        return {"months": parsed[0]}
    if "半年" in text:
        return {"months": 6}
    years = re.search(rf"([\d{CN_DIGITS}]+)\s*(?:多)?\s*年", text)
    if years and (parsed_years := parse_amount(years.group(1))) and 0 < parsed_years[0] <= 5:
        return {"months": parsed_years[0] * 12 + (6 if "年半" in text else 0)}  # 「两年」「一年半」
    if re.search(r"一年|成年|整年|大半年", text):
        return {"months": 12 if "大半年" not in text else 6}
    return None


# Months said as months: 「3个月」「半年」「一年半」「两年多」 (not a bare number, which may be money).
SAYS_MONTHS = re.compile(
    rf"[\d{CN_DIGITS}]+\s*个?\s*多?\s*月|半年|[\d{CN_DIGITS}]+\s*多?\s*年半?|一年|成年|整年|大半年")
MONEY_WORDS = re.compile(r"[万千百块元]|\d{3,}")
BARE_COUNT = re.compile(r"^(\d{1,2})\s+")


def months_and_amount(text: str, nlu: NluResult) -> Filled | None:
    """「3个月 两万多」 to 「欠了几个月、一共欠多少钱？」: both; 「三个月」 or 「两万多」 alone: the one said
    (the other is asked next); 「不知道」: months not known."""
    said_months = SAYS_MONTHS.search(text)
    out: Filled = {}
    if said_months is not None:
        out.update(months(said_months.group(), nlu) or {})
    rest = SAYS_MONTHS.sub(" ", text).strip()
    bare_count = BARE_COUNT.match(rest)
    if said_months is None and bare_count and int(bare_count.group(1)) <= 60 and MONEY_WORDS.search(rest[2:]):
        out["months"] = int(bare_count.group(1))  # 「3 四万五」: the months first, then the money
        rest = rest[bare_count.end():]
    if rest and MONEY_WORDS.search(rest):
        money_entities = tuple(e for e in nlu.entities if e.name != "amount" or int(e.value) >= 100 or not said_months)
        out.update(amount(rest, replace(nlu, entities=money_entities)) or {})
    if out:
        return out
    if UNKNOWN.match(clean(text)):
        return {"months": None}
    return months(text, nlu)  # 「三」「5」: a bare small number answers 几个月


# A head count in words: 「十二个」「整个班组 十五个」「十来个」「七八个」. The number before 个/位/名/人
# counts; else the last number (「一共」「一起」 hold a 一 that is not one).
COUNT = re.compile(rf"([\d{CN_DIGITS}]+(?:来|多|几)?)\s*([个位名人口])?")


PEOPLE_IN_WORDS = re.compile(rf"([\d{CN_DIGITS}]+(?:来|多|几)?)\s*(?:个|位|名)?\s*(?:人(?!民币)|工人|兄弟|老乡|工友)")
MORE_THAN_ME = re.compile(r"不止|不只")
HOW_MANY_UNKNOWN = re.compile(r"好多人|很多人|挺多|一大帮|一帮人|好几十|说不清|搞不清|不清楚|唔清楚|不知道|唔知")


def people(text: str, nlu: NluResult) -> Filled | None:
    in_words = PEOPLE_IN_WORDS.search(text)  # 「一个班组 八九个人」: the count of people, not the one crew
    if in_words and not TWO_OF_US.search(NORTHERN_I.sub("我", text)):
        parsed = parse_amount(in_words.group(1))
        if parsed and 0 < parsed[0] < 10000:
            return {"people": parsed[0], "people_approx": parsed[1] or in_words.group(1)[-1:] in ("多", "来", "几")}
    beyond = MORE_THAN_ME.search(text)
    if beyond:  # 「不止十个」 is ten or more; 「不知道 反正不止我一个」 more than one, how many unknown
        after = COUNT.search(text, beyond.end())
        parsed = parse_amount(after.group(1)) if after else None
        if parsed and 1 < parsed[0] < 10000:
            return {"people": parsed[0], "people_approx": True}
        return {"people": None, "people_unknown": True}
    found = read_people(text)
    if found is not None:
        return {"people": found, "people_approx": bool(re.search(r"\d+\s*[多来几]", text))}
    tokens = COUNT.findall(text)
    counted = [number for number, measure in tokens if measure] or [number for number, _ in tokens[-1:]]
    for number in counted:
        parsed = parse_amount(number)
        if parsed and 0 < parsed[0] < 10000:
            return {"people": parsed[0], "people_approx": parsed[1] or number[-1:] in ("多", "来", "几")}
    if HOW_MANY_UNKNOWN.search(text):  # 「不清楚 好多人」: asked no more, staff will ask
        return {"people": None, "people_unknown": True}
    return None


NOT_A_TIME = r"(?!\s*个?\s*(?:多\s*)?(?:月|年|天|星期|礼拜|周|钟头|小时))"
TWO_OF_US = re.compile(
    r"我(?:和|跟|同|加)(?:我)?(?:哥|弟|姐|妹|爸|妈|老婆|老公|媳妇|爱人|儿子|女儿|老乡|兄弟|表哥|表弟|堂哥|朋友)")


NORTHERN_I = re.compile(r"俺|咱")  # 「就俺自己」「咱俩」: northern words for 我


def read_people(text: str) -> int | None:
    text = NORTHERN_I.sub("我", text)
    if TWO_OF_US.search(text):  # 「就我和我哥」: two, not 「就我」
        return 2
    for words, count in sorted(PEOPLE_WORDS.items(), key=lambda item: (-item[1], -len(item[0]))):  # 「就我俩」: 2
        if re.search(re.escape(words) + NOT_A_TIME, text):  # 「欠我俩月工钱」 is two months, not two of us
            return count
    match = PEOPLE.search(text)
    return int(match.group(1)) if match else None


EVIDENCE = {"1": "劳动合同", "2": "考勤或工资条", "3": "聊天记录或转账截图"}


# Each kind of evidence as workers name it; 「没签合同」「合同没有」 say they do not have it.
EVIDENCE_WORDS = {
    "劳动合同": re.compile(r"合同|协议|合约"),
    "考勤或工资条": re.compile(r"考勤|打卡(?!上)|工资条|工资单|粮单|出勤|记工|本本"),
    "聊天记录或转账截图": re.compile(r"聊天|微信|转账|截图|短信|流水|语音"),
    # what the list does not name, kept in the worker's word for staff (「只有欠条」 was once a chat record)
    "欠条": re.compile(r"欠条|借条|白条|欠单"),
    "录音": re.compile(r"录音"),
    "工牌": re.compile(r"工牌|厂牌|工作证"),
    "工友作证": re.compile(r"作证|证人|工友.{0,4}证明"),
}
NEGATED = re.compile(r"(?:没|没有|无|未|不|没人|不愿意?|不肯)(?:愿意|肯)?\s*(?:签|有|给|打)?\s*$")
# 「合同没签」「聊天记录没了」
NEGATED_AFTER = re.compile(r"^(?:记录|截图|表|本)?\s*(?:没|没有|未|也没)(?:签|有|给|打|拿|了)?(?:\s|$|[，,。了])|"
                           r"^(?:记录|截图|表|本)?\s*(?:都|也|全)?(?:删|丢|没了|弄丢|被删)")
NOTHING = re.compile(r"^(?:4|都没有?|没有|没|无|啥也没有?|什么都没有?|一样也没有|一个都没有|都冇|冇)[啊呀的了。!！ ]*$")
NOTHING_FIRST = re.compile(r"^(?:4\s|都没有|啥都没|啥也没|什么都没|一样也没|乜都冇)")  # 「都没有 老板都是给现金」
PICKED_IN_WORDS = re.compile(r"^(?:选|选择|有)?\s*([一二三1-3](?:\s*[跟和、,，]\s*[一二三1-3])*)\s*(?:都有|吧)?$")


EVERYTHING = re.compile(r"^(?:[1-3\s,，、和]*)(?:全都有|都有|全有|齐全|都齐|三样都有|全部都有)")


def evidence(text: str, nlu: NluResult) -> Filled | None:
    text = bare(text)
    if EVERYTHING.match(text):  # 「全都有」「123都有」
        return {"evidence": list(EVIDENCE.values()), "contract": True}
    text = {"四": "4", "一": "1", "二": "2", "三": "3"}.get(text, text)
    in_words = PICKED_IN_WORDS.match(text)  # 「选一跟三」
    if in_words:
        text = in_words.group(1).translate(str.maketrans("一二三", "123"))
    digits_only = re.fullmatch(r"[1-4\s,，、和跟]+", text) is not None
    picked = [EVIDENCE[d] for d in dict.fromkeys(re.findall(r"[123]", text))] if digits_only else []
    if digits_only and not picked and "4" in text:
        return {"evidence": [], "contract": False}
    words: list[str] = []
    denied: list[str] = []
    for label, pattern in EVIDENCE_WORDS.items():
        for match in pattern.finditer(text):
            before = re.split(r"[\s，,。]", text[max(0, match.start() - 5):match.start()])[-1]  # this clause's
            after = text[match.end():match.end() + 6]
            (denied if NEGATED.search(before) or NEGATED_AFTER.search(after) else words).append(label)
    have = [label for label in dict.fromkeys(picked + words) if label not in denied]
    if have:
        return {"evidence": have, "contract": "劳动合同" in have}
    if denied or NOTHING.match(text) or NOTHING_FIRST.match(text) or text.startswith("没有"):  # 「没签合同」
        return {"evidence": [], "contract": False}
    return None


def phone(text: str, nlu: NluResult) -> Filled | None:
    ent = next((e for e in nlu.entities if e.name == "phone"), None)
    number = normalise_phone(str(ent.value)) if ent is not None else None
    if number is None:  # 「一五八 零零一二 三四五六」: digits said in words
        digits = re.sub(r"\D", "", text.translate(CN_PHONE_DIGITS))
        number = normalise_phone(digits[-11:]) if len(digits) >= 11 else None
    if number is None:  # no number: 「匿名」「留啥电话」 (a number given with such words is still kept)
        return {"phone": "", "anonymous": True} if ANONYMOUS.search(text) else None
    return {"phone": number.removeprefix("+86"), "anonymous": False}


def bare(text: str) -> str:
    """An answer without the fillers of speech: 「嗯 那个 好吧」 → 「好」."""
    return PARTICLES.sub("", FILLERS.sub("", clean(text))).strip()


PICKED = re.compile(r"(?:选|选择|就|要)?第?\s*([12一二])\s*(?:个|项|号|吧)?")
YES_WITH_A_CONDITION = re.compile(r"^(?:同意|可以|行|好|给|中|得|没问题)[啊吧的呀嘛]?[\s，,。]+"
                                  r"(?:但|但是|只要|就是|不过|只是)")
CLAUSE = re.compile(r"[\s，,。!！？?]+")
ASKED_BACK = re.compile(r"[？?]|吗\s*$|哪个|哪里|什么|啥部门|谁")
NODS_ONLY = re.compile(r"^[嗯恩噢哦]+$")


def consent(text: str, nlu: NluResult) -> Filled | None:
    """Yes or no to telling the department the number. The first clause decides (「同意啊 我都不怕 他欠钱还有
    理了」 is a yes, 「不中 俺怕」 a no); a yes with a condition is a yes (「可以 但别告诉老板」: the condition is
    noted for staff in the transcript); a question back (「处理部门是哪个」) is no answer yet."""
    said = clean(text).replace("同以", "同意")
    text = bare(said)
    if YES.match(text):
        return {"consent": True}
    if NO.match(text):
        return {"consent": False}
    picked = PICKED.fullmatch(text)
    if picked:  # 「第一个」「选2」
        return {"consent": picked.group(1) in "1一"}
    if ASKED_BACK.search(text):  # 「可以不要告诉他们吗」: a question, not a yes
        return None
    if YES_WITH_A_CONDITION.search(text):
        return {"consent": True}
    first = CLAUSE.split(text)[0]
    if SAYS_NO.search(first):
        return {"consent": False}
    taken_back = SAYS_NO.search(text[len(first):]) is not None  # 「行 不要了」
    if SAYS_YES.search(first) and not taken_back and not re.search(
            r"不|唔|别|冇", first.replace("没问题", "").replace("冇问题", "")):
        return {"consent": True}
    if SAYS_NO.search(text):  # 「怕打击报复 不同意」
        return {"consent": False}
    if SAYS_YES.search(text) and not re.search(r"不|唔|别|冇", text.replace("没问题", "").replace("冇问题", "")):
        return {"consent": True}  # 「係 同意」
    if SAYS_YES.search(text) and re.search(r"只要|但是|不过", text):  # 「可以 只要别让老板知道」
        return {"consent": True}
    if NODS_ONLY.match(said.replace(" ", "")):  # 「嗯嗯」 to a yes-or-no question
        return {"consent": True}
    return None


def years_ago(text: str, today: date) -> int | None:
    """How long ago the worker says it began: 「2022年」, 「前年」, 「去年10月」."""
    period = dates.find(text, today)
    if period is not None and period.start is not None:
        return (today - period.start).days // 365
    match = YEAR.search(text)
    if match:
        return today.year - int(match.group(1))
    for word, ago in sorted(RELATIVE_YEAR.items(), key=lambda item: -len(item[0])):
        if word in text:
            return ago
    return None


RAW_AMOUNT = re.compile(r"[\d零〇一二两兩三四五六七八九十百千万萬.]+[多几幾来來]?(?:块钱|塊錢|块|塊|元)?")


def words_for_amount(raw: str, value: int) -> str | None:
    """The worker's own words for an amount found in their message (「兩萬多塊」 for 20000)."""
    for match in RAW_AMOUNT.finditer(raw):
        parsed = parse_amount(normalize(match.group()))
        if parsed and parsed[0] == value:
            return match.group()
    return None


# What an answer to another of the form's questions plainly looks like, said on its own: money with its
# unit (「大概一万五吧」「每人八千」), a head count (「就我一个人」「我们二十几个人」), months
# (「三个多月」), evidence (「有个微信聊天记录」「只有欠条」). The rest of the answer may hold only
# fillers (大概、差不多、吧、的、有、个、只有…): 「郑州 今年3月开始」 is no amount.
PLAINLY: dict[str, re.Pattern[str]] = {
    # normalised: 「一万五」 is 15000 — a bare number from 1000 (not 11 digits: a phone) counts as money
    "amount": re.compile(rf"(?:每人|每个人|[一1]人|人均)?(?:(?<!\d)(?!(?:19|20)\d\d(?!\d))\d{{4,7}}(?!\d)|"
                         rf"[\d{CN_DIGITS}.]+\s*[多来几]?\s*"
                         rf"(?:万|千|块钱|块|元))[\d{CN_DIGITS}]*[多来几]?"),
    "people": re.compile(rf"(?:就|只有|一共|总共|我们|俺们|咱们)?(?:我|俺|咱)?(?:[\d{CN_DIGITS}]+\s*[多来几]?\s*个?\s*"
                         r"(?:人(?!民币)|工人|兄弟|老乡|工友)|一个人|自己|自个|俩|仨)"),
    "months": re.compile(rf"[\d{CN_DIGITS}半]+\s*个\s*多?\s*月|俩月|仨月"),
    "evidence": re.compile(r"(?:劳动)?合同|工资条|考勤|打卡记录|打卡|聊天记录|转账记录|转账|截图|欠条|白条|录音|"
                           r"工牌|工作证"),
    # a mobile number, or not wanting to give one, before the phone question (「13912345678」「不想说电话」)
    "phone": re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)|匿名|不想留电话|不留电话|不想说电话|不给电话|不想给电话"),
}
PLAIN_FILLERS = re.compile(r"[\s，,。.!！?？~～]|大概|大约|差不多|左右|估计|应该|可能|好像|就|只|只有|有|个|的|了|吧|"
                           r"吗|啊|呀|嘛|呢|哦|一共|总共|都|是|还|微信|手机|上|里|和|跟|还有|我们|俺们|咱们|被欠|欠|钱|工资|工钱|"
                           r"没签|没有|没|冇|无|电话|号码|我的|号|我|俺")


# What happened, told when asked who (「收了我500块说包进厂 结果没有」 asked the agency's name): an
# account of something done, with no name of a firm in it.
TELLS = re.compile(r"收了|扣了|扣我|骗|不给|不退|没给|没退|说好|结果|打了|跑了|不发|没发|拖着|不让|逼")
NAMES_A_FIRM = re.compile(r"公司|厂名|中介叫|劳务|人力|有限|集团|叫[^不]|名字")
STORY_MIN = 8  # characters


def plainly_for(text: str, names: set[str]) -> str | None:
    """Which of the named questions the answer is plainly and wholly for, if any (in the form's order
    of the patterns above; then the story, which has no pattern of its own)."""
    if "story" in names and len(text) >= STORY_MIN and TELLS.search(text) and not NAMES_A_FIRM.search(text):
        return "story"
    for name, pattern in PLAINLY.items():
        if name in names and pattern.search(text) and not PLAIN_FILLERS.sub("", pattern.sub("", text)):
            return name
    return None
