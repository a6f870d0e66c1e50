"""Personal data at rest (PIPL): after workers have given phone and ID numbers in every way the bot
allows, a dump of the database holds none of them in plain text — and staff can still read them."""

from __future__ import annotations

import shutil
import subprocess

import psycopg
from flask import Flask
from sqlalchemy import select

from bot.conversation.pipeline import Pipeline
from domain.crypto import open_text
from domain.messages import Channel
from domain.storage.models import Case, Message
from tests.support.dialog import Conversation

PHONES = ("13800138000", "13712345678", "13911112222", "13600001111")
ID_NUMBER = "11010119900307451X"


def dump(database_url: str) -> str:
    """The whole database as text: pg_dump where installed, else COPY of every table."""
    url = database_url.replace("postgresql+psycopg://", "postgresql://")
    if shutil.which("pg_dump"):
        return subprocess.run(["pg_dump", "--data-only", url], capture_output=True, text=True, check=True).stdout
    with psycopg.connect(url) as conn:
        tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        out = []
        for table in tables:
            with conn.cursor().copy(f'COPY "{table}" TO STDOUT') as copy:
                out.extend(bytes(chunk).decode() for chunk in copy)
        return "".join(out)


def test_database_dump_shows_no_plaintext_phone_or_id_number(app: Flask, pipeline: Pipeline,
                                                             database_url: str) -> None:
    wechat = Conversation(pipeline, channel=Channel.WECHAT)
    wechat.say("我的电话 137 1234 5678")  # linked as an SMS address, with consent
    wechat.say("1")
    for said in (f"老板欠我三个月工资 老板电话{PHONES[2]}", "宏达建筑", "东莞 宏达工地", "两万",
                 "就我一个", "4", PHONES[0], "1", "1"):
        wechat.say(said)
    draft = Conversation(pipeline)
    for said in (f"中介扣了我的身份证 号码是{ID_NUMBER}", "不知道", "昨天", PHONES[3], "取消"):  # a cancelled draft
        draft.say(said)
    sms = Conversation(pipeline, channel=Channel.SMS, user_id="+8613800138000")
    sms.say("你好")

    text = dump(database_url)
    assert "138****8000" in text  # the masked copies are there, for lists
    for secret in (*PHONES, ID_NUMBER, ID_NUMBER.lower()):
        assert secret not in text, f"{secret} found in the database dump"

    with app.extensions["gongyou.db"].session() as db:  # staff can still read what the worker wrote
        cipher = pipeline.cipher
        first = db.scalar(select(Message).where(Message.text.like("老板欠我三个月工资%")))
        assert first is not None and PHONES[2] in open_text(cipher, first.text, first.text_enc)
        case = db.scalar(select(Case).where(Case.kind == "wage_arrears"))
        assert case is not None and case.phone_enc and cipher.decrypt(case.phone_enc) == PHONES[0]
        assert case.phone_hash == cipher.blind_index(PHONES[0])  # found by the number, never stored as it


def test_data_key_rotation_keeps_every_record_readable(app_factory, rasa_url: str) -> None:  # type: ignore[no-untyped-def]
    old = app_factory(rasa_url, data_key="old-data-key")
    worker = Conversation(old.extensions["gongyou.pipeline"], user_id="oRotating")
    for said in ("老板欠我两个月工资", "宏达建筑", "东莞 宏达工地", "一万", "就我一个", "4", PHONES[0], "2", "1"):
        worker.say(said)
    worker.say(f"谢谢 我电话{PHONES[1]}")

    both = app_factory(rasa_url, data_key="new-data-key", data_key_previous="old-data-key")
    during = Conversation(both.extensions["gongyou.pipeline"], user_id="oRotating")
    assert "QX" in during.say("查询进度")  # the same worker, found under the old key's index
    result = both.test_cli_runner().invoke(args=["data-rekey"])
    assert result.exit_code == 0 and "re-encrypted" in result.output

    new = app_factory(rasa_url, data_key="new-data-key")  # the old key is gone
    after = Conversation(new.extensions["gongyou.pipeline"], user_id="oRotating")
    assert "QX" in after.say("查询进度")
    cipher = new.extensions["gongyou.pipeline"].cipher
    with new.extensions["gongyou.db"].session() as db:
        case = db.scalar(select(Case).where(Case.kind == "wage_arrears"))
        assert case is not None and case.phone_enc and cipher.decrypt(case.phone_enc) == PHONES[0]
        assert case.phone_hash == cipher.blind_index(PHONES[0])
        sealed = db.scalar(select(Message).where(Message.text.like("谢谢%"), Message.direction == "in"))
        assert sealed is not None and PHONES[1] in open_text(cipher, sealed.text, sealed.text_enc)
