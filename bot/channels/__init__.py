"""The platforms workers write from. Each is one folder with a ``unit(settings, redis)``; to add a
channel, add its folder and its line here (and its name to ``domain.messages.Channel``)."""

from __future__ import annotations

from collections.abc import Callable

import redis

from bot.channels import sms, wechat
from bot.channels.base import ChannelUnit
from config import Settings

UNITS: tuple[Callable[[Settings, redis.Redis], ChannelUnit], ...] = (wechat.unit, sms.unit)


def build_units(settings: Settings, redis_client: redis.Redis) -> list[ChannelUnit]:
    return [make(settings, redis_client) for make in UNITS]


__all__ = ["ChannelUnit", "build_units"]
