"""Dialogue state per (channel, user), kept in Redis with a TTL behind a small interface."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Protocol

import redis

from domain.messages import Option


@dataclass
class DialogueState:
    """What the bot remembers between a worker's messages.

    ``options``: the numbered options last offered (a digit picks one).
    ``more``: the action behind 「回复0看更多」, if any.
    ``flow``: the handler continuing a multi-turn conversation, if any; ``data`` its slots.
    """

    options: list[Option] = field(default_factory=list)
    more: Option | None = None
    flow: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    fresh: bool = False  # nothing was stored (new worker, TTL passed, Redis lost it); not saved

    def to_json(self) -> str:
        return json.dumps(
            {
                "options": [o.to_dict() for o in self.options],
                "more": self.more.to_dict() if self.more else None,
                "flow": self.flow,
                "data": self.data,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, raw: str) -> DialogueState:
        data = json.loads(raw)
        return cls(
            options=[Option.from_dict(o) for o in data.get("options", [])],
            more=Option.from_dict(data["more"]) if data.get("more") else None,
            flow=data.get("flow"),
            data=dict(data.get("data") or {}),
        )


class StateStore(Protocol):
    def load(self, channel: str, user_id: str) -> DialogueState: ...
    def save(self, channel: str, user_id: str, state: DialogueState) -> None: ...
    def clear(self, channel: str, user_id: str) -> None: ...


class RedisStateStore:
    def __init__(self, client: redis.Redis, ttl_seconds: int, prefix: str = "gongyou:state") -> None:
        self._redis = client
        self._ttl = ttl_seconds
        self._prefix = prefix

    def _key(self, channel: str, user_id: str) -> str:
        return f"{self._prefix}:{channel}:{user_id}"

    def load(self, channel: str, user_id: str) -> DialogueState:
        raw = self._redis.get(self._key(channel, user_id))
        return DialogueState.from_json(raw) if raw else DialogueState(fresh=True)  # type: ignore[arg-type]

    def save(self, channel: str, user_id: str, state: DialogueState) -> None:
        self._redis.set(self._key(channel, user_id), state.to_json(), ex=self._ttl)

    def clear(self, channel: str, user_id: str) -> None:
        self._redis.delete(self._key(channel, user_id))
