"""Dictionary matching of cities and trades, built from the same lookup tables and synonyms
Rasa trains on (nlu/data/lookups.yml, synonyms.yml). Used by the rule layer when Rasa is down,
and to fill a city or trade the model missed."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from nlu.result import Entity

DATA = Path(__file__).resolve().parent / "data"
GAZETTEER_ENTITIES = ("city", "job_type")


@dataclass(frozen=True)
class Gazetteer:
    # surface form → (entity, canonical value), longest forms first
    terms: tuple[tuple[str, str, str], ...]

    def find(self, text: str) -> list[Entity]:
        """Non-overlapping matches, longest first, in text order."""
        taken = [False] * len(text)
        found: list[tuple[int, Entity]] = []
        lowered = text.lower()
        for surface, entity, canonical in self.terms:
            start = lowered.find(surface)
            while start != -1:
                end = start + len(surface)
                if not any(taken[start:end]):
                    taken[start:end] = [True] * (end - start)
                    found.append((start, Entity(entity, canonical, text[start:end], "gazetteer")))
                start = lowered.find(surface, end)
        return [ent for _, ent in sorted(found, key=lambda item: item[0])]

    @cached_property
    def _canonical(self) -> dict[tuple[str, str], str]:
        return {(ent, surface): canonical for surface, ent, canonical in self.terms}

    def canonical(self, entity: str, value: str) -> str:
        """Map a surface form to its canonical value (identity when unknown)."""
        return self._canonical.get((entity, value.strip().lower()), value.strip())


def _examples(block: str) -> list[str]:
    return [line.strip()[2:].strip() for line in block.splitlines() if line.strip().startswith("- ")]


@lru_cache(maxsize=4)
def load_gazetteer(data_dir: Path = DATA) -> Gazetteer:
    canonical_of: dict[str, str] = {}
    lookups: dict[str, set[str]] = {name: set() for name in GAZETTEER_ENTITIES}
    for path in sorted(data_dir.glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in doc.get("nlu") or []:
            if "synonym" in item:
                for surface in _examples(item.get("examples", "")):
                    canonical_of[surface.lower()] = str(item["synonym"])
            elif item.get("lookup") in lookups:
                lookups[item["lookup"]].update(_examples(item.get("examples", "")))
    terms: dict[str, tuple[str, str]] = {}
    for entity, words in lookups.items():
        for word in words:
            if len(word) >= 2:
                terms[word.lower()] = (entity, canonical_of.get(word.lower(), word))
    # synonyms whose canonical value is a known city/trade are surface forms too
    for surface, canonical in canonical_of.items():
        for entity, words in lookups.items():
            if canonical in words and len(surface) >= 2:
                terms.setdefault(surface, (entity, canonical))
    ordered = sorted(terms.items(), key=lambda kv: (-len(kv[0]), kv[0]))
    return Gazetteer(tuple((surface, ent, canon) for surface, (ent, canon) in ordered))
