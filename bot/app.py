"""The Flask application factory. Clients are built here, never at import time."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import click
import redis
from flask import Flask, Response, request
from flask.cli import AppGroup
from rq import Queue, Retry
from sqlalchemy import select
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from bot import alerts, cases, handoff, health, jobs
from bot.channels import sms, wechat
from bot.channels.wechat_security import WeChatSecurity
from bot.crypto import DataCipher, MaskingFilter
from bot.dedupe import Deduper
from bot.handoff import OfficeHours
from bot.kv import connect_redis
from bot.media import MediaSource, MediaStore
from bot.messages import Channel
from bot.notify import Notifier
from bot.outbox import Outbox, Sender
from bot.paging import bytes_fit, sms_fits
from bot.pipeline import Pipeline
from bot.senders import TwilioSender, WeChatSender
from bot.state import RedisStateStore
from bot.storage.db import Database
from bot.storage.models import Case, CaseGroup, Worker
from bot.wechat_api import WeChatApi
from config import Settings, load_settings
from config.menu import MENU_FILE, MenuError, wechat_payload
from handlers import default_registry
from nlu.client import RasaClient
from nlu.gazetteer import load_gazetteer
from nlu.pinyin import warm as warm_pinyin
from nlu.service import NluService

log = logging.getLogger(__name__)
WECHAT_PASSIVE_BUDGET = 1800  # bytes of text; WeChat's passive reply limit is 2048 with the XML around it


def configure_logging() -> None:
    root = logging.getLogger()
    if not any(isinstance(f, MaskingFilter) for h in root.handlers for f in h.filters):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.addFilter(MaskingFilter())
        root.addHandler(handler)
        root.setLevel(logging.INFO)


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or load_settings()
    settings.check_production()
    configure_logging()
    app = Flask(__name__)
    if settings.trusted_proxy_count:  # only then may X-Forwarded-Proto/Host rebuild the public URL
        n = settings.trusted_proxy_count
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n)  # type: ignore[method-assign]
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        GONGYOU=settings,
    )

    db = Database(settings.database_url)
    redis_client = connect_redis(
        settings.redis_url, allow_fallback=settings.redis_fallback and settings.env != "production"
    )
    nlu = NluService(
        RasaClient(settings.rasa_url, settings.rasa_token, settings.rasa_timeout_seconds),
        load_gazetteer(),
        settings.nlu_threshold,
    )
    rq_connection, enqueue, enqueue_media = _job_queue(settings, redis_client, app)
    pipeline = Pipeline(
        db=db,
        state=RedisStateStore(redis_client, settings.state_ttl_seconds),
        dedupe=Deduper(redis_client, settings.dedupe_ttl_seconds),
        nlu=nlu,
        registry=default_registry(),
        cipher=DataCipher(settings.data_key or settings.secret_key,
                          [k.strip() for k in settings.data_key_previous.split(",") if k.strip()]),
        page_sizes={Channel.WECHAT: settings.page_size_wechat, Channel.SMS: settings.page_size_sms,
                    Channel.CLI: settings.page_size_wechat},
        budgets={Channel.SMS: sms_fits(settings.sms_max_segments), Channel.WECHAT: bytes_fit(WECHAT_PASSIVE_BUDGET)},
        office=OfficeHours.parse(settings.office_days, settings.office_open, settings.office_close,
                                 settings.office_timezone),
        media_sink=enqueue_media,
    )
    wechat_security = WeChatSecurity(
        settings.wechat_token, settings.wechat_app_id,
        (settings.wechat_aes_key, settings.wechat_aes_key_previous), settings.wechat_max_age_seconds,
    )
    senders: dict[str, Sender] = {}
    media_sources: dict[str, MediaSource] = {}
    if settings.wechat_app_id and settings.wechat_app_secret:
        wechat_api = WeChatApi(settings.wechat_app_id, settings.wechat_app_secret, redis_client,
                               settings.wechat_api_base)
        senders["wechat"] = WeChatSender(wechat_api, settings.wechat_update_template_id)
        media_sources["wechat"] = wechat_api
    else:
        log.warning("WeChat app id/secret not set: late answers and staff replies on WeChat cannot be sent")
    if settings.twilio_account_sid and settings.twilio_from_number:
        callback = f"{settings.public_base_url.rstrip('/')}/sms/status" if settings.public_base_url else ""
        senders["sms"] = TwilioSender(settings.twilio_account_sid, settings.twilio_auth_token,
                                      settings.twilio_from_number, callback, settings.twilio_api_base)
    outbox = Outbox(db, pipeline.cipher, senders, enqueue)
    app.extensions.update({
        "gongyou.outbox": outbox,
        "gongyou.media": MediaStore(db, pipeline.cipher, media_sources),
        "gongyou.notifier": Notifier(db, outbox, wechat_template=bool(settings.wechat_update_template_id)),
        "gongyou.rq_connection": rq_connection,
        "gongyou.answer_pool": ThreadPoolExecutor(max_workers=16, thread_name_prefix="gongyou-answer"),
        "gongyou.wechat_security": wechat_security,
        "gongyou.db": db,
        "gongyou.redis": redis_client,
        "gongyou.nlu": nlu,
        "gongyou.pipeline": pipeline,
    })

    for blueprint in (wechat.bp, sms.bp, health.bp):
        app.register_blueprint(blueprint)
    from knowledge_base.store import configure as configure_kb

    configure_kb(Path(settings.kb_dir) if settings.kb_dir else None)
    from console import register_console  # the staff console (its own package; it uses this app's extensions)

    register_console(app, production=settings.env == "production")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:  # plain text, never a debug page
        return Response(f"{exc.code} {exc.name}", status=exc.code or 500, mimetype="text/plain")

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return Response("500 Internal Server Error", status=500, mimetype="text/plain")

    if settings.env != "test":  # the pinyin reader's index takes ~3 s: build it before a worker needs it
        threading.Thread(target=warm_pinyin, name="gongyou-warm-pinyin", daemon=True).start()
    register_cli(app)
    return app


def _job_queue(
    settings: Settings, redis_client: redis.Redis, app: Flask
) -> tuple[redis.Redis | None, Callable[[int], None], Callable[[int], None]]:
    """RQ on the real Redis: (connection, deliver an outbound message, fetch a worker's media file).
    With the in-process stand-in, jobs run in a thread of this process."""
    if getattr(redis_client, "gongyou_fallback", False):
        def deliver_in_thread(outbound_id: int) -> None:
            outbox: Outbox = app.extensions["gongyou.outbox"]
            threading.Thread(target=outbox.deliver, args=(outbound_id,), daemon=True).start()

        def fetch_in_thread(media_file_id: int) -> None:
            store: MediaStore = app.extensions["gongyou.media"]
            threading.Thread(target=_fetch_quietly, args=(store, media_file_id), daemon=True).start()

        return None, deliver_in_thread, fetch_in_thread
    connection = redis.Redis.from_url(settings.redis_url)  # RQ stores bytes: no decode_responses
    queue = Queue(jobs.QUEUE, connection=connection)

    def enqueue(outbound_id: int) -> None:
        queue.enqueue(jobs.deliver, outbound_id, retry=Retry(max=3, interval=jobs.RETRY_INTERVALS))

    def enqueue_media(media_file_id: int) -> None:  # the platform keeps it for days: retry patiently
        queue.enqueue(jobs.fetch_media, media_file_id, retry=Retry(max=5, interval=[30, 120, 600, 3600, 6 * 3600]))

    return connection, enqueue, enqueue_media


def _fetch_quietly(store: MediaStore, media_file_id: int) -> None:
    try:
        store.fetch(media_file_id)
    except Exception:
        log.exception("fetching media file %s failed", media_file_id)


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
        from knowledge_base import load_articles, validate
        from knowledge_base.store import folder_in_use

        problems = validate(folder_in_use())
        for line in problems:
            click.echo(line, err=True)
        if problems:
            raise click.ClickException(f"{len(problems)} problem(s) in the knowledge base")
        click.echo(f"knowledge base ok: {len(load_articles(folder_in_use()))} articles")

    app.cli.add_command(_vacancies_cli(app))
    app.cli.add_command(_cases_cli(app))

    @app.cli.command("data-rekey")
    def data_rekey() -> None:
        """After a data-key rotation: rewrite all sealed personal data under the current key."""
        from bot.rekey import rekey

        db: Database = app.extensions["gongyou.db"]
        pipeline: Pipeline = app.extensions["gongyou.pipeline"]
        with db.session() as session:
            counts = rekey(session, pipeline.cipher)
        click.echo("re-encrypted: " + ", ".join(f"{k} {v}" for k, v in counts.items()))

    @app.cli.command("init-db")
    @click.option("--demo/--no-demo", default=True, help="Load the demo vacancies too.")
    def init_db(demo: bool) -> None:
        """Apply migrations (and load the demo vacancies)."""
        from bot import vacancies

        db: Database = app.extensions["gongyou.db"]
        db.upgrade()
        if demo:
            with db.session() as session:
                count = vacancies.load_demo(session, date.today())
            click.echo(f"database ready; {count} demo vacancies loaded")
        else:
            click.echo("database ready")


def _vacancies_cli(app: Flask) -> AppGroup:
    group = AppGroup("vacancies", help="Vacancy data: import files, send alerts.")

    @group.command("import")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--skip-bad", is_flag=True, help="Import the good rows even if some rows are bad.")
    def import_command(path: Path, skip_bad: bool) -> None:
        """Import vacancies from a CSV or XLSX file; bad rows are listed with their line numbers."""
        from bot.vacancy_import import ImportFileError, import_rows, read_rows

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
        from bot.reports import inspection_html

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
