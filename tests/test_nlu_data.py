"""The training data honours the contract and never overlaps the held-out test file."""

from __future__ import annotations

import re
import subprocess
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml

from bench.nlu_eval import BLIND, HELDOUT, load_examples
from nlu.result import CONTRACT_ENTITIES, CONTRACT_INTENTS

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT / "nlu" / "data" / "nlu.yml"
PUNCT = re.compile(r"[\s,.!?;:，。！？；：、~…\"'“”‘’()（）\[\]]")


def squash(text: str) -> str:
    return PUNCT.sub("", text).lower()


@pytest.fixture(scope="module")
def train() -> list:  # type: ignore[type-arg]
    return load_examples(TRAIN)


@pytest.fixture(scope="module")
def heldout() -> list:  # type: ignore[type-arg]
    return load_examples(HELDOUT)


def test_training_intents_are_the_contract_with_enough_examples(train: list) -> None:  # type: ignore[type-arg]
    per_intent = Counter(e.intent for e in train)
    assert set(per_intent) == CONTRACT_INTENTS - {"nlu_fallback"}
    thin = {intent: n for intent, n in per_intent.items() if n < 60}
    assert not thin, f"intents with fewer than 60 examples: {thin}"


def test_entities_are_in_the_contract(train: list, heldout: list) -> None:  # type: ignore[type-arg]
    used = {name for e in train + heldout for name, _ in e.entities}
    assert used <= CONTRACT_ENTITIES, used - CONTRACT_ENTITIES


@pytest.mark.parametrize("test_file", [HELDOUT, BLIND], ids=["heldout", "blind"])
def test_no_training_example_is_in_a_test_file(train: list, test_file: Path) -> None:  # type: ignore[type-arg]
    seen = {squash(e.text) for e in train}
    leaked = [e.text for e in load_examples(test_file) if squash(e.text) in seen]
    assert not leaked, leaked[:10]


def test_no_duplicate_training_examples(train: list) -> None:  # type: ignore[type-arg]
    counts = Counter(squash(e.text) for e in train)
    dupes = [text for text, n in counts.items() if n > 1]
    assert not dupes, dupes[:10]


def test_heldout_covers_every_intent(heldout: list) -> None:  # type: ignore[type-arg]
    per_intent = Counter(e.intent for e in heldout)
    assert set(per_intent) == CONTRACT_INTENTS - {"nlu_fallback"}
    assert min(per_intent.values()) >= 20, per_intent


def test_each_synonym_variant_has_one_meaning() -> None:
    meanings: dict[str, set[str]] = defaultdict(set)
    for path in (ROOT / "nlu" / "data").glob("*.yml"):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "synonym" in item:
                for line in str(item["examples"]).splitlines():
                    if line.strip().startswith("- "):
                        meanings[line.strip()[2:].strip().lower()].add(str(item["synonym"]))
    clashes = {variant: values for variant, values in meanings.items() if len(values) > 1}
    assert not clashes, clashes


def test_rasa_data_validate_passes() -> None:
    venv = subprocess.run([str(ROOT / "scripts" / "rasa_venv.sh")], capture_output=True, text=True, check=True,
                          cwd=ROOT).stdout.strip().splitlines()[-1]
    result = subprocess.run(
        [f"{venv}/bin/rasa", "data", "validate", "--data", "nlu/data", "--domain", "nlu/domain.yml",
         "--config", "nlu/config.yml"],
        capture_output=True, text=True, cwd=ROOT, env={"RASA_TELEMETRY_ENABLED": "false", "PATH": "/usr/bin:/bin",
                                                      "HOME": str(Path.home())},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Misaligned" not in result.stdout + result.stderr
