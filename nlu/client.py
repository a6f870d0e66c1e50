"""Client of the Rasa server's HTTP API (/model/parse), with a short timeout."""

from __future__ import annotations

import requests

from nlu.result import Entity, NluResult


class NluUnavailable(Exception):
    """Rasa did not answer in time or answered with an error."""


class RasaClient:
    def __init__(self, base_url: str, token: str, timeout: float) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._timeout = timeout
        self._http = requests.Session()

    def parse(self, text: str) -> NluResult:
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

    def status(self) -> dict[str, object]:
        """The server's /status (model loaded); raises NluUnavailable when down."""
        try:
            resp = self._http.get(f"{self.base_url}/status", params={"token": self._token}, timeout=self._timeout)
            resp.raise_for_status()
            return dict(resp.json())
        except (requests.RequestException, ValueError) as exc:
            raise NluUnavailable(type(exc).__name__) from exc
