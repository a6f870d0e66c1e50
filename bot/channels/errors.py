"""How a channel refuses a request: 4xx for malformed or hostile input, 403 for a bad signature."""

from __future__ import annotations

from domain.errors import GongyouError


class BadRequest(GongyouError):
    """A request a channel must refuse with 4xx (malformed, too big, hostile)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class ForbiddenSignature(GongyouError):
    """A webhook request whose signature does not verify: 403."""


class CannotCheckNow(GongyouError):
    """A check the request needs cannot run (Redis, which remembers used signatures, is away): 503, so
    the platform sends it again instead of it being answered unrecorded or let through unchecked."""
