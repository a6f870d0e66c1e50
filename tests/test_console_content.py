"""Vacancies and policy articles kept current from the console: create, edit, expire, import with
row errors shown, alerts fired; articles edited with validation and answered without retraining."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import delete, select

from console.auth import create_user
from domain.messages import Channel
from domain.storage.models import OutboundMessage, Vacancy
from knowledge_base.store import ARTICLES
from tests.support.dialog import Conversation
from tests.test_console import PASSWORD, csrf, signed_in
from tests.test_vacancies import row, write_csv

FORM = {"employer": "东莞星河电子有限公司", "title": "星河电子普工", "job_type": "普工", "industry": "电子",
        "city": "东莞", "district": "塘厦镇", "headcount": "30", "period": "长期", "pay_min": "5600",
        "pay_max": "6800", "pay_unit": "月",
        "board_lodging": "是", "age_min": "18", "age_max": "45", "gender": "不限", "requirements": "两班倒",
        "contact_name": "陈主管", "contact_phone": "0769-8777xxxx", "source": "塘厦镇公共就业服务站",
        "posted_on": date.today().isoformat(), "expires_on": (date.today() + timedelta(days=30)).isoformat()}


@pytest.fixture
def editors(app: Flask) -> Iterator[Flask]:
    with app.extensions["gongyou.db"].session() as db:
        create_user(db, "lead", PASSWORD, "supervisor")
        create_user(db, "dg", PASSWORD, "agent", ["东莞"])
    yield app
    with app.extensions["gongyou.db"].session() as db:  # vacancies are shared demo data: remove ours
        db.execute(delete(Vacancy).where(Vacancy.employer.like("%星河%") | Vacancy.ref.like("TST%")))


def test_a_vacancy_created_in_the_console_reaches_a_subscribed_worker(editors: Flask) -> None:
    worker = Conversation(editors.extensions["gongyou.pipeline"], channel=Channel.WECHAT)
    worker.say("东莞 普工 包吃住")
    assert "好的" in worker.say("有新岗位通知我")
    client = signed_in(editors, "lead")
    token = csrf(client, "/console/vacancies/new")
    bad = client.post("/console/vacancies/new", data={**FORM, "pay_max": "六千", "csrf_token": token})
    assert bad.status_code == 400 and "工资上限" in bad.get_data(as_text=True)
    made = client.post("/console/vacancies/new", data={**FORM, "csrf_token": token})
    assert made.status_code == 302
    listing = client.get("/console/vacancies?city=东莞").get_data(as_text=True)
    assert "星河电子普工" in listing and "已通知1位" in listing
    with editors.extensions["gongyou.db"].session() as db:
        notice = db.scalar(select(OutboundMessage).where(OutboundMessage.reason == "notification"))
        vacancy = db.scalar(select(Vacancy).where(Vacancy.title == "星河电子普工"))
    assert notice is not None and "星河电子普工" in notice.text and vacancy is not None
    assert "星河电子普工" in worker.say("东莞 普工 包吃住")

    client.post(f"/console/vacancies/{vacancy.id}/edit", data={**FORM, "pay_max": "7200", "csrf_token": token})
    assert "5600-7200" in client.get("/console/vacancies?city=东莞").get_data(as_text=True)
    client.post(f"/console/vacancies/{vacancy.id}/expire", data={"csrf_token": token})
    assert "星河电子普工" not in worker.say("东莞 普工 包吃住")  # withdrawn: workers never see it


def test_import_shows_row_errors_and_imports_nothing_until_fixed(editors: Flask, tmp_path: Path) -> None:
    bad = row("TST41")
    bad[10] = "很多"
    path = write_csv(tmp_path / "jobs.csv", [row("TST40"), bad, row("TST42")])
    client = signed_in(editors, "lead")
    token = csrf(client, "/console/vacancies/import")
    with path.open("rb") as fh:
        page = client.post("/console/vacancies/import", data={"file": (fh, "jobs.csv"), "csrf_token": token},
                           content_type="multipart/form-data").get_data(as_text=True)
    assert "第3行" in page and "工资上限" in page and "一行都没有导入" in page
    with path.open("rb") as fh:
        page = client.post("/console/vacancies/import", data={"file": (fh, "jobs.csv"), "skip_bad": "1",
                                                              "csrf_token": token},
                           content_type="multipart/form-data").get_data(as_text=True)
    assert "新增2条" in page and "跳过1行" in page


def test_agents_may_look_but_not_edit(editors: Flask) -> None:
    client = signed_in(editors, "dg")
    assert client.get("/console/vacancies").status_code == 200
    assert client.get("/console/kb").status_code == 200
    token = csrf(client, "/console/vacancies")
    assert client.post("/console/vacancies/new", data={**FORM, "csrf_token": token}).status_code == 403
    assert client.post("/console/kb/arbitration-free", data={"text": "x", "csrf_token": token}).status_code == 403


def test_an_article_edited_in_the_console_is_answered_at_once(app_factory: Callable[..., Flask], rasa_url: str,
                                                               tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    bot = app_factory(rasa_url, kb_dir=str(folder))
    with bot.extensions["gongyou.db"].session() as db:
        create_user(db, "lead", PASSWORD, "supervisor")
    client = signed_in(bot, "lead")
    original = (folder / "arbitration-free.md").read_text(encoding="utf-8")
    token = csrf(client, "/console/kb/arbitration-free")
    too_long = original.replace("short: ", "short: " + "很长" * 60, 1)
    refused = client.post("/console/kb/arbitration-free", data={"text": too_long, "csrf_token": token})
    assert refused.status_code == 400 and "short" in refused.get_data(as_text=True)
    assert (folder / "arbitration-free.md").read_text(encoding="utf-8") == original  # nothing half-saved
    no_source = original.replace("source: ", "sauce: ", 1)
    assert client.post("/console/kb/arbitration-free", data={"text": no_source, "csrf_token": token}).status_code == 400

    edited = original.replace("short: ", "short: 【已更新】", 1)
    assert client.post("/console/kb/arbitration-free", data={"text": edited, "csrf_token": token}).status_code == 302
    answer = Conversation(bot.extensions["gongyou.pipeline"]).say("劳动仲裁要不要交钱")
    assert "【已更新】" in answer
    from domain.storage.models import AuditEvent

    with bot.extensions["gongyou.db"].session() as db:  # who changed the policy workers are told
        edits = list(db.scalars(select(AuditEvent).where(AuditEvent.action == "kb_edited")))
    assert [(e.target, e.actor.startswith("staff:")) for e in edits] == [("arbitration-free", True)]
    assert "../" not in client.get("/console/kb/..%2Fetc").get_data(as_text=True)
    assert client.get("/console/kb/..%2Fetc").status_code == 404
