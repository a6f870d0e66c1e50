"""SMS we send: the Twilio REST client against a local stand-in, status callbacks, retries, proxies."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from bot import jobs
from domain.outreach.outbox import TransientFailure
from domain.storage.models import OutboundMessage, Worker, WorkerIdentity
from tests.conftest import PUBLIC_BASE, TWILIO_TOKEN
from tests.support.standins import TwilioApiStandIn, serve
from tests.test_sms_webhook import SmsWorker, post_sms, sms_params
from tests.test_wechat_outbound import run_jobs

ACCOUNT = "AC" + "0" * 32
HOTLINE = "+8610690000"


@pytest.fixture
def twilio_api() -> Iterator[TwilioApiStandIn]:
    standin = TwilioApiStandIn(ACCOUNT, TWILIO_TOKEN)
    with serve(standin.app()) as url:
        standin.url = url
        yield standin


@pytest.fixture
def sms_app(app_factory: Callable[..., Flask], rasa_url: str, twilio_api: TwilioApiStandIn) -> Flask:
    app = app_factory(rasa_url, twilio_account_sid=ACCOUNT, twilio_from_number=HOTLINE,
                      twilio_api_base=twilio_api.url)
    jobs.bind(app)
    return app


def worker_id_of(app: Flask, number: str) -> int:
    SmsWorker(app, number).text("你好")
    with app.extensions["gongyou.db"].session() as db:
        return int(db.scalars(select(Worker.id).order_by(Worker.id.desc())).first() or 0)


def outbound(app: Flask, outbound_id: int) -> OutboundMessage:
    with app.extensions["gongyou.db"].session() as db:
        row = db.get(OutboundMessage, outbound_id)
        assert row is not None
        return row


def status_callback(app: Flask, params: dict[str, str], signature: str | None = None):  # type: ignore[no-untyped-def]
    sig = signature or RequestValidator(TWILIO_TOKEN).compute_signature(f"{PUBLIC_BASE}/sms/status", params)
    return app.test_client().post("/sms/status", data=params, headers={"X-Twilio-Signature": sig})


def test_sms_goes_out_through_twilio_and_delivery_is_recorded(sms_app: Flask, twilio_api: TwilioApiStandIn) -> None:
    worker_id = worker_id_of(sms_app, "+8613500135000")
    outbound_id = sms_app.extensions["gongyou.outbox"].queue(worker_id, "sms", "您的案件已受理", "staff_reply")
    run_jobs(sms_app)
    (sent,) = twilio_api.created
    assert sent["To"] == "+8613500135000" and sent["From"] == HOTLINE and sent["Body"] == "您的案件已受理"
    assert sent["StatusCallback"] == f"{PUBLIC_BASE}/sms/status"
    row = outbound(sms_app, outbound_id)
    assert row.status == "sent" and row.provider_id and row.provider_id.startswith("SM")

    report = {"MessageSid": row.provider_id, "MessageStatus": "delivered", "AccountSid": ACCOUNT}
    assert status_callback(sms_app, report, signature="forged=").status_code == 403
    assert outbound(sms_app, outbound_id).status == "sent"
    assert status_callback(sms_app, report).status_code == 204
    assert outbound(sms_app, outbound_id).status == "delivered"


def test_21610_blocks_without_retry_and_opts_the_number_out(sms_app: Flask, twilio_api: TwilioApiStandIn) -> None:
    worker_id = worker_id_of(sms_app, "+8613400134000")
    twilio_api.unsubscribed.add("+8613400134000")
    outbox = sms_app.extensions["gongyou.outbox"]
    first = outbox.queue(worker_id, "sms", "通知", "notification")
    run_jobs(sms_app)
    row = outbound(sms_app, first)
    assert row.status == "blocked" and row.error_code == "21610" and row.attempts == 1
    second = outbox.queue(worker_id, "sms", "再通知", "notification")
    assert outbound(sms_app, second).status == "blocked"  # never sent again
    assert twilio_api.created == []
    with sms_app.extensions["gongyou.db"].session() as db:
        assert db.scalar(select(WorkerIdentity.opted_out_at).where(WorkerIdentity.worker_id == worker_id))


def test_transient_errors_are_retried_then_given_up(sms_app: Flask, twilio_api: TwilioApiStandIn) -> None:
    worker_id = worker_id_of(sms_app, "+8613300133000")
    twilio_api.failing.add("+8613300133000")
    captured: list[int] = []
    outbox = sms_app.extensions["gongyou.outbox"]
    outbox._enqueue = captured.append  # deliver by hand to watch each attempt
    outbound_id = outbox.queue(worker_id, "sms", "通知", "notification")
    for _ in range(3):
        with pytest.raises(TransientFailure):
            outbox.deliver(outbound_id)
    assert outbox.deliver(outbound_id) == "failed"
    assert outbound(sms_app, outbound_id).attempts == 4


def test_forwarded_headers_count_only_from_trusted_proxies(app_factory: Callable[..., Flask], rasa_url: str) -> None:
    def signed(sid: str) -> tuple[dict[str, str], dict[str, str]]:
        params = sms_params("你好", sid=sid)
        signature = RequestValidator(TWILIO_TOKEN).compute_signature("https://gongyou.example.org/sms", params)
        return params, {"X-Twilio-Signature": signature, "X-Forwarded-Proto": "https",
                        "X-Forwarded-Host": "gongyou.example.org"}

    trusted = app_factory(rasa_url, public_base_url="", trusted_proxy_count=1)
    params, headers = signed("SMPROXY1")
    assert trusted.test_client().post("/sms", data=params, headers=headers).status_code == 200
    untrusted = app_factory(rasa_url, public_base_url="", trusted_proxy_count=0)
    params, headers = signed("SMPROXY2")
    assert untrusted.test_client().post("/sms", data=params, headers=headers).status_code == 403


def test_sms_webhook_missing_parameters(app: Flask) -> None:
    params = {"Body": "你好"}
    assert post_sms(app, params).status_code == 400
