"""Policy answers, measured as a worker meets them (`make kb-eval`).

Every question goes, as the first message of a new worker, through the real pipeline (normalisation,
the Rasa server, the dialogue rules, the handler) and the first reply is scored:
  * accepted — it cites an article whose citations include one of the question's accepted pairs;
  * confident wrong — it cites something, but nothing accepted (for a question the law listed does not
    answer, any citation is wrong);
  * honest — it says it is not sure (「没把握」) instead of citing;
  * other — no citation and no 「没把握」 (a form opened, the menu, a misreading).
Sets: bench/data/kb_blind_2.yml (blind: written 2026-12-05 by a helper who saw neither the articles nor
any data, from topics only, then labelled from PROTOCOLS.md; its misses are never written out),
bench/data/kb_blind_3.yml (blind likewise, 2026-12-06: 200 questions, a third of them not answered by the
law listed — off-topic, or on a point PROTOCOLS.md leaves out; its misses are never written out either),
tests/data/kb_blind.yml (written blind on 2026-11-29, but its misses were read since: a dev set now),
bench/data/kb_dev_3.yml (written blind on 2026-12-05 like the blind set, then used as a dev set: its
first figures were taken before any change, then its misses were read),
and the ask_policy rows of ../shared/eval/real_worker_questions.tsv with accepted citations from
bench/data/real_questions_citations.yml (labelled blind too; never copied into articles or data).
Also the answer latency through the pipeline and of retrieval alone. Summary in
bench/results/kb-eval.json, each miss in var/kb-eval/.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bench.results import record

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "data" / "kb_blind.yml"  # written blind 2026-11-29; its misses have since been read: dev
BLIND = ROOT / "bench" / "data" / "kb_blind_2.yml"  # written blind 2026-12-05; only its figures are read
BLIND3 = ROOT / "bench" / "data" / "kb_blind_3.yml"  # written blind 2026-12-06; only its figures are read
DEV3 = ROOT / "bench" / "data" / "kb_dev_3.yml"  # written blind 2026-12-05 (third session); its misses are read: dev
REAL = ROOT.parent / "shared" / "eval" / "real_worker_questions.tsv"
REAL_LABELS = ROOT / "bench" / "data" / "real_questions_citations.yml"
SUMMARY = ROOT / "bench" / "results" / "kb-eval.json"
OUT = ROOT / "var" / "kb-eval"
ARTICLE_NO = r"第[一二三四五六七八九十百零]+条(?:之[一二三四五六七八九十])?"
CITATION = re.compile(rf"依据：(《[^》]+》|[^第\s]+?)({ARTICLE_NO})?(?:\s|$|。)")  # 「依据：《劳动法》第四十四条」


@dataclass(frozen=True)
class Question:
    text: str
    accept: frozenset[str]  # 「《劳动合同法》第四十七条」…; empty: the law listed does not answer it


def question_set(path: Path) -> list[Question]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Question(str(q["q"]), frozenset(q.get("accept") or ())) for q in data["questions"]]


def dev_set() -> list[Question]:
    return question_set(DEV)


def dev3_set() -> list[Question]:
    return question_set(DEV3)


def blind_set() -> list[Question]:
    return question_set(BLIND)


def blind3_set() -> list[Question]:
    return question_set(BLIND3)


def real_set() -> list[Question]:
    if not REAL.exists() or not REAL_LABELS.exists():
        return []
    labels = yaml.safe_load(REAL_LABELS.read_text(encoding="utf-8"))["labels"]
    with REAL.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if "ask_policy" in r["accept"]]
    return [Question(r["text"], frozenset(labels.get(r["source"]) or ())) for r in rows if r["source"] in labels]


def score(reply: str, question: Question, citations_of: dict[str, frozenset[str]]) -> str:
    found = CITATION.search(reply)
    if found is None:
        return "honest" if "没把握" in reply else "other"
    cited = found.group(1) + (found.group(2) or "")
    if not question.accept:
        return "confident_wrong"
    return "accepted" if citations_of.get(cited, frozenset({cited})) & question.accept else "confident_wrong"


def article_citations(folder: Path | None) -> dict[str, frozenset[str]]:
    """The citation an article's answer shows → every pair it stands on (its source and its 'also')."""
    from knowledge_base.store import ARTICLES, CITED, load_articles

    table: dict[str, frozenset[str]] = {}
    for art in load_articles(folder or ARTICLES):
        shown = f"{art.source}{art.article}"
        also = {law + article for law, article in CITED.findall(art.also or "")}
        table[shown] = frozenset({shown, *also}) | table.get(shown, frozenset())
    return table


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else 0.0


SETS = ("dev", "dev3", "blind", "blind3", "real")
BLIND_SETS = frozenset({"blind", "blind3"})  # their misses are never written out


def evaluate(kb_dir: Path | None, sets: tuple[str, ...] = SETS) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from bot import create_app
    from config import Settings
    from domain.messages import Channel, InboundMessage
    from knowledge_base.store import ARTICLES
    from tests.support import services

    citations_of = article_citations(kb_dir)
    summary: dict[str, Any] = {"kb_dir": str(kb_dir or "knowledge_base/articles"),
                               "articles": len(list((kb_dir or ARTICLES).glob("*.md")))}
    OUT.mkdir(parents=True, exist_ok=True)
    with services.rasa_server() as url, tempfile.TemporaryDirectory() as tmp:
        app = create_app(Settings(_env_file=None, env="test",  # type: ignore[call-arg]
                                  database_url=f"sqlite:///{tmp}/kb-eval.db", redis_url="redis://127.0.0.1:1/0",
                                  redis_fallback=True, rasa_url=url, rasa_token=services.RASA_TOKEN,
                                  rasa_timeout_seconds=10, kb_dir=str(kb_dir) if kb_dir else ""))
        app.extensions["gongyou.db"].upgrade()
        pipeline = app.extensions["gongyou.pipeline"]
        library = app.extensions["gongyou.kb"]
        in_nlu = [0.0]  # seconds spent in the NLU (the Rasa server) during the current message
        understand = pipeline.nlu.understand

        def timed_understand(text: str) -> Any:
            start = time.perf_counter()
            try:
                return understand(text)
            finally:
                in_nlu[0] += time.perf_counter() - start

        pipeline.nlu.understand = timed_understand

        def ask(text: str) -> tuple[str, float, float]:
            msg = InboundMessage(channel=Channel.CLI, user_id=uuid.uuid4().hex, text=text,
                                 message_id=uuid.uuid4().hex)
            in_nlu[0] = 0.0
            start = time.perf_counter()
            outcome = pipeline.handle(msg)
            total = time.perf_counter() - start
            return (outcome.reply.render_text() if outcome.reply else ""), total * 1000, (total - in_nlu[0]) * 1000

        for warm in ("你好", "工伤怎么认定", "加班费怎么算"):
            ask(warm)
        loaders = {"dev": dev_set, "dev3": dev3_set, "blind": blind_set, "blind3": blind3_set,
                   "real": real_set}
        for name in sets:
            questions = loaders[name]()
            if not questions:
                continue
            counts = {"accepted": 0, "confident_wrong": 0, "honest": 0, "other": 0}
            latencies: list[float] = []
            beyond_nlu: list[float] = []  # the same, less the time in the NLU: what answering adds
            misses: list[dict[str, Any]] = []
            right = 0  # accepted, or — where the law listed has no answer — no citation at all
            for q in questions:
                reply, ms, own_ms = ask(q.text)
                latencies.append(ms)
                beyond_nlu.append(own_ms)
                verdict = score(reply, q, citations_of)
                counts[verdict] += 1
                right += verdict == "accepted" or (not q.accept and verdict != "confident_wrong")
                if verdict != "accepted":
                    misses.append({"q": q.text, "accept": sorted(q.accept), "verdict": verdict,
                                   "reply": reply.splitlines()[:3]})
            n = len(questions)
            answerable = sum(1 for q in questions if q.accept)
            summary[name] = {
                "questions": n, "answerable": answerable,
                "accepted_share": round(counts["accepted"] / answerable, 3) if answerable else None,
                "right_share": round(right / n, 3),
                "confident_wrong_share": round(counts["confident_wrong"] / n, 3),
                "honest_share": round(counts["honest"] / n, 3),
                "other_share": round(counts["other"] / n, 3),
                "pipeline_ms_p50": round(statistics.median(latencies), 1),
                "pipeline_ms_p99": round(percentile(latencies, 99), 1),
                "beyond_nlu_ms_p50": round(statistics.median(beyond_nlu), 1),
                "beyond_nlu_ms_p99": round(percentile(beyond_nlu, 99), 1),
            }
            if name not in BLIND_SETS:  # the blind sets' misses are not written out: reading them would unblind it
                misses_file = OUT / f"{name}-misses.json"
                misses_file.write_text(json.dumps(misses, ensure_ascii=False, indent=1), encoding="utf-8")
        timings = []
        index = library.index()
        for q in dev_set() + blind_set():
            start = time.perf_counter()
            index.search(q.text)
            timings.append((time.perf_counter() - start) * 1000)
        summary["retrieval_ms_p50"] = round(statistics.median(timings), 2)
        summary["retrieval_ms_p99"] = round(percentile(timings, 99), 2)
        app.extensions["gongyou.db"].dispose()
    return summary


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kb-dir", type=Path, help="articles to measure (default: knowledge_base/articles)")
    ap.add_argument("--label", default="current", help="name of this measurement in the summary file")
    ap.add_argument("--sets", default=",".join(SETS), help=f"which question sets (default: all of {SETS})")
    args = ap.parse_args()
    summary = evaluate(args.kb_dir, tuple(s for s in args.sets.split(",") if s in SETS))
    record(SUMMARY, args.label, summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
