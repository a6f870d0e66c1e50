"""The 5-second rule and the customer-service API, against a local stand-in of WeChat's API server."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import redis
from flask import Flask
from rq import Queue, SimpleWorker
from sqlalchemy import func, select

from bot import jobs
from bot.answer_pool import arrived_at
from bot.channels.wechat.api import WeChatApi
from domain.storage.models import Message, OutboundMessage
from tests.conftest import WECHAT_TOKEN
from tests.support.standins import WeChatApiStandIn, delaying_proxy, serve
from tests.support.wechat import signed_query, text_xml


def wechat_app(app_factory: Callable[..., Flask], rasa_url: str, api: WeChatApiStandIn, **extra: object) -> Flask:
    app = app_factory(rasa_url, wechat_app_id="wxTEST", wechat_app_secret="secret",
                      wechat_api_base=f"{api.url}/cgi-bin", **extra)
    jobs.bind(app)
    return app


def run_jobs(app: Flask) -> None:
    connection = app.extensions["gongyou.rq_connection"]
    SimpleWorker([Queue(jobs.QUEUE, connection=connection)], connection=connection).work(burst=True)


def wait_for_outbound(app: Flask, timeout: float = 15) -> OutboundMessage:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.extensions["gongyou.db"].session() as db:
            row = db.scalar(select(OutboundMessage))
            if row is not None:
                return row
        time.sleep(0.2)
    raise AssertionError("no outbound message was queued")


def test_stalled_rasa_answers_success_in_time_then_sends_through_customer_service(
    app_factory: Callable[..., Flask], rasa_url: str, wechat_api: WeChatApiStandIn
) -> None:
    with serve(delaying_proxy(rasa_url, delay=6.0)) as slow_rasa:
        app = wechat_app(app_factory, slow_rasa, wechat_api, rasa_timeout_seconds=10.0)
        started = time.monotonic()
        resp = app.test_client().post("/wechat", query_string=signed_query(WECHAT_TOKEN),
                                      data=text_xml("你好", sender="oSlowRasa"))
        elapsed = time.monotonic() - started
        assert resp.status_code == 200 and resp.data == b"success"
        assert elapsed < 4.5, elapsed
        row = wait_for_outbound(app)
        assert row.status == "queued" and row.reason == "late_answer"
        run_jobs(app)
    assert len(wechat_api.sent) == 1
    sent = wechat_api.sent[0]
    assert sent["touser"] == "oSlowRasa" and sent["msgtype"] == "text"
    assert "1 找工作" in sent["text"]["content"]
    with app.extensions["gongyou.db"].session() as db:
        assert db.scalar(select(OutboundMessage.status)) == "sent"
        answer = db.scalar(select(Message).where(Message.direction == "out"))
        assert answer is not None and answer.delivery == "late"  # not 「replied」: the transcript tells the truth
        assert db.get(OutboundMessage, answer.outbound_id).status == "sent"  # type: ignore[union-attr]


def test_an_answer_in_time_is_marked_replied_in_the_transcript(
    app_factory: Callable[..., Flask], rasa_url: str, wechat_api: WeChatApiStandIn
) -> None:
    app = wechat_app(app_factory, rasa_url, wechat_api)
    resp = app.test_client().post("/wechat", query_string=signed_query(WECHAT_TOKEN),
                                  data=text_xml("你好", sender="oOnTime"))
    assert b"1 " in resp.data
    resp.close()
    with app.extensions["gongyou.db"].session() as db:
        assert db.scalars(select(Message.delivery).where(Message.direction == "out")).all() == ["replied"]
    assert wechat_api.sent == []


def test_closed_window_holds_the_message_for_staff(
    app_factory: Callable[..., Flask], rasa_url: str, wechat_api: WeChatApiStandIn
) -> None:
    app = wechat_app(app_factory, rasa_url, wechat_api)
    app.test_client().post("/wechat", query_string=signed_query(WECHAT_TOKEN), data=text_xml("你好", sender="oGone"))
    wechat_api.closed_window.add("oGone")
    outbox = app.extensions["gongyou.outbox"]
    with app.extensions["gongyou.db"].session() as db:
        from domain.storage.models import Worker

        worker_id = db.scalar(select(Worker.id))
    outbound_id = outbox.queue(worker_id, "wechat", "您的投诉已受理", "staff_reply")
    run_jobs(app)
    with app.extensions["gongyou.db"].session() as db:
        row = db.get(OutboundMessage, outbound_id)
        assert row is not None and row.status == "held" and row.error_code == "45015"
    assert wechat_api.sent == []


def test_processes_share_one_access_token_and_refresh_once(wechat_api: WeChatApiStandIn, redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    client.delete("gongyou:wx:access_token:wxTEST")
    processes = [WeChatApi("wxTEST", "secret", client, f"{wechat_api.url}/cgi-bin") for _ in range(4)]
    with ThreadPoolExecutor(8) as pool:
        tokens = list(pool.map(lambda i: processes[i % 4].access_token(), range(16)))
    assert len(set(tokens)) == 1 and wechat_api.token_fetches == 1
    assert client.ttl("gongyou:wx:access_token:wxTEST") > 6000  # refreshed before WeChat's 7200 s expiry
    wechat_api.valid_tokens.clear()  # WeChat revoked it: the next call fetches a new one and succeeds
    processes[0].send_text("oX", "你好")
    assert wechat_api.token_fetches == 2 and wechat_api.sent[-1]["text"]["content"] == "你好"
    client.delete("gongyou:wx:access_token:wxTEST")


def test_push_menu_validates_then_publishes(
    app_factory: Callable[..., Flask], rasa_url: str, wechat_api: WeChatApiStandIn, tmp_path: Path
) -> None:
    app = wechat_app(app_factory, rasa_url, wechat_api)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["wechat", "push-menu"])
    assert result.exit_code == 0, result.output
    (menu,) = wechat_api.menus
    assert [b["name"] for b in menu["button"]] == ["找工作", "维权", "帮助"]
    assert all(1 <= len(b["sub_button"]) <= 5 for b in menu["button"])

    too_many = tmp_path / "menu.yml"
    too_many.write_text("buttons:\n" + "".join(
        f"  - name: 按钮{i}\n    sub:\n      - {{name: 子{i}, key: K{i}, action: help}}\n" for i in range(4)
    ), encoding="utf-8")
    result = runner.invoke(args=["wechat", "push-menu", "--file", str(too_many)])
    assert result.exit_code != 0 and "1–3 top buttons" in result.output
    assert len(wechat_api.menus) == 1  # nothing sent for the invalid menu


def test_phone_given_on_wechat_is_linked_by_sms_code_and_used_when_window_closes(
    app_factory: Callable[..., Flask], rasa_url: str, wechat_api: WeChatApiStandIn
) -> None:
    """Consent, then a code by SMS typed back on WeChat (typing a number proves nothing), then the
    number is told it was linked; later, when WeChat refuses (window closed), the SMS copy goes out."""
    import re
    import xml.etree.ElementTree as ET

    from tests.support.standins import TwilioApiStandIn

    twilio = TwilioApiStandIn("AC" + "1" * 32, "12345")
    with serve(twilio.app()) as twilio_url:
        app = wechat_app(app_factory, rasa_url, wechat_api, twilio_account_sid=twilio.account_sid,
                         twilio_from_number="+8610690000", twilio_api_base=twilio_url)

        def say(text: str) -> str:
            resp = app.test_client().post("/wechat", query_string=signed_query(WECHAT_TOKEN),
                                          data=text_xml(text, sender="oLinker"))
            return ET.fromstring(resp.data).findtext("Content") or ""

        ask = say("我的电话 131 0013 1000")
        assert "要把手机号+86131****1000和您的微信绑定吗" in ask and "1 同意绑定" in ask
        assert "验证码已用短信发到+86131****1000" in say("1")
        run_jobs(app)  # the code goes out by SMS, to that number
        (code_sms,) = twilio.created
        assert code_sms["To"] == "+8613100131000"
        code = re.search(r"\d{6}", code_sms["Body"])
        assert code is not None
        assert "已绑定" in say(code.group())
        run_jobs(app)
        assert "已绑定微信" in twilio.created[-1]["Body"] and twilio.created[-1]["To"] == "+8613100131000"
        with app.extensions["gongyou.db"].session() as db:
            from domain.storage.models import Worker, WorkerIdentity

            assert db.scalar(select(func.count()).select_from(Worker)) == 1
            sms = db.scalar(select(WorkerIdentity).where(WorkerIdentity.channel == "sms"))
            assert sms is not None and sms.consent_at is not None
            worker_id = sms.worker_id

        wechat_api.closed_window.add("oLinker")
        app.extensions["gongyou.outbox"].queue(worker_id, "wechat", "您的欠薪求助已受理", "staff_reply")
        run_jobs(app)  # WeChat refuses (45015): held for staff, and the SMS copy is queued …
        run_jobs(app)  # … and sent
    assert twilio.created[-1]["Body"] == "您的欠薪求助已受理" and len(twilio.created) == 3
    with app.extensions["gongyou.db"].session() as db:
        statuses = dict(db.execute(select(OutboundMessage.reason, OutboundMessage.status)).all())
    assert statuses == {"phone_code": "sent", "phone_linked": "sent", "staff_reply": "held", "sms_fallback": "sent"}


def test_notifier_reaches_the_worker_where_they_are(
    app_factory: Callable[..., Flask], rasa_url: str, wechat_api: WeChatApiStandIn
) -> None:
    from datetime import UTC, datetime, timedelta

    from domain.storage.models import Worker

    app = wechat_app(app_factory, rasa_url, wechat_api)
    app.test_client().post("/wechat", query_string=signed_query(WECHAT_TOKEN), data=text_xml("你好", sender="oN1"))
    with app.extensions["gongyou.db"].session() as db:
        worker_id = db.scalar(select(Worker.id))
    notifier = app.extensions["gongyou.notifier"]
    soon = notifier.notify(worker_id, "案件TS001已受理", "case_update")
    run_jobs(app)
    assert wechat_api.sent[-1]["text"]["content"] == "案件TS001已受理"
    later = notifier.notify(worker_id, "案件TS001已办结", "case_update", now=datetime.now(UTC) + timedelta(hours=49))
    run_jobs(app)
    with app.extensions["gongyou.db"].session() as db:
        assert db.get(OutboundMessage, soon).status == "sent"  # type: ignore[union-attr]
        held = db.get(OutboundMessage, later)
        assert held is not None and held.status == "held" and "48-hour" in (held.error or "")
    assert len(wechat_api.sent) == 1


def test_template_message_after_the_window_when_configured(
    app_factory: Callable[..., Flask], rasa_url: str, wechat_api: WeChatApiStandIn
) -> None:
    from datetime import UTC, datetime, timedelta

    from domain.storage.models import Worker

    app = wechat_app(app_factory, rasa_url, wechat_api, wechat_update_template_id="TPL_CASE_UPDATE")
    app.test_client().post("/wechat", query_string=signed_query(WECHAT_TOKEN), data=text_xml("你好", sender="oT1"))
    with app.extensions["gongyou.db"].session() as db:
        worker_id = db.scalar(select(Worker.id))
    outbound_id = app.extensions["gongyou.notifier"].notify(
        worker_id, "案件TS001已转劳动监察", "case_update", now=datetime.now(UTC) + timedelta(days=5))
    run_jobs(app)
    (template,) = wechat_api.templates
    assert template["touser"] == "oT1" and template["template_id"] == "TPL_CASE_UPDATE"
    assert template["data"]["first"]["value"] == "案件TS001已转劳动监察"
    with app.extensions["gongyou.db"].session() as db:
        row = db.get(OutboundMessage, outbound_id)
        assert row is not None and row.kind == "template" and row.status == "sent" and row.provider_id == "200228332"


def test_a_message_that_queued_long_before_reaching_us_is_answered_later_not_late(
    app_factory: Callable[..., Flask], rasa_url: str, wechat_api: WeChatApiStandIn
) -> None:
    """The 5 seconds count from arrival: a proxy says the request came in 4.2 s ago, so there is no time
    to answer passively; 「success」 at once, the answer through the customer-service API."""
    app = wechat_app(app_factory, rasa_url, wechat_api)
    started = time.monotonic()
    resp = app.test_client().post("/wechat", query_string=signed_query(WECHAT_TOKEN),
                                  data=text_xml("你好", sender="oQueued"),
                                  headers={"X-Request-Start": f"t={time.time() - 4.2:.3f}"})
    assert resp.status_code == 200 and resp.data == b"success"
    assert time.monotonic() - started < 0.8
    row = wait_for_outbound(app)
    assert row.reason == "late_answer"
    run_jobs(app)
    assert [m["touser"] for m in wechat_api.sent] == ["oQueued"]


def test_when_every_answer_thread_is_busy_a_message_is_recorded_and_answered_later(
    app_factory: Callable[..., Flask], rasa_url: str, wechat_api: WeChatApiStandIn
) -> None:
    app = wechat_app(app_factory, rasa_url, wechat_api)
    pool = app.extensions["gongyou.answer_pool"]
    release = threading.Event()
    for _ in range(pool.workers):
        pool.submit(release.wait, 10)
    try:
        started = time.monotonic()
        resp = app.test_client().post("/wechat", query_string=signed_query(WECHAT_TOKEN),
                                      data=text_xml("东莞有普工吗", sender="oBusy"))
        assert resp.status_code == 200 and resp.data == b"success"
        assert time.monotonic() - started < 1.0  # not made to wait for a thread
        with app.extensions["gongyou.db"].session() as db:  # recorded before the 200
            assert db.scalar(select(Message.text).where(Message.direction == "in")) == "东莞有普工吗"
    finally:
        release.set()
    row = wait_for_outbound(app)
    assert row.reason == "late_answer" and "东莞" in row.text


def test_arrival_is_read_from_a_proxy_header_only_when_plausible() -> None:
    now = 1_800_000_000.0
    assert arrived_at("t=1799999998.500", now) == 1799999998.5  # nginx $msec
    assert arrived_at("1799999999000", now) == 1799999999.0  # milliseconds
    assert arrived_at("t=1700000000", now) == now  # days ago: not believed
    assert arrived_at("soon", now) == now and arrived_at("", now) == now


def test_a_late_answer_whose_job_redis_lost_is_sent_after_all(
    app_factory: Callable[..., Flask], rasa_url: str, wechat_api: WeChatApiStandIn
) -> None:
    """Redis restarted without its data: the RQ job of a queued message is gone. The reconciler finds the
    message still queued in the database and schedules it again; it reaches the worker once."""
    app = wechat_app(app_factory, rasa_url, wechat_api)
    app.test_client().post("/wechat", query_string=signed_query(WECHAT_TOKEN), data=text_xml("你好", sender="oLost"))
    outbox = app.extensions["gongyou.outbox"]
    with app.extensions["gongyou.db"].session() as db:
        worker_id = db.scalar(select(Message.worker_id).where(Message.direction == "in"))
    outbound_id = outbox.queue(worker_id, "wechat", "您的投诉有进展了", "status_update")
    app.extensions["gongyou.redis"].flushdb()  # the restart: jobs and locks gone
    assert jobs.reconcile(app) == 0  # just queued: its job may still run
    with app.extensions["gongyou.db"].session() as db:
        row = db.get(OutboundMessage, outbound_id)
        row.updated_at = row.updated_at - timedelta(minutes=3)
    app.extensions["gongyou.redis"].delete("gongyou:reconcile:lock")
    assert jobs.reconcile(app) == 1
    run_jobs(app)
    assert [m["text"]["content"] for m in wechat_api.sent] == ["您的投诉有进展了"]
    app.extensions["gongyou.redis"].delete("gongyou:reconcile:lock")
    assert jobs.reconcile(app) == 0  # sent: nothing left to schedule
