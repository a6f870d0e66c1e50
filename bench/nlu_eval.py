"""NLU evaluation, one command (`make nlu-eval`).

Measures the production path — normalisation, the Rasa server over HTTP, the confidence threshold,
entity clean-up — on:
  * two test files, never trained on: nlu/tests/heldout.yml (written with the data and used for error
    analysis, so it is a dev set) and nlu/tests/blind.yml (written by someone who saw neither the
    data nor heldout.yml): intent macro-F1, per-entity F1 (matched on entity and canonical value),
    and the same for Traditional-character and pinyin variants of every example;
  * ../shared/eval/real_worker_questions.tsv (held out; never train on it): the share of rows whose top
    intent is accepted, by the NLU and through the whole pipeline (the flow the bot starts);
  * parse latency over HTTP after warm-up, and the model's training time;
  * optionally (--cv) Rasa's own 5-fold cross-validation on the training data (bench/results/nlu-cv.json).
Reports go to var/nlu-eval/ (per-intent report, confusion matrix, errors) and a summary to
bench/results/nlu-eval.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from opencc import OpenCC
from pypinyin import lazy_pinyin

from nlu.client import RasaClient
from nlu.gazetteer import GAZETTEER_ENTITIES, load_gazetteer
from nlu.geo import locate
from nlu.normalize import parse_amount
from nlu.phone import normalise_phone
from nlu.result import NluResult
from nlu.service import NUMERIC_ENTITIES, NluService
from nlu.training_data import Example, load_examples

ROOT = Path(__file__).resolve().parents[1]
HELDOUT = ROOT / "nlu" / "tests" / "heldout.yml"  # written with the data; used for error analysis (a dev set)
BLIND = ROOT / "nlu" / "tests" / "blind.yml"  # written by someone who saw neither data nor heldout.yml
TEST_SETS = {"heldout": HELDOUT, "blind": BLIND}
REAL = ROOT.parent / "shared" / "eval" / "real_worker_questions.tsv"
OUT = ROOT / "var" / "nlu-eval"
SUMMARY = ROOT / "bench" / "results" / "nlu-eval.json"
SCORED_ENTITIES = ("city", "job_type", "amount", "months", "employer", "person_count", "salary", "phone",
                   "case_id", "policy_topic")


def canonical(name: str, value: Any) -> str:
    if name in NUMERIC_ENTITIES:
        parsed = parse_amount(str(value))
        return str(parsed[0]) if parsed else str(value)
    if name == "city":  # compared as the city it lies in: 「南海」 and 「佛山」 both find 佛山's jobs
        value = load_gazetteer().canonical(name, str(value))
        place = locate(value)
        return place.city if place else value
    if name == "phone":
        return (normalise_phone(str(value)) or str(value)).removeprefix("+86")
    if name in GAZETTEER_ENTITIES:
        return load_gazetteer().canonical(name, str(value))
    return str(value).strip().upper()


def f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(examples: list[Example], results: list[NluResult]) -> dict[str, Any]:
    labels = sorted({e.intent for e in examples})
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    for ex, res in zip(examples, results, strict=True):
        confusion[ex.intent][res.intent] += 1
    per_intent = {}
    for label in labels:
        tp = confusion[label][label]
        fn = sum(confusion[label].values()) - tp
        fp = sum(confusion[other][label] for other in confusion if other != label)
        p, r, f = f1(tp, fp, fn)
        per_intent[label] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                             "support": sum(confusion[label].values())}
    counts: dict[str, list[int]] = {name: [0, 0, 0] for name in SCORED_ENTITIES}  # tp fp fn
    for ex, res in zip(examples, results, strict=True):
        expected = Counter((n, canonical(n, v)) for n, v in ex.entities if n in counts)
        found = Counter((e.name, canonical(e.name, e.value)) for e in res.entities if e.name in counts)
        for (name, _), k in (expected & found).items():
            counts[name][0] += k
        for (name, _), k in (found - expected).items():
            counts[name][1] += k
        for (name, _), k in (expected - found).items():
            counts[name][2] += k
    entities = {}
    for name, (tp, fp, fn) in counts.items():
        if tp + fn:
            p, r, f = f1(tp, fp, fn)
            entities[name] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": tp + fn}
    correct = sum(confusion[label][label] for label in labels)
    return {
        "examples": len(examples),
        "intent_accuracy": round(correct / len(examples), 4) if examples else 0.0,
        "intent_macro_f1": round(statistics.fmean(v["f1"] for v in per_intent.values()), 4) if labels else 0.0,
        "per_intent": per_intent,
        "entities": entities,
        "confusion": {k: dict(v) for k, v in confusion.items()},
    }


def traditional(text: str) -> str:
    return _s2t().convert(text)


_S2T: OpenCC | None = None


def _s2t() -> OpenCC:
    global _S2T
    if _S2T is None:
        _S2T = OpenCC("s2t")
    return _S2T


def pinyin(text: str) -> str:
    """How a worker without a Chinese keyboard writes it: syllables, digits kept, no punctuation."""
    tokens = [t for p in lazy_pinyin(text) for t in p.split()]
    return " ".join(t for t in tokens if re.fullmatch(r"[A-Za-z]+|[A-Za-z]*\d+[\d.]*", t))


def run(service: NluService, texts: Iterable[str], latencies: list[float] | None = None) -> list[NluResult]:
    results = []
    for text in texts:
        started = time.perf_counter()
        results.append(service.understand(text)[1])
        if latencies is not None:
            latencies.append((time.perf_counter() - started) * 1000)
    return results


def real_questions(service: NluService, pipeline_intent: Callable[[str], str]) -> dict[str, Any]:
    rows = list(csv.DictReader(REAL.open(encoding="utf-8"), delimiter="\t"))
    nlu_ok = pipe_ok = 0
    misses = []
    for row in rows:
        accept = {a.strip() for a in row["accept"].split(",")}
        got = service.understand(row["text"])[1].intent
        flow = pipeline_intent(row["text"])
        nlu_ok += got in accept
        pipe_ok += flow in accept
        if got not in accept:
            misses.append({"text": row["text"][:60], "accept": sorted(accept), "got": got})
    return {"rows": len(rows), "nlu_accepted": round(nlu_ok / len(rows), 4),
            "pipeline_accepted": round(pipe_ok / len(rows), 4), "misses": misses}


def pipeline_runner() -> tuple[Callable[[str], str], Callable[[], None]]:
    """Each question from a new worker through the real pipeline; the intent the inbound was handled as."""
    import tempfile
    import uuid

    from sqlalchemy import select

    from bot import create_app
    from config import Settings
    from domain.messages import Channel, InboundMessage
    from domain.storage.models import Message

    tmp = tempfile.TemporaryDirectory()
    app = create_app(Settings(_env_file=None, env="test",  # type: ignore[call-arg]
                              database_url=f"sqlite:///{tmp.name}/eval.db",
                              redis_url="redis://127.0.0.1:1/0", redis_fallback=True,
                              rasa_url=_SERVER["url"], rasa_token=_SERVER["token"], rasa_timeout_seconds=10))
    app.extensions["gongyou.db"].upgrade()
    pipeline = app.extensions["gongyou.pipeline"]

    def intent_of(text: str) -> str:
        msg = InboundMessage(channel=Channel.CLI, user_id=uuid.uuid4().hex, text=text, message_id=uuid.uuid4().hex)
        pipeline.handle(msg)
        with app.extensions["gongyou.db"].session() as db:
            row = db.scalar(select(Message.intent).where(Message.direction == "in").order_by(Message.id.desc()))
        return str(row)

    def close() -> None:
        app.extensions["gongyou.db"].dispose()
        tmp.cleanup()

    return intent_of, close


_SERVER: dict[str, str] = {}


CV_SUMMARY = ROOT / "bench" / "results" / "nlu-cv.json"


def cross_validation() -> dict[str, Any]:
    """Rasa's own 5-fold cross-validation of the raw model on nlu/data (no normalisation, rules or
    threshold around it): about an hour on 2 cores."""
    venv = _script("rasa_venv.sh")
    out = OUT / "cv"
    started = time.monotonic()
    subprocess.run([f"{venv}/bin/rasa", "test", "nlu", "--nlu", "nlu/data", "--config", "nlu/config.yml",
                    "--cross-validation", "-f", "5", "--out", str(out)], cwd=ROOT, check=True,
                   capture_output=True, env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"})
    return cv_summary(out, round(time.monotonic() - started))


def cv_summary(out: Path, seconds: int | None) -> dict[str, Any]:
    """The figures of a cross-validation run's reports (Rasa writes them into ``out``)."""
    intents = json.loads((out / "intent_report.json").read_text())
    entities = json.loads((out / "DIETClassifier_report.json").read_text())
    per_intent = {k: round(v["f1-score"], 4) for k, v in intents.items()
                  if isinstance(v, dict) and "support" in v and not k.endswith(" avg")}
    summary = {
        "folds": 5,
        "examples": intents["macro avg"]["support"],
        "intent_macro_f1": round(intents["macro avg"]["f1-score"], 4),
        "intent_weighted_f1": round(intents["weighted avg"]["f1-score"], 4),
        "intent_accuracy": round(intents.get("accuracy", 0.0), 4),
        "weakest_intents": dict(sorted(per_intent.items(), key=lambda kv: kv[1])[:5]),
        "entity_f1": {k: round(v["f1-score"], 4) for k, v in entities.items()
                      if isinstance(v, dict) and "f1-score" in v and not k.endswith(" avg")},
        "seconds": seconds,
    }
    CV_SUMMARY.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    return summary


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cv", action="store_true", help="also run Rasa's 5-fold cross-validation (slow)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from tests.support import services

    OUT.mkdir(parents=True, exist_ok=True)
    summary: dict[str, Any] = {}
    with services.rasa_server() as url:
        _SERVER.update(url=url, token=services.RASA_TOKEN)
        service = NluService(RasaClient(url, services.RASA_TOKEN, 10.0), load_gazetteer(), threshold=0.45)
        reports: dict[str, dict[str, Any]] = {}
        latencies: list[float] = []
        for set_name, path in TEST_SETS.items():
            examples = load_examples(path)
            run(service, [e.text for e in examples[:20]])  # warm-up
            variants = {
                "simplified": run(service, [e.text for e in examples], latencies),
                "traditional": run(service, [traditional(e.text) for e in examples]),
                "pinyin": run(service, [pinyin(e.text) for e in examples]),
            }
            for variant, results in variants.items():
                reports[f"{set_name}-{variant}"] = score(examples, results)
            errors = [{"text": e.text, "expected": e.intent, "got": r.intent}
                      for e, r in zip(examples, variants["simplified"], strict=True) if e.intent != r.intent]
            (OUT / f"{set_name}-errors.json").write_text(json.dumps(errors, ensure_ascii=False, indent=2))
        intent_of, close = pipeline_runner()
        try:
            real = real_questions(service, intent_of)
        finally:
            close()
    for name, report in reports.items():
        (OUT / f"{name}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    (OUT / "real-worker-questions.json").write_text(json.dumps(real, ensure_ascii=False, indent=2))
    summary = {
        "examples": {n: reports[f"{n}-simplified"]["examples"] for n in TEST_SETS},
        "intent_macro_f1": {name: r["intent_macro_f1"] for name, r in reports.items()},
        "intent_accuracy": {name: r["intent_accuracy"] for name, r in reports.items()},
        "entity_f1": {n: {k: v["f1"] for k, v in reports[f"{n}-simplified"]["entities"].items()} for n in TEST_SETS},
        "real_worker_questions": {k: real[k] for k in ("rows", "nlu_accepted", "pipeline_accepted")},
        "parse_latency_ms": {"p50": round(statistics.median(latencies), 1),
                             "p99": round(sorted(latencies)[int(0.99 * len(latencies))], 1)},
        "training_seconds": _training_seconds(Path(_script("train.sh"))),
    }
    if args.cv:
        summary["cross_validation"] = cross_validation()
    elif CV_SUMMARY.exists():  # the last cross-validation run (it takes an hour): kept beside the new figures
        summary["cross_validation"] = {"last_run": str(CV_SUMMARY.relative_to(ROOT)),
                                       **json.loads(CV_SUMMARY.read_text())}
    SUMMARY.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    print(f"details: {OUT.relative_to(ROOT)}/ (per-intent reports, confusion, errors)")
    return 0


def _script(name: str) -> str:
    out = subprocess.run([str(ROOT / "scripts" / name)], capture_output=True, text=True, check=True, cwd=ROOT)
    return out.stdout.strip().splitlines()[-1]


def _training_seconds(model: Path) -> int | None:
    """Written by scripts/train.sh beside the model it trained."""
    meta = model.with_name(model.name.removesuffix(".tar.gz") + ".json")
    return int(json.loads(meta.read_text())["training_seconds"]) if meta.exists() else None


if __name__ == "__main__":
    sys.exit(main())
