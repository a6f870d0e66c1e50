"""The WeChat official account: webhook (URL check; plaintext, compatible and safe modes), message
parsing, signatures and encryption, the server API client (tokens, customer-service and template
messages, media, menu) and the outbox's sender."""

from __future__ import annotations

import logging
from datetime import timedelta

import redis

from bot.channels.base import ChannelUnit
from bot.channels.wechat.api import WeChatApi
from bot.channels.wechat.security import WeChatSecurity
from bot.channels.wechat.sender import WeChatSender
from bot.channels.wechat.webhook import bp
from bot.conversation.paging import bytes_fit
from config import Settings
from domain.messages import Channel
from domain.outreach.notify import Reach
from domain.signatures import SignatureLedger
from domain.storage.db import Database

log = logging.getLogger(__name__)
PASSIVE_BUDGET = 1800  # bytes of text; WeChat's passive reply limit is 2048 with the XML around it
WINDOW = timedelta(hours=48)  # customer-service messages only this long after the worker's last message


def unit(settings: Settings, redis_client: redis.Redis, db: Database) -> ChannelUnit:
    security = WeChatSecurity(
        settings.wechat_token, settings.wechat_app_id,
        (settings.wechat_aes_key, settings.wechat_aes_key_previous), settings.wechat_max_age_seconds,
        redis_client, allow_plaintext=settings.wechat_allow_plaintext, ledger=SignatureLedger(db),
    )
    api: WeChatApi | None = None
    if settings.wechat_app_id and settings.wechat_app_secret:
        api = WeChatApi(settings.wechat_app_id, settings.wechat_app_secret, redis_client, settings.wechat_api_base)
    else:
        log.warning("WeChat app id/secret not set: late answers and staff replies on WeChat cannot be sent")
    return ChannelUnit(
        channel=Channel.WECHAT,
        blueprint=bp,
        page_size=settings.page_size_wechat,
        fits=bytes_fit(PASSIVE_BUDGET),
        sender=WeChatSender(api, settings.wechat_update_template_id) if api else None,
        reach=Reach(WINDOW, "template" if settings.wechat_update_template_id else None,
                    "WeChat 48-hour window closed"),
        media_source=api,
        extensions={"gongyou.wechat_security": security},
    )


__all__ = ["PASSIVE_BUDGET", "WINDOW", "unit"]
