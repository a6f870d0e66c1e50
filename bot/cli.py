"""Every command of Gongyou: `gongyou <command>` (the console script), or `flask <command>` in the
clone (`.flaskenv` names the app): wechat push-menu, kb-check, vacancies import/alerts, cases
sweep/export/release, data-rekey, init-db, console create-user/create-token. To add a command, add
it to ``register_cli`` (or a group made there)."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup, FlaskGroup
from sqlalchemy import select

from bot.channels.wechat.api import WeChatApi
from bot.conversation.pipeline import Pipeline
from config import Settings
from config.menu import MENU_FILE, MenuError, wechat_payload
from console.access import ROLES
from console.api import TOKEN_DAYS, issue_token, revoke_tokens
from console.auth import create_user
from domain import audit, privacy
from domain.cases import handoff
from domain.cases import lifecycle as cases
from domain.outreach.notify import Notifier
from domain.storage.db import Database
from domain.storage.models import Case, CaseGroup, StaffUser, Worker
from domain.vacancies import alerts
from knowledge_base import Library


def register_cli(app: Flask) -> None:
    wechat_cli = AppGroup("wechat", help="WeChat official account tasks.")

    @wechat_cli.command("push-menu")
    @click.option("--file", "path", type=click.Path(exists=True, dir_okay=False), default=str(MENU_FILE))
    def push_menu(path: str) -> None:
        """Validate config/wechat_menu.yml against WeChat's limits, then publish it."""
        try:
            payload = wechat_payload(Path(path))
        except MenuError as exc:
            raise click.ClickException(f"menu not pushed: {exc}") from exc
        settings: Settings = app.config["GONGYOU"]
        if not (settings.wechat_app_id and settings.wechat_app_secret):
            raise click.ClickException("set GONGYOU_WECHAT_APP_ID and GONGYOU_WECHAT_APP_SECRET first")
        api = WeChatApi(settings.wechat_app_id, settings.wechat_app_secret, app.extensions["gongyou.redis"],
                        settings.wechat_api_base)
        api.create_menu(payload)
        click.echo(f"menu pushed: {len(payload['button'])} buttons")

    app.cli.add_command(wechat_cli)

    @app.cli.command("kb-check")
    def kb_check() -> None:
        """Validate the knowledge base (required fields, source, short-answer length, links)."""
        library: Library = app.extensions["gongyou.kb"]
        problems = library.problems()
        for line in problems:
            click.echo(line, err=True)
        if problems:
            raise click.ClickException(f"{len(problems)} problem(s) in the knowledge base")
        click.echo(f"knowledge base ok: {len(library.index().articles)} articles")

    app.cli.add_command(_console_cli(app))
    app.cli.add_command(_privacy_cli(app))
    app.cli.add_command(_vacancies_cli(app))
    app.cli.add_command(_cases_cli(app))

    @app.cli.command("data-rekey")
    def data_rekey() -> None:
        """After a data-key rotation: rewrite all sealed personal data under the current key."""
        from domain.rekey import rekey

        db: Database = app.extensions["gongyou.db"]
        pipeline: Pipeline = app.extensions["gongyou.pipeline"]
        with db.session() as session:
            counts = rekey(session, pipeline.cipher)
        click.echo("re-encrypted: " + ", ".join(f"{k} {v}" for k, v in counts.items()))

    @app.cli.command("init-db")
    @click.option("--demo/--no-demo", default=True,
                  help="Load the demo vacancies, stations, courses and departures too.")
    def init_db(demo: bool) -> None:
        """Apply migrations (and load the demo vacancies and a demo county's stations, courses and departures)."""
        from domain.departures import batches
        from domain.stations import directory as stations
        from domain.training import catalogue as courses
        from domain.vacancies import search as vacancies

        db: Database = app.extensions["gongyou.db"]
        db.upgrade()
        if demo:
            with db.session() as session:
                count = vacancies.load_demo(session, date.today())
                posts = stations.load_demo(session)
                classes = courses.load_demo(session, date.today())
                trips = batches.load_demo(session, datetime.now(UTC))
            click.echo(f"database ready; demo data loaded: {count} vacancies, {posts} stations, {classes} courses, "
                       f"{trips} organised departures")
        else:
            click.echo("database ready")


def _vacancies_cli(app: Flask) -> AppGroup:
    group = AppGroup("vacancies", help="Vacancy data: import files, send alerts.")

    @group.command("import")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--skip-bad", is_flag=True, help="Import the good rows even if some rows are bad.")
    def import_command(path: Path, skip_bad: bool) -> None:
        """Import vacancies from a CSV or XLSX file; bad rows are listed with their line numbers."""
        from domain.vacancies.importer import ImportFileError, import_rows, read_rows

        db: Database = app.extensions["gongyou.db"]
        try:
            rows = list(read_rows(path))
        except ImportFileError as exc:
            raise click.ClickException(f"{path.name}: {exc}") from exc
        with db.session() as session:
            with click.progressbar(length=len(rows), label="检查", file=sys.stderr) as bar:
                report = import_rows(session, rows, skip_bad, bar.update)
        for error in report.errors:
            click.echo(f"{path.name} {error}", err=True)
        if not report.imported:
            raise click.ClickException(
                f"{len(report.errors)} bad row(s) of {report.rows}: nothing imported. "
                "Fix them, or use --skip-bad to import the good rows only.")
        click.echo(f"imported {len(report.created)} new, updated {report.updated}"
                   + (f", skipped {len(report.errors)} bad row(s)" if report.errors else ""))
        _send_alerts(app)

    @group.command("alerts")
    def alerts_command() -> None:
        """Announce new vacancies to workers with matching alerts (run daily, or after adding by hand)."""
        _send_alerts(app)

    return group


def _send_alerts(app: Flask) -> None:
    db: Database = app.extensions["gongyou.db"]
    notifier: Notifier = app.extensions["gongyou.notifier"]
    with db.session() as session:
        sent = alerts.announce(session, date.today(), notifier.notify)
    click.echo(f"alerts: {sent} notice(s) queued")


def _cases_cli(app: Flask) -> AppGroup:
    group = AppGroup("cases", help="Cases: deadline reminders, inspection reports, hand-offs.")

    @group.command("sweep")
    def sweep_command() -> None:
        """Tell workers whose case passed a deadline without news (run hourly, e.g. from cron)."""
        db: Database = app.extensions["gongyou.db"]
        notifier: Notifier = app.extensions["gongyou.notifier"]
        with db.session() as session:
            sent = cases.sweep_overdue(session, notifier.notify)
            late = len(cases.overdue_cases(session))
        click.echo(f"overdue cases: {late}; worker updates queued: {sent}")

    @group.command("export")
    @click.argument("number")
    @click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
    @click.option("--reveal", is_flag=True, help="Show the phone number where the worker consented.")
    def export_command(number: str, out: Path | None, reveal: bool) -> None:
        """The inspection-ready report of a case, as print-friendly HTML."""
        from domain.cases.report import inspection_html

        db: Database = app.extensions["gongyou.db"]
        pipeline: Pipeline = app.extensions["gongyou.pipeline"]
        with db.session() as session:
            case = session.scalar(select(Case).where(Case.number == number.upper()))
            if case is None:
                raise click.ClickException(f"no case {number}")
            worker = session.get(Worker, case.worker_id)
            group_row = session.get(CaseGroup, case.group_id) if case.group_id else None
            html = inspection_html(case, worker, group_row, pipeline.cipher, reveal=reveal)
            cases.event(session, case, "exported", "cli", reveal=reveal)
        if out:
            out.write_text(html, encoding="utf-8")
            click.echo(f"written {out}")
        else:
            click.echo(html)

    @group.command("release")
    @click.argument("number")
    def release_command(number: str) -> None:
        """Give a handed-off conversation (RG… case) back to the bot."""
        db: Database = app.extensions["gongyou.db"]
        with db.session() as session:
            case = session.scalar(select(Case).where(Case.number == number.upper()))
            if case is None:
                raise click.ClickException(f"no case {number}")
            handoff.release(session, case.worker_id, actor="cli")
        click.echo(f"released: the bot answers this worker again ({number})")

    return group


def _console_cli(app: Flask) -> AppGroup:
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
    @click.option("--days", type=click.IntRange(1, 366), default=TOKEN_DAYS, show_default=True,
                  help="Days until the token expires.")
    def create_token_command(username: str, name: str, days: int) -> None:
        """Issue a JSON API token acting as USERNAME (printed once; only its hash is kept)."""
        db: Database = app.extensions["gongyou.db"]
        with db.session() as session:
            user = session.scalar(select(StaffUser).where(StaffUser.username == username))
            if user is None:
                raise click.ClickException(f"no user {username}")
            token = issue_token(session, user, name, days)
            audit.record(session, "cli", "token_issued", f"{username}/{name}", days=days)
        click.echo(token)

    @group.command("revoke-token")
    @click.argument("username")
    @click.argument("name")
    def revoke_token_command(username: str, name: str) -> None:
        """Revoke USERNAME's API tokens called NAME: they stop working at once."""
        db: Database = app.extensions["gongyou.db"]
        with db.session() as session:
            count = revoke_tokens(session, username, name)
            if not count:
                raise click.ClickException(f"no active token {name} of {username}")
            audit.record(session, "cli", "token_revoked", f"{username}/{name}", count=count)
        click.echo(f"revoked {count} token(s)")

    return group


def _privacy_cli(app: Flask) -> AppGroup:
    group = AppGroup("privacy", help="Workers' personal data: the retention period.")

    @group.command("retention")
    @click.option("--dry-run", is_flag=True, help="Count what would be anonymised; change nothing.")
    def retention_command(dry_run: bool) -> None:
        """Anonymise transcripts past the retention period (GONGYOU_RETENTION_MONTHS; the worker does it daily)."""
        settings: Settings = app.config["GONGYOU"]
        db: Database = app.extensions["gongyou.db"]
        with db.session() as session:
            result = privacy.apply_retention(session, settings.retention_months, dry_run=dry_run)
        verb = "would be anonymised (dry run)" if dry_run else "anonymised"
        click.echo(f"{result.workers} worker(s) silent over {settings.retention_months} months with no open case: "
                   f"{result.messages} message(s) and {result.cases} closed case(s) {verb}")

    return group


def main() -> None:
    """The `gongyou` console script: the app's commands without `--app`."""

    def make_app() -> Flask:
        from bot import create_app

        return create_app()

    FlaskGroup(create_app=make_app, help="Gongyou (工友): commands for operators.")()
