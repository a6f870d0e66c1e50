"""The Flask application factory. Clients are built here, never at import time."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

import redis
from flask import Flask, Response, request
from rq import Queue, Retry
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from bot import health, jobs
from bot.answer_pool import AnswerPool
from bot.channels import build_units
from bot.cli import register_cli
from bot.conversation.dedupe import Deduper
from bot.conversation.journal import Journal
from bot.conversation.pipeline import Pipeline
from config import Settings, load_settings
from domain import local_time
from domain.cases.handoff import OfficeHours
from domain.crypto import DataCipher, MaskingFilter, mask_every_log
from domain.dialogue import RedisStateStore
from domain.media import MediaStore
from domain.messages import Channel, InboundMessage
from domain.outreach.notify import Notifier
from domain.outreach.outbox import Outbox
from domain.storage.db import Database
from domain.storage.kv import connect_redis
from handlers import default_registry
from knowledge_base import Library
from knowledge_base.meaning import cache_folder, default_embedder
from nlu.cache import ParseCache
from nlu.client import RasaClient
from nlu.gazetteer import load_gazetteer
from nlu.pinyin import warm as warm_pinyin
from nlu.service import NluService

log = logging.getLogger(__name__)


def configure_logging() -> None:
    root = logging.getLogger()
    if not any(isinstance(f, MaskingFilter) for h in root.handlers for f in h.filters):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.addFilter(MaskingFilter())
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    mask_every_log()


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

    local_time.set_zone(settings.office_timezone)  # what 「明天」 and 「这个月」 mean in reminders
    db = Database(settings.database_url)
    redis_client = connect_redis(
        settings.redis_url, allow_fallback=settings.redis_fallback and settings.env != "production"
    )
    rasa = RasaClient(settings.rasa_url, settings.rasa_token, settings.rasa_timeout_seconds)
    parse_cache = ParseCache(redis_client, settings.nlu_cache_seconds, rasa.model_id,
                             settings.data_key or settings.secret_key) if settings.nlu_cache_seconds else None
    nlu = NluService(rasa, load_gazetteer(), settings.nlu_threshold, parse_cache)
    rq_connection, enqueue, enqueue_media = _job_queue(settings, redis_client, app)
    units = build_units(settings, redis_client, db)
    cipher = DataCipher(settings.data_key or settings.secret_key,
                        [k.strip() for k in settings.data_key_previous.split(",") if k.strip()])
    senders = {u.channel.value: u.sender for u in units if u.sender is not None}
    outbox = Outbox(db, cipher, senders, enqueue)
    library = Library(Path(settings.kb_dir) if settings.kb_dir else None,
                      default_embedder() if settings.kb_meaning else None, cache_folder(settings.cache_dir))
    if settings.env != "test":
        library.warm_in_background()
    journal = Journal(Path(settings.journal_dir or "var/journal"), cipher)
    pipeline = Pipeline(
        db=db,
        state=RedisStateStore(redis_client, settings.state_ttl_seconds, cipher),
        dedupe=Deduper(redis_client, settings.dedupe_ttl_seconds, cipher),
        nlu=nlu,
        registry=default_registry(),
        cipher=cipher,
        library=library,
        outbox=outbox,
        page_sizes={Channel.CLI: settings.page_size_wechat, **{u.channel: u.page_size for u in units}},
        budgets={u.channel: u.fits for u in units if u.fits is not None},
        office=OfficeHours.parse(settings.office_days, settings.office_open, settings.office_close,
                                 settings.office_timezone),
        media_sink=enqueue_media,
        journal=journal,
    )
    media_sources = {u.channel.value: u.media_source for u in units if u.media_source is not None}
    app.extensions.update({
        "gongyou.outbox": outbox,
        "gongyou.media": MediaStore(db, cipher, media_sources),
        "gongyou.notifier": Notifier(db, outbox, {u.channel.value: u.reach for u in units}),
        "gongyou.rq_connection": rq_connection,
        "gongyou.answer_pool": AnswerPool(workers=16),
        "gongyou.db": db,
        "gongyou.redis": redis_client,
        "gongyou.nlu": nlu,
        "gongyou.pipeline": pipeline,
        "gongyou.kb": library,
    })
    for unit in units:
        app.extensions.update(unit.extensions)

    for blueprint in (*(u.blueprint for u in units), health.bp):
        app.register_blueprint(blueprint)
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
        threading.Thread(target=replay_journal_forever, args=(app, settings.journal_replay_seconds),
                         name="gongyou-journal", daemon=True).start()
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


def replay_journal(app: Flask) -> int:
    """Answer the messages kept in the local journal while the database was away: each is recorded and
    answered now, the answer sent as a late one. Stops (keeping the rest) while the database is still away."""
    pipeline: Pipeline = app.extensions["gongyou.pipeline"]
    if pipeline.journal is None:
        return 0

    def answer_late(msg: InboundMessage) -> None:
        pipeline.send_late(pipeline.handle(msg, journal=False), msg.channel.value)

    return pipeline.journal.replay(answer_late)


def replay_journal_forever(app: Flask, every_seconds: float) -> None:
    while True:
        time.sleep(every_seconds)
        try:
            replay_journal(app)
        except Exception:  # a round that fails is logged; the next one tries again
            log.exception("journal replay failed")
