"""A sample of `make dialogue-eval` in every test run: simulated workers (bench/simulated_workers.py) file
wage-arrears reports and complaints in their own words through the real pipeline; every one gets
filed, no question comes three times in a row, nobody is handed to staff for being misunderstood."""

from __future__ import annotations

import statistics
import uuid

from bench.dialogue_eval import figures
from bench.simulated_workers import Outcome, Worker, play
from bot.conversation.pipeline import Pipeline
from domain.messages import Channel, InboundMessage

SAMPLE = 40
SEED = 7000  # not the seed `make dialogue-eval` reports


def test_simulated_workers_file_their_reports_without_loops(pipeline: Pipeline) -> None:
    outcomes: list[Outcome] = []
    for i in range(SAMPLE):
        user = f"sim-{uuid.uuid4().hex[:10]}"

        def say(text: str, user: str = user) -> str:
            msg = InboundMessage(channel=Channel.CLI, user_id=user, text=text, message_id=uuid.uuid4().hex)
            outcome = pipeline.handle(msg)
            return outcome.reply.render_text() if outcome.reply else ""

        outcomes.append(play(Worker("wage_arrears" if i % 5 < 3 else "complaint", SEED + i), say))
    result = figures(outcomes)
    broken = [o.transcript for o in outcomes if not o.filed or o.loops or o.handoffs]
    assert result["filed_share"] == 1.0 and result["loops"] == 0 and result["unasked_handoffs"] == 0, broken[:2]
    wage_turns = [o.turns for o in outcomes if o.kind == "wage_arrears"]
    assert statistics.median(wage_turns) <= 11, result
