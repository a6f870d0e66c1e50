"""Dashboard figures and the monthly/quarterly reports, on seeded cases with known totals."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from openpyxl import load_workbook

from console.auth import create_user
from console.stats import month_range, quarter_range
from domain.storage.models import Case, Worker
from tests.test_console import PASSWORD, login


def at(day: int, month: int = 11, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.fixture
def seeded(app: Flask) -> Flask:
    with app.extensions["gongyou.db"].session() as db:
        worker = Worker(pseudonym="工友SEED01")
        db.add(worker)
        db.flush()
        rows = [  # (kind, category, city, amount, workers, filed, answered after)
            ("wage_arrears", None, "东莞", 30000, 4, at(3), timedelta(hours=2)),
            ("wage_arrears", None, "东莞", 20000, 3, at(10), timedelta(hours=30)),
            ("wage_arrears", None, "深圳", 50000, 5, at(20), None),
            ("complaint", "agent", "东莞", 800, None, at(5), timedelta(hours=1)),
            ("complaint", "id_held", "东莞", None, None, at(30, month=10), None),  # October: not in the month
        ]
        for n, (kind, category, city, amount, people, filed, waited) in enumerate(rows, start=1):
            db.add(Case(number=f"SEED{n:04d}", kind=kind, category=category, status="new", worker_id=worker.id,
                        channel="wechat", city=city, amount=amount, workers_affected=people, filed_at=filed,
                        first_response_due=filed + timedelta(hours=24),
                        first_response_at=filed + waited if waited else None, details={"kind": kind}))
        db.add(Case(number="SEEDDRAFT", kind="wage_arrears", status="draft", worker_id=worker.id, channel="wechat",
                    amount=99999, filed_at=at(4), details={}))  # a draft is not a case yet
        create_user(db, "lead", PASSWORD, "supervisor")
        create_user(db, "dg", PASSWORD, "agent", ["东莞"])
    return app


def test_periods() -> None:
    assert month_range("2026-12") == (datetime(2026, 12, 1).date(), datetime(2027, 1, 1).date())
    assert quarter_range(2026, 4) == (datetime(2026, 10, 1).date(), datetime(2027, 1, 1).date())


def test_monthly_xlsx_has_the_right_totals(seeded: Flask) -> None:
    client = seeded.test_client()
    assert login(client, "lead") == 302
    resp = client.get("/console/reports/2026-11.xlsx")
    assert resp.status_code == 200 and "attachment" in resp.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(resp.data))
    summary = {row[0]: row[1] for row in book["2026年11月汇总"].iter_rows(min_row=2, values_only=True)}
    assert summary["登记案件"] == 4
    assert summary["其中欠薪"] == 3 and summary["其中投诉"] == 1
    assert summary["欠薪金额（元）"] == 100000 and summary["欠薪涉及人数"] == 12
    assert summary["已答复"] == 3 and summary["24小时内答复"] == 2 and summary["24小时内答复比例"] == "67%"
    cities = {row[0]: row[1:] for row in book["欠薪按地区"].iter_rows(min_row=2, values_only=True)}
    assert cities == {"东莞": (2, 7, 50000), "深圳": (1, 5, 50000)}
    categories = {row[0]: row[1] for row in book["投诉类别"].iter_rows(min_row=2, values_only=True)}
    assert categories == {"黑中介或乱收费": 1}

    quarter = load_workbook(io.BytesIO(client.get("/console/reports/2026-Q4.xlsx").data))
    q_summary = {row[0]: row[1] for row in quarter["2026年第4季度汇总"].iter_rows(min_row=2, values_only=True)}
    assert q_summary["登记案件"] == 5  # October's complaint counts in the quarter

    text = client.get("/console/reports/2026-11.csv").get_data(as_text=True)
    assert "欠薪金额（元）,100000" in text and text.startswith("\ufeff")
    assert client.get("/console/reports/2026-13.xlsx").status_code == 404


def test_an_agent_sees_the_dashboard_of_their_regions_but_no_reports(seeded: Flask) -> None:
    client = seeded.test_client()
    assert login(client, "dg") == 302
    page = client.get("/console/dashboard?weeks=52").get_data(as_text=True)
    assert '<dd id="filed">4</dd>' in page  # 东莞's four cases this year; 深圳's is not theirs
    assert '<dd id="arrears-amount">50000元</dd>' in page
    assert "<svg" in page and "<script" not in page
    assert client.get("/console/reports/2026-11.xlsx").status_code == 403
