"""The rights centre's staff console: a Flask blueprint under /console and the JSON API under /api.
Its commands (`gongyou console create-user`, `create-token`) are in ``bot/cli.py``."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from console import (  # noqa: F401  (their routes join the console blueprint)
    content,
    departures,
    held,
    merges,
    registry,
    stations,
    subsidies,
    training,
    users,
)
from console.api import bp as api_bp
from console.views import bp


def register_console(app: Flask, production: bool) -> None:
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=production,  # behind HTTPS in production; plain http on a laptop
        SESSION_COOKIE_NAME="gongyou_console",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
    )
    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
