"""Understanding one message: normalise → Rasa (or the rule layer) → clean entities."""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from nlu.cache import ParseCache
from nlu.client import NluUnavailable, RasaClient
from nlu.commands import match_command
from nlu.gazetteer import GAZETTEER_ENTITIES, Gazetteer
from nlu.geo import locate, province_in
from nlu.normalize import normalize, parse_amount
from nlu.phone import normalise_phone, shield
from nlu.result import FALLBACK_INTENT, Entity, NluResult
from nlu.rules import CASE_ID, rule_parse

log = logging.getLogger(__name__)
NUMERIC_ENTITIES = ("amount", "salary", "months", "person_count")
MAX_MONTHS = 60
MIN_AMOUNT = 10  # yuan: smaller numbers are counts, dates or months
MIN_MONEY = 100  # a bare number this big in a money conversation is money
# What is left of a message after its places and trades: if only these, it is a job search
# (「新疆拾花」「拾花工」「东莞 普工?」), whatever the model thought.
SEARCH_FILLER = re.compile(r"[\s,.，。?？!！~找有没的活儿吗呢嘛招去想个要人在哪里干做还么]|工作")
MONEY_INTENTS = frozenset({"report_wage_arrears", "file_complaint", "ask_policy"})
# A number (maybe with 万/千 and a digit after: 1万3) not followed by a count or time unit.
MONEY = re.compile(
    r"(?<![\d.A-Za-z])(\d+(?:\.\d+)?(?:[万千]\d?)?(?:多)?(?:块钱|块|元)?)"
    r"(?![\d.]|\s*(?:天|个月|月|人|个|号|点|岁|年|楼|栋|层|小时|次|%|分|斤|平|米|公里|台|辆))"
)
# A count of months: 3个月, 三个多月, 七八个月, 欠两月 — not a calendar month (8月份, 3月底, 5月1号).
MONTHS = re.compile(
    r"(?<![\d.])(\d{1,2}|[一二两三四五六七八九十]{1,3})\s*(?:个\s*)?(?:多\s*)?月(?![份底初中号日])"
)


# Asking for work in so many words (「揾工 深圳 有冇包食宿嘅」, read by the model as a policy question
# for its 「有没有」): a job search, unless the message is also about a right, a wrong or a subsidy.
SEEKS_WORK = re.compile(r"找工作|找活|找个活|找份工|找点活|找事做|求职|招工|招人|招聘|岗位|缺人")
ABOUT_RIGHTS = re.compile(r"欠|扣|辞|开除|炒|伤|赔|补偿|合同|社保|保险|加班费|仲裁|投诉|举报|违法|合法|权益|押|"
                          r"补贴|政策|培训|骗|中介|介绍费|收费|收了|交了|假|不招|歧视|犯法|年龄|岁")
NOT_A_SEARCH = frozenset({"ask_policy", "out_of_scope", FALLBACK_INTENT, "greet", "affirm", "deny"})


def seeks_work(text: str) -> bool:
    return SEEKS_WORK.search(text) is not None and ABOUT_RIGHTS.search(text) is None


def only_places_and_trades(text: str, known: list[Entity]) -> bool:
    """Nothing but places and trades (and filler words): 「新疆拾花」「拾花工」."""
    province = province_in(text)
    if not (known or province):
        return False
    rest = text
    for ent in known:
        rest = rest.replace(ent.text, "", 1)
    if province:
        rest = rest.replace(province, "", 1)
    return not SEARCH_FILLER.sub("", rest)


class NluService:
    def __init__(self, rasa: RasaClient, gazetteer: Gazetteer, threshold: float,
                 cache: ParseCache | None = None) -> None:
        self.rasa = rasa
        self.gazetteer = gazetteer
        self.threshold = threshold
        self.cache = cache  # repeated messages (你好, 找工作) skip the model

    def understand(self, raw_text: str) -> tuple[str, NluResult]:
        """Return the normalised text and what it means."""
        text = normalize(raw_text)
        if not text:
            return text, NluResult(FALLBACK_INTENT, 0.0, source="rules")
        model_text, phones = shield(text)  # offsets below are in model_text
        return text, self._with_phones(self._understand(model_text), phones)

    def _understand(self, text: str) -> NluResult:
        try:
            result = self._parse(text)
        except NluUnavailable as exc:
            log.warning("Rasa unavailable, using the rule layer: %s", exc)
            fallback = rule_parse(text, self.gazetteer)
            command = match_command(text)
            return self._clean(replace(fallback, intent=command) if command else fallback, text)
        if result.intent != FALLBACK_INTENT and result.confidence < self.threshold:
            result = replace(result, intent=FALLBACK_INTENT)
        known = [e for e in self.gazetteer.find(text) if e.name in GAZETTEER_ENTITIES]  # cities and trades
        command = match_command(text)
        if command:
            result = replace(result, intent=command, confidence=1.0, source="rules")
        elif result.intent != "search_vacancy" and only_places_and_trades(text, known):
            result = replace(result, intent="search_vacancy", confidence=1.0, source="rules")
        elif result.intent in NOT_A_SEARCH and seeks_work(text):
            result = replace(result, intent="search_vacancy", confidence=1.0, source="rules")
        if result.intent == FALLBACK_INTENT:  # the model is unsure: a clear keyword still counts
            backstop = rule_parse(text, self.gazetteer)
            if backstop.intent != FALLBACK_INTENT:
                result = replace(result, intent=backstop.intent, confidence=backstop.confidence, source="rules")
        filled = self._fill_months(text, self._fill_money(text, self._fill_gazetteer(known, result)))
        return self._clean(filled, text)

    def _parse(self, text: str) -> NluResult:
        """The model's parse, from the cache when this text was parsed by the same model before."""
        cached = self.cache.get(text) if self.cache is not None else None
        if cached is not None:
            return cached
        result = self.rasa.parse(text)
        if self.cache is not None:
            self.cache.put(text, result)
        return result

    @staticmethod
    def _with_phones(result: NluResult, phones: list[str]) -> NluResult:
        """Mobile numbers, read by pattern rather than by the model."""
        found = [Entity("phone", number.removeprefix("+86"), raw, "regex")
                 for raw in phones if (number := normalise_phone(re.sub(r"[\s-]", "", raw)))]
        if not found:
            return result
        return replace(result, entities=tuple(e for e in result.entities if e.name != "phone") + tuple(found))

    def _fill_months(self, text: str, result: NluResult) -> NluResult:
        """In a money conversation, 「欠了三个多月」 is a number of months whether or not the model tagged
        it; the reading replaces a model entity on the same span (a fragment, or the number taken for
        an amount), so handlers get one months value per mention."""
        if result.intent not in MONEY_INTENTS:
            return result
        found = [m for m in MONTHS.finditer(text)  # a bare 3月 is March, unless it is what is owed: 欠了2月
                 if "个" in m.group() or re.search(r"(?:欠|拖|差)了?$", text[:m.start()])]
        if not found:
            return result
        spans = [(m.start(1), m.end(1)) for m in found]
        def overlaps(ent: Entity) -> bool:
            return ent.start >= 0 and any(s < ent.end and ent.start < t for s, t in spans)

        kept = [e for e in result.entities if not (e.name in NUMERIC_ENTITIES and overlaps(e))]
        added = [Entity("months", m.group(1), m.group(1), "rules", approximate="多" in m.group(), start=s, end=t)
                 for m, (s, t) in zip(found, spans, strict=True)]
        return replace(result, entities=tuple(kept + added))

    def _fill_money(self, text: str, result: NluResult) -> NluResult:
        """In a money conversation, bare numbers the model missed (「欠薪12000」) are amounts, and a
        longer reading (「1万3」) replaces a fragment the model tagged (「1万」)."""
        if result.intent not in MONEY_INTENTS:
            return result
        found = [m for m in MONEY.finditer(text) if (parse_amount(m.group(1)) or (0, False))[0] >= MIN_MONEY]
        if not found:
            return result
        spans = [(m.start(1), m.end(1)) for m in found]

        def covered(ent: Entity) -> bool:  # a model entity inside (or equal to) one of our readings
            return any(s <= ent.start and ent.end <= e for s, e in spans) and ent.start >= 0

        kept = [e for e in result.entities if not (e.name in ("amount", "phone") and covered(e))]
        taken = [(e.start, e.end) for e in kept if e.start >= 0]
        added = [Entity("amount", m.group(1), m.group(1), "money", start=s, end=e)
                 for m, (s, e) in zip(found, spans, strict=True)
                 if not any(ts < e and s < te for ts, te in taken)]
        return replace(result, entities=tuple(kept + added))

    @staticmethod
    def _fill_gazetteer(known: list[Entity], result: NluResult) -> NluResult:
        """Add a city or trade the model missed but the dictionary knows."""
        missing = [e for e in known if not result.has(e.name)]
        return replace(result, entities=result.entities + tuple(missing)) if missing else result

    def _city(self, ent: Entity) -> Entity | None:
        """A known place, as its city and province; a span that swallowed more (「绍兴纺织厂」) is
        trimmed to the place inside it; anything else is not a city."""
        value = self.gazetteer.canonical("city", str(ent.value))
        place = locate(value)
        if place is None:
            inside = [e.value for e in self.gazetteer.find(value) if e.name == "city"]
            place = locate(inside[0]) if inside else None
        if place is None:
            return None
        return replace(ent, value=place.city, province=place.province, district=place.district)

    def _clean(self, result: NluResult, text: str = "") -> NluResult:
        # A regex match is exact where DIET may tag fragments (「1万」「2」 of 「1万2」): the regex wins.
        by_regex = {e.name for e in result.entities if e.extractor == "RegexEntityExtractor"}
        cleaned: list[Entity] = []
        for ent in result.entities:
            if ent.name in by_regex and ent.name in NUMERIC_ENTITIES and ent.extractor != "RegexEntityExtractor":
                continue
            if ent.name in NUMERIC_ENTITIES:
                parsed = parse_amount(str(ent.value))
                if parsed is None:
                    continue
                after = text[ent.end:ent.end + 2] if ent.end >= 0 else ""
                approx = ent.approximate or parsed[1] or after.startswith(("多", "几", "来", "左右", "上下"))
                ent = replace(ent, value=parsed[0], approximate=approx)
                if ent.name == "months" and ent.value > MAX_MONTHS:  # nobody is owed 8500 months
                    ent = replace(ent, name="amount")
                if ent.name in ("amount", "salary") and after.startswith("年") and 1990 <= ent.value <= 2100:
                    continue  # 「2022年」 is a year
                if ent.name == "amount" and ent.value < MIN_AMOUNT:  # 「8月份」「6个人」: not money
                    continue
                if ent.name == "amount" and result.intent == "search_vacancy":
                    ent = replace(ent, name="salary")  # in a job search, money named is the pay wanted
            elif ent.name == "city":
                located = self._city(ent)
                if located is None:
                    continue
                ent = located
            elif ent.name == "job_type" and isinstance(ent.value, str):
                ent = replace(ent, value=self.gazetteer.canonical(ent.name, ent.value))
            elif ent.name == "phone":
                phone = normalise_phone(str(ent.value))
                if phone is None:
                    continue
                ent = replace(ent, value=phone.removeprefix("+86"))
            elif ent.name == "case_id":
                if not CASE_ID.fullmatch(str(ent.value)):
                    continue
                ent = replace(ent, value=str(ent.value).upper())
            cleaned.append(ent)
        return replace(result, entities=tuple(cleaned))
