"""The monthly wage check-in (issue 16): a worker opts in, the background round asks after payday
「这个月工资发了吗？」, the answer in a digit or in words is kept, and 「没发」 opens the wage-arrears form
with what is known filled in. A worker who talks of something else instead is not held to the question."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import select

from bot.conversation.pipeline import Pipeline
from bot.jobs import run_periodic
from domain.checkins import DAY, pay_month
from domain.local_time import local
from domain.messages import Channel
from domain.storage.models import OutboundMessage, WageCheckInAnswer
from tests.support.dialog import Conversation, verify_dialog


def _payday_passed() -> datetime:
    """10:00 local on the next check-in day still to come (this month's, else next month's): in the
    future, so the question is still open when the worker answers now, and by day, when questions go."""
    today = local(datetime.now(UTC))
    if today.day < DAY:
        return today.replace(day=DAY, hour=10, minute=0)
    first_of_next = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    return first_of_next.replace(day=DAY, hour=10, minute=0)


def _ask(app: Flask) -> list[str]:
    app.extensions["gongyou.redis"].delete("gongyou:periodic:lock")
    rounds = run_periodic(app, _payday_passed())
    assert rounds is not None
    with app.extensions["gongyou.db"].session() as db:
        return list(db.scalars(select(OutboundMessage.text).where(OutboundMessage.reason == "notification")))


def test_not_paid_in_words_is_kept_and_opens_the_arrears_form(app: Flask, pipeline: Pipeline) -> None:
    worker = Conversation(pipeline, channel=Channel.WECHAT)
    verify_dialog(worker, [("每个月问问我工资发了没", f"每月{DAY}号以后问您一次上个月工资发了没")])
    month = int(pay_month(_payday_passed().date())[5:])
    asked = _ask(app)
    assert len(asked) == 1 and f"【工友】{month}月的工资发了吗" in asked[0] and "3 没发" in asked[0]
    verify_dialog(worker, [
        ("还没发呢", [f"记下了：{month}月工资没发", "要登记欠薪求助吗", "1 是，登记欠薪求助"]),
        ("好", ["好的，登记欠薪求助", "已记下：欠1个月"]),
    ])
    with app.extensions["gongyou.db"].session() as db:
        answers = db.scalars(select(WageCheckInAnswer.answer)).all()
    assert answers == ["unpaid"]
    assert _ask(app) == asked  # asked once a month


def test_paid_by_digit_and_a_worker_who_talks_of_something_else_is_not_held_to_the_question(
        app: Flask, pipeline: Pipeline) -> None:
    paid, busy = Conversation(pipeline, channel=Channel.WECHAT), Conversation(pipeline, channel=Channel.WECHAT)
    for worker in (paid, busy):
        worker.say("每月问我工资")
    assert len(_ask(app)) == 2
    assert "工资已发" in paid.say("1")
    jobs = busy.say("东莞有普工吗")
    assert "岗位" in jobs
    assert "记下了" not in (first := busy.say("1")) and "【" in first  # the first job, not an answer to the question
    with app.extensions["gongyou.db"].session() as db:
        assert db.scalars(select(WageCheckInAnswer.answer)).all() == ["paid"]


def test_stopping_the_question(app: Flask, pipeline: Pipeline) -> None:
    worker = Conversation(pipeline, channel=Channel.WECHAT)
    verify_dialog(worker, [("每月问我工资", "每月"), ("不用再问我工资了", "不再每月问工资")])
    assert _ask(app) == []


def test_the_months_report_counts_what_workers_said_of_their_pay(app: Flask, pipeline: Pipeline) -> None:
    from console.auth import create_user
    from tests.test_console import PASSWORD, signed_in

    worker = Conversation(pipeline, channel=Channel.WECHAT)
    worker.say("每月问我工资")
    _ask(app)
    worker.say("3")
    with app.extensions["gongyou.db"].session() as db:
        create_user(db, "lead", PASSWORD, "supervisor")
    month = f"{datetime.now(UTC):%Y-%m}"
    assert "没发,1" in signed_in(app, "lead").get(f"/console/reports/{month}.csv").get_data(as_text=True)


def test_a_worker_no_message_would_reach_is_asked_once_they_write_again(app: Flask, pipeline: Pipeline) -> None:
    """WeChat's 48 hours passed, no phone linked: the question would only wait in staff's held messages."""
    from sqlalchemy import update

    from domain.storage.models import Message

    worker = Conversation(pipeline, channel=Channel.WECHAT)
    worker.say("每月问我工资")
    with app.extensions["gongyou.db"].session() as db:
        db.execute(update(Message).values(created_at=datetime.now(UTC) - timedelta(days=3)))
    assert _ask(app) == []  # not asked, nothing held
    worker.say("你好")
    assert len(_ask(app)) == 1
