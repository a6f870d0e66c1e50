"""Exception hierarchy: a UserFacingError becomes a reply; anything else is logged and answered politely."""

from __future__ import annotations


class GongyouError(Exception):
    """Base of the project's own errors."""


class UserFacingError(GongyouError):
    """An error whose message is safe and useful to show the worker as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(GongyouError):
    """A request a channel must refuse with 4xx (malformed, too big, hostile)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class ForbiddenSignature(GongyouError):
    """A webhook request whose signature does not verify: 403."""
