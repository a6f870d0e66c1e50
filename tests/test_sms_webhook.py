"""The Twilio SMS webhook: signature on the public URL, TwiML replies."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from flask import Flask
from twilio.request_validator import RequestValidator

from tests.conftest import PUBLIC_BASE, TWILIO_TOKEN


def sms_params(body: str, sender: str = "+8613800138000", sid: str = "SM0000000000000000000000000000001") -> dict:
    return {"MessageSid": sid, "AccountSid": "AC123", "From": sender, "To": "+8610690000", "Body": body,
            "NumMedia": "0", "NumSegments": "1"}


def post_sms(app: Flask, params: dict[str, str], signature: str | None = None):  # type: ignore[no-untyped-def]
    sig = signature if signature is not None else RequestValidator(TWILIO_TOKEN).compute_signature(
        f"{PUBLIC_BASE}/sms", params)
    return app.test_client().post("/sms", data=params, headers={"X-Twilio-Signature": sig})


def twiml_text(resp) -> str:  # type: ignore[no-untyped-def]
    assert resp.status_code == 200, resp.get_data(as_text=True)
    root = ET.fromstring(resp.data)
    assert root.tag == "Response"
    return "".join(m.text or "" for m in root.iter("Message"))


def test_signed_sms_gets_twiml_menu(app: Flask) -> None:
    text = twiml_text(post_sms(app, sms_params("你好")))
    assert "1 找工作" in text and "6 转人工" in text


def test_sms_vacancy_search_pages_three_at_a_time(app: Flask) -> None:
    text = twiml_text(post_sms(app, sms_params("深圳找普工", sid="SM2")))
    numbered = [line for line in text.splitlines() if line[:1].isdigit()]
    assert 1 <= len(numbered) <= 3 and all("深圳" in line for line in numbered), text


def test_forged_or_missing_twilio_signature_is_403(app: Flask) -> None:
    params = sms_params("你好", sid="SM3")
    assert post_sms(app, params, signature="AAAAAAAAAAAAAAAAAAAAAAAAAAA=").status_code == 403
    assert post_sms(app, params, signature="").status_code == 403
    good = RequestValidator(TWILIO_TOKEN).compute_signature(f"{PUBLIC_BASE}/sms", params)
    tampered = {**params, "Body": "转人工"}
    assert post_sms(app, tampered, signature=good).status_code == 403
