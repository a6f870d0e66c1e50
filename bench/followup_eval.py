"""Follow-ups in context, measured on a blind set (`python -m bench.followup_eval`).

bench/data/followups_blind.yml was written on 2026-12-05 by a helper who saw no code, data or articles:
refinements said right after a list of jobs (「elsewhere」: the same search in other places;
「better_pay」: better-paid jobs) and short follow-ups said right after an answer from the law. Only the
figures are read; the messages that fail are not written out.

Scored through the real pipeline (Rasa server, dialogue rules, handlers):
  * a refinement counts when the reply is a list of jobs again (not a form, not 「没看懂」), and for
    elsewhere no longer limited to the first search's city, for better_pay with a pay floor;
  * a follow-up counts when the reply cites an article (it was answered from the law, in the light of the
    question before) rather than 「没把握」, the menu or a form.
"""

from __future__ import annotations

import sys
import tempfile
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bench.results import record

ROOT = Path(__file__).resolve().parents[1]
SET = ROOT / "bench" / "data" / "followups_blind.yml"
SUMMARY = ROOT / "bench" / "results" / "followup-eval.json"
FIRST_SEARCH = "深圳 普工"


def evaluate() -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from bot import create_app
    from config import Settings
    from domain.messages import Channel, InboundMessage
    from domain.vacancies import search as vacancies
    from tests.support import services

    data = yaml.safe_load(SET.read_text(encoding="utf-8"))
    with services.rasa_server() as url, tempfile.TemporaryDirectory() as tmp:
        app = create_app(Settings(_env_file=None, env="test",  # type: ignore[call-arg]
                                  database_url=f"sqlite:///{tmp}/followups.db", redis_url="redis://127.0.0.1:1/0",
                                  redis_fallback=True, rasa_url=url, rasa_token=services.RASA_TOKEN,
                                  rasa_timeout_seconds=10))
        app.extensions["gongyou.db"].upgrade()
        with app.extensions["gongyou.db"].session() as session:  # the demo vacancies, as `make run` has them
            vacancies.load_demo(session, date.today())
        pipeline = app.extensions["gongyou.pipeline"]

        def talk(*said: str) -> list[str]:
            user = uuid.uuid4().hex
            replies = []
            for text in said:
                msg = InboundMessage(channel=Channel.CLI, user_id=user, text=text, message_id=uuid.uuid4().hex)
                outcome = pipeline.handle(msg)
                replies.append(outcome.reply.render_text() if outcome.reply else "")
            return replies

        refined: dict[str, list[bool]] = {"elsewhere": [], "better_pay": []}
        for row in data["after_job_list"]:
            _, reply = talk(FIRST_SEARCH, str(row["say"]))
            head = reply.splitlines()[0] if reply else ""
            a_list = "个岗位" in head or "暂时没有" in head
            right = a_list and (("深圳" not in head) if row["want"] == "elsewhere" else ("以上" in head))
            refined[str(row["want"])].append(right)
        followed: list[bool] = []
        for row in data["after_law_answer"]:
            first, reply = talk(str(row["first"]), str(row["follow_up"]))
            followed.append("依据：" in reply and "依据：" in first)
        app.extensions["gongyou.db"].dispose()
    share = lambda xs: round(sum(xs) / len(xs), 3) if xs else None  # noqa: E731
    out: dict[str, Any] = {f"refinement_{want}": {"n": len(xs), "searched_again_share": share(xs)}
                           for want, xs in refined.items()}
    out["law_follow_up"] = {"n": len(followed), "answered_from_the_law_share": share(followed)}
    return out


def main() -> int:
    summary = evaluate()
    label = sys.argv[1] if len(sys.argv) > 1 else "current"
    record(SUMMARY, label, summary)
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
