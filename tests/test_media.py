"""Evidence photos: fetched from WeChat while it still holds them, kept encrypted, shown to staff
on the case page (each view audited), never to a case of another worker."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from sqlalchemy import select

from console.auth import create_user
from domain.storage.models import Case, CaseEvent, MediaFile
from tests.conftest import WECHAT_TOKEN
from tests.support.standins import WeChatApiStandIn
from tests.support.wechat import media_xml, signed_query
from tests.test_console import PASSWORD, signed_in
from tests.test_vacancies import wechat_say
from tests.test_wechat_outbound import run_jobs, wechat_app

PAY_SLIP = b"\x89PNG\r\n\x1a\n" + b"pay slip: 2026-10 wage 6800 unpaid" * 20


def send_photo(bot: Flask, sender: str, media_id: str) -> str:
    resp = bot.test_client().post("/wechat", query_string=signed_query(WECHAT_TOKEN),
                                  data=media_xml("image", sender=sender, PicUrl="http://mmbiz.example/p.jpg",
                                                 MediaId=media_id))
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def test_a_photo_is_kept_encrypted_and_shown_to_staff(app_factory: Callable[..., Flask], rasa_url: str,
                                                       wechat_api: WeChatApiStandIn) -> None:
    bot = wechat_app(app_factory, rasa_url, wechat_api)
    wechat_api.media["MEDIA_PAYSLIP"] = (PAY_SLIP, "image/png")
    wechat_say(bot, "老板欠我工资 8千5", "oEvidence")
    assert "已附在这次登记里" in send_photo(bot, "oEvidence", "MEDIA_PAYSLIP")
    send_photo(bot, "oOther", "MEDIA_GONE")  # another worker's photo WeChat no longer has
    run_jobs(bot)
    with bot.extensions["gongyou.db"].session() as db:
        stored = db.scalar(select(MediaFile).where(MediaFile.media_id == "MEDIA_PAYSLIP"))
        gone = db.scalar(select(MediaFile).where(MediaFile.media_id == "MEDIA_GONE"))
        assert stored is not None and stored.status == "stored" and stored.size == len(PAY_SLIP)
        assert stored.data_enc is not None and b"pay slip" not in stored.data_enc  # encrypted at rest
        assert gone is not None and gone.status == "failed" and "40007" in (gone.error or "")
        other_file = gone.id
    assert "已转给工作人员" in wechat_say(bot, "转人工", "oEvidence")
    with bot.extensions["gongyou.db"].session() as db:
        create_user(db, "lead", PASSWORD, "supervisor")
        case = db.scalar(select(Case).where(Case.kind == "handoff"))
        assert case is not None
    client = signed_in(bot, "lead")
    page = client.get(f"/console/cases/{case.id}").get_data(as_text=True)
    assert f"/console/cases/{case.id}/media/{stored.id}" in page and 'class="evidence"' in page
    photo = client.get(f"/console/cases/{case.id}/media/{stored.id}")
    assert photo.status_code == 200 and photo.data == PAY_SLIP and photo.mimetype == "image/png"
    assert client.get(f"/console/cases/{case.id}/media/{other_file}").status_code == 404  # not this worker's
    with bot.extensions["gongyou.db"].session() as db:
        viewed = db.scalars(select(CaseEvent.detail).where(CaseEvent.kind == "media_viewed")).all()
    assert viewed == [{"file": stored.id}]
