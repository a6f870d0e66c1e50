"""Whole conversations as transcripts: verify_dialog([(said, expected), ...])."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.conversation.pipeline import Pipeline
from domain.messages import Channel, InboundMessage

Expectation = str | Sequence[str] | Callable[[str], bool]


@dataclass
class Conversation:
    """A worker talking to the real pipeline; keeps the transcript for failure messages."""

    pipeline: Pipeline
    channel: Channel = Channel.CLI
    user_id: str = field(default_factory=lambda: f"worker-{uuid.uuid4().hex[:8]}")
    transcript: list[tuple[str, str]] = field(default_factory=list)

    def say(self, text: str) -> str:
        msg = InboundMessage(channel=self.channel, user_id=self.user_id, text=text, message_id=uuid.uuid4().hex)
        outcome = self.pipeline.handle(msg)
        answer = outcome.reply.render_text() if outcome.reply else ""
        self.transcript.append((text, answer))
        return answer


def _matches(answer: str, expected: Expectation) -> bool:
    if callable(expected):
        return bool(expected(answer))
    if isinstance(expected, str):
        return expected in answer
    return all(part in answer for part in expected)


def verify_dialog(conv: Conversation, turns: Sequence[tuple[str, Expectation]]) -> None:
    for said, expected in turns:
        answer = conv.say(said)
        if not _matches(answer, expected):
            shown = "\n".join(f"  工人: {s}\n  工友: {a.replace(chr(10), ' / ')}" for s, a in conv.transcript)
            raise AssertionError(f"after 「{said}」 expected {expected!r}\ntranscript so far:\n{shown}")
