"""Reading one answer of an intake form: the worker's words → a value, or None to ask again.

Each reader gets the normalised text and the NLU's reading of it, and returns a dict of the slots
it filled (an answer may fill more than one: 「东莞长安 华达劳务」 gives the place and the name).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from nlu.gazetteer import load_gazetteer
from nlu.geo import locate
from nlu.normalize import normalize, parse_amount
from nlu.phone import normalise_phone
from nlu.result import NluResult

Filled = dict[str, Any]

UNKNOWN = re.compile(r"^(不知道|不清楚|忘了|不记得|没有|没|不晓得|不懂)")
SKIP = re.compile(r"^(跳过|不知道|不清楚|没有|没|不记得|算了不说)$")
ANONYMOUS = re.compile(r"匿名|不留|不想留|不给|不方便|保密|不要电话|不用电话")
YES = re.compile(r"^(1|是|是的|对|对的|好|好的|同意|可以|行|嗯|确认|确定|提交|ok)[!！。 ]*$", re.I)
NO = re.compile(r"^(2|不|不是|不同意|不行|不要|不可以|否|别)[!！。 ]*$")
PEOPLE = re.compile(r"(\d+)\s*(多|来)?\s*(?:个)?\s*(?:人|工人|兄弟|老乡|工友)")
PEOPLE_WORDS = {"就我": 1, "我自己": 1, "就我一个": 1, "一个人": 1, "我一个": 1}
MONTHS = re.compile(r"(\d+)\s*(?:个)?\s*(多)?\s*月")
YEAR = re.compile(r"(20\d\d)\s*年")
RELATIVE_YEAR = {"今年": 0, "去年": 1, "前年": 2, "大前年": 3}
CONTRACTOR = re.compile(r"(?:包工头|工头|班组长|带班的|老板)\s*(?:叫|是)?\s*([^\s，,。]{1,8})")
CONSTRUCTION = re.compile(r"工地|项目|小区|楼盘|施工|建筑|装修|搭架|钢筋|桥|隧道|道路")
FILLER = re.compile(r"^(在|是|叫|就是|我在|我们在|公司叫|厂叫|名字叫)")


def clean(text: str) -> str:
    return text.strip().strip("，,。.!！ ")


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
    if not text:
        return None
    if UNKNOWN.match(text):
        return {"employer": "不知道"}
    out: Filled = {"employer": text[:60]}
    contractor = CONTRACTOR.search(text)
    if contractor and re.search(r"工头|班组长|带班", contractor.group()):
        out["contractor"] = contractor.group(1)
        out["employer"] = clean(text.replace(contractor.group(), " ")).strip() or "不知道"
    return out


def who_where(text: str, nlu: NluResult) -> Filled | None:
    """The agent or employer and the city, in one answer."""
    if not clean(text):
        return None
    if UNKNOWN.match(clean(text)):
        return {"employer": "不知道"}
    found = place_and_name(text, nlu)
    out: Filled = {"employer": found.get("name", "不知道")[:60]}
    for key in ("city", "district"):
        if key in found:
            out[key] = found[key]
    return out


# When the work ran, said along with the place: 「今年3月开始」「去年10月到今年1月」「从2023年干到现在」
PERIOD = re.compile(
    r"从?((?:20\d\d年|今年|去年|前年)?\s*(?:\d{1,2}月份?)?(?:\d{1,2}[号日])?)\s*(?:开始|起|干到|到|至)[^，,。 ]*"
)


def site(text: str, nlu: NluResult) -> Filled | None:
    if not clean(text):
        return None
    period = next((m for m in PERIOD.finditer(text) if m.group(1).strip()), None)
    if period is not None:
        text = text.replace(period.group(), " ")
    found = place_and_name(text, nlu)
    out: Filled = {"site": found.get("name", clean(text))[:80]}
    for key in ("city", "district"):
        if key in found:
            out[key] = found[key]
    out["construction"] = bool(CONSTRUCTION.search(text))
    if period is not None:
        out["period"] = clean(period.group())
    return out


def free_text(name: str, limit: int = 500) -> Any:
    def read(text: str, nlu: NluResult) -> Filled | None:
        text = clean(text)
        return {name: text[:limit]} if text else None
    return read


PER_PERSON = re.compile(r"每人|每个人|一人|人均|一个人|每位|每个工友")


def amount(text: str, nlu: NluResult) -> Filled | None:
    """「两万多」 → 20000 (approximate); 「每人八千」 → 8000 each, multiplied by the head count once known."""
    each = {"amount_per_person": True} if PER_PERSON.search(text) else {}
    ent = next((e for e in nlu.entities if e.name == "amount"), None)
    if ent is not None:
        value = int(ent.value)
        return {"amount": value, "amount_said": ent.text or str(ent.value), "amount_approx": bool(ent.approximate),
                **({**each, "amount_each": value} if each else {})}
    parsed = parse_amount(text)
    if parsed and parsed[0] >= 10:
        return {"amount": parsed[0], "amount_said": clean(text), "amount_approx": parsed[1],
                **({**each, "amount_each": parsed[0]} if each else {})}
    if UNKNOWN.match(clean(text)):
        return {"amount": None, "amount_said": "不清楚"}
    return None


def months(text: str, nlu: NluResult) -> Filled | None:
    ent = next((e for e in nlu.entities if e.name == "months"), None)
    if ent is not None:
        return {"months": int(ent.value)}
    match = MONTHS.search(text)
    if match:
        return {"months": int(match.group(1))}
    parsed = parse_amount(text)
    if parsed and 0 < parsed[0] <= 60:
        return {"months": parsed[0]}
    if "半年" in text:
        return {"months": 6}
    if "一年" in text:
        return {"months": 12}
    return None


def people(text: str, nlu: NluResult) -> Filled | None:
    found = read_people(text)
    if found is not None:
        return {"people": found}
    parsed = parse_amount(text)
    if parsed and 0 < parsed[0] < 10000:
        return {"people": parsed[0]}
    return None


def read_people(text: str) -> int | None:
    for words, count in PEOPLE_WORDS.items():
        if words in text:
            return count
    match = PEOPLE.search(text)
    return int(match.group(1)) if match else None


EVIDENCE = {"1": "劳动合同", "2": "考勤或工资条", "3": "聊天记录或转账截图"}


# Each kind of evidence as workers name it; 「没签合同」「合同没有」 say they do not have it.
EVIDENCE_WORDS = {
    "劳动合同": re.compile(r"合同|协议"),
    "考勤或工资条": re.compile(r"考勤|打卡|工资条|工资单|工牌|出勤|记工"),
    "聊天记录或转账截图": re.compile(r"聊天|微信记录|转账|截图|录音|短信|欠条|借条"),
}
NEGATED = re.compile(r"(?:没|没有|无|未|不)\s*(?:签|有|给|打)?\s*$")
NEGATED_AFTER = re.compile(r"^(?:没|没有|未|也没)(?:签|有|给|打|拿)?(?:\s|$|[，,。])")  # 「合同没签」
NOTHING = re.compile(r"^(?:4|都没有?|没有|没|无|啥也没有?|什么都没有?|一样也没有|一个都没有|都冇|冇)[啊呀的了。!！ ]*$")


def evidence(text: str, nlu: NluResult) -> Filled | None:
    text = clean(text)
    digits_only = re.fullmatch(r"[1-4\s,，、和]+", text) is not None
    picked = [EVIDENCE[d] for d in dict.fromkeys(re.findall(r"[123]", text))] if digits_only else []
    if digits_only and not picked and "4" in text:
        return {"evidence": [], "contract": False}
    words: list[str] = []
    denied: list[str] = []
    for label, pattern in EVIDENCE_WORDS.items():
        for match in pattern.finditer(text):
            before, after = text[max(0, match.start() - 3):match.start()], text[match.end():match.end() + 4]
            (denied if NEGATED.search(before) or NEGATED_AFTER.search(after) else words).append(label)
    have = [label for label in dict.fromkeys(picked + words) if label not in denied]
    if have:
        return {"evidence": have, "contract": "劳动合同" in have}
    if denied or NOTHING.match(text) or text.startswith("没有"):  # 「没签合同」: nothing of these
        return {"evidence": [], "contract": False}
    return None


def phone(text: str, nlu: NluResult) -> Filled | None:
    if ANONYMOUS.search(text):
        return {"phone": "", "anonymous": True}
    ent = next((e for e in nlu.entities if e.name == "phone"), None)
    number = normalise_phone(str(ent.value)) if ent is not None else None
    if number is None:
        digits = re.sub(r"\D", "", text)
        number = normalise_phone(digits[-11:]) if len(digits) >= 11 else None
    if number is None:
        return None
    return {"phone": number.removeprefix("+86"), "anonymous": False}


def consent(text: str, nlu: NluResult) -> Filled | None:
    text = clean(text)
    if YES.match(text):
        return {"consent": True}
    if NO.match(text):
        return {"consent": False}
    return None


def years_ago(text: str, today: date) -> int | None:
    """How long ago the worker says it began: 「2022年」, 「前年」."""
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
