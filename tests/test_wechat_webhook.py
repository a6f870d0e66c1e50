"""The WeChat webhook end to end: signed requests in, passive XML replies out (real Rasa, PG, Redis)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from flask import Flask
from sqlalchemy import func, select

from domain.storage.models import Message
from tests.conftest import WECHAT_TOKEN
from tests.support.wechat import signed_query, text_xml


def post(app: Flask, body: bytes, query: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return app.test_client().post("/wechat", query_string=query or signed_query(WECHAT_TOKEN), data=body,
                                  content_type="text/xml")


def reply_content(resp) -> tuple[str, ET.Element]:  # type: ignore[no-untyped-def]
    assert resp.status_code == 200, resp.get_data(as_text=True)
    root = ET.fromstring(resp.data)
    return root.findtext("Content") or "", root


def test_url_verification_echoes_only_when_signed(app: Flask) -> None:
    client = app.test_client()
    ok = client.get("/wechat", query_string={**signed_query(WECHAT_TOKEN), "echostr": "5837397749169502216"})
    assert ok.status_code == 200 and ok.get_data(as_text=True) == "5837397749169502216"
    forged = client.get("/wechat", query_string={**signed_query("wrong-token"), "echostr": "x"})
    assert forged.status_code == 403


def test_vacancy_question_lists_matching_demo_jobs(app: Flask) -> None:
    content, root = reply_content(post(app, text_xml("苏州有电子厂招普工吗", sender="oSuzhou01")))
    assert root.findtext("ToUserName") == "oSuzhou01"
    assert root.findtext("FromUserName") == "gh_10f6c3c3ac5a"
    assert root.findtext("MsgType") == "text"
    lines = [line for line in content.splitlines() if "｜" in line]
    assert len(lines) >= 3, content
    assert all("苏州" in line for line in lines), content
    assert "电子" in content and "回复序号看详情" in content


def test_greeting_gets_the_numbered_menu(app: Flask) -> None:
    content, _ = reply_content(post(app, text_xml("你好")))
    for item in ("1 找工作", "2 政策咨询", "3 投诉举报", "4 欠薪求助", "5 查询进度", "6 转人工"):
        assert item in content


def test_forged_signature_is_refused_and_nothing_recorded(app: Flask) -> None:
    resp = post(app, text_xml("你好"), query=signed_query("not-our-token"))
    assert resp.status_code == 403
    with app.extensions["gongyou.db"].session() as db:
        assert db.scalar(select(func.count()).select_from(Message)) == 0


def test_retry_of_same_msgid_gets_same_answer_and_one_record(app: Flask) -> None:
    body = text_xml("东莞有普工吗", sender="oRetry01", msg_id=7000000000000000001)
    first, _ = reply_content(post(app, body))
    second, _ = reply_content(post(app, body))
    assert first == second and "东莞" in first
    with app.extensions["gongyou.db"].session() as db:
        inbound = db.scalar(select(func.count()).select_from(Message).where(Message.direction == "in"))
    assert inbound == 1


def test_malformed_xml_is_a_400_without_a_stack_trace(app: Flask) -> None:
    resp = post(app, b"<xml><Content>unclosed")
    assert resp.status_code == 400
    assert b"Traceback" not in resp.data and b"File \"" not in resp.data


def test_entity_expansion_attack_is_refused(app: Flask) -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b"<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime>"
        b"<MsgType>text</MsgType><Content>&lol2;</Content><MsgId>1</MsgId></xml>"
    )
    assert post(app, bomb).status_code == 400
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY f SYSTEM "file:///etc/passwd">]>'
        b"<xml><MsgType>text</MsgType><Content>&f;</Content></xml>"
    )
    resp = post(app, xxe)
    assert resp.status_code == 400 and b"root:" not in resp.data


def test_oversized_body_is_refused(app: Flask) -> None:
    big = text_xml("欠薪" * 40000)
    resp = post(app, big)
    assert resp.status_code == 413
    assert b"Traceback" not in resp.data


def test_voice_without_recognition_asks_to_type(app: Flask) -> None:
    body = (
        b"<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[oVoice]]></FromUserName>"
        b"<CreateTime>1700000000</CreateTime><MsgType><![CDATA[voice]]></MsgType>"
        b"<MediaId><![CDATA[media123]]></MediaId><Format><![CDATA[amr]]></Format>"
        b"<Recognition><![CDATA[]]></Recognition><MsgId>5555</MsgId></xml>"
    )
    content, _ = reply_content(post(app, body))
    assert "打字" in content and "1 找工作" in content


def test_three_concurrent_deliveries_make_one_case_and_one_answer(app: Flask) -> None:
    """WeChat retries a slow message; three copies arriving at once must act once."""
    from concurrent.futures import ThreadPoolExecutor

    from domain.storage.models import Case

    body = text_xml("我要转人工", sender="oTriple", msg_id=7000000000000000777)
    query = signed_query(WECHAT_TOKEN)

    def deliver(_: int) -> tuple[int, bytes]:
        resp = app.test_client().post("/wechat", query_string=query, data=body, content_type="text/xml")
        return resp.status_code, resp.data

    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(deliver, range(3)))
    assert [status for status, _ in results] == [200, 200, 200]
    answers = {data for _, data in results if data != b"success"}
    assert len({ET.fromstring(a).findtext("Content") for a in answers}) == 1  # one answer, maybe repeated
    with app.extensions["gongyou.db"].session() as db:
        assert db.scalar(select(func.count()).select_from(Case)) == 1
        directions = db.scalars(select(Message.direction)).all()
    assert sorted(directions) == ["in", "out"]
