"""The home office's stations where the worker is (issue 16), as workers ask for them, and as staff
keep them in the console. Demo data: a county's liaison offices in 北京, 深圳, 兰州, 银川, 乌鲁木齐 and a
service station in 东莞 (domain/stations/seed_data/stations.yml)."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from bot.conversation.pipeline import Pipeline
from console.access import visible
from console.auth import create_user
from domain.messages import Channel
from domain.storage.models import AuditEvent, Case, StaffUser, Station
from tests.support.dialog import Conversation, verify_dialog
from tests.test_console import PASSWORD, csrf, signed_in
from tests.test_sms_webhook import post_sms, sms_params, twiml_text


def test_a_worker_in_shenzhen_finds_the_liaison_office_and_is_handed_to_it(app: Flask, pipeline: Pipeline) -> None:
    worker = Conversation(pipeline, channel=Channel.WECHAT)
    verify_dialog(worker, [
        ("我在深圳 有老乡站吗", ["深圳有1个老乡服务站", "示例县驻深圳劳务联络处", "地址：宝安区", "电话：0755-2700xxxx",
                          "时间：每天 9:00-20:00", "能办：政策咨询", "1 请劳务联络处联系我"]),
        ("1", ["已转给示例县驻深圳劳务联络处（编号", "着急可直接打0755-2700xxxx"]),
    ])
    db = app.extensions["gongyou.db"]
    with db.session() as session:
        case = session.scalar(select(Case).where(Case.kind == "handoff"))
        assert case is not None and case.city == "深圳" and case.details["station"] == "LL-SZ"
        shenzhen = create_user(session, "sz-station", PASSWORD, "agent", ["深圳"])
        dongguan = create_user(session, "dg-station", PASSWORD, "agent", ["东莞"])
        seen_by = {user.username: session.scalars(visible(select(Case.id), user)).all()
                   for user in (shenzhen, dongguan)}
    assert seen_by == {"sz-station": [case.id], "dg-station": []}  # the station's own staff see it


def test_no_station_in_the_workers_city_names_where_there_are_by_number(pipeline: Pipeline) -> None:
    worker = Conversation(pipeline)
    listed = worker.say("我在苏州 有老乡站吗")
    assert "苏州暂时没有老乡服务站" in listed and "北京" in listed and "乌鲁木齐" in listed
    digit = re.search(r"(\d) 东莞", listed)
    assert digit is not None, listed
    assert "示例县东莞片区服务站" in worker.say(digit.group(1))
    assert "老乡服务站" not in worker.say("深圳普工")  # a job search after the list is a job search


def test_asked_where_the_worker_is_a_district_finds_its_city(pipeline: Pipeline) -> None:
    verify_dialog(Conversation(pipeline), [
        ("老家在外面有没有联络处", "您现在在哪个城市打工"),
        ("宝安", ["深圳有1个老乡服务站", "示例县驻深圳劳务联络处"]),
    ])


def test_a_province_named_finds_the_station_in_it(pipeline: Pipeline) -> None:
    verify_dialog(Conversation(pipeline), [
        ("在新疆摘棉花 有没有县里的办事处", ["新疆有1个老乡服务站", "示例县驻新疆劳务联络处"]),
    ])


def test_a_question_about_the_rules_for_stations_is_still_answered_from_the_law(pipeline: Pipeline) -> None:
    answer = Conversation(pipeline).say("打工地的服务站 政府每人每年补多少钱")
    assert "300" in answer and "老乡服务站：" not in answer


def test_by_sms_one_station_at_a_time(app: Flask) -> None:
    reply = twiml_text(post_sms(app, sms_params("北京有没有我们县的联络处", sid="SM" + "7" * 32)))
    assert "示例县驻北京劳务联络处" in reply and "电话：010-6500xxxx" in reply


def test_a_supervisor_adds_a_station_and_workers_find_it_then_closes_it(app: Flask) -> None:
    db = app.extensions["gongyou.db"]
    with db.session() as session:
        create_user(session, "lead", PASSWORD, "supervisor")
        create_user(session, "gd-lead", PASSWORD, "supervisor", ["东莞"])
    client = signed_in(app, "lead")
    token = csrf(client, "/console/stations/new")
    form = {"ref": "FW-SU", "name": "示例县苏州片区服务站", "kind": "service", "office": "示例县劳务办",
            "city": "昆山", "address": "昆山（示例地址）", "phone": "0512-5700xxxx", "hours": "周一至周五 9:00-17:00",
            "services": "政策咨询、维权", "source": "示例数据", "csrf_token": token}
    bad = client.post("/console/stations/new", data={**form, "city": "火星"})
    assert bad.status_code == 400 and "不认识" in bad.get_data(as_text=True)
    assert client.post("/console/stations/new", data=form).status_code == 302
    assert "示例县苏州片区服务站" in client.get("/console/stations").get_data(as_text=True)
    worker = Conversation(app.extensions["gongyou.pipeline"])
    assert "示例县苏州片区服务站" in worker.say("我在昆山 有老乡站吗")

    with db.session() as session:
        added = session.scalar(select(Station).where(Station.ref == "FW-SU"))
        assert added is not None and added.city == "昆山"
        station_id = added.id
    other = signed_in(app, "gd-lead")  # a supervisor of 东莞 may not change another city's station
    assert other.post(f"/console/stations/{station_id}/active",
                      data={"active": "0", "csrf_token": csrf(other, "/console/stations")}).status_code == 403
    client.post(f"/console/stations/{station_id}/active", data={"active": "0", "csrf_token": token})
    assert "昆山暂时没有老乡服务站" in Conversation(app.extensions["gongyou.pipeline"]).say("我在昆山 有老乡站吗")
    with db.session() as session:
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.target == "FW-SU")).all()
        lead = session.scalar(select(StaffUser).where(StaffUser.username == "lead"))
    assert sorted(actions) == ["station_closed", "station_saved"] and lead is not None
