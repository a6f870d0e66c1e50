"""De-duplication of platform retries: the first delivery is handled, repeats get the same answer.

WeChat retries a message up to three times when no answer came within 5 seconds; Twilio may
retry too. ``claim`` uses Redis ``SET NX`` so exactly one delivery is processed; the finished
reply is stored under the same key so a late retry receives it instead of a second answer.

A message is known by its channel, its sender and the platform's message id together: a MsgId is
only unique per account, and another user sending the same one must never get this user's answer.
The key holds a keyed hash of sender and id (no openid or phone number in a key name) and the stored
reply is sealed (it may list the worker's cases).

Redis here is a fast path, not the record: when it is unreachable, ``claim`` lets the message through
and the database's unique delivery key (domain/workers.py) turns a retry into a repeat instead.
"""

from __future__ import annotations

import json
import logging
from contextlib import suppress

import redis

from domain.crypto import DataCipher
from domain.messages import Reply

PENDING = "__pending__"
log = logging.getLogger(__name__)


class Deduper:
    def __init__(self, client: redis.Redis, ttl_seconds: int, cipher: DataCipher,
                 prefix: str = "gongyou:seen") -> None:
        self._redis = client
        self._ttl = ttl_seconds
        self._cipher = cipher
        self._prefix = prefix

    def _key(self, channel: str, sender: str, message_id: str) -> str:
        who_and_which = self._cipher.blind_index(sender + "\n" + message_id)
        return f"{self._prefix}:{channel}:{who_and_which}"

    def claim(self, channel: str, sender: str, message_id: str) -> bool:
        """True for the first delivery of this message (or when Redis cannot tell); False for a repeat."""
        try:
            return bool(self._redis.set(self._key(channel, sender, message_id), PENDING, nx=True, ex=self._ttl))
        except redis.RedisError as exc:
            log.warning("dedupe: Redis unavailable (%s); the database's delivery key guards against repeats",
                        type(exc).__name__)
            return True

    def remember(self, channel: str, sender: str, message_id: str, reply: Reply) -> None:
        sealed = self._cipher.encrypt(json.dumps(reply.to_dict(), ensure_ascii=False))
        with suppress(redis.RedisError):  # a retry then finds the delivery in the database: a repeat
            self._redis.set(self._key(channel, sender, message_id), sealed, ex=self._ttl)

    def release(self, channel: str, sender: str, message_id: str) -> None:
        """Forget a claim whose processing failed, so the platform's retry is handled afresh."""
        with suppress(redis.RedisError):
            self._redis.delete(self._key(channel, sender, message_id))

    def previous(self, channel: str, sender: str, message_id: str) -> Reply | None:
        """The reply given to the first delivery, or None while it is still being worked on (or unknown)."""
        try:
            raw = self._redis.get(self._key(channel, sender, message_id))
        except redis.RedisError:
            return None
        if not raw or raw == PENDING:
            return None
        return Reply.from_dict(json.loads(self._cipher.decrypt(str(raw))))
