"""Client of the Rasa server's HTTP API (/model/parse), with a short timeout and a circuit breaker:
when Rasa keeps failing (down, or stalled past the timeout), it is not asked for a few seconds, so
every message is answered by the rule layer at once instead of each waiting out its own timeout — a
stalled Rasa once made 50 messages queue behind each other's two seconds."""

from __future__ import annotations

import threading
import time

import requests

from nlu.result import Entity, NluResult


class NluUnavailable(Exception):
    """Rasa did not answer in time or answered with an error."""


class Breaker:
    """Open after ``failures`` failures in a row: calls fail at once for ``open_seconds``; then one call
    is let through to try (closed again if it succeeds)."""

    def __init__(self, failures: int = 3, open_seconds: float = 5.0) -> None:
        self.failures = failures
        self.open_seconds = open_seconds
        self._in_a_row = 0
        self._open_until = 0.0
        self._lock = threading.Lock()

    def allows(self) -> bool:
        with self._lock:
            now = time.monotonic()
            if now < self._open_until:
                return False
            if self._in_a_row >= self.failures:  # half-open: this call tries; the others wait for it
                self._open_until = now + self.open_seconds
            return True

    def succeeded(self) -> None:
        with self._lock:
            self._in_a_row, self._open_until = 0, 0.0

    def failed(self) -> None:
        with self._lock:
            self._in_a_row += 1
            if self._in_a_row >= self.failures:
                self._open_until = time.monotonic() + self.open_seconds


class RasaClient:
    def __init__(self, base_url: str, token: str, timeout: float, breaker: Breaker | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._timeout = timeout
        self._http = requests.Session()
        self.breaker = breaker or Breaker()

    def parse(self, text: str) -> NluResult:
        if not self.breaker.allows():
            raise NluUnavailable("not asked: Rasa kept failing, trying again shortly")
        try:
            result = self._parse(text)
        except NluUnavailable:
            self.breaker.failed()
            raise
        self.breaker.succeeded()
        return result

    def _parse(self, text: str) -> NluResult:
        try:
            resp = self._http.post(
                f"{self.base_url}/model/parse",
                params={"token": self._token},
                json={"text": text},
                timeout=self._timeout,
            )
            resp.raise_for_status()
            data = resp.json()
        except (requests.RequestException, ValueError) as exc:
            # the exception text carries the URL with the token: name the error type only
            raise NluUnavailable(type(exc).__name__) from exc
        intent = data.get("intent") or {}
        entities = tuple(
            Entity(
                name=e["entity"],
                value=e.get("value"),
                text=text[e["start"]:e["end"]] if "start" in e and "end" in e else str(e.get("value")),
                extractor=e.get("extractor", ""),
                start=int(e.get("start", -1)),
                end=int(e.get("end", -1)),
            )
            for e in data.get("entities", [])
        )
        ranking = tuple((r["name"], float(r["confidence"])) for r in data.get("intent_ranking", []))
        return NluResult(
            intent=intent.get("name") or "nlu_fallback",
            confidence=float(intent.get("confidence") or 0.0),
            entities=entities,
            source="rasa",
            ranking=ranking,
        )

    def model_id(self) -> str | None:
        """The model the server has loaded (its file's name carries the hash of the data it was trained on)."""
        status = self.status(timeout=0.5)  # asked on a message's path once a minute: never long
        return str(status.get("model_file") or status.get("fingerprint") or "") or None

    def status(self, timeout: float | None = None) -> dict[str, object]:
        """The server's /status (model loaded); raises NluUnavailable when down."""
        try:
            resp = self._http.get(f"{self.base_url}/status", params={"token": self._token},
                                  timeout=timeout or self._timeout)
            resp.raise_for_status()
            return dict(resp.json())
        except (requests.RequestException, ValueError) as exc:
            raise NluUnavailable(type(exc).__name__) from exc
