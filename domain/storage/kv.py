"""Redis connection, with an in-process stand-in for zero-setup local runs (logged loudly)."""

from __future__ import annotations

import logging

import redis

log = logging.getLogger(__name__)


def connect_redis(url: str, *, allow_fallback: bool) -> redis.Redis:
    """Connect to Redis; where it is unreachable and fallback is allowed, use fakeredis."""
    client = redis.Redis.from_url(url, socket_connect_timeout=1.0, socket_timeout=2.0, decode_responses=True)
    try:
        client.ping()
        return client
    except redis.RedisError as exc:
        if not allow_fallback:
            raise
        import fakeredis

        log.warning(
            "!!! Redis at %s is unreachable (%s): using an IN-PROCESS stand-in. Dialogue state and "
            "de-duplication are lost on restart and not shared between processes. Start redis-server "
            "for anything beyond a local trial.",
            url,
            exc,
        )
        fake = fakeredis.FakeRedis(decode_responses=True)
        fake.gongyou_fallback = True  # type: ignore[attr-defined]
        return fake
