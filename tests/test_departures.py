"""Organised departures (issue 16) as a worker finds and joins a batch, gets the roll call the day
before and staff's message to the batch; and as staff keep batches. Demo data: a cotton-picking batch
to 阿克苏 in 9 days and a factory batch to 东莞 in 4 (domain/departures/seed_data/departures.yml)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import select, update

from bot.conversation.pipeline import Pipeline
from bot.jobs import run_periodic
from console.auth import create_user
from domain.departures import batches
from domain.local_time import local
from domain.messages import Channel
from domain.storage.models import Departure, DepartureSignup, OutboundMessage
from tests.support.dialog import Conversation, verify_dialog
from tests.test_console import PASSWORD, csrf, signed_in


def test_a_worker_finds_the_cotton_picking_batch_joins_it_and_cancels(pipeline: Pipeline) -> None:
    verify_dialog(Conversation(pipeline), [
        ("今年有没有组织去新疆摘棉花的", ["劳务办组织外出1批", "去阿克苏 采棉工 剩45个位置"]),
        ("1", ["示例县组织去阿克苏（新疆）", "单位：阿克苏示例农场", "待遇：按公斤计价", "在县汽车站广场", "带队电话：",
               "1 我要报名"]),
        ("1", ["报名成功！报名号ZC", "出发前一天会提醒您点名"]),
        ("我的行程", ["去阿克苏", "：已报名", "1 不去了，取消ZC"]),
        ("1", "已取消ZC"),
    ])


def test_no_batch_to_the_place_asked_shows_the_others(pipeline: Pipeline) -> None:
    answer = Conversation(pipeline).say("有没有统一去上海的车")
    assert "近期没有组织去上海的" in answer and "去东莞" in answer and "去阿克苏" in answer


def test_the_day_before_the_roll_call_reaches_the_worker_and_staff_message_the_batch(
        app: Flask, pipeline: Pipeline) -> None:
    db = app.extensions["gongyou.db"]
    morning = local(datetime.now(UTC)).replace(hour=10, minute=0)  # the roll call goes out by day
    tomorrow_morning = (morning + timedelta(days=1)).replace(hour=6, minute=30)
    with db.session() as session:
        session.execute(update(Departure).where(Departure.ref == "ZC-DG-01").values(departs_at=tomorrow_morning))
        create_user(session, "lead", PASSWORD, "supervisor")
    worker = Conversation(pipeline, channel=Channel.WECHAT)
    verify_dialog(worker, [("统一去东莞的车什么时候走", "去东莞 普工"), ("1", "我要报名"), ("1", "报名成功")])
    rounds = run_periodic(app, morning)
    assert rounds is not None and rounds["roll_calls"] == 1
    with db.session() as session:
        texts = session.scalars(select(OutboundMessage.text).where(OutboundMessage.reason == "notification")).all()
    assert len(texts) == 1 and "点名提醒：明天06:30在县劳务办门口" in texts[0] and "带队电话" in texts[0]
    assert len(texts[0]) <= 70, texts[0]  # one SMS

    lead = signed_in(app, "lead")
    with db.session() as session:
        departure = batches.find(session, "ZC-DG-01")
        signup = session.scalar(select(DepartureSignup))
        assert departure is not None and signup is not None
        departure_id, signup_id = departure.id, signup.id
    token = csrf(lead, f"/console/departures/{departure_id}")
    lead.post(f"/console/departures/{departure_id}/message",
              data={"text": "车牌号粤S·12345，提前10分钟到", "csrf_token": token})
    assert "已发给这一批的1位工友" in lead.get(f"/console/departures/{departure_id}").get_data(as_text=True)
    lead.post(f"/console/departures/{departure_id}/signups/{signup_id}",
              data={"status": "boarded", "csrf_token": token})
    roster = lead.get(f"/console/departures/{departure_id}").get_data(as_text=True)
    assert "已上车出发" in roster and "已提醒" in roster
    with db.session() as session:
        texts = session.scalars(select(OutboundMessage.text).where(OutboundMessage.reason == "notification")).all()
    assert any("【去东莞的队伍】车牌号粤S·12345" in t for t in texts)
    assert "已上车出发" in worker.say("我的行程")
    with db.session() as session:  # the month's report counts the worker sent out, by destination and trade
        left_at = session.scalar(select(Departure.departs_at).where(Departure.ref == "ZC-DG-01"))
    assert left_at is not None
    report = lead.get(f"/console/reports/{left_at:%Y-%m}.csv").get_data(as_text=True)
    assert "东莞,普工,1" in report
    assert "组织外出" in lead.get("/console/dashboard").get_data(as_text=True)


def test_a_supervisor_adds_a_batch_with_its_problems_shown_first(app: Flask, pipeline: Pipeline) -> None:
    with app.extensions["gongyou.db"].session() as db:
        create_user(db, "lead", PASSWORD, "supervisor")
    lead = signed_in(app, "lead")
    token = csrf(lead, "/console/departures/new")
    day = (datetime.now(UTC) + timedelta(days=12)).date().isoformat()
    form = {"ref": "ZC-NB-01", "destination": "火星", "employer": "宁波示例服装厂", "trade": "缝纫工",
            "county": "示例县", "departs_at": "下周三", "meeting_point": "县汽车站", "seats": "20", "csrf_token": token}
    bad = lead.post("/console/departures/new", data=form).get_data(as_text=True)
    assert "目的地「火星」不认识" in bad and "出发时间请写成" in bad
    odd = lead.post("/console/departures/new", data={**form, "destination": "宁波", "departs_at": "0001-01-01 00:00",
                                                      "escort_phone": "1" * 40})
    assert odd.status_code == 400 and "带队电话太长" in odd.get_data(as_text=True)  # never a 500
    form |= {"destination": "宁波", "departs_at": f"{day} 08:00"}
    assert lead.post("/console/departures/new", data=form).status_code == 302
    assert "去宁波 缝纫工 剩20个位置" in Conversation(pipeline).say("有没有组织去宁波打工的")


def test_the_roll_call_day_is_the_offices_on_sqlite_too(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`make run`'s SQLite drops a time's zone without converting it: the day before is counted in UTC."""
    from domain.storage.db import Database
    from domain.storage.models import Worker

    db = Database(f"sqlite:///{tmp_path}/roll.db")
    db.upgrade()
    morning = local(datetime.now(UTC)).replace(hour=10, minute=0)
    leaves = (morning + timedelta(days=2)).replace(hour=7)  # 07:00 local is the day before in UTC
    with db.session() as session:
        session.add(Worker(id=1, pseudonym="工友TEST01"))
        fields, problems = batches.parse({"ref": "ZC-T", "destination": "东莞", "county": "示例县", "seats": "5",
                                          "departs_at": f"{leaves:%Y-%m-%d %H:%M}", "meeting_point": "县汽车站"})
        assert fields is not None, problems
        departure, _ = batches.save(session, fields)
        batches.join(session, 1, departure, "sms", datetime.now(UTC))
    sent: list[str] = []
    with db.session() as session:
        assert batches.remind(session, morning, lambda _, text: sent.append(text)) == 0  # two days before: not yet
    with db.session() as session:
        assert batches.remind(session, morning + timedelta(days=1), lambda _, text: sent.append(text)) == 1
    assert "明天07:00" in sent[0]
    db.dispose()
