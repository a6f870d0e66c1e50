"""SMS sender for the outbox: Twilio's REST API, with a status callback to /sms/status."""

from __future__ import annotations

import requests
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client as TwilioClient

from domain.outreach.outbox import OptedOut, PermanentFailure, TransientFailure


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
