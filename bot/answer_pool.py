"""The threads that answer WeChat messages, with admission: WeChat's 5 seconds count from the moment a
message reaches us, so a message that would only queue behind busy threads is not made to wait — the
webhook answers `success` at once and the answer follows through the customer-service API.

A message's budget starts at its arrival: the `X-Request-Start` header a proxy in front sets
(nginx: `proxy_set_header X-Request-Start "t=${msec}";`), else the moment the webhook sees it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

OLDEST_PLAUSIBLE_SECONDS = 30.0


class AnswerPool:
    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="gongyou-answer")
        self._in_flight = 0
        self._lock = threading.Lock()

    def busy(self) -> bool:
        """Every thread is answering: a new message would wait for one."""
        with self._lock:
            return self._in_flight >= self.workers

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        with self._lock:
            self._in_flight += 1
        future = self._pool.submit(fn, *args)
        future.add_done_callback(self._done)
        return future

    def _done(self, _: Future[Any]) -> None:
        with self._lock:
            self._in_flight -= 1


def arrived_at(request_start: str, now: float | None = None) -> float:
    """When the request reached us (epoch seconds): a proxy's `X-Request-Start` if plausible, else now."""
    now = time.time() if now is None else now
    raw = request_start.removeprefix("t=").strip()
    try:
        stamp = float(raw)
    except ValueError:
        return now
    for scale in (1.0, 1e3, 1e6):  # seconds (nginx $msec), milliseconds, microseconds
        if 0 <= now - stamp / scale <= OLDEST_PLAUSIBLE_SECONDS:
            return stamp / scale
    return now
