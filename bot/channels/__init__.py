"""The platforms workers write from. Each is one folder with a ``unit(settings, redis)``; to add a
channel, add its folder and its line here (and its name to ``domain.messages.Channel``)."""

from __future__ import annotations

from collections.abc import Callable

import redis

from bot.channels import sms, wechat
from bot.channels.base import ChannelUnit
from config import Settings
from domain.storage.db import Database

UNITS: tuple[Callable[[Settings, redis.Redis, Database], ChannelUnit], ...] = (wechat.unit, sms.unit)


def build_units(settings: Settings, redis_client: redis.Redis, db: Database) -> list[ChannelUnit]:
    return [make(settings, redis_client, db) for make in UNITS]


__all__ = ["ChannelUnit", "build_units"]
