"""The JSON API: token auth, the same authorisation as the console, and a schemathesis run against
its own OpenAPI document (no 5xx, responses as documented)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from sqlalchemy import select

from console.api import issue_token
from console.auth import create_user
from domain.storage.models import Case, OutboundMessage, Worker, WorkerIdentity
from tests.test_console import PASSWORD


@pytest.fixture
def tokens(app: Flask) -> dict[str, str]:
    """Tokens for a supervisor and a 东莞 agent, and two cases: one in 东莞, one in 深圳."""
    cipher = app.extensions["gongyou.pipeline"].cipher
    with app.extensions["gongyou.db"].session() as db:
        worker = Worker(pseudonym="工友API001")
        db.add(worker)
        db.flush()
        db.add(WorkerIdentity(worker_id=worker.id, channel="sms", address_hash=cipher.blind_index("sms:+8613700000001"),
                              address_enc=cipher.encrypt("+8613700000001"), address_masked="+86137****0001"))
        now = datetime.now(UTC)
        for number, city in (("QX202611220001", "东莞"), ("TS202611220001", "深圳")):
            db.add(Case(number=number, kind="wage_arrears" if number.startswith("QX") else "complaint",
                        status="new", worker_id=worker.id, channel="sms", city=city, employer="宏达建筑",
                        amount=20000, workers_affected=3, filed_at=now, first_response_due=now + timedelta(hours=24),
                        details={"story": "老板欠两个月工资", "site": "宏达工地", "months": 2}))
        lead = create_user(db, "lead", PASSWORD, "supervisor")
        agent = create_user(db, "dg", PASSWORD, "agent", ["东莞"])
        return {"lead": issue_token(db, lead, "integration"), "dg": issue_token(db, agent, "dg-phone")}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_list_get_change_and_reply(app: Flask, tokens: dict[str, str]) -> None:
    client = app.test_client()
    assert client.get("/api/cases").status_code == 401
    assert client.get("/api/cases", headers=bearer("gy_not-a-token")).status_code == 401
    listed = client.get("/api/cases", headers=bearer(tokens["lead"])).get_json()
    assert {c["number"] for c in listed["cases"]} == {"QX202611220001", "TS202611220001"}
    mine = client.get("/api/cases", headers=bearer(tokens["dg"])).get_json()
    assert [c["number"] for c in mine["cases"]] == ["QX202611220001"]  # 东莞 only
    assert client.get("/api/cases/TS202611220001", headers=bearer(tokens["dg"])).status_code == 404

    case = client.get("/api/cases/QX202611220001", headers=bearer(tokens["dg"])).get_json()
    assert case["amount"] == 20000 and case["story"] == "老板欠两个月工资" and case["events"][0]["kind"] == "viewed"

    moved = client.post("/api/cases/QX202611220001/status", headers=bearer(tokens["dg"]),
                        json={"status": "accepted", "reason": "材料齐全"})
    assert moved.status_code == 200 and moved.get_json()["status"] == "accepted"
    again = client.post("/api/cases/QX202611220001/status", headers=bearer(tokens["dg"]),
                        json={"status": "new", "reason": "退回"})
    assert again.status_code == 409
    closing = client.post("/api/cases/QX202611220001/status", headers=bearer(tokens["dg"]),
                          json={"status": "closed", "reason": "重复"})
    assert closing.status_code == 403  # agents do not close cases

    sent = client.post("/api/cases/QX202611220001/replies", headers=bearer(tokens["dg"]), json={"text": "已受理"})
    assert sent.status_code == 202
    with app.extensions["gongyou.db"].session() as db:
        row = db.get(OutboundMessage, sent.get_json()["outbound_id"])
        assert row is not None and row.channel == "sms" and "已受理" in row.text and row.reason == "staff_reply"
        assert db.scalar(select(Case.first_response_at).where(Case.number == "QX202611220001")) is not None


def test_api_conforms_to_its_openapi_document(app: Flask, tokens: dict[str, str]) -> None:
    """Schemathesis generates requests for every operation from the document (valid and invalid
    data) and checks each response: no 5xx, status codes, content types and bodies as documented."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 4
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None,
                  derandomize=True)
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=bearer(tokens["lead"]), additional_checks=[not_a_server_error])

        check()
