"""Channel senders for the outbox: WeChat customer-service messages, Twilio SMS."""

from __future__ import annotations

import requests

from bot.outbox import HeldForStaff, PermanentFailure, TransientFailure
from bot.wechat_api import WeChatApi, WeChatApiError, WindowClosed


class WeChatSender:
    def __init__(self, api: WeChatApi) -> None:
        self.api = api

    def send(self, address: str, text: str) -> str | None:
        try:
            data = self.api.send_text(address, text)
        except WindowClosed as exc:
            raise HeldForStaff(str(exc.code), str(exc)) from exc
        except WeChatApiError as exc:
            if exc.code in (-1, 45009):  # system busy / API rate limit
                raise TransientFailure(str(exc)) from exc
            raise PermanentFailure(str(exc.code), str(exc)) from exc
        except requests.RequestException as exc:
            raise TransientFailure(type(exc).__name__) from exc
        return str(data.get("msgid")) if data.get("msgid") else None
