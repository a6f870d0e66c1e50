"""A worker's PIPL rights, as a worker would use them: a notice on first contact, 「隐私」, 「我的信息」,
「删除我的信息」 after a confirmation — and afterwards a dump of the database holds nothing that
identifies them; the retention period anonymises old transcripts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import select, update

from bot.conversation.pipeline import Pipeline
from domain import privacy
from domain.messages import Channel
from domain.storage.models import Case, CaseEvent, Message, WorkerIdentity
from tests.support.dialog import Conversation, verify_dialog
from tests.test_privacy import dump

OPENID = "oPrivacyWorker0000000000001"
PHONE = "13811112222"


def file_arrears(conv: Conversation) -> str:
    for said in ("老板欠我三个月工资", "宏达建筑", "东莞 宏达工地", "两万", "就我一个", "4", PHONE, "1"):
        conv.say(said)
    answer = conv.say("1")
    assert "QX" in answer, conv.transcript
    return answer


def test_first_contact_says_what_is_kept_and_where_to_read_more(pipeline: Pipeline) -> None:
    worker = Conversation(pipeline, channel=Channel.WECHAT, user_id="oFirstTimer")
    verify_dialog(worker, [
        ("你好", ["1 找工作", "回复「隐私」看说明"]),
        ("你好", lambda answer: "隐私" not in answer),  # once, not every time
        ("隐私", ["24个月", "每次查看都有记录", "1 我的信息", "2 删除我的信息"]),
    ])


def test_my_information_lists_what_is_kept(pipeline: Pipeline) -> None:
    worker = Conversation(pipeline, channel=Channel.WECHAT, user_id="oCurious01")
    file_arrears(worker)
    answer = worker.say("我的信息")
    assert "消息" in answer and "QX" in answer and "微信" in answer and "删除我的信息" in answer
    assert "oCurious01" not in answer


def test_deleting_my_information_leaves_nothing_that_identifies_me(app: Flask, pipeline: Pipeline,
                                                                   database_url: str) -> None:
    worker = Conversation(pipeline, channel=Channel.WECHAT, user_id=OPENID)
    file_arrears(worker)
    assert "1 同意绑定" in worker.say(f"我的电话{PHONE}")  # a lone number: the link offer
    with app.extensions["gongyou.db"].session() as db:
        number = db.scalar(select(Case.number).where(Case.status == "new"))
        cipher = pipeline.cipher
        hashes = [cipher.blind_index(f"wechat:{OPENID}"), cipher.blind_index(PHONE), cipher.blind_index(f"sms:{PHONE}")]
    verify_dialog(worker, [
        ("删除我的信息", ["不能恢复", "1件事项", "1 确定删除", "2 不删了"]),
        ("不删了", "1 找工作"),
    ])
    assert hashes[0] in dump(database_url)  # declined: nothing erased
    verify_dialog(worker, [
        ("删除我的信息", "确定删除吗"),
        ("确定删除", ["您的信息已删除", "1件事项已去掉您的身份信息"]),
    ])
    text = dump(database_url)
    for identifier in (OPENID, PHONE, "****2222", *hashes):
        assert identifier not in text, f"{identifier} still in the database"
    with app.extensions["gongyou.db"].session() as db:
        case = db.scalar(select(Case).where(Case.number == number))
        assert case is not None and case.status == "new" and case.employer  # staff can still act on it
        assert case.phone_enc is None and case.anonymous
        assert db.scalar(select(CaseEvent.kind).where(CaseEvent.kind == "anonymised")) == "anonymised"
        assert db.scalar(select(WorkerIdentity.id)) is None
    again = Conversation(pipeline, channel=Channel.WECHAT, user_id=OPENID)
    assert number not in again.say("查询进度")  # a new start: the old record cannot be found from here


def test_retention_anonymises_old_transcripts_of_closed_cases(app: Flask, pipeline: Pipeline) -> None:
    old = Conversation(pipeline, channel=Channel.WECHAT, user_id="oLongAgo01")
    file_arrears(old)
    recent = Conversation(pipeline, channel=Channel.WECHAT, user_id="oRecent001")
    recent.say("深圳有电子厂吗")
    long_ago = datetime.now(UTC) - timedelta(days=800)
    with app.extensions["gongyou.db"].session() as db:
        db.execute(update(Case).values(status="closed"))
        old_id = db.scalar(select(Case.worker_id))
        db.execute(update(Message).where(Message.worker_id == old_id).values(created_at=long_ago))
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["privacy", "retention", "--dry-run"])
    assert dry.exit_code == 0 and "1 worker" in dry.output and "dry run" in dry.output, dry.output
    with app.extensions["gongyou.db"].session() as db:
        assert db.scalar(select(Message.text).where(Message.worker_id == old_id).limit(1)) != privacy.ANONYMISED
    done = runner.invoke(args=["privacy", "retention"])
    assert done.exit_code == 0 and "anonymised" in done.output, done.output
    with app.extensions["gongyou.db"].session() as db:
        texts = set(db.scalars(select(Message.text).where(Message.worker_id == old_id)))
        assert texts == {privacy.ANONYMISED}
        assert db.scalar(select(Case.phone_enc).where(Case.worker_id == old_id)) is None
        assert privacy.ANONYMISED not in set(db.scalars(select(Message.text).where(Message.worker_id != old_id)))
