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
    numbered = [line for line in text.splitlines() if "｜" in line]
    assert 1 <= len(numbered) <= 3 and all("深圳" in line for line in numbered), text


def test_forged_or_missing_twilio_signature_is_403(app: Flask) -> None:
    params = sms_params("你好", sid="SM3")
    assert post_sms(app, params, signature="AAAAAAAAAAAAAAAAAAAAAAAAAAA=").status_code == 403
    assert post_sms(app, params, signature="").status_code == 403
    good = RequestValidator(TWILIO_TOKEN).compute_signature(f"{PUBLIC_BASE}/sms", params)
    tampered = {**params, "Body": "转人工"}
    assert post_sms(app, tampered, signature=good).status_code == 403


class SmsWorker:
    """A feature-phone user texting the hotline; every reply is TwiML from the real webhook."""

    def __init__(self, app: Flask, number: str) -> None:
        self.app, self.number, self.n = app, number, 0

    def text(self, body: str) -> str:
        self.n += 1
        sid = f"SM{self.number[-6:]}{self.n:04d}"
        return twiml_text(post_sms(self.app, sms_params(body, sender=self.number, sid=sid)))


def test_sms_conversation_budget_paging_stop_and_start(app: Flask) -> None:
    from sqlalchemy import select

    from domain.storage.models import Message

    worker = SmsWorker(app, "+8613700137000")
    menu = worker.text("你好")
    assert "1 找工作" in menu and len(menu) <= 134  # two UCS-2 segments at most

    jobs = worker.text("深圳 找工作")  # two jobs a page on SMS: they and the alert option fit one message
    assert len(jobs) <= 134 and "1 " in jobs and "有新岗位通知我" in jobs, jobs  # three once left only the header
    long_answer = worker.text("1")  # a job's full entry: more than two segments
    assert len(long_answer) <= 134 and long_answer.endswith("回复0看下一页")
    rest = worker.text("0")
    assert len(rest) <= 134 and "找同类岗位" in rest  # the second page carries the rest, options whole

    assert worker.text("TD").startswith("已退订")
    assert worker.text("你好") == ""  # opted out: nothing is sent
    assert worker.text("深圳 保安") == ""
    back = worker.text("订阅")
    assert "已恢复" in back and "1 找工作" in back
    assert "深圳" in worker.text("深圳 保安")

    with app.extensions["gongyou.db"].session() as db:
        inbound = db.scalars(select(Message.text).where(Message.direction == "in").order_by(Message.id)).all()
    assert "深圳 保安" in inbound and inbound.count("深圳 保安") == 2  # kept even while opted out


def test_english_stop_is_silent_and_help_answers(app: Flask) -> None:
    worker = SmsWorker(app, "+8613600136000")
    assert "12333" in worker.text("HELP")
    assert worker.text("STOP") == ""  # Twilio confirms STOP itself
    assert worker.text("找工作") == ""
    assert "已恢复" in worker.text("start")


def test_on_sms_the_forms_first_question_comes_on_the_first_message(app: Flask) -> None:
    """The law line once pushed the form's first question onto a second SMS (「回复0看下一页」), and the
    worker answered the question they had not been shown. 「工头」 alone is who owes, not a name: asked."""
    sender = "+8613900000077"
    first = twiml_text(post_sms(app, sms_params("工头欠俺们钱 俩月了", sender=sender, sid="SM" + "7" * 32)))
    assert "登记欠薪求助" in first and "老板或公司叫什么" in first, first
    second = twiml_text(post_sms(app, sms_params("不晓得公司名 就知道工头姓李", sender=sender, sid="SM" + "8" * 32)))
    assert "在哪干的活" in second, second  # the answer went to the question it answered


def test_on_sms_the_number_texting_is_offered_for_the_phone_question(app: Flask) -> None:
    """Texting from a phone, a worker asked to 「留个手机号」 said 「嗯嗯」 and was told 「没看明白」 twice: on
    SMS the number texting is offered (its last four digits shown), and a yes takes it."""
    sender = "+8613900004321"
    said = ["包工头欠我两个月工资 一共一万", "不知道", "西安 高新区的工地", "就我一个", "4"]
    for i, text in enumerate(said):
        reply = twiml_text(post_sms(app, sms_params(text, sender=sender, sid=f"SM{i:02d}" + "5" * 30)))
    assert "尾号4321" in reply and "1 可以" in reply, reply
    reply = twiml_text(post_sms(app, sms_params("嗯嗯", sender=sender, sid="SM" + "6" * 32)))
    assert "同意把您的电话告诉处理部门" in reply, reply
    reply = twiml_text(post_sms(app, sms_params("2", sender=sender, sid="SM" + "9" * 32)))
    assert "联系电话：139****4321" in reply, reply
