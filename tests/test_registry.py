"""Real-name registration (issue 16, seeds 002 and 004): a worker registers with consent, in their own
words, reads it back and changes a line; staff see the ledger (names masked) with the counts by
destination and trade, and a supervisor exports it (audited)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from bot.conversation.pipeline import Pipeline
from console.auth import create_user
from domain.storage.models import AuditEvent, Registration
from tests.support.dialog import Conversation, verify_dialog
from tests.test_console import PASSWORD, signed_in


def register(conv: Conversation) -> None:
    verify_dialog(conv, [
        ("我要实名登记", ["实名登记", "加密保存", "不登记也能用其他服务", "同意登记吗", "1 同意"]),
        ("行", "请回复您的姓名"),
        ("我叫王小红", "老家在哪个县"),
        ("大宁县曲峨镇东村", "在哪个城市打工"),
        ("在深圳宝安", "单位或工地"),
        ("还没找", "工种"),
        ("电子厂普工 会开叉车", "想学什么技术"),
        ("想学电工", ["请核对您的登记", "姓名：王**", "老家：大宁县曲峨镇东村", "务工地：深圳", "单位：未填",
                   "工种和手艺：电子厂普工 会开叉车", "想学的技术：想学电工", "手机：未绑定", "1 确认"]),
        ("对的", ["登记好了", "我的登记", "发手机号绑定"]),
    ])


def test_a_worker_registers_in_their_own_words_and_changes_a_line(pipeline: Pipeline) -> None:
    worker = Conversation(pipeline)
    register(worker)
    verify_dialog(worker, [
        ("我的登记", ["务工地：深圳", "2 修改"]),
        ("2", ["改哪一项", "务工地"]),
        ("3", "在哪个城市打工"),
        ("东莞", ["已改：务工地：东莞", "请核对"]),
        ("1", "已保存"),
        ("我的信息", "实名登记1份"),
    ])


def test_no_consent_no_record_and_other_services_stay_open(app: Flask, pipeline: Pipeline) -> None:
    verify_dialog(Conversation(pipeline), [
        ("实名登记", "同意登记吗"), ("不同意", ["不登记", "照常能用"]), ("我的登记", "您还没有实名登记"),
    ])
    with app.extensions["gongyou.db"].session() as db:
        assert db.scalar(select(Registration)) is None


def test_staff_see_the_ledger_masked_by_region_and_a_supervisor_exports_it(app: Flask, pipeline: Pipeline) -> None:
    with app.extensions["gongyou.db"].session() as db:
        create_user(db, "lead", PASSWORD, "supervisor")
        create_user(db, "dn", PASSWORD, "agent", ["大宁县"])
        create_user(db, "yh", PASSWORD, "agent", ["永和县"])
    register(Conversation(pipeline))
    page = signed_in(app, "dn").get("/console/registry").get_data(as_text=True)
    assert "王**" in page and "王小红" not in page and "大宁县曲峨镇东村" in page and "深圳 1" in page
    assert "王**" not in signed_in(app, "yh").get("/console/registry").get_data(as_text=True)
    assert signed_in(app, "dn").get("/console/registry.csv").status_code == 403  # agents do not export
    exported = signed_in(app, "lead").get("/console/registry.csv?destination=深圳")
    text = exported.get_data(as_text=True)
    assert exported.status_code == 200 and "王**,大宁县曲峨镇东村,大宁县,深圳" in text and "王小红" not in text
    with app.extensions["gongyou.db"].session() as db:
        assert db.scalar(select(AuditEvent.action).where(AuditEvent.action == "registry_exported"))


def test_deleting_my_information_deletes_the_registration(app: Flask, pipeline: Pipeline) -> None:
    worker = Conversation(pipeline)
    register(worker)
    verify_dialog(worker, [("删除我的信息", "确定删除吗"), ("1", "删除")])
    with app.extensions["gongyou.db"].session() as db:
        assert db.scalar(select(Registration)) is None
