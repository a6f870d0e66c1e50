"""Nothing a worker sends is lost when a service goes away (issue 15, first slice: record first).

The services are taken away through a forwarder in front of the real PostgreSQL and Redis
(tests/support/proxy.py), never by stopping the machine's own. What a worker sees and what staff will
find afterwards is checked; «answered 200» must always mean «durably kept»."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from flask import Flask
from rq import Queue
from rq.job import JobStatus
from sqlalchemy import func, select

from bot import jobs
from bot.app import replay_journal
from domain.storage.models import Message, OutboundMessage
from tests.conftest import WECHAT_TOKEN
from tests.support.proxy import Outage
from tests.support.services import ROOT, OwnRedis
from tests.support.wechat import signed_query, text_xml
from tests.test_sms_webhook import post_sms, sms_params, twiml_text
from tests.test_wechat_webhook import reply_content

SCHEDULER_LOCK = f"rq:scheduler-lock:{jobs.QUEUE}"


def post(app: Flask, body: bytes):  # type: ignore[no-untyped-def]
    return app.test_client().post("/wechat", query_string=signed_query(WECHAT_TOKEN), data=body,
                                  content_type="text/xml")


def outage_in_front_of(url: str) -> Iterator[tuple[Outage, str]]:
    outage, proxied = Outage.in_front_of(url)
    outage.up()
    yield outage, proxied
    outage.down()  # after the app's own clean-up (these fixtures are set up first)


@pytest.fixture
def database_outage(database_url: str) -> Iterator[tuple[Outage, str]]:
    yield from outage_in_front_of(database_url)


@pytest.fixture
def redis_outage(redis_url: str) -> Iterator[tuple[Outage, str]]:
    yield from outage_in_front_of(redis_url)


def test_a_message_sent_while_the_database_is_down_is_kept_and_answered_when_it_is_back(
        database_outage: tuple[Outage, str], app_factory: Callable[..., Flask], rasa_url: str,
        tmp_path: Path) -> None:
    outage, url = database_outage
    app = app_factory(rasa_url, database_url=url, journal_dir=str(tmp_path / "journal"))
    reply_content(post(app, text_xml("你好", sender="oDown0001")))  # the database is there at first
    outage.down()
    text, _ = reply_content(post(app, text_xml("老板欠我三个月工资 一共两万", sender="oDown0001", msg_id=88001)))
    assert "收到" in text and "稍后" in text, text  # 200 only because the journal holds it
    journal = app.extensions["gongyou.pipeline"].journal
    assert journal.waiting() == 1
    assert app.test_client().get("/healthz").get_json()["journaled_messages"] == 1  # visible to whoever runs it
    assert "oDown0001" not in "".join(p.read_text() for p in (tmp_path / "journal").iterdir())  # sealed

    assert replay_journal(app) == 0 and journal.waiting() == 1  # still down: kept, not dropped
    outage.up()
    assert replay_journal(app) == 1 and journal.waiting() == 0
    assert replay_journal(app) == 0
    with app.extensions["gongyou.db"].session() as db:
        said = db.scalars(select(Message.text).where(Message.direction == "in").order_by(Message.id)).all()
        late = [(r.reason, app.extensions["gongyou.outbox"].deliver(r.id)) for r in db.scalars(select(OutboundMessage))]
    assert said == ["你好", "老板欠我三个月工资 一共两万"], said  # recorded once, in order
    # answered late through the outbox; with no WeChat API configured here, held for staff to send
    assert late == [("late_answer", "held")], late


def test_a_retry_while_redis_is_down_is_answered_and_recorded_once(
        redis_outage: tuple[Outage, str], app_factory: Callable[..., Flask], rasa_url: str,
        tmp_path: Path) -> None:
    outage, url = redis_outage
    app = app_factory(rasa_url, redis_url=url, journal_dir=str(tmp_path / "journal"))
    outage.down()
    params = sms_params("深圳有普工吗", sender="+8613700137001", sid="SMredisdown0000000000000000001")
    first = twiml_text(post_sms(app, params))
    assert "深圳" in first, first  # answered from the database and the model, without Redis
    assert post_sms(app, params).status_code == 200  # Twilio's retry of the same MessageSid
    with app.extensions["gongyou.db"].session() as db:
        count = db.scalar(select(func.count()).select_from(Message).where(Message.direction == "in"))
    assert count == 1
    # WeChat in plaintext mode: used signatures are remembered in the database while Redis is away, so
    # a captured signature still cannot carry another body, and the worker is still answered.
    query = signed_query(WECHAT_TOKEN)
    body = text_xml("东莞有普工吗", sender="oNoRedis01", msg_id=88002)
    answered, _ = reply_content(app.test_client().post("/wechat", query_string=query, data=body,
                                                       content_type="text/xml"))
    assert "东莞" in answered, answered
    forged = app.test_client().post("/wechat", query_string=query, content_type="text/xml",
                                    data=text_xml("转人工", sender="oNoRedis01", msg_id=88003))
    assert forged.status_code == 403
    outage.up()


def test_with_redis_and_the_database_both_away_plaintext_wechat_is_asked_to_send_again(
        redis_outage: tuple[Outage, str], database_outage: tuple[Outage, str],
        app_factory: Callable[..., Flask], rasa_url: str, tmp_path: Path) -> None:
    (redis, redis_url), (database, database_url) = redis_outage, database_outage
    app = app_factory(rasa_url, redis_url=redis_url, database_url=database_url,
                      journal_dir=str(tmp_path / "journal"))
    redis.down()
    database.down()
    resp = post(app, text_xml("老板欠我工资", sender="oBothDown1", msg_id=88004))
    assert resp.status_code == 503  # nobody can tell a replay: not let through, not answered 200
    redis.up()
    database.up()


def test_nothing_durable_means_no_200(database_outage: tuple[Outage, str], app_factory: Callable[..., Flask],
                                      rasa_url: str, tmp_path: Path) -> None:
    outage, url = database_outage
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the journal's folder should be")
    app = app_factory(rasa_url, database_url=url, journal_dir=str(blocked))
    outage.down()
    resp = post(app, text_xml("老板欠我工资", sender="oNowhere1", msg_id=88003))
    assert resp.status_code == 503  # WeChat tries again; nothing claimed to be kept
    outage.up()


def _wait_for(check: Callable[[], bool], seconds: float) -> float:
    """Seconds until ``check`` held; fails after ``seconds``."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        with contextlib.suppress(redis.RedisError):
            if check():
                return time.monotonic() - started
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds} s")


def test_after_a_redis_restart_the_scheduler_is_back_and_delayed_retries_run(database_url: str,
                                                                              tmp_path: Path) -> None:
    """RQ's scheduler process dies with Redis; the background worker must start another soon, or delayed
    retries of deliveries and photo fetches wait (RQ's own check ran every 10 minutes). The run's own
    redis-server is restarted, never the machine's."""
    server = OwnRedis()
    server.start()
    env = {**os.environ, "GONGYOU_ENV": "development", "GONGYOU_DATABASE_URL": database_url,
           "GONGYOU_REDIS_URL": f"redis://127.0.0.1:{server.port}/0", "GONGYOU_REDIS_FALLBACK": "false",
           "GONGYOU_WORKER_MAINTENANCE_SECONDS": "3"}
    log = (tmp_path / "worker.log").open("wb")  # read it when this fails
    worker = subprocess.Popen([sys.executable, "-m", "bot.jobs"], cwd=ROOT, env=env,
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    client = redis.Redis(port=server.port, socket_connect_timeout=1)
    scheduling = lambda: bool(client.exists(SCHEDULER_LOCK))  # noqa: E731
    try:
        _wait_for(scheduling, 60)
        server.stop()
        time.sleep(2)  # the scheduler's next round finds Redis gone and its process ends
        server.start()  # same port, nothing kept: every lock and job is gone
        back_after = _wait_for(scheduling, 30)
        assert back_after < 15, back_after  # within a few maintenance rounds (20 s each by default)
        job = Queue(jobs.QUEUE, connection=client).enqueue_in(timedelta(seconds=1), "os.getpid")
        _wait_for(lambda: job.get_status(refresh=True) == JobStatus.FINISHED, 20)  # a delayed job ran
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:  # a warm shutdown waiting on something: this test is over anyway
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        log.close()
        server.stop()
