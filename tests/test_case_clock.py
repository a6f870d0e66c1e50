"""Case clocks (24-hour first answer, legal clocks in working days), the worker's update when a
deadline passes without news, staff status changes, and the inspection-ready export."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from bot.conversation.pipeline import Pipeline
from domain.cases import lifecycle as cases
from domain.cases.clock import add_working_days, legal_deadlines
from domain.messages import Channel
from domain.storage.models import Case, CaseEvent, OutboundMessage
from tests.support.dialog import Conversation


def test_working_days_skip_the_national_day_holiday() -> None:
    # 2026: 10月1日–8日 off; 5 working days from 30 September end on 13 October, not on 7 October
    assert add_working_days(date(2026, 9, 30), 5) == date(2026, 10, 13)
    assert add_working_days(date(2026, 11, 20), 5) == date(2026, 11, 27)  # Friday → the next Friday
    deadlines = legal_deadlines(date(2026, 11, 20))
    assert deadlines["accept"] == "2026-11-27" and deadlines["investigate"] > "2027-02-01"


def file_arrears(pipeline: Pipeline, phone: str = "匿名", consent: str | None = None,
                 story: str = "老板欠我两个月工资") -> tuple[Conversation, str]:
    worker = Conversation(pipeline, channel=Channel.WECHAT)
    for said in (story, "宏达建筑", "东莞塘厦 宏达工地", "一万六", "就我一个", "2", phone, *(consent or [])):
        worker.say(said)
    answer = worker.say("1")
    assert "已提交" in answer, worker.transcript
    return worker, answer.split("编号", 1)[1][:14]


def the_case(app: Flask, number: str) -> Case:
    with app.extensions["gongyou.db"].session() as db:
        case = db.scalar(select(Case).where(Case.number == number))
        assert case is not None
        return case


def sweep(app: Flask, now: datetime) -> int:
    with app.extensions["gongyou.db"].session() as db:
        return cases.sweep_overdue(db, app.extensions["gongyou.notifier"].notify, now)


def test_a_late_first_answer_sends_the_worker_one_update(app: Flask, pipeline: Pipeline) -> None:
    _, number = file_arrears(pipeline)
    now = datetime.now(UTC)
    assert sweep(app, now) == 0  # nothing is late yet
    later = now + timedelta(hours=25)
    with app.extensions["gongyou.db"].session() as db:
        late = cases.overdue_cases(db, later)
        assert [(c.number, names) for c, names in late] == [(number, ["first"])]
    assert sweep(app, later) == 1
    assert sweep(app, later + timedelta(hours=1)) == 0  # once per deadline
    with app.extensions["gongyou.db"].session() as db:
        notice = db.scalar(select(OutboundMessage))
        assert notice is not None and number in notice.text and "超过24小时" in notice.text
        assert notice.channel == "wechat"  # where the worker wrote from
        kinds = db.scalars(select(CaseEvent.kind).join(Case).where(Case.number == number)).all()
        assert "overdue_notice" in kinds


def test_staff_steps_start_and_stop_the_clocks(app: Flask, pipeline: Pipeline) -> None:
    _, number = file_arrears(pipeline)
    with app.extensions["gongyou.db"].session() as db:
        case = db.scalar(select(Case).where(Case.number == number))
        assert case is not None
        with pytest.raises(cases.StatusChangeError):
            cases.change_status(db, case, "resolved", "staff:7")  # a new case is not resolved in one jump
        cases.change_status(db, case, "accepted", "staff:7", reason="材料齐全")
        assert case.first_response_at is not None  # the 24-hour clock stops at the first staff action
        cases.change_status(db, case, "referred", "staff:7", reason="转塘厦劳动保障监察")
        referred_on = datetime.now(UTC).date()
        assert case.details["deadlines"] == legal_deadlines(referred_on)
        accept_due = date.fromisoformat(case.details["deadlines"]["accept"])
    late = datetime.combine(accept_due + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    with app.extensions["gongyou.db"].session() as db:
        assert [names for _, names in cases.overdue_cases(db, late)] == [["accept"]]
    assert sweep(app, late) == 1
    with app.extensions["gongyou.db"].session() as db:
        events = db.execute(select(CaseEvent.kind, CaseEvent.actor, CaseEvent.detail).join(Case)
                            .where(Case.number == number).order_by(CaseEvent.id)).all()
    assert [(k, a) for k, a, _ in events] == [("drafted", "worker"), ("filed", "worker"), ("status", "staff:7"),
                                              ("status", "staff:7"), ("overdue_notice", "system")]
    assert events[3][2] == {"old": "accepted", "new": "referred", "reason": "转塘厦劳动保障监察"}


def test_inspection_report_is_complete_escaped_and_private(app: Flask, pipeline: Pipeline) -> None:
    _, hidden = file_arrears(pipeline, phone="13600136000", consent=["2"],
                             story="老板欠我两个月工资 <script>alert(1)</script>")
    _, shared = file_arrears(pipeline, phone="13500135000", consent=["1"])
    runner = app.test_cli_runner()
    report = runner.invoke(args=["cases", "export", hidden, "--reveal"])
    assert report.exit_code == 0, report.output
    html = report.output
    for needed in ("农民工欠薪投诉登记表", hidden, "宏达建筑", "东莞塘厦镇", "16000元", "1人", "考勤或工资条",
                   "劳动保障监察机构", "《劳动保障监察条例》第十七条"):
        assert needed in html, needed
    assert "<script>" not in html and "&lt;script&gt;" in html  # the worker's words are text, not code
    assert "13600136000" not in html and "136****6000" in html  # no consent: masked even with --reveal
    consented = runner.invoke(args=["cases", "export", shared, "--reveal"]).output
    assert "13500135000" in consented and "本人同意告知" in consented
    assert "13500135000" not in runner.invoke(args=["cases", "export", shared]).output  # reveal is explicit
    with app.extensions["gongyou.db"].session() as db:
        exported = db.scalars(select(CaseEvent.detail).where(CaseEvent.kind == "exported")).all()
    assert {"reveal": True} in exported and {"reveal": False} in exported  # who looked, audited


def test_the_worker_process_sweeps_deadlines_once_per_period(app: Flask, pipeline: Pipeline) -> None:
    from bot.jobs import run_periodic

    _, number = file_arrears(pipeline)
    later = datetime.now(UTC) + timedelta(hours=25)
    assert run_periodic(app, later) == {"overdue": 1, "alerts": 0, "reminders": 0, "roll_calls": 0, "check_ins": 0,
                                            "anonymised": 0}
    assert run_periodic(app, later) is None  # another worker process already did this period's round
    with app.extensions["gongyou.db"].session() as db:
        assert number in (db.scalar(select(OutboundMessage.text)) or "")
