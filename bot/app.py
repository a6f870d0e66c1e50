"""The Flask application factory. Clients are built here, never at import time."""

from __future__ import annotations

import logging
from datetime import date

import click
from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from bot import health
from bot.channels import sms, wechat
from bot.channels.wechat_security import WeChatSecurity
from bot.crypto import DataCipher, MaskingFilter
from bot.dedupe import Deduper
from bot.kv import connect_redis
from bot.messages import Channel
from bot.paging import bytes_fit, sms_fits
from bot.pipeline import Pipeline
from bot.state import RedisStateStore
from bot.storage.db import Database
from config import Settings, load_settings
from handlers import default_registry
from nlu.client import RasaClient
from nlu.gazetteer import load_gazetteer
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
    pipeline = Pipeline(
        db=db,
        state=RedisStateStore(redis_client, settings.state_ttl_seconds),
        dedupe=Deduper(redis_client, settings.dedupe_ttl_seconds),
        nlu=nlu,
        registry=default_registry(),
        cipher=DataCipher(settings.data_key or settings.secret_key),
        page_sizes={Channel.WECHAT: settings.page_size_wechat, Channel.SMS: settings.page_size_sms,
                    Channel.CLI: settings.page_size_wechat},
        budgets={Channel.SMS: sms_fits(settings.sms_max_segments), Channel.WECHAT: bytes_fit(WECHAT_PASSIVE_BUDGET)},
    )
    wechat_security = WeChatSecurity(
        settings.wechat_token, settings.wechat_app_id,
        (settings.wechat_aes_key, settings.wechat_aes_key_previous), settings.wechat_max_age_seconds,
    )
    app.extensions.update({
        "gongyou.wechat_security": wechat_security,
        "gongyou.db": db,
        "gongyou.redis": redis_client,
        "gongyou.nlu": nlu,
        "gongyou.pipeline": pipeline,
    })

    for blueprint in (wechat.bp, sms.bp, health.bp):
        app.register_blueprint(blueprint)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:  # plain text, never a debug page
        return Response(f"{exc.code} {exc.name}", status=exc.code or 500, mimetype="text/plain")

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return Response("500 Internal Server Error", status=500, mimetype="text/plain")

    register_cli(app)
    return app


def register_cli(app: Flask) -> None:
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
