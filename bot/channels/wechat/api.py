"""The WeChat server API we call: access_token (shared in Redis, refreshed under a lock),
customer-service text messages, the custom menu, and the temporary media workers send.

wechatpy keeps the token's expiry in process memory and has no cross-process lock; WeChat allows
2000 token fetches a day and each fetch invalidates the previous token after 5 minutes, so every
process shares one token in Redis and only the holder of a Redis lock may fetch a new one.
"""

from __future__ import annotations

import time
from typing import Any

import redis
import requests

from domain.errors import GongyouError
from domain.media import MediaGone

TOKEN_EXPIRED = {40001, 40014, 42001}  # invalid / expired access_token: fetch a new one and retry once
WINDOW_CLOSED = {45015, 45047}  # 48-hour window closed or user unfollowed / per-user quota used
MEDIA_GONE = {40007}  # invalid media_id: expired (WeChat keeps temporary media 3 days) or never issued


class WeChatApiError(GongyouError):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"WeChat API error {code}: {message}")
        self.code = code


class WeChatApiUnreachable(WeChatApiError):
    """The network failed (timeout, refused, reset): worth retrying later."""


class WindowClosed(WeChatApiError):
    """The worker can't be messaged now (45015, 45047): hold the message for staff."""


class WeChatApi:
    def __init__(self, app_id: str, app_secret: str, client: redis.Redis, base_url: str,
                 timeout: float = 5.0, prefix: str = "gongyou:wx") -> None:
        self.app_id = app_id
        self._secret = app_secret
        self._redis = client
        self.base_url = base_url.rstrip("/")
        self._timeout = timeout
        self._token_key = f"{prefix}:access_token:{app_id}"
        self._lock_key = f"{self._token_key}:lock"
        self._http = requests.Session()

    # -- access_token -------------------------------------------------------------------------
    def access_token(self, wait_seconds: float = 10.0) -> str:
        deadline = time.monotonic() + wait_seconds
        while True:
            cached = self._redis.get(self._token_key)
            if cached:
                return cached.decode() if isinstance(cached, bytes) else str(cached)
            if self._redis.set(self._lock_key, "1", nx=True, ex=30):
                try:
                    return self._fetch_token()
                finally:
                    self._redis.delete(self._lock_key)
            if time.monotonic() > deadline:
                raise WeChatApiError(-1, "timed out waiting for another process to refresh the access_token")
            time.sleep(0.1)  # another process is fetching it

    def _fetch_token(self) -> str:
        data = self._get("token", {"grant_type": "client_credential", "appid": self.app_id, "secret": self._secret})
        token = str(data["access_token"])
        expires_in = int(data.get("expires_in", 7200))
        # refresh well before expiry (WeChat keeps the old token valid 5 minutes after a new fetch)
        self._redis.set(self._token_key, token, ex=max(expires_in - 600, 60))
        return token

    def forget_token(self) -> None:
        self._redis.delete(self._token_key)

    # -- calls --------------------------------------------------------------------------------
    def _send(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """One HTTP call. Its errors name the path, never the URL: the query carries the access_token
        or the AppSecret, and exception texts end up in logs and in RQ's job records."""
        try:
            resp = self._http.request(method, f"{self.base_url}/{path}", timeout=self._timeout, **kwargs)
            resp.raise_for_status()
        except requests.HTTPError as exc:
            raise WeChatApiError(-1, f"HTTP {exc.response.status_code} from {path}") from None
        except requests.RequestException as exc:
            raise WeChatApiUnreachable(-1, f"{type(exc).__name__} calling {path}") from None
        return resp

    def _get(self, path: str, params: dict[str, str]) -> dict[str, Any]:
        return self._check(self._send("GET", path, params=params))

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        for attempt in (1, 2):
            resp = self._send("POST", path, params={"access_token": self.access_token()}, data=_json(body),
                              headers={"Content-Type": "application/json; charset=utf-8"})
            try:
                return self._check(resp)
            except WeChatApiError as exc:
                if exc.code in TOKEN_EXPIRED and attempt == 1:
                    self.forget_token()
                    continue
                raise
        raise AssertionError("unreachable")

    @staticmethod
    def _check(resp: requests.Response) -> dict[str, Any]:
        data: dict[str, Any] = resp.json()
        code = int(data.get("errcode", 0) or 0)
        if code:
            cls = WindowClosed if code in WINDOW_CLOSED else WeChatApiError
            raise cls(code, str(data.get("errmsg", "")))
        return data

    def send_text(self, openid: str, text: str) -> dict[str, Any]:
        """A customer-service text message (within 48 h of the worker's last message)."""
        return self._post("message/custom/send", {"touser": openid, "msgtype": "text", "text": {"content": text}})

    def send_template(self, openid: str, template_id: str, data: dict[str, str]) -> dict[str, Any]:
        """A template message (verified service accounts; not bound to the 48-hour window)."""
        return self._post("message/template/send", {
            "touser": openid, "template_id": template_id,
            "data": {key: {"value": value} for key, value in data.items()},
        })

    def get_media(self, media_id: str) -> tuple[bytes, str]:
        """A temporary media file a worker sent (photo, voice); WeChat keeps them 3 days."""
        for attempt in (1, 2):
            resp = self._send("GET", "media/get", params={"access_token": self.access_token(), "media_id": media_id})
            content_type = resp.headers.get("Content-Type", "")
            if not content_type.startswith(("application/json", "text/plain")):
                return resp.content, content_type
            try:
                self._check(resp)  # an error comes back as JSON
            except WeChatApiError as exc:
                if exc.code in TOKEN_EXPIRED and attempt == 1:
                    self.forget_token()
                    continue
                if exc.code in MEDIA_GONE:
                    raise MediaGone(f"{exc.code} {exc}") from exc
                raise
            raise WeChatApiError(-1, "media/get answered JSON without an error code")
        raise AssertionError("unreachable")

    def create_menu(self, menu: dict[str, Any]) -> dict[str, Any]:
        return self._post("menu/create", menu)


def _json(body: dict[str, Any]) -> bytes:
    import json

    return json.dumps(body, ensure_ascii=False).encode("utf-8")  # WeChat wants UTF-8, not \\u escapes
