"""Simulated workers through the real pipeline (`make dialogue-eval`).

Each dialogue is a new worker reporting unpaid wages or filing a complaint, answering the bot's
questions in their own words (bench/simulated_workers.py; answer pools written by helpers who saw
neither the parsers nor the training data: the dev pools by default, ``--pools`` the blind ones, whose
failing transcripts are never written out). Real Rasa server, PostgreSQL (a fresh database) and Redis.
Prints and writes bench/results/dialogue-eval.json: the share of forms filed, turns to file (median,
p90), loops (a question asked a third time in a row), misreadings by question (counts only),
hand-offs the worker did not ask for, and the share of
summaries that show the amount, months and head count the worker meant. Dialogues that did not end
filed are written to var/dialogue-eval/ as transcripts, and the answers a question did not understand to
var/dialogue-eval/misread.json (dev pools only).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from bench.results import record

ROOT = Path(__file__).resolve().parents[1]
SUMMARY = ROOT / "bench" / "results" / "dialogue-eval.json"
OUT = ROOT / "var" / "dialogue-eval"
REDIS_DB = "redis://127.0.0.1:6379/13"


def figures(outcomes: list[Any]) -> dict[str, Any]:
    from bench.kb_eval import percentile

    n = len(outcomes)
    filed = [o for o in outcomes if o.filed]
    wage = [o.turns for o in filed if o.kind == "wage_arrears"]
    checked = [o for o in outcomes if o.summary_right is not None]
    return {
        "dialogues": n,
        "filed_share": round(len(filed) / n, 3) if n else None,
        "turns_median_wage_arrears": statistics.median(wage) if wage else None,
        "turns_p90_wage_arrears": percentile([float(t) for t in wage], 90) if wage else None,
        "turns_median_complaint": statistics.median([o.turns for o in filed if o.kind == "complaint"] or [0]),
        "loops": sum(o.loops for o in outcomes),
        "dialogues_with_a_loop": sum(1 for o in outcomes if o.loops),
        "unasked_handoffs": sum(o.handoffs for o in outcomes),
        "stuck_offers": sum(o.stuck for o in outcomes),
        "misread_by_question": dict(sum((o.misread for o in outcomes), Counter()).most_common()),
        "summary_right_share": round(sum(1 for o in checked if o.summary_right) / len(checked), 3) if checked else None,
        "by_style": {s: round(sum(1 for o in outcomes if o.style == s and o.filed)
                              / max(1, sum(1 for o in outcomes if o.style == s)), 3)
                     for s in sorted({o.style for o in outcomes})},
        "ended_on": {e: sum(1 for o in outcomes if o.ended_on == e) for e in sorted({o.ended_on for o in outcomes})},
    }


def run(count: int, seed: int, pools: Path) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    import redis

    from bench.simulated_workers import Worker, play, use_pools

    use_pools(pools)
    from bot import create_app
    from config import Settings
    from domain.messages import Channel, InboundMessage
    from tests.support import services

    redis.Redis.from_url(REDIS_DB).flushdb()
    with services.rasa_server() as url, services.fresh_database() as database_url:
        app = create_app(Settings(_env_file=None, env="test", secret_key="dialogue-eval",  # type: ignore[call-arg]
                                  database_url=database_url, redis_url=REDIS_DB, redis_fallback=False,
                                  rasa_url=url, rasa_token=services.RASA_TOKEN, rasa_timeout_seconds=10))
        app.extensions["gongyou.db"].upgrade()
        pipeline = app.extensions["gongyou.pipeline"]
        outcomes = []
        started = time.perf_counter()
        for i in range(count):
            kind = "wage_arrears" if i % 5 < 3 else "complaint"
            user = f"sim-{uuid.uuid4().hex[:10]}"

            def say(text: str, user: str = user) -> str:
                msg = InboundMessage(channel=Channel.CLI, user_id=user, text=text, message_id=uuid.uuid4().hex)
                outcome = pipeline.handle(msg)
                return outcome.reply.render_text() if outcome.reply else ""

            def photo(user: str = user) -> str:
                msg = InboundMessage(channel=Channel.CLI, user_id=user, text="", message_id=uuid.uuid4().hex,
                                     kind="image", media=(f"sim-media-{uuid.uuid4().hex[:8]}",),
                                     action="image_received")
                outcome = pipeline.handle(msg)
                return outcome.reply.render_text() if outcome.reply else ""

            outcomes.append(play(Worker(kind, seed + i), say, photo))
        seconds = time.perf_counter() - started
        app.extensions["gongyou.db"].dispose()
    summary = {**figures(outcomes), "pools": pools.name, "seed": seed, "seconds": round(seconds, 1)}
    if pools.name.endswith("_blind.yml"):  # the blind pools' failures are not written out
        return summary
    OUT.mkdir(parents=True, exist_ok=True)
    broken = [{"kind": o.kind, "style": o.style, "ended_on": o.ended_on, "loops": o.loops,
               "summary_right": o.summary_right, "transcript": o.transcript}
              for o in outcomes if not o.filed or o.loops or o.summary_right is False]
    (OUT / "not-filed.json").write_text(json.dumps(broken, ensure_ascii=False, indent=1), encoding="utf-8")
    misread = sorted((q, a) for o in outcomes for q, a in o.misread_answers)
    (OUT / "misread.json").write_text(json.dumps(misread, ensure_ascii=False, indent=0), encoding="utf-8")
    sample = [{"kind": o.kind, "turns": o.turns, "transcript": o.transcript} for o in outcomes[:20]]
    (OUT / "sample.json").write_text(json.dumps(sample, ensure_ascii=False, indent=1), encoding="utf-8")
    return summary


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dialogues", type=int, default=300)
    ap.add_argument("--seed", type=int, default=20261205)
    ap.add_argument("--label", default="current")
    ap.add_argument("--pools", type=Path, default=ROOT / "bench" / "data" / "simulated_workers.yml",
                    help="answer pools (bench/data/simulated_workers_blind.yml for the blind measurement)")
    args = ap.parse_args()
    summary = run(args.dialogues, args.seed, args.pools)
    record(SUMMARY, args.label, summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
