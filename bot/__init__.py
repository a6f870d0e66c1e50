"""The worker-facing runtime and the composition root: the app factory (wiring only), channels, the
conversation pipeline, background jobs, every CLI command."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

    from config import Settings


def create_app(settings: Settings | None = None) -> Flask:
    from bot.app import create_app as _create_app

    return _create_app(settings)


__all__ = ["create_app"]
