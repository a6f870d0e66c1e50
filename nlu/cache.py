"""A cache of the Rasa server's parses for the messages workers send again and again (你好, 找工作,
查询进度, menu words): a repeated message skips the model (issue 18).

Keyed by the model the server has loaded and a keyed hash (HMAC with the app's data key) of the
normalised text, so nothing a worker wrote is in a key, nor can be found from one by trying texts;
a new model is a new key space (the model is asked of the server once a minute, so for up to a
minute after a swap new parses are still written under the old one). Only short texts whose parse
carries no entity but a place or a trade are kept: those are the ones that repeat, and the values
then hold no personal data. Redis failing is a miss, never an error: the model is asked as before.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from nlu.result import Entity, NluResult

log = logging.getLogger(__name__)
SHORTEST_KEPT, LONGEST_KEPT = 1, 24  # characters
KEPT_ENTITIES = frozenset({"city", "job_type"})  # places and trades: nobody's personal data
MODEL_RECHECK_SECONDS = 60.0


class Store(Protocol):
    def get(self, name: str) -> Any: ...
    def set(self, name: str, value: str, ex: int | None = None) -> Any: ...


class ParseCache:
    def __init__(self, store: Store, ttl_seconds: int, model_id: Callable[[], str | None], secret: str = "") -> None:
        self.store = store
        self._secret = secret.encode()  # keyed: a list of likely texts cannot be hashed to find who sent them
        self.ttl = ttl_seconds
        self._model_id = model_id
        self._model: str | None = None
        self._checked = -MODEL_RECHECK_SECONDS
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, text: str) -> NluResult | None:
        key = self._key(text)
        if key is None:
            return None
        try:
            raw = self.store.get(key)
        except Exception:  # Redis down: a miss
            log.debug("NLU cache unavailable", exc_info=True)
            return None
        if raw is None:
            self.misses += 1
            return None
        self.hits += 1
        return _load(raw.decode() if isinstance(raw, bytes) else str(raw))

    def put(self, text: str, result: NluResult) -> None:
        if not keepable(text, result):
            return
        key = self._key(text)
        if key is None:
            return
        try:
            self.store.set(key, _dump(result), ex=self.ttl)
        except Exception:
            log.debug("NLU cache unavailable", exc_info=True)

    def _key(self, text: str) -> str | None:
        if not SHORTEST_KEPT <= len(text) <= LONGEST_KEPT:
            return None
        model = self._current_model()
        if model is None:
            return None
        digest = hmac.new(self._secret, f"{model}\x00{text}".encode(), hashlib.sha256).hexdigest()[:40]
        return f"gongyou:nlu:{digest}"

    def _current_model(self) -> str | None:
        """The model the server has loaded, asked again every minute (a new model is a new key space)."""
        now = time.monotonic()
        with self._lock:
            if now - self._checked < MODEL_RECHECK_SECONDS:
                return self._model
            self._checked = now
        try:
            model = self._model_id()
        except Exception:
            model = None
        with self._lock:
            self._model = model
        return model


def keepable(text: str, result: NluResult) -> bool:
    return (result.source == "rasa" and SHORTEST_KEPT <= len(text) <= LONGEST_KEPT
            and all(e.name in KEPT_ENTITIES for e in result.entities))


def _dump(result: NluResult) -> str:
    return json.dumps({"intent": result.intent, "confidence": result.confidence, "ranking": result.ranking,
                       "entities": [[e.name, e.value, e.text, e.extractor, e.start, e.end] for e in result.entities]},
                      ensure_ascii=False)


def _load(raw: str) -> NluResult | None:
    try:
        data = json.loads(raw)
        entities = tuple(Entity(name=str(n), value=v, text=str(t), extractor=str(x), start=int(s), end=int(e))
                         for n, v, t, x, s, e in data["entities"])
        return NluResult(intent=str(data["intent"]), confidence=float(data["confidence"]), entities=entities,
                         source="rasa", ranking=tuple((str(n), float(c)) for n, c in data["ranking"]))
    except (ValueError, KeyError, TypeError):
        return None
