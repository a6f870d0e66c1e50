"""Fixtures: real PostgreSQL (a fresh database per run), real Redis (db 15), one Rasa server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

import pytest
import redis
from flask import Flask
from sqlalchemy import text

from bot import create_app
from bot.conversation.pipeline import Pipeline
from config import Settings
from domain.departures import batches
from domain.stations import directory as stations
from domain.storage.db import Database
from domain.training import catalogue as courses
from domain.vacancies import search as vacancies
from nlu.pinyin import warm as warm_pinyin
from tests.support import services
from tests.support.dialog import Conversation
from tests.support.standins import WeChatApiStandIn, serve

WECHAT_TOKEN = "gongyou-test-token"
TWILIO_TOKEN = "12345"
PUBLIC_BASE = "https://gongyou.example.org"


def _service(factory):  # type: ignore[no-untyped-def]
    try:
        return factory()
    except services.ServiceMissing as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def redis_url() -> str:
    return _service(services.require_redis)


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    ctx = services.fresh_database()
    url = _service(ctx.__enter__)
    db = Database(url)
    db.upgrade()
    with db.session() as session:
        vacancies.load_demo(session, date.today())
        stations.load_demo(session)
        courses.load_demo(session, date.today())
        batches.load_demo(session, datetime.now(UTC))
    db.dispose()
    yield url
    ctx.__exit__(None, None, None)


@pytest.fixture(scope="session", autouse=True)
def pinyin_index() -> None:
    """The pinyin reader's index (~3 s to build), built once as `make run` builds it at start: without
    it, whichever test first sends Latin letters (「<script>」, 「shenzhen」) answered late, and passed or
    failed by the order tests ran in."""
    warm_pinyin()


@pytest.fixture(scope="session")
def rasa_url() -> Iterator[str]:
    ctx = services.rasa_server()
    yield _service(ctx.__enter__)
    ctx.__exit__(None, None, None)


def make_settings(database_url: str, redis_url: str, rasa_url: str, **extra: object) -> Settings:
    values: dict[str, object] = {
        "env": "test",
        "secret_key": "test-secret-key",
        "database_url": database_url,
        "redis_url": redis_url,
        "redis_fallback": False,
        "rasa_url": rasa_url,
        "rasa_token": services.RASA_TOKEN,
        "wechat_token": WECHAT_TOKEN,
        "twilio_auth_token": TWILIO_TOKEN,
        "public_base_url": PUBLIC_BASE,
    }
    values.update(extra)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def settings(database_url: str, redis_url: str, rasa_url: str) -> Settings:
    return make_settings(database_url, redis_url, rasa_url)


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:
    app = create_app(settings)
    yield app
    reset(app)


def reset(app: Flask) -> None:
    """Empty what tests write (vacancies are read-only demo data) and the test Redis db; the demo
    stations are loaded afresh."""
    db: Database = app.extensions["gongyou.db"]
    with db.engine.begin() as conn:
        conn.execute(text("TRUNCATE messages, case_events, cases, case_groups, worker_identities, workers, "
                          "staff_users, audit_events, stations, course_signups, courses, departure_signups, departures "
                          "RESTART IDENTITY CASCADE"))
    with db.session() as session:  # the demo county's stations and courses, as `make run` has them
        stations.load_demo(session)
        courses.load_demo(session, date.today())
        batches.load_demo(session, datetime.now(UTC))
    client: redis.Redis = app.extensions["gongyou.redis"]
    client.flushdb()
    db.dispose()


@pytest.fixture
def app_factory(database_url: str, redis_url: str) -> Iterator[Callable[..., Flask]]:
    """Build apps with other settings (e.g. Rasa unreachable); each is cleaned up after the test."""
    made: list[Flask] = []

    def build(rasa_url: str, **extra: object) -> Flask:
        urls = {"database_url": database_url, "redis_url": redis_url}
        urls.update({k: str(extra.pop(k)) for k in list(urls) if k in extra})  # e.g. through an outage proxy
        made.append(create_app(make_settings(urls["database_url"], urls["redis_url"], rasa_url, **extra)))
        return made[-1]

    yield build
    for app in made:
        reset(app)


@pytest.fixture
def wechat_api() -> Iterator[WeChatApiStandIn]:
    """A local stand-in of api.weixin.qq.com (token, custom/template send, menu)."""
    standin = WeChatApiStandIn()
    with serve(standin.app()) as url:
        standin.url = url
        yield standin


@pytest.fixture
def pipeline(app: Flask) -> Pipeline:
    return app.extensions["gongyou.pipeline"]


@pytest.fixture
def conversation(pipeline: Pipeline) -> Conversation:
    return Conversation(pipeline)
