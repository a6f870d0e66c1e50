"""The SMS hotline through Twilio: webhook (X-Twilio-Signature, keywords such as STOP/退订, TwiML
replies, delivery reports) and the outbox's sender."""

from __future__ import annotations

import redis

from bot.channels.base import ChannelUnit
from bot.channels.sms.sender import TwilioSender
from bot.channels.sms.webhook import bp
from bot.conversation.paging import sms_fits
from config import Settings
from domain.messages import Channel
from domain.storage.db import Database


def unit(settings: Settings, redis_client: redis.Redis, db: Database) -> ChannelUnit:
    sender = None
    if settings.twilio_account_sid and settings.twilio_from_number:
        callback = f"{settings.public_base_url.rstrip('/')}/sms/status" if settings.public_base_url else ""
        sender = TwilioSender(settings.twilio_account_sid, settings.twilio_auth_token,
                              settings.twilio_from_number, callback, settings.twilio_api_base)
    return ChannelUnit(
        channel=Channel.SMS,
        blueprint=bp,
        page_size=settings.page_size_sms,
        fits=sms_fits(settings.sms_max_segments),
        sender=sender,
    )


__all__ = ["unit"]
