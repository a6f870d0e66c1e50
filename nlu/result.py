"""What understanding a message yields: an intent, its confidence, entities, and who decided."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FALLBACK_INTENT = "nlu_fallback"

# The intent contract shared by the Rasa data, the rule layer and the handlers.
CONTRACT_INTENTS = frozenset(
    {
        "greet", "goodbye", "help", "search_vacancy", "ask_policy", "file_complaint",
        "report_wage_arrears", "check_status", "human_agent", "cancel", "affirm", "deny",
        "thank", "out_of_scope", FALLBACK_INTENT,
    }
)
CONTRACT_ENTITIES = frozenset(
    {"city", "job_type", "salary", "amount", "months", "employer", "phone", "case_id",
     "person_count", "policy_topic"}
)


@dataclass(frozen=True, slots=True)
class Entity:
    name: str
    value: Any  # canonical value (synonyms mapped; amounts as int)
    text: str = ""  # the words as the worker wrote them
    extractor: str = ""
    approximate: bool = False  # 「两万多」 → 20000, approximate
    start: int = -1  # offsets in the normalised text, when known
    end: int = -1
    province: str | None = None  # for a city: its province (「宝安」 → 广东)
    district: str | None = None  # for a city named by a district: the district (宝安区)


@dataclass(frozen=True, slots=True)
class NluResult:
    intent: str
    confidence: float
    entities: tuple[Entity, ...] = ()
    source: str = "rasa"  # rasa | rules | option
    ranking: tuple[tuple[str, float], ...] = field(default_factory=tuple)

    def first(self, name: str) -> Any | None:
        for ent in self.entities:
            if ent.name == name:
                return ent.value
        return None

    def has(self, name: str) -> bool:
        return any(ent.name == name for ent in self.entities)
