"""Real-name registration (issue 16, seeds 002 and 004): a worker registers with consent, in their own
words, reads it back and changes a line; staff see the ledger (names masked) with the counts by
destination and trade, and a supervisor exports it (audited)."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from bot.conversation.pipeline import Pipeline
from console.auth import create_user
from domain.registry import records
from domain.storage.models import AuditEvent, Registration
from tests.support.dialog import Conversation, verify_dialog
from tests.test_console import PASSWORD, signed_in


def register(conv: Conversation) -> None:
    verify_dialog(conv, [
        ("我要实名登记", ["实名登记", "加密保存", "不登记也能用别的服务", "同意登记吗", "依据：临政办发", "1 同意"]),
        ("行", "请回复您的姓名"),
        ("我叫王小红", "老家在哪个县"),
        ("大宁县曲峨镇东村", "在哪个城市打工"),
        ("在深圳宝安", "单位或工地"),
        ("还没找", "工种"),
        ("电子厂普工 会开叉车", "想学什么技术"),
        ("想学电工", ["请核对您的登记", "姓名：王**", "老家：大宁县曲峨镇东村", "务工地：深圳", "单位：未填",
                   "工种和手艺：电子厂普工 会开叉车", "想学的技术：想学电工", "手机：未绑定", "1 确认"]),
        ("对的", ["登记好了", "我的实名登记", "发手机号绑定"]),
    ])


def test_a_worker_registers_in_their_own_words_and_changes_a_line(pipeline: Pipeline) -> None:
    worker = Conversation(pipeline)
    register(worker)
    verify_dialog(worker, [
        ("我的实名登记", ["务工地：深圳", "1 修改"]),
        ("1", ["改哪一项", "务工地"]),
        ("3", "在哪个城市打工"),
        ("东莞", ["已改：务工地：东莞", "请核对"]),
        ("1", "已保存"),
        ("我的信息", "实名登记1份"),
    ])


def test_no_consent_no_record_and_other_services_stay_open(app: Flask, pipeline: Pipeline) -> None:
    verify_dialog(Conversation(pipeline), [
        ("实名登记", "同意登记吗"), ("不同意", ["不登记", "照常能用"]), ("我的实名登记", "您还没有实名登记"),
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


@pytest.mark.parametrize(("key", "said", "kept"), [
    ("destination", "没定呢 过完年再看", ""), ("employer", "没有 跟着亲戚打零工", ""),
    ("employer", "宏达电子厂", "宏达电子厂"), ("trade", "啥都不会 干力气活", ""),
    ("training_wish", "不用了 年纪大了", ""), ("training_wish", "想学开叉车", "想学开叉车"),
    ("home", "问这个干嘛", None), ("home", "吉县屯里镇", "吉县屯里镇"), ("home", "老家在吉县", "吉县"),
    ("home", "找工作", None), ("trade", "年纪大了 看大门", "年纪大了 看大门"), ("training_wish", "不想学", ""),
])
def test_an_answer_or_a_no_in_a_workers_words(key: str, said: str, kept: str | None) -> None:
    assert records.read(key, said) == kept


def test_a_registration_goes_on_after_a_pause_and_a_third_miss_lets_go(pipeline: Pipeline) -> None:
    worker = Conversation(pipeline)
    verify_dialog(worker, [("实名登记", "同意登记吗"), ("同意", "姓名"), ("刘春花", "老家在哪")])
    pipeline.state.clear(worker.channel.value, worker.user_id)  # the conversation expired: the draft goes on
    verify_dialog(worker, [
        ("找工作", ["接着上次的实名登记", "老家在哪"]),  # asked again first: 「找工作」 is no home
        ("吉县屯里镇", "在哪个城市打工"),
        ("？？", "没看明白"), ("。。", "换个说法"), ("...", ["还是没看明白", "没有登记", "转人工"]),
        ("找工作", lambda a: "在哪个城市打工" not in a),  # let go: the next message is a message of its own
    ])


def test_my_registration_words_and_a_cases_status_are_told_apart(pipeline: Pipeline) -> None:
    worker = Conversation(pipeline)
    register(worker)
    assert "没有查到您的登记" in worker.say("我的登记")  # the bot calls a filed report 登记: its status
    assert "务工地：深圳" in worker.say("我的实名登记")
    assert "改哪一项" not in worker.say("找工作")  # shown, not a form that takes the next message
