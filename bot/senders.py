"""Channel senders for the outbox: WeChat customer-service messages, Twilio SMS."""

from __future__ import annotations

from datetime import date

import requests
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client as TwilioClient

from bot.outbox import HeldForStaff, OptedOut, PermanentFailure, TransientFailure
from bot.wechat_api import WeChatApi, WeChatApiError, WindowClosed

TEMPLATE_REMARK = "回复任意消息查看详情或联系工作人员"


class WeChatSender:
    """Customer-service text messages; template messages (``kind="template"``) when a template is set.

    The template is expected to have the fields ``first`` (the update), ``keyword1`` (the date) and
    ``remark`` — as in WeChat's common 「业务进度通知」 templates; configure the id in the settings."""

    def __init__(self, api: WeChatApi, template_id: str = "") -> None:
        self.api = api
        self.template_id = template_id

    def send(self, address: str, text: str, kind: str = "text") -> str | None:
        try:
            if kind == "template":
                if not self.template_id:
                    raise PermanentFailure("no_template", "no WeChat template configured")
                fields = {"first": text, "keyword1": date.today().isoformat(), "remark": TEMPLATE_REMARK}
                data = self.api.send_template(address, self.template_id, fields)
            else:
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


class TwilioSender:
    """SMS through Twilio's REST API, with a status callback to /sms/status."""

    def __init__(self, account_sid: str, auth_token: str, from_number: str, status_callback: str,
                 api_base: str = "") -> None:
        self.client = TwilioClient(account_sid, auth_token)
        if api_base:
            self.client.api.base_url = api_base.rstrip("/")
        self.from_number = from_number
        self.status_callback = status_callback

    def send(self, address: str, text: str, kind: str = "text") -> str | None:
        try:
            message = self.client.messages.create(
                to=address, from_=self.from_number, body=text, status_callback=self.status_callback or None
            )
        except TwilioRestException as exc:
            if exc.code == 21610:  # the number texted STOP: never retry, never send again
                raise OptedOut("21610", str(exc.msg)) from exc
            if exc.status == 429 or exc.status >= 500:
                raise TransientFailure(f"Twilio {exc.status} {exc.code}") from exc
            raise PermanentFailure(str(exc.code or exc.status), str(exc.msg)) from exc
        except requests.RequestException as exc:
            raise TransientFailure(type(exc).__name__) from exc
        return str(message.sid)
