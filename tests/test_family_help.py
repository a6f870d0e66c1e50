"""Help for family left at home (issue 16, seed 004: the elderly, children, farm-season labour): a worker
asks in their own words, a short form takes what is needed and the home village, and the request goes
to the staff of that county with the 24-hour answer clock; the worker hears of each step."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from bot.conversation.pipeline import Pipeline
from console.auth import create_user
from domain.cases.vocabulary import Kind
from domain.messages import Channel
from domain.storage.models import Case, OutboundMessage
from handlers.intake.forms import read_need
from nlu.result import NluResult
from tests.support.dialog import Conversation, verify_dialog
from tests.test_console import PASSWORD, csrf, signed_in


def test_a_worker_asks_help_for_a_mother_at_home_and_the_request_is_filed(pipeline: Pipeline) -> None:
    verify_dialog(Conversation(pipeline), [
        ("家里老母亲一个人在家 腿脚不好没人照顾", ["登记家人帮扶", "已记下：照看老人", "老家在哪个县、乡镇、村"]),
        ("大宁县曲峨镇东村", "留个手机号"),
        ("13912345678", "同意把您的电话告诉处理部门吗"),
        ("同意", ["请核对家人帮扶", "需要帮什么：照看老人", "老家地址：大宁县曲峨镇东村",
                 "具体情况：家里老母亲", "腿脚不好没人照顾"]),
        ("对 提交吧", ["已提交。编号BF", "已转给大宁县曲峨镇东村的联系人，24小时内在这里答复您"]),
        ("查询进度", ["BF", "已收到，等工作人员处理"]),
    ])


def test_farm_work_and_what_is_needed_asked_in_words(pipeline: Pipeline) -> None:
    verify_dialog(Conversation(pipeline), [
        ("麦子熟了 地里没人收 俺回不去", ["家人帮扶", "农忙缺人手", "老家在哪"]),
        ("不知道", ["没看明白", "老家在哪"]),
        ("永和县", "留个手机号"),
        ("匿名", ["需要帮什么：农忙缺人手", "老家地址：永和县"]),
    ])
    verify_dialog(conv := Conversation(pipeline), [
        ("老家有人能帮我照顾孩子吗", ["家人帮扶", "照看孩子", "老家在哪"]),
        ("是吉县屯里镇", "具体要帮什么"),
        ("孩子跟奶奶住 奶奶住院了 想请村里帮忙接送上学几天", "留个手机号"),
        ("匿名", "老家地址：吉县屯里镇"),  # 「是吉县屯里镇」: the place, not 「是…」
    ])
    assert conv.transcript


@pytest.mark.parametrize(("said", "need"), [
    ("我爷爷在家没人管 我又回不去", "elderly"), ("孩子跟着奶奶 主要是孩子上学没人接", "children"),
    ("家里十几亩地荒着", "farm"), ("其他 家里房子要修", "other"), ("老婆病了想有人帮着跑跑医院", "other"),
])
def test_what_is_needed_in_a_workers_words(said: str, need: str) -> None:
    assert (read_need(said, NluResult("inform", 1.0)) or {}).get("need") == need


def test_a_question_about_leave_for_a_sick_parent_is_not_a_family_request(pipeline: Pipeline) -> None:
    answer = Conversation(pipeline).say("我爹住院了 厂里不给假 咋办")
    assert "家人帮扶" not in answer


def test_the_home_countys_staff_see_it_and_the_worker_hears_the_status(app: Flask, pipeline: Pipeline) -> None:
    db = app.extensions["gongyou.db"]
    with db.session() as session:
        create_user(session, "dn", PASSWORD, "agent", ["大宁县"])
        create_user(session, "dg", PASSWORD, "agent", ["东莞"])
    worker = Conversation(pipeline, channel=Channel.WECHAT)
    verify_dialog(worker, [("村里能不能帮忙看看我家老人", "老家在哪"), ("大宁县太古乡", "具体要帮什么"),
                           ("我爸一个人在家 最近血压高 想请人隔几天去看看", "手机号"), ("匿名", "请核对"),
                           ("1", "已提交。编号BF")])
    with db.session() as session:
        case = session.scalar(select(Case).where(Case.kind == Kind.FAMILY_HELP))
        assert case is not None and case.city == "大宁县" and case.first_response_due is not None
        case_id, number = case.id, case.number
    home = signed_in(app, "dn")
    assert number in home.get("/console/?kind=family_help").get_data(as_text=True)
    page = home.get(f"/console/cases/{case_id}").get_data(as_text=True)
    assert "照看老人" in page and "大宁县太古乡" in page
    assert signed_in(app, "dg").get(f"/console/cases/{case_id}").status_code == 404  # another region's staff
    token = csrf(home, f"/console/cases/{case_id}")
    assert home.post(f"/console/cases/{case_id}/status",
                     data={"status": "accepted", "reason": "已联系村委会", "csrf_token": token}).status_code == 302
    with db.session() as session:
        told = session.scalars(select(OutboundMessage.text).where(OutboundMessage.worker_id == case.worker_id)).all()
    assert any(number in t and "已受理" in t for t in told)
    token = csrf(home, f"/console/cases/{case_id}")
    assert home.post(f"/console/cases/{case_id}/status",
                     data={"status": "referred", "reason": "转曲峨镇", "csrf_token": token}).status_code == 302
    with db.session() as session:
        referred = session.get(Case, case_id)
        told = session.scalars(select(OutboundMessage.text).where(OutboundMessage.worker_id == case.worker_id)).all()
        assert referred is not None and "deadlines" not in referred.details  # no labour-inspection clocks
    assert any("已转给老家乡镇、村里的联系人" in t for t in told) and not any("劳动保障监察" in t for t in told)
