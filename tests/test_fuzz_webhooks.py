"""Generated hostile and malformed requests against the real webhooks (bounded, derandomised): a
validly signed request with a broken body gets a 4xx or an answer — never a 5xx, never a stack trace."""

from __future__ import annotations

import time

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from tests.conftest import PUBLIC_BASE, TWILIO_TOKEN, WECHAT_TOKEN
from tests.support.wechat import signed_query

# A real message of each kind, as WeChat sends it; the generator then spoils some of its fields.
VALID: dict[str, dict[str, str]] = {
    "text": {"Content": "你好", "MsgId": "7300000000000000001"},
    "voice": {"MediaId": "m1", "Format": "amr", "Recognition": "深圳有活吗", "MsgId": "7300000000000000002"},
    "image": {"PicUrl": "http://mmbiz.qpic.cn/x", "MediaId": "m2", "MsgId": "7300000000000000003"},
    "location": {"Location_X": "22.54", "Location_Y": "114.05", "Scale": "15", "Label": "深圳",
                 "MsgId": "7300000000000000004"},
    "event": {"Event": "LOCATION", "Latitude": "22.54", "Longitude": "114.05", "Precision": "30"},
    "link": {"Title": "t", "Description": "d", "Url": "http://x", "MsgId": "7300000000000000005"},
}
EVENTS = ("subscribe", "unsubscribe", "SCAN", "LOCATION", "CLICK", "VIEW", "", "subscribe_msg_popup_event")
ODD = ["", "yesterday", "-5", "99999999999999999999", "abc", "1.5e3", "NaN", "]]>", "<b>x</b>", "&amp;",
       "𠮷", "🙂" * 50, "1700000000", "0", "转人工", "<![CDATA[x]]>", " ", "<a><b/></a>", "&#0;"]
ODD_TEXT = st.one_of(st.sampled_from(ODD), st.text(max_size=30))
NO_TRACE = (b"Traceback", b'File "', b"Internal Server Error")


def _field(name: str, value: str, cdata: bool) -> str:
    if cdata:
        return f"<{name}><![CDATA[{value.replace(']]>', '')}]]></{name}>"
    return f"<{name}>{value}</{name}>"


@st.composite
def wechat_bodies(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["spoiled", "spoiled", "spoiled", "bytes", "truncated"]))
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    msg_type = draw(st.sampled_from(sorted(VALID)))
    fields = {"ToUserName": "gh_1", "FromUserName": "oFuzz01", "CreateTime": str(int(time.time())),
              "MsgType": msg_type, **VALID[msg_type]}
    if msg_type == "event":
        fields["Event"] = draw(st.sampled_from(EVENTS))
    for name in draw(st.lists(st.sampled_from(sorted(fields)), min_size=1, max_size=3)):
        fields[name] = draw(ODD_TEXT)
    xml = "<xml>" + "".join(_field(k, v, draw(st.booleans())) for k, v in fields.items()) + "</xml>"
    body = xml.encode("utf-8", "surrogatepass")
    if kind == "truncated":
        body = body[: draw(st.integers(0, len(body)))]
    return body


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=wechat_bodies())
def test_wechat_never_answers_a_signed_malformed_body_with_a_5xx(app: Flask, body: bytes) -> None:
    resp = app.test_client().post("/wechat", query_string=signed_query(WECHAT_TOKEN), data=body,
                                  content_type="text/xml")
    assert resp.status_code < 500, (body, resp.status_code, resp.data[:200])
    assert not any(marker in resp.data for marker in NO_TRACE), body


SMS_KEYS = ("From", "MessageSid", "Body", "To", "NumMedia", "MediaUrl0", "MediaContentType0", "AccountSid",
            "SmsStatus", "MessageStatus", "ErrorCode", "NumSegments")


@st.composite
def sms_params(draw: st.DrawFn) -> dict[str, str]:
    params = {"From": draw(st.sampled_from(["+8613800138000", "+8613900139000", "", "abc", "+1" * 20])),
              "MessageSid": draw(st.sampled_from(["SMfuzz1", "", "SM" + "x" * 200])),
              "Body": draw(st.text(max_size=200))}
    for key in draw(st.lists(st.sampled_from(SMS_KEYS), max_size=4)):
        params[key] = draw(ODD_TEXT)
    return {k: v.replace("\u0000", "") for k, v in params.items()}  # a form cannot carry NUL in WSGI


@settings(max_examples=250, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(params=sms_params(), path=st.sampled_from(["/sms", "/sms/status"]))
def test_sms_never_answers_a_signed_odd_form_with_a_5xx(app: Flask, params: dict[str, str], path: str) -> None:
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(f"{PUBLIC_BASE}{path}", params)
    resp = app.test_client().post(path, data=params, headers={"X-Twilio-Signature": signature})
    assert resp.status_code < 500, (params, resp.status_code, resp.data[:200])
    assert not any(marker in resp.data for marker in NO_TRACE), params
