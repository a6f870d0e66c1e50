"""Reading Rasa NLU YAML examples: the plain text, the intent, and the annotated entities."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

ANNOTATION = re.compile(r"\[([^\]]+)\](\(([^)]*)\)|(\{[^}]*\}))")


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    entities: tuple[tuple[str, str], ...]  # (entity, value); value is the synonym's canonical form if given


def parse_example(line: str, intent: str) -> Example:
    entities: list[tuple[str, str]] = []

    def repl(m: re.Match[str]) -> str:
        surface = m.group(1)
        if m.group(3) is not None:
            name, _, value = m.group(3).partition(":")
            entities.append((name, value or surface))
        else:
            spec = json.loads(m.group(4))
            entities.append((spec["entity"], str(spec.get("value", surface))))
        return surface

    return Example(ANNOTATION.sub(repl, line), intent, tuple(entities))


def load_examples(path: Path) -> list[Example]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out: list[Example] = []
    for item in doc.get("nlu") or []:
        if "intent" in item:
            for line in str(item.get("examples", "")).splitlines():
                if line.strip().startswith("- "):
                    out.append(parse_example(line.strip()[2:], item["intent"]))
    return out
