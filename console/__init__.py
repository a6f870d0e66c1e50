"""The rights centre's staff console: a Flask blueprint under /console, and its CLI."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import Flask
from flask.cli import AppGroup

from console import content, users  # noqa: F401  (their routes join the console blueprint)
from console.access import ROLES
from console.api import bp as api_bp
from console.api import issue_token
from console.auth import create_user
from console.views import bp
from domain.storage.db import Database


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
    app.cli.add_command(_cli(app))


def _cli(app: Flask) -> AppGroup:
    group = AppGroup("console", help="Staff console accounts.")

    @group.command("create-user")
    @click.argument("username")
    @click.option("--role", type=click.Choice(ROLES), default="agent", show_default=True)
    @click.option("--region", "regions", multiple=True, help="A city an agent works (repeat for more).")
    @click.option("--name", "display_name", default="", help="Name shown in the console.")
    @click.password_option(envvar="GONGYOU_CONSOLE_PASSWORD", help="At least 10 characters (or set the env var).")
    def create_user_command(username: str, role: str, regions: tuple[str, ...], display_name: str,
                            password: str) -> None:
        """Create a console account (the first one: --role admin)."""
        db: Database = app.extensions["gongyou.db"]
        try:
            with db.session() as session:
                create_user(session, username, password, role, list(regions), display_name)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"created {role} {username}")

    @group.command("create-token")
    @click.argument("username")
    @click.argument("name")
    def create_token_command(username: str, name: str) -> None:
        """Issue a JSON API token acting as USERNAME (printed once; only its hash is kept)."""
        from sqlalchemy import select

        from domain.storage.models import StaffUser

        db: Database = app.extensions["gongyou.db"]
        with db.session() as session:
            user = session.scalar(select(StaffUser).where(StaffUser.username == username))
            if user is None:
                raise click.ClickException(f"no user {username}")
            token = issue_token(session, user, name)
        click.echo(token)

    return group
