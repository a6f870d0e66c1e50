"""Training courses (issue 16) as a worker finds and signs up for them, is reminded, and hears of the
certificate; and as staff keep them. Demo data: a county's courses (domain/training/seed_data/courses.yml):
焊工 in 10 days, 厨师 in 5, an order class for a 东莞 factory in 3, pre-departure guidance in 2, SYB in 14."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flask import Flask
from sqlalchemy import select, update

from bot.conversation.pipeline import Pipeline
from bot.jobs import run_periodic
from console.auth import create_user
from domain.local_time import local
from domain.messages import Channel
from domain.storage.models import Course, CourseSignup, OutboundMessage
from domain.training import catalogue, signups
from tests.support.dialog import Conversation, verify_dialog
from tests.test_console import PASSWORD, csrf, signed_in


def test_a_worker_who_wants_to_learn_welding_finds_the_course_signs_up_and_cancels(pipeline: Pipeline) -> None:
    verify_dialog(Conversation(pipeline), [
        ("想学电焊", ["焊工的培训班1个", "1 ", "焊工技能培训 免费 剩30个名额"]),
        ("1", ["焊工技能培训（技能培训，免费）", "开班，共20天", "地点：示例县职业技术学校", "条件：16-55岁",
               "结业：焊工职业技能等级证书", "1 我要报名"]),
        ("1", ["报名成功！报名号BM", "开班前一天会提醒您", "请带身份证"]),
        ("我的培训", ["焊工技能培训", "：已报名", "1 取消报名BM"]),
        ("1", "已取消报名BM"),
        ("我的培训", "：已取消"),
    ])


def test_a_trade_with_no_course_shows_what_is_on(pipeline: Pipeline) -> None:
    verify_dialog(Conversation(pipeline), [
        ("想学开挖掘机 有没有培训班", ["近期在招培训班", "外出务工岗前引导培训", "中式烹调师培训"]),
    ])


def test_entrepreneurship_training_by_its_kind(pipeline: Pipeline) -> None:
    answer = Conversation(pipeline).say("回老家想开店 有创业培训吗")
    assert "返乡创业培训（SYB）" in answer and "焊工技能培训" not in answer


def test_a_question_about_the_law_on_training_is_not_a_course_search(pipeline: Pipeline) -> None:
    answer = Conversation(pipeline).say("公司出钱培训 干了半年辞职 要赔培训费吗")
    assert "培训班" not in answer and "报名" not in answer


def test_a_full_course_takes_no_more_sign_ups(app: Flask, pipeline: Pipeline) -> None:
    with app.extensions["gongyou.db"].session() as db:
        db.execute(update(Course).where(Course.ref == "PX-CS-01").values(seats=1))
    first, second = Conversation(pipeline), Conversation(pipeline)
    verify_dialog(first, [("学厨师的培训班", "中式烹调师培训"), ("1", "我要报名"), ("1", "报名成功")])
    verify_dialog(second, [("学厨师的培训班", "中式烹调师培训 免费 已满"), ("1", lambda a: "我要报名" not in a)])


def test_the_day_before_the_class_the_worker_is_reminded_once(app: Flask, pipeline: Pipeline) -> None:
    morning = local(datetime.now(UTC)).replace(hour=10, minute=0)  # reminders go out by day
    tomorrow = morning.date() + timedelta(days=1)
    with app.extensions["gongyou.db"].session() as db:
        db.execute(update(Course).where(Course.ref == "PX-YD-01").values(starts_on=tomorrow, ends_on=tomorrow))
    worker = Conversation(pipeline, channel=Channel.WECHAT)
    verify_dialog(worker, [("有什么岗前培训", "外出务工岗前引导培训"), ("1", "我要报名"), ("1", "报名成功")])
    assert run_periodic(app, morning) == {"overdue": 0, "alerts": 0, "reminders": 1, "roll_calls": 0, "check_ins": 0,
                                          "anonymised": 0}
    with app.extensions["gongyou.db"].session() as db:
        notices = db.scalars(select(OutboundMessage.text).where(OutboundMessage.reason == "notification")).all()
        assert signups.remind(db, morning.date(), lambda *_: None) == 0  # once only
    assert len(notices) == 1 and "明天14:00开班" in notices[0] and "报名号BM" in notices[0]


def test_staff_record_the_certificate_and_the_worker_hears_and_can_ask(app: Flask, pipeline: Pipeline) -> None:
    db = app.extensions["gongyou.db"]
    with db.session() as session:
        create_user(session, "lead", PASSWORD, "supervisor")
        create_user(session, "gd-lead", PASSWORD, "supervisor", ["东莞"])
        create_user(session, "agent", PASSWORD, "agent", ["示例县"])
    worker = Conversation(pipeline, channel=Channel.WECHAT)
    verify_dialog(worker, [("想学电焊", "焊工技能培训"), ("1", "我要报名"), ("1", "报名成功")])
    with db.session() as session:
        course = catalogue.find(session, "PX-HG-01")
        signup = session.scalar(select(CourseSignup))
        assert course is not None and signup is not None
        course_id, signup_id, number = course.id, signup.id, signup.number

    agent = signed_in(app, "agent")
    roster = agent.get(f"/console/courses/{course_id}").get_data(as_text=True)
    assert number in roster and "已报名" in roster and "登记</button>" not in roster  # agents look, do not record
    other = signed_in(app, "gd-lead")  # a supervisor of 东莞 does not keep 示例县's courses
    assert other.post(f"/console/courses/{course_id}/signups/{signup_id}",
                      data={"status": "certified", "csrf_token": csrf(other, "/console/courses")}).status_code == 403
    lead = signed_in(app, "lead")
    token = csrf(lead, f"/console/courses/{course_id}")
    done = lead.post(f"/console/courses/{course_id}/signups/{signup_id}",
                     data={"status": "certified", "certificate_no": "HG2026-0042", "csrf_token": token})
    assert done.status_code == 302
    assert "已通知工友" in lead.get(f"/console/courses/{course_id}").get_data(as_text=True)
    with db.session() as session:
        notice = session.scalar(select(OutboundMessage.text).where(OutboundMessage.reason == "notification"))
    assert notice is not None and "证书办好了，证书编号HG2026-0042" in notice
    assert "已结业，证书已发，证书编号HG2026-0042" in worker.say("焊工证书办好了吗")
    month = f"{datetime.now(UTC):%Y-%m}"  # the month's report: places taken and certificates given, per course
    assert "焊工技能培训,1,1" in lead.get(f"/console/reports/{month}.csv").get_data(as_text=True)


def test_a_supervisor_adds_a_course_with_its_problems_shown_first(app: Flask, pipeline: Pipeline) -> None:
    with app.extensions["gongyou.db"].session() as db:
        create_user(db, "lead", PASSWORD, "supervisor")
    lead = signed_in(app, "lead")
    token = csrf(lead, "/console/courses/new")
    starts = date.today() + timedelta(days=20)
    form = {"ref": "PX-JZ-01", "title": "家政服务员培训", "kind": "skills", "trade": "家政", "county": "示例县",
            "venue": "妇联培训中心", "starts_on": starts.isoformat(),
            "ends_on": (starts - timedelta(days=1)).isoformat(),
            "start_time": "09:00", "seats": "二十", "fee": "0", "csrf_token": token}
    bad = lead.post("/console/courses/new", data=form).get_data(as_text=True)
    assert "结束日期早于开班日期" in bad and "名额请写数字" in bad
    form |= {"ends_on": (starts + timedelta(days=9)).isoformat(), "seats": "20"}
    assert lead.post("/console/courses/new", data=form).status_code == 302
    assert "家政服务员培训" in lead.get("/console/courses").get_data(as_text=True)
    assert "家政服务员培训 免费 剩20个名额" in Conversation(pipeline).say("想学家政 什么时候开班")


def test_my_information_counts_sign_ups_and_deleting_removes_them(app: Flask, pipeline: Pipeline) -> None:
    worker = Conversation(pipeline)
    verify_dialog(worker, [("想学电焊", "焊工技能培训"), ("1", "我要报名"), ("1", "报名成功"),
                           ("我的信息", "培训报名1个")])
    worker.say("删除我的信息")
    worker.say("1")
    with app.extensions["gongyou.db"].session() as db:
        assert db.scalar(select(CourseSignup)) is None


def test_two_workers_taking_the_last_place_at_once_get_one_place(app: Flask, pipeline: Pipeline) -> None:
    import threading

    from domain.storage.models import Worker
    from domain.training.signups import SignupRefused

    for _ in range(2):
        Conversation(pipeline).say("你好")
    db = app.extensions["gongyou.db"]
    with db.session() as session:
        session.execute(update(Course).where(Course.ref == "PX-CS-01").values(seats=1))
        workers = list(session.scalars(select(Worker.id)))
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def take(worker_id: int) -> None:
        with db.session() as session:
            course = catalogue.find(session, "PX-CS-01")
            assert course is not None
            start.wait()
            try:
                signups.sign_up(session, worker_id, course, "cli", date.today())
                outcomes.append("place")
            except SignupRefused:
                outcomes.append("full")

    threads = [threading.Thread(target=take, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["full", "place"]


def test_staff_cancel_a_course_and_its_workers_are_told(app: Flask, pipeline: Pipeline) -> None:
    with app.extensions["gongyou.db"].session() as db:
        create_user(db, "lead", PASSWORD, "supervisor")
    worker = Conversation(pipeline, channel=Channel.WECHAT)
    verify_dialog(worker, [("想学电焊", "焊工技能培训"), ("1", "我要报名"), ("1", "报名成功")])
    lead = signed_in(app, "lead")
    with app.extensions["gongyou.db"].session() as db:
        course = catalogue.find(db, "PX-HG-01")
        assert course is not None
        course_id = course.id
    token = csrf(lead, f"/console/courses/{course_id}")
    weird = lead.post(f"/console/courses/{course_id}/edit", data={"ref": "x", "title": "焊工技能培训", "kind": "skills",
                                                                  "starts_on": "2026-12-30", "ends_on": "2026-12-31",
                                                                  "seats": "²", "csrf_token": token})
    assert weird.status_code == 400 and "名额请写数字" in weird.get_data(as_text=True)  # never a 500
    lead.post(f"/console/courses/{course_id}/status", data={"status": "cancelled", "csrf_token": token})
    with app.extensions["gongyou.db"].session() as db:
        notice = db.scalar(select(OutboundMessage.text).where(OutboundMessage.reason == "notification"))
    assert notice is not None and "焊工技能培训" in notice and "取消了" in notice
    verify_dialog(worker, [("我的培训", "：已取消"), ("想学电焊", lambda a: "焊工技能培训" not in a)])


def test_an_option_picked_in_words_by_sms(pipeline: Pipeline) -> None:
    verify_dialog(Conversation(pipeline, channel=Channel.SMS), [
        ("想学电焊 啥时候开班", "焊工技能培训"),
        ("第一个", "焊工技能培训（技能培训，免费）"),  # once 「没看懂」
    ])
