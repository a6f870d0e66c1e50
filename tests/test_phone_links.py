"""Linking a phone number on WeChat needs the code sent to that number (issue 12, item 1): typing
someone else's number must never show their cases or move their record."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import func, select

from bot.conversation.pipeline import Pipeline
from domain import phone_links
from domain.crypto import DataCipher
from domain.messages import Channel
from domain.storage.models import Case, CaseEvent, OutboundMessage, PhoneVerification, Worker, WorkerIdentity
from tests.support.dialog import Conversation, verify_dialog
from tests.test_sms_webhook import SmsWorker

VICTIM = "+8613800138000"


def on_wechat(pipeline: Pipeline, openid: str) -> Conversation:
    return Conversation(pipeline, channel=Channel.WECHAT, user_id=openid)


def file_a_case_by_sms(app: Flask, number: str) -> str:
    """The victim texted the hotline and has a filed wage-arrears case."""
    SmsWorker(app, number).text("老板欠我工资")
    with app.extensions["gongyou.db"].session() as db:
        worker_id = db.scalar(select(Worker.id))
        assert worker_id is not None
        db.add(Case(number="QX202611290001", kind="wage_arrears", status="new", worker_id=worker_id,
                    channel="sms", details={}, filed_at=datetime.now(UTC), employer="华达电子"))
    return "QX202611290001"


def last_code(app: Flask) -> str:
    cipher: DataCipher = app.extensions["gongyou.pipeline"].cipher
    with app.extensions["gongyou.db"].session() as db:
        row = db.scalars(select(OutboundMessage).where(OutboundMessage.reason == "phone_code")
                         .order_by(OutboundMessage.id.desc())).first()
        assert row is not None and row.channel == "sms" and "******" in row.text  # the code is not readable
        match = re.search(r"\d{6}", cipher.decrypt(row.text_enc or ""))
    assert match is not None
    return match.group()


def test_typing_someone_elses_number_shows_nothing_of_theirs(app: Flask, pipeline: Pipeline) -> None:
    number = file_a_case_by_sms(app, VICTIM)
    attacker = on_wechat(pipeline, "oAttacker01")
    verify_dialog(attacker, [
        ("13800138000", ["要把手机号", "1 同意绑定"]),
        ("1", ["验证码已用短信发到", "6位数字"]),
        ("查询进度", lambda answer: number not in answer and "华达" not in answer),
        ("000000", "验证码不对，还可以再试4次"),
        ("查询进度", lambda answer: number not in answer),
    ])
    with app.extensions["gongyou.db"].session() as db:
        case = db.scalar(select(Case).where(Case.number == number))
        sms = db.scalar(select(WorkerIdentity).where(WorkerIdentity.channel == "sms"))
        assert case is not None and sms is not None and case.worker_id == sms.worker_id  # still the victim's
        code_to = db.scalar(select(OutboundMessage.worker_id).where(OutboundMessage.reason == "phone_code"))
        assert code_to == sms.worker_id  # the code went to the number's owner, not to the attacker


def test_guessing_the_code_locks_after_five_tries(app: Flask, pipeline: Pipeline) -> None:
    file_a_case_by_sms(app, VICTIM)
    attacker = on_wechat(pipeline, "oAttacker02")
    attacker.say("我的电话13800138000")
    attacker.say("1")
    code = last_code(app)
    wrong = [f"{(int(code) + n) % 10**6:06d}" for n in range(1, 6)]
    for guess in wrong[:4]:
        assert "验证码不对" in attacker.say(guess)
    assert "作废" in attacker.say(wrong[4])
    assert "验证码" not in attacker.say(code)  # the right code after the lock does nothing
    with app.extensions["gongyou.db"].session() as db:
        assert db.scalar(select(PhoneVerification.status)) == "locked"
        assert db.scalar(select(func.count()).select_from(Worker)) == 2


def test_a_new_number_is_linked_once_its_code_is_typed_back(app: Flask, pipeline: Pipeline) -> None:
    worker = on_wechat(pipeline, "oOwner01")
    worker.say("我的手机号是13900139000")
    worker.say("1")
    verify_dialog(worker, [(f"验证码 {last_code(app)}", ["已绑定", "139****9000"])])
    with app.extensions["gongyou.db"].session() as db:
        assert db.scalar(select(func.count()).select_from(Worker)) == 1  # the number's empty record folded in
        sms = db.scalar(select(WorkerIdentity).where(WorkerIdentity.channel == "sms"))
        assert sms is not None and sms.consent_at is not None
        told = db.scalar(select(OutboundMessage).where(OutboundMessage.reason == "phone_linked"))
        assert told is not None and told.channel == "sms" and told.worker_id == sms.worker_id


def test_a_number_with_history_is_merged_only_by_staff(app: Flask, pipeline: Pipeline) -> None:
    number = file_a_case_by_sms(app, VICTIM)
    owner = on_wechat(pipeline, "oRealOwner")
    owner.say("13800138000")
    owner.say("1")
    verify_dialog(owner, [(last_code(app), "工作人员核对后")])
    assert number not in owner.say("查询进度")  # nothing moved yet
    cipher: DataCipher = pipeline.cipher
    with app.extensions["gongyou.db"].session() as db:
        (request,) = phone_links.merge_requests(db)
        assert phone_links.merge(db, cipher, request, "staff:lead") >= 1  # the filed case (and any draft)
    assert number in owner.say("查询进度")
    with app.extensions["gongyou.db"].session() as db:
        assert db.scalar(select(func.count()).select_from(Worker)) == 1
        assert db.scalar(select(PhoneVerification.decided_by)) == "staff:lead"


def test_staff_merge_the_records_from_the_console(app: Flask, pipeline: Pipeline) -> None:
    from console.auth import create_user
    from tests.test_console import PASSWORD, csrf, login

    number = file_a_case_by_sms(app, VICTIM)
    owner = on_wechat(pipeline, "oRealOwner2")
    owner.say("13800138000")
    owner.say("1")
    owner.say(last_code(app))
    with app.extensions["gongyou.db"].session() as db:
        create_user(db, "lead", PASSWORD, "supervisor")
        create_user(db, "dg", PASSWORD, "agent", ["东莞"])
        request_id = db.scalar(select(PhoneVerification.id).where(PhoneVerification.status == "merge_requested"))
    agent = app.test_client()
    login(agent, "dg")
    assert agent.get("/console/merges").status_code == 403
    lead = app.test_client()
    login(lead, "lead")
    page = lead.get("/console/merges").get_data(as_text=True)
    assert "+86138****8000" in page and "13800138000" not in page
    resp = lead.post(f"/console/merges/{request_id}", data={"csrf_token": csrf(lead, "/console/merges")})
    assert resp.status_code == 302
    assert number in owner.say("查询进度")
    with app.extensions["gongyou.db"].session() as db:
        event = db.scalar(select(CaseEvent).where(CaseEvent.kind == "merged"))
        assert event is not None and event.actor.startswith("staff:")


def test_codes_to_one_number_are_limited(app: Flask, pipeline: Pipeline) -> None:
    for n in range(phone_links.PER_NUMBER_PER_HOUR):
        someone = on_wechat(pipeline, f"oFlood{n}")
        someone.say("13700137000")
        assert "验证码已用短信发到" in someone.say("1")
    late = on_wechat(pipeline, "oFlood9")
    late.say("13700137000")
    assert "过一小时再试" in late.say("1")


def test_erasing_oneself_does_not_reset_the_limits_on_a_strangers_number(app: Flask, pipeline: Pipeline) -> None:
    attacker = on_wechat(pipeline, "oEraser01")
    for _ in range(phone_links.PER_NUMBER_PER_HOUR):
        attacker.say("13600136000")
        attacker.say("1")
    attacker.say("删除我的信息")
    assert "已删除" in attacker.say("确定删除")
    again = on_wechat(pipeline, "oEraser01")  # the same openid, a new record
    again.say("13600136000")
    assert "过一小时再试" in again.say("1")


def test_a_second_request_for_the_same_number_never_merges_a_record_into_itself(app: Flask,
                                                                                pipeline: Pipeline) -> None:
    file_a_case_by_sms(app, VICTIM)
    owner = on_wechat(pipeline, "oTwice01")
    for _ in range(2):
        owner.say("13800138000")
        owner.say("1")
        owner.say(last_code(app))
    cipher: DataCipher = pipeline.cipher
    with app.extensions["gongyou.db"].session() as db:
        (request,) = phone_links.merge_requests(db)  # the older request was superseded
        phone_links.merge(db, cipher, request, "staff:lead")
    with app.extensions["gongyou.db"].session() as db:
        assert db.scalar(select(func.count()).select_from(Worker)) == 1
        assert phone_links.merge_requests(db) == []


def test_staff_can_reject_a_merge(app: Flask, pipeline: Pipeline) -> None:
    number = file_a_case_by_sms(app, VICTIM)
    owner = on_wechat(pipeline, "oRejected1")
    owner.say("13800138000")
    owner.say("1")
    owner.say(last_code(app))
    with app.extensions["gongyou.db"].session() as db:
        (request,) = phone_links.merge_requests(db)
        phone_links.reject(db, request, "staff:lead")
    assert number not in owner.say("查询进度")
    with app.extensions["gongyou.db"].session() as db:
        assert phone_links.merge_requests(db) == []
        assert db.scalar(select(func.count()).select_from(Worker)) == 2
