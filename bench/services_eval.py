"""How well workers' words reach the labour-export office's services (issue 16), measured on messages
nobody here tuned to: `python -m bench.services_eval [--set FILE] [--label NAME]`.

Each message is read by the real NLU service (normalisation, the Rasa server, the service commands of
nlu/commands.py) as a worker's first message. Per service: recall (its messages that reach it) and
the messages that reached it but belong elsewhere; for the near misses labelled "none" (arrears, law
questions, job searches that share a service's words): the share taken by a service (false routes).
Summary in bench/results/services-eval.json; each miss in var/services-eval-misses.json (for a blind
set, read the figures only).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.results import record  # noqa: E402

SUMMARY = ROOT / "bench" / "results" / "services-eval.json"
MISSES = ROOT / "var" / "services-eval-misses.json"
SERVICES = ("find_station", "find_course", "my_courses", "find_departure", "my_departures", "check_in_on",
            "check_in_off", "find_subsidy", "my_subsidies", "subsidy_public")


def evaluate(path: Path) -> dict[str, Any]:
    from config import Settings
    from nlu.client import RasaClient
    from nlu.gazetteer import load_gazetteer
    from nlu.service import NluService
    from tests.support import services

    rows = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("messages", [])
    threshold = Settings(_env_file=None).nlu_threshold  # type: ignore[call-arg]
    with services.rasa_server() as url:
        nlu = NluService(RasaClient(url, services.RASA_TOKEN, 10.0), load_gazetteer(), threshold)
        heard = [(str(r["text"]), str(r["intent"]), nlu.understand(str(r["text"]))[1].intent) for r in rows]
    by_label: dict[str, Counter[str]] = {}
    for _, label, got in heard:
        by_label.setdefault(label, Counter())["reached" if got == label or (label == "none" and got not in SERVICES)
                                               else "missed"] += 1
    taken = Counter(got for _, label, got in heard if got in SERVICES and got != label)
    summary: dict[str, Any] = {"set": str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path),
                               "messages": len(heard)}
    for label, counts in sorted(by_label.items()):
        total = counts["reached"] + counts["missed"]
        key = "none_kept_out_share" if label == "none" else f"{label}_recall"
        summary[key] = round(counts["reached"] / total, 3) if total else None
    for service in SERVICES:
        summary[f"{service}_wrongly_taken"] = taken[service]
    service_rows = [h for h in heard if h[1] != "none"]
    summary["services_recall"] = round(sum(1 for _, label, got in service_rows if got == label)
                                       / max(len(service_rows), 1), 3)
    MISSES.parent.mkdir(parents=True, exist_ok=True)
    MISSES.write_text(json.dumps([{"text": t, "label": label, "heard": got} for t, label, got in heard
                                  if (got != label) and not (label == "none" and got not in SERVICES)],
                                 ensure_ascii=False, indent=1), encoding="utf-8")
    return summary


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", type=Path, default=ROOT / "bench" / "data" / "services_blind.yml")
    ap.add_argument("--label", default="current")
    args = ap.parse_args()
    record(SUMMARY, args.label, evaluate(args.set.resolve()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
