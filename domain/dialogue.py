"""Dialogue state per (channel, user), kept in Redis with a TTL behind a small interface."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any, Protocol

import redis

from domain.crypto import DataCipher
from domain.messages import Option, Reply

log = logging.getLogger(__name__)

# Keys the previous release kept in DialogueState.data; now typed fields.
UNTYPED_BEFORE = ("pages", "more_after_pages", "misses")


@dataclass
class DialogueState:
    """What the bot remembers between a worker's messages.

    ``options``: the numbered options last offered (a digit picks one).
    ``more``: the action behind 「回复0看更多」, if any.
    ``flow``: the handler continuing a multi-turn conversation, if any; ``data`` its slots.
    ``pages``: the rest of a reply too long for the channel, shown one by one on 「0」;
    ``more_after_pages``: what 「0」 meant before paging took it over, back after the last page.
    ``misses``: messages in a row nothing understood (the third goes to a person).
    """

    options: list[Option] = field(default_factory=list)
    more: Option | None = None
    flow: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    pages: list[Reply] = field(default_factory=list)
    more_after_pages: Option | None = None
    misses: int = 0
    fresh: bool = False  # nothing was stored (new worker, TTL passed, Redis lost it); not saved

    def forget(self) -> None:
        """「取消」: the slots, the pages not yet shown and the count of misunderstandings go."""
        self.data = {}
        self.pages = []
        self.more_after_pages = None
        self.misses = 0

    def to_json(self) -> str:
        return json.dumps(
            {
                "options": [o.to_dict() for o in self.options],
                "more": self.more.to_dict() if self.more else None,
                "flow": self.flow,
                "data": self.data,
                "pages": [p.to_dict() for p in self.pages],
                "more_after_pages": self.more_after_pages.to_dict() if self.more_after_pages else None,
                "misses": self.misses,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, raw: str) -> DialogueState:
        saved = json.loads(raw)
        data = dict(saved.get("data") or {})
        # State saved by the previous release has these inside "data": moved out, so a conversation
        # open during an upgrade goes on (「0」 still shows the next page).
        for key in UNTYPED_BEFORE:
            if key in data:
                saved.setdefault(key, data.pop(key))
        after = saved.get("more_after_pages")
        return cls(
            options=[Option.from_dict(o) for o in saved.get("options", [])],
            more=Option.from_dict(saved["more"]) if saved.get("more") else None,
            flow=saved.get("flow"),
            data=data,
            pages=[Reply.from_dict(p) for p in saved.get("pages") or []],
            more_after_pages=Option.from_dict(after) if after else None,
            misses=int(saved.get("misses") or 0),
        )


class StateStore(Protocol):
    def load(self, channel: str, user_id: str) -> DialogueState: ...
    def save(self, channel: str, user_id: str, state: DialogueState) -> None: ...
    def clear(self, channel: str, user_id: str) -> None: ...


class RedisStateStore:
    """States in Redis with a TTL. The key holds a keyed hash of the address (no openid or phone
    number in a key name) and the value is sealed (form answers are the worker's own words)."""

    def __init__(self, client: redis.Redis, ttl_seconds: int, cipher: DataCipher,
                 prefix: str = "gongyou:state") -> None:
        self._redis = client
        self._ttl = ttl_seconds
        self._cipher = cipher
        self._prefix = prefix

    def _key(self, channel: str, user_id: str) -> str:
        return f"{self._prefix}:{channel}:{self._cipher.blind_index(user_id)}"

    def _old_key(self, channel: str, user_id: str) -> str:  # before keys were hashed; read once, then gone
        return f"{self._prefix}:{channel}:{user_id}"

    def load(self, channel: str, user_id: str) -> DialogueState:
        """The conversation so far. Redis unreachable: a fresh state, so an unfinished form is resumed
        from its draft in the database and the message is still answered."""
        try:
            raw = self._redis.get(self._key(channel, user_id))
            if raw:
                return DialogueState.from_json(self._cipher.decrypt(str(raw)))
            old = self._redis.getdel(self._old_key(channel, user_id))
        except redis.RedisError as exc:
            log.warning("dialogue state: Redis unavailable (%s); going on from the database", type(exc).__name__)
            return DialogueState(fresh=True)
        return DialogueState.from_json(str(old)) if old else DialogueState(fresh=True)

    def save(self, channel: str, user_id: str, state: DialogueState) -> None:
        try:
            self._redis.set(self._key(channel, user_id), self._cipher.encrypt(state.to_json()), ex=self._ttl)
        except redis.RedisError as exc:  # the next message starts from the database's drafts
            log.warning("dialogue state not saved: Redis unavailable (%s)", type(exc).__name__)

    def clear(self, channel: str, user_id: str) -> None:
        self._redis.delete(self._key(channel, user_id), self._old_key(channel, user_id))
