"""Exception hierarchy: a UserFacingError becomes a reply; anything else is logged and answered politely.
A channel's refusals of a request (4xx, 403) are in ``bot.channels.errors``."""

from __future__ import annotations


class GongyouError(Exception):
    """Base of the project's own errors."""


class UserFacingError(GongyouError):
    """An error whose message is safe and useful to show the worker as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
