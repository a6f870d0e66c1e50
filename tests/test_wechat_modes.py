"""WeChat safe and compatible modes, key rotation, replay window, and every message type."""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable

import xmltodict
from flask import Flask
from sqlalchemy import select
from wechatpy.crypto import WeChatCrypto

from domain.storage.models import Message, Worker, WorkerIdentity
from tests.conftest import WECHAT_TOKEN
from tests.support.wechat import event_xml, media_xml, sign, signed_query, text_xml

KEY_OLD = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
KEY_NEW = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"
KEY_UNKNOWN = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG"
APP_ID = "wx2c2769f8efd9abc2"


def safe_app(app_factory: Callable[..., Flask], rasa_url: str, **extra: object) -> Flask:
    return app_factory(rasa_url, wechat_aes_key=KEY_NEW, wechat_aes_key_previous=KEY_OLD, wechat_app_id=APP_ID,
                       **extra)


def encrypted_body(encrypt: str) -> str:
    return f"<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"


def post_encrypted(app: Flask, plain: bytes, key: str, token: str = WECHAT_TOKEN):  # type: ignore[no-untyped-def]
    crypto = WeChatCrypto(token, key, APP_ID)
    ts, nonce = str(int(time.time())), "998877"
    envelope = xmltodict.parse(crypto.encrypt_message(plain.decode(), nonce, ts))["xml"]
    body = encrypted_body(envelope["Encrypt"])
    query = {"signature": sign(token, ts, nonce), "timestamp": ts, "nonce": nonce, "encrypt_type": "aes",
             "msg_signature": envelope["MsgSignature"], "openid": "oSafe"}
    return app.test_client().post("/wechat", query_string=query, data=body.encode(), content_type="text/xml")


def open_reply(resp, key: str, token: str = WECHAT_TOKEN) -> ET.Element:  # type: ignore[no-untyped-def]
    assert resp.status_code == 200, resp.get_data(as_text=True)
    outer = xmltodict.parse(resp.data)["xml"]
    assert set(outer) >= {"Encrypt", "MsgSignature", "TimeStamp", "Nonce"}, outer
    plain = WeChatCrypto(token, key, APP_ID).decrypt_message(resp.data, outer["MsgSignature"], outer["TimeStamp"],
                                                             outer["Nonce"])
    return ET.fromstring(plain)


def test_safe_mode_round_trip(app_factory: Callable[..., Flask], rasa_url: str) -> None:
    app = safe_app(app_factory, rasa_url)
    reply = open_reply(post_encrypted(app, text_xml("你好", sender="oSafe01"), KEY_NEW), KEY_NEW)
    assert reply.findtext("ToUserName") == "oSafe01"
    assert "1 找工作" in (reply.findtext("Content") or "")


def test_previous_key_still_accepted_during_rotation(app_factory: Callable[..., Flask], rasa_url: str) -> None:
    app = safe_app(app_factory, rasa_url)
    reply = open_reply(post_encrypted(app, text_xml("深圳 保安", sender="oSafe02"), KEY_OLD), KEY_OLD)
    assert "深圳" in (reply.findtext("Content") or "")
    assert post_encrypted(app, text_xml("你好"), KEY_UNKNOWN).status_code == 400


def test_official_sample_through_the_webhook(app_factory: Callable[..., Flask], rasa_url: str) -> None:
    """WXBizMsgCrypt's sample request (2014): decrypts to 「abcdteT」 from oyORnu…, answered encrypted."""
    from tests.test_vectors import SAMPLE_ENCRYPT

    app = app_factory(rasa_url, wechat_token="spamtest", wechat_aes_key=KEY_OLD, wechat_app_id=APP_ID,
                      wechat_max_age_seconds=10**10)
    query = {"signature": "16120ec1b8dbb870f510d87ce6bc2463eae6ca1a", "timestamp": "1409735669",
             "nonce": "1320562132", "encrypt_type": "aes", "msg_signature": "5d197aaffba7e9b25a30732f161a50dee96bd5fa"}
    body = encrypted_body(SAMPLE_ENCRYPT)
    resp = app.test_client().post("/wechat", query_string=query, data=body.encode())
    reply = open_reply(resp, KEY_OLD, token="spamtest")
    assert reply.findtext("ToUserName") == "oyORnuP8q7ou2gfYjqLzSIWZf0rs"
    with app.extensions["gongyou.db"].session() as db:
        assert db.scalar(select(Message.text).where(Message.direction == "in")) == "abcdteT"
    tampered = {**query, "msg_signature": "5d197aaffba7e9b25a30732f161a50dee96bd5fb"}
    assert app.test_client().post("/wechat", query_string=tampered, data=body.encode()).status_code == 403


def test_replayed_old_request_is_refused(app: Flask) -> None:
    old = signed_query(WECHAT_TOKEN, timestamp=str(int(time.time()) - 3600))
    resp = app.test_client().post("/wechat", query_string=old, data=text_xml("你好"))
    assert resp.status_code == 403
    garbage = {**signed_query(WECHAT_TOKEN), "timestamp": "yesterday"}
    garbage["signature"] = sign(WECHAT_TOKEN, "yesterday", garbage["nonce"])
    assert app.test_client().post("/wechat", query_string=garbage, data=text_xml("你好")).status_code == 400


def post(app: Flask, body: bytes):  # type: ignore[no-untyped-def]
    return app.test_client().post("/wechat", query_string=signed_query(WECHAT_TOKEN), data=body)


def content(resp) -> str:  # type: ignore[no-untyped-def]
    assert resp.status_code == 200, resp.data
    return ET.fromstring(resp.data).findtext("Content") or ""


def test_follow_from_a_site_poster_records_the_source(app: Flask) -> None:
    answer = content(post(app, event_xml("subscribe", sender="oPoster1", EventKey="qrscene_site_suzhou_07",
                                         Ticket="t")))
    assert "欢迎" in answer and "1 找工作" in answer
    with app.extensions["gongyou.db"].session() as db:
        assert db.scalar(select(Worker.source)) == "site_suzhou_07"


def test_unfollow_opts_out_and_refollow_opts_back_in(app: Flask) -> None:
    post(app, text_xml("你好", sender="oLeaver"))
    resp = post(app, event_xml("unsubscribe", sender="oLeaver"))
    assert resp.status_code == 200 and resp.data == b"success"
    with app.extensions["gongyou.db"].session() as db:
        assert db.scalar(select(WorkerIdentity.opted_out_at)) is not None
    post(app, event_xml("subscribe", sender="oLeaver", created=int(time.time()) + 1))
    with app.extensions["gongyou.db"].session() as db:
        assert db.scalar(select(WorkerIdentity.opted_out_at)) is None


def test_menu_click_runs_the_same_action_as_the_numbered_menu(app: Flask) -> None:
    assert "老板或公司叫什么" in content(post(app, event_xml("CLICK", sender="oClick", EventKey="MENU_ARREARS")))
    assert "哪个城市" in content(post(app, event_xml("CLICK", sender="oClick2", EventKey="MENU_JOBS")))
    assert "1 找工作" in content(post(app, event_xml("CLICK", sender="oClick3", EventKey="NO_SUCH_KEY")))
    view = post(app, event_xml("VIEW", sender="oClick4", EventKey="https://example.org"))
    assert view.status_code == 200 and view.data == b"success"


def test_location_sets_city_for_the_next_job_search(app: Flask) -> None:
    answer = content(post(app, media_xml("location", sender="oLoc", Location_X="22.55", Location_Y="113.88",
                                         Scale="15", Label="广东省深圳市宝安区新安街道")))
    assert "已记下您在深圳" in answer
    listing = content(post(app, text_xml("找普工", sender="oLoc")))
    numbered = [line for line in listing.splitlines() if re.match(r"\d ", line) and "｜" in line]
    assert numbered and all("深圳" in line for line in numbered), listing


def test_photo_is_kept_as_evidence_and_acknowledged(app: Flask) -> None:
    answer = content(post(app, media_xml("image", sender="oPhoto", PicUrl="http://mmbiz.example/p.jpg",
                                         MediaId="MEDIA_PHOTO_1")))
    assert "图片收到了" in answer
    with app.extensions["gongyou.db"].session() as db:
        row = db.scalar(select(Message).where(Message.direction == "in"))
        assert row is not None and row.kind == "image" and row.media == ["MEDIA_PHOTO_1"]


def test_recognised_voice_is_understood_and_unheard_voice_kept_for_staff(app: Flask) -> None:
    heard = content(post(app, media_xml("voice", sender="oVoice2", MediaId="V1", Format="amr",
                                        Recognition="东莞有没有普工")))
    assert "东莞" in heard
    unheard = content(post(app, media_xml("voice", sender="oVoice3", MediaId="V2", Format="amr", Recognition="")))
    assert "请打字" in unheard and "1 找工作" in unheard
    with app.extensions["gongyou.db"].session() as db:
        kept = db.scalars(select(Message.media).where(Message.kind == "voice")).all()
    assert ["V1"] in kept and ["V2"] in kept


def test_unknown_message_type_gets_a_polite_menu(app: Flask) -> None:
    answer = content(post(app, media_xml("shortvideo", sender="oVideo", MediaId="X", ThumbMediaId="Y")))
    assert "1 找工作" in answer
