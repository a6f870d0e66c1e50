"""Understanding one message: normalise → Rasa (or the rule layer) → clean entities."""

from __future__ import annotations

import logging
from dataclasses import replace

from nlu.client import NluUnavailable, RasaClient
from nlu.gazetteer import GAZETTEER_ENTITIES, Gazetteer
from nlu.geo import locate
from nlu.normalize import normalize, parse_amount
from nlu.result import FALLBACK_INTENT, Entity, NluResult
from nlu.rules import rule_parse

log = logging.getLogger(__name__)
NUMERIC_ENTITIES = ("amount", "salary", "months", "person_count")
MAX_MONTHS = 60


class NluService:
    def __init__(self, rasa: RasaClient, gazetteer: Gazetteer, threshold: float) -> None:
        self.rasa = rasa
        self.gazetteer = gazetteer
        self.threshold = threshold

    def understand(self, raw_text: str) -> tuple[str, NluResult]:
        """Return the normalised text and what it means."""
        text = normalize(raw_text)
        if not text:
            return text, NluResult(FALLBACK_INTENT, 0.0, source="rules")
        try:
            result = self.rasa.parse(text)
        except NluUnavailable as exc:
            log.warning("Rasa unavailable, using the rule layer: %s", exc)
            return text, self._clean(rule_parse(text, self.gazetteer), text)
        if result.intent != FALLBACK_INTENT and result.confidence < self.threshold:
            result = replace(result, intent=FALLBACK_INTENT)
        if result.intent == FALLBACK_INTENT:  # the model is unsure: a clear keyword still counts
            backstop = rule_parse(text, self.gazetteer)
            if backstop.intent != FALLBACK_INTENT:
                result = replace(result, intent=backstop.intent, confidence=backstop.confidence, source="rules")
        return text, self._clean(self._fill_gazetteer(text, result), text)

    def _fill_gazetteer(self, text: str, result: NluResult) -> NluResult:
        """Add a city or trade the model missed but the dictionary knows."""
        missing = [e for e in self.gazetteer.find(text) if e.name in GAZETTEER_ENTITIES and not result.has(e.name)]
        return replace(result, entities=result.entities + tuple(missing)) if missing else result

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
                approx = parsed[1] or after.startswith(("多", "几", "来", "左右", "上下"))
                ent = replace(ent, value=parsed[0], approximate=approx)
                if ent.name == "months" and ent.value > MAX_MONTHS:  # nobody is owed 8500 months
                    ent = replace(ent, name="amount")
            elif ent.name in GAZETTEER_ENTITIES and isinstance(ent.value, str):
                ent = replace(ent, value=self.gazetteer.canonical(ent.name, ent.value))
                place = locate(ent.value) if ent.name == "city" else None
                if place is not None:
                    ent = replace(ent, value=place.city, province=place.province, district=place.district)
            cleaned.append(ent)
        return replace(result, entities=tuple(cleaned))
