"""Subsidies (issue 16) as a worker checks whether they may have one, applies with a number and hears
the decision; and as staff decide and publish the public list. The schemes and their sources are the
seeds' (domain/subsidies/seed_data/schemes.yml): the transport subsidy for working in another province
(up to 800 yuan), the social-insurance subsidy for flexible employment, free training."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import select

from bot.conversation.pipeline import Pipeline
from console.auth import create_user
from domain.messages import Channel
from domain.storage.models import AuditEvent, OutboundMessage, SubsidyApplication
from domain.subsidies import applications
from domain.subsidies.schemes import Said, Verdict, by_key, read_answer, read_said, verdict
from tests.support.dialog import Conversation, verify_dialog
from tests.test_console import PASSWORD, csrf, signed_in
from tests.test_sms_webhook import post_sms, sms_params, twiml_text

TRANSPORT_HEAD = ["跨省务工一次性交通补助（临汾市）：每人不超过800元", "依据：临政办发〔2017〕52号"]


def apply_for_transport(conv: Conversation, name: str = "我叫张建国", county: str = "大宁县曲峨镇") -> str:
    """The whole way from the question to a filed application; the application's number."""
    verify_dialog(conv, [
        ("跨省打工的路费补贴怎么申请",
         [*TRANSPORT_HEAD, "先看您能不能领", "建档立卡贫困户", "1 是", "2 不是", "3 不清楚"]),
        ("是贫困户", ["今年是到外省打工", "1 是"]),
        ("1", ["按您说的，可以申请", "要带：身份证", "到户籍所在县人社局（劳务办）办", "1 要，现在申请"]),
        ("1", ["申请跨省务工一次性交通补助", "真实姓名", "加密保存", "请回复您的姓名"]),
        (name, ["好的，张**", "哪个县、乡镇"]),
        (county, ["已提交，编号BT", "我的补贴"]),
    ])
    answer = conv.transcript[-1][1]
    return answer[answer.index("BT"):answer.index("BT") + 8]


def test_a_worker_checks_the_transport_subsidy_in_words_applies_and_sees_it(pipeline: Pipeline) -> None:
    worker = Conversation(pipeline)
    number = apply_for_transport(worker)
    verify_dialog(worker, [
        ("我的补贴", [f"{number} 跨省务工一次性交通补助", "已提交，待审核", f"1 撤回{number}"]),
        ("交通补助申请到哪一步了", "已提交，待审核"),
        ("查一下我的申请进度", f"{number} 跨省务工一次性交通补助（"),  # the status check shows it too
    ])
    verify_dialog(worker, [  # asked again: where the first stands; applied again by the list: the first found
        ("我能不能领交通补助", [f"您今年已经申请过：{number}", "已提交，待审核"]),
        ("有什么补贴", "1 跨省务工一次性交通补助"), ("1", "建档立卡"), ("是", "外省"), ("是", "可以申请"),
        ("1", "姓名"),
        ("张建国 大宁县曲峨镇", f"您今年已经申请过跨省务工一次性交通补助，编号{number}"),
    ])


def test_a_no_ends_the_check_with_the_reason_and_other_subsidies(pipeline: Pipeline) -> None:
    verify_dialog(Conversation(pipeline), [
        ("我能领什么补贴", ["回复序号看能不能领", "1 跨省务工一次性交通补助", "2 灵活就业社会保险补贴"]),
        ("1", ["先看您能不能领", "建档立卡"]),
        ("是的", "外省"),
        ("在省内", ["只补当年到外省务工的", "灵活就业社会保险补贴", "转人工"]),
    ])


def test_not_sure_may_still_apply_and_staff_check_it(pipeline: Pipeline) -> None:
    verify_dialog(Conversation(pipeline), [
        ("社保补贴能领吗", ["灵活就业社会保险补贴", "不超过本人实际缴费的三分之二，最长3年", "劳务输出人员"]),
        ("不太清楚", "灵活就业人员自己交养老或医疗保险"),
        ("交着呢", ["可能可以申请", "工作人员会核实", "养老或医疗保险缴费凭证", "1 要，现在申请"]),
    ])


def test_free_training_points_to_the_courses(pipeline: Pipeline) -> None:
    verify_dialog(Conversation(pipeline), [
        ("想申请培训补贴", ["免费技能培训", "免费参加一次职业技能培训或创业培训", "建档立卡"]),
        ("是", "法定劳动年龄"),
        ("是", ["可以申请", "1 看培训班"]),
        ("1", "培训班"),
    ])


def test_an_application_asks_again_for_a_name_and_can_be_cancelled(app: Flask, pipeline: Pipeline) -> None:
    worker = Conversation(pipeline)
    verify_dialog(worker, [
        ("交通补助怎么申请", "建档立卡"), ("是", "外省"), ("是", "可以申请"), ("1", "请回复您的姓名"),
        ("为什么要名字", "请只回复您的姓名"),
        ("不想说", ["请只回复您的姓名", "转人工", "取消申请"]),
        ("取消", "已取消，申请没有提交"),
        ("我的补贴", "您还没有申请补贴"),
    ])
    with app.extensions["gongyou.db"].session() as db:
        assert db.scalar(select(SubsidyApplication)) is None  # the draft went with the cancel


def test_an_application_goes_on_after_the_conversation_was_lost(pipeline: Pipeline) -> None:
    worker = Conversation(pipeline)
    verify_dialog(worker, [("交通补助怎么申请", "建档立卡"), ("是", "外省"), ("是", "可以申请"),
                           ("1", "请回复您的姓名")])
    pipeline.state.clear(worker.channel.value, worker.user_id)  # Redis restarted: the draft is in the database
    # back later: the open question is asked again before anything is read (a 「你好」 is no name)
    verify_dialog(worker, [("你好", ["接着上次没填完的跨省务工一次性交通补助申请", "请回复您的姓名"]),
                           ("李娟", "哪个县、乡镇"), ("大宁县", "已提交，编号BT")])


def test_an_application_not_understood_three_times_lets_go(app: Flask, pipeline: Pipeline) -> None:
    verify_dialog(Conversation(pipeline), [
        ("交通补助怎么申请", "建档立卡"), ("是", "外省"), ("是", "可以申请"), ("1", "请回复您的姓名"),
        ("好的", "请只回复您的姓名"), ("找工作", ["请只回复您的姓名", "转人工"]),
        ("嗯", ["还是没看明白", "申请先没有提交"]),
        ("找工作", lambda a: "姓名" not in a),
    ])
    with app.extensions["gongyou.db"].session() as db:
        assert db.scalar(select(SubsidyApplication)) is None


def test_by_sms_every_step_fits_one_message_and_a_yes_in_words_applies(app: Flask) -> None:
    """On SMS the eligible answer once ran to a second page, so 「是」 to it reached the main menu."""
    sender = "+8613912340001"
    replies = []
    for i, said in enumerate(["出省打工的车费补助咋领", "俺是贫困户", "在浙江呢", "是", "王桂芳", "是永和县坡头乡"]):
        replies.append(twiml_text(post_sms(app, sms_params(said, sender=sender, sid=f"SM{i:032d}"))))
    assert not any("回复0看下一页" in r for r in replies), replies
    assert "可以申请" in replies[2] and "请回复您的姓名" in replies[3] and "已提交，编号BT" in replies[5]
    consent = twiml_text(post_sms(app, sms_params("实名登记", sender="+8613912340002", sid="SM" + "9" * 32)))
    assert "回复0看下一页" not in consent and "1 同意" in consent


def test_the_law_on_the_subsidy_offers_the_check(pipeline: Pipeline) -> None:
    verify_dialog(Conversation(pipeline), [
        ("出省打工有路费补贴吗", ["800元", "临政办发〔2017〕52号", "看我能不能领"]),
    ])


def test_staff_decide_the_worker_hears_and_the_public_list_shows_the_family_name(app: Flask,
                                                                                    pipeline: Pipeline) -> None:
    db = app.extensions["gongyou.db"]
    with db.session() as session:
        create_user(session, "lead", PASSWORD, "supervisor")
        create_user(session, "agent", PASSWORD, "agent", ["大宁县"])
        create_user(session, "gd-lead", PASSWORD, "supervisor", ["东莞"])
    worker = Conversation(pipeline, channel=Channel.WECHAT)
    number = apply_for_transport(worker)
    with db.session() as session:
        row = session.scalar(select(SubsidyApplication))
        assert row is not None and "张建国" not in row.name_enc and row.name_masked == "张**"
        row_id = row.id

    agent = signed_in(app, "agent")
    listed = agent.get("/console/subsidies").get_data(as_text=True)
    assert number in listed and "张**" in listed and "张建国" not in listed  # masked in the list
    assert agent.get(f"/console/subsidies/{row_id}").status_code == 403  # agents do not open applications
    assert signed_in(app, "gd-lead").get(f"/console/subsidies/{row_id}").status_code == 403  # not their county

    lead = signed_in(app, "lead")
    page = lead.get(f"/console/subsidies/{row_id}").get_data(as_text=True)
    assert "张建国" in page and "大宁县曲峨镇" in page
    token = csrf(lead, f"/console/subsidies/{row_id}")
    too_much = lead.post(f"/console/subsidies/{row_id}", data={"status": "approved", "amount": "900",
                                                               "csrf_token": token}, follow_redirects=True)
    assert "超过这项补贴的上限（800元）" in too_much.get_data(as_text=True)
    assert lead.post(f"/console/subsidies/{row_id}", data={"status": "approved", "amount": "800",
                                                           "csrf_token": token}).status_code == 302
    with db.session() as session:
        notices = session.scalars(select(OutboundMessage.text).where(OutboundMessage.reason == "notification")).all()
        viewed = session.scalars(select(AuditEvent.action).where(AuditEvent.target == number)).all()
    assert any(f"（{number}）审核通过，800元" in n for n in notices)
    assert "subsidy_application_viewed" in viewed and "subsidy_application_decided" in viewed
    assert "审核通过，待发放，800元" in worker.say("我的补贴")

    assert lead.post(f"/console/subsidies/{row_id}", data={"status": "paid", "amount": "800",
                                                           "csrf_token": token}).status_code == 302
    assert "已发放，800元" in worker.say("我的补贴")
    month = f"{datetime.now(UTC):%Y-%m}"  # the month's report: subsidies paid, people and yuan
    assert "跨省务工一次性交通补助,1,800" in lead.get(f"/console/reports/{month}.csv").get_data(as_text=True)
    again = lead.post(f"/console/subsidies/{row_id}", data={"status": "rejected", "note": "重复", "csrf_token": token},
                      follow_redirects=True).get_data(as_text=True)
    assert "不能改成「未通过」" in again  # paid is final
    assert "还没有公示" in worker.say("补贴公示")
    assert lead.post("/console/subsidies/publish", data={"csrf_token": token}).status_code == 302
    public = worker.say("补贴公示名单")
    assert "张** 大宁县 跨省务工一次性交通补助 800元" in public and "曲峨镇" not in public


def test_deleting_my_information_takes_an_undecided_application(app: Flask, pipeline: Pipeline) -> None:
    worker = Conversation(pipeline)
    apply_for_transport(worker)
    verify_dialog(worker, [("我的信息", "补贴申请1个"), ("删除我的信息", "确定删除吗"), ("1", "删除")])
    with app.extensions["gongyou.db"].session() as db:
        assert db.scalar(select(SubsidyApplication)) is None


# --- the rules, without the pipeline ------------------------------------------------------------

@pytest.mark.parametrize(("said", "read"), [
    ("是贫困户", Said.YES), ("建档立卡户", Said.YES), ("交着呢", Said.YES), ("嗯嗯", Said.YES),
    ("不是", Said.NO), ("在省内", Said.NO), ("没交", Said.NO), ("冇", Said.NO),
    ("不太清楚", Said.UNSURE), ("唔知", Said.UNSURE), ("好像是吧", Said.UNSURE),
    ("我老板欠我三个月工资没给", None),  # a message of its own, not an answer
    ("对头 俺屋是贫困户 村里有登记", Said.YES), ("不是哩 俺家日子还过得去", Said.NO),
    ("俺家不是 就是一般人家", Said.NO), ("这个要问问村里 俺说不准", Said.UNSURE),
    ("单位给买的社保", Said.NO), ("自个儿在手机上交的", Said.YES),
    ("没错", Said.YES), ("没问题", Said.YES), ("不是很清楚", Said.UNSURE),
    ("是不是要交钱", None), ("中介费多少", None), ("算了 不办了", None),  # questions back, never mind: no answer
])
def test_a_yes_or_no_in_a_workers_words(said: str, read: Said | None) -> None:
    assert read_said(said) == read


@pytest.mark.parametrize(("said", "read"), [
    ("老家陕西的 现在在宁波", Said.YES),  # two provinces: out of the province
    ("在杭州呢", Said.YES),  # a place alone, compared with the rule's province (山西)
    ("就在大同干", Said.NO),
    ("湖北人 在武汉打工", Said.NO),  # home and work in one province
    ("还没想好去哪", Said.UNSURE),
    ("俺是山西的 在外省打工", Said.YES), ("不在山西", Said.YES),  # 外省 said, or the rule's province denied
])
def test_working_in_another_province_told_by_the_places_named(said: str, read: Said) -> None:
    assert read_answer("transport", "other_province", said) == read


def test_any_no_ends_it_and_not_sure_is_checked_by_staff() -> None:
    scheme = by_key("transport")
    assert scheme is not None
    assert verdict(scheme, {"poor_household": "yes"}) is None
    assert verdict(scheme, {"poor_household": "no"}) == Verdict.NOT_ELIGIBLE
    assert verdict(scheme, {"poor_household": "yes", "other_province": "unsure"}) == Verdict.TO_CHECK
    assert verdict(scheme, {"poor_household": "yes", "other_province": "yes"}) == Verdict.ELIGIBLE


@pytest.mark.parametrize(("said", "name"), [
    ("张建国", "张建国"), ("我叫李娟", "李娟"), ("姓名：欧阳娜娜", "欧阳娜娜"), ("买买提·艾力", "买买提·艾力"),
    ("不想说", None), ("为什么要名字", None), ("12345", None),
    ("钱 钱宝山", "钱宝山"), ("何春燕 何是单人旁那个何", "何春燕"), ("叫我小李就行", None),
    ("张建国 大宁县曲峨镇", "张建国"), ("李想", "李想"), ("查询进度", None), ("王师傅", None), ("江苏", None),
])
def test_a_name_alone(said: str, name: str | None) -> None:
    assert applications.read_name(said) == name


def test_the_public_list_shows_the_family_name_and_the_county_only() -> None:
    assert applications.mask_name("张建国") == "张**" and applications.county_of("大宁县曲峨镇东村") == "大宁县"
