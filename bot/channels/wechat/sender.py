"""WeChat's sender for the outbox: customer-service text messages, template messages after the window."""

from __future__ import annotations

from datetime import date

import requests

from bot.channels.wechat.api import WeChatApi, WeChatApiError, WindowClosed
from domain.outreach.outbox import HeldForStaff, PermanentFailure, TransientFailure

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
