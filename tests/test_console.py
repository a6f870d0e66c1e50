"""The staff console through its HTTP interface: login, lockout and rate limits, CSRF, the queue,
a case filed through the WeChat webhook, a reply that reaches the worker, status changes, release of
a hand-off, escaping of worker text, audit of every view, and authorisation for every role on every
route (table-driven)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from console.auth import create_user
from domain.storage.models import AuditEvent, Case, CaseEvent, OutboundMessage, StaffUser
from tests.support.standins import WeChatApiStandIn
from tests.test_vacancies import wechat_say
from tests.test_wechat_outbound import run_jobs, wechat_app

PASSWORD = "correct-horse-battery"
XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>"


@dataclass
class Staff:
    admin: int
    supervisor: int
    agent_dg: int  # works 东莞
    agent_sz: int  # works 深圳


@pytest.fixture
def bot(app_factory: Callable[..., Flask], rasa_url: str, wechat_api: WeChatApiStandIn) -> Flask:
    return wechat_app(app_factory, rasa_url, wechat_api)


@pytest.fixture
def staff(bot: Flask) -> Iterator[Staff]:
    db = bot.extensions["gongyou.db"]
    with db.session() as session:
        ids = Staff(
            create_user(session, "admin", PASSWORD, "admin").id,
            create_user(session, "lead", PASSWORD, "supervisor", display_name="李主管").id,
            create_user(session, "dg", PASSWORD, "agent", ["东莞"], "东莞王").id,
            create_user(session, "sz", PASSWORD, "agent", ["深圳"], "深圳张").id,
        )
    yield ids  # the app fixture's reset empties staff_users


def csrf(client: FlaskClient, path: str = "/console/login") -> str:
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, page[:500]
    return match.group(1)


def login(client: FlaskClient, username: str, password: str = PASSWORD) -> int:
    token = csrf(client)
    resp = client.post("/console/login", data={"username": username, "password": password, "csrf_token": token})
    return resp.status_code


def signed_in(bot: Flask, username: str) -> FlaskClient:
    client = bot.test_client()
    assert login(client, username) == 302
    return client


def file_complaint(bot: Flask, sender: str, city: str, story: str = "中介收了我800介绍费 人跑了") -> Case:
    for said in (story, f"{city} 好运劳务", "上个月", "13800138000", "1", "1"):
        answer = wechat_say(bot, said, sender)
    assert "已提交" in answer, answer
    with bot.extensions["gongyou.db"].session() as db:
        case = db.scalar(select(Case).where(Case.status == "new", Case.city == city).order_by(Case.id.desc()))
        assert case is not None
        return case


# --- login ---------------------------------------------------------------------------------------

def test_login_failures_lock_the_account_and_flood_the_address_out(bot: Flask, staff: Staff) -> None:
    client = bot.test_client()
    wrong = client.post("/console/login", data={"username": "dg", "password": "wrong password",
                                                 "csrf_token": csrf(client)})
    assert wrong.status_code == 401 and "用户名或密码不对" in wrong.get_data(as_text=True)
    for _ in range(4):
        login(client, "dg", "wrong password")
    assert login(client, "dg") == 401  # five failures: a wait, even with the right password, told like a wrong one
    for _ in range(15):
        login(client, "nobody", "guess")
    assert login(client, "sz") == 429  # this address has failed too often


def test_forms_without_the_csrf_token_are_refused(bot: Flask, staff: Staff) -> None:
    case = file_complaint(bot, "oCsrf", "东莞")
    client = signed_in(bot, "dg")
    resp = client.post(f"/console/cases/{case.id}/reply", data={"text": "您好"})
    assert resp.status_code == 400
    with bot.extensions["gongyou.db"].session() as db:
        assert db.scalar(select(OutboundMessage)) is None


def test_logout_ends_the_session(bot: Flask, staff: Staff) -> None:
    client = signed_in(bot, "lead")
    assert client.get("/console/").status_code == 200
    client.post("/console/logout", data={"csrf_token": csrf(client, "/console/")})
    assert client.get("/console/").status_code == 302


# --- working a case ------------------------------------------------------------------------------

def test_a_webhook_case_is_worked_and_the_reply_reaches_the_worker(bot: Flask, staff: Staff,
                                                                   wechat_api: WeChatApiStandIn) -> None:
    case = file_complaint(bot, "oWorkerCase", "东莞")
    client = signed_in(bot, "dg")
    queue_page = client.get("/console/").get_data(as_text=True)
    assert case.number in queue_page and "好运劳务" in queue_page
    page = client.get(f"/console/cases/{case.id}").get_data(as_text=True)
    assert "中介收了我800介绍费" in page and "138****8000" in page and "13800138000" not in page
    token = csrf(client, f"/console/cases/{case.id}")
    resp = client.post(f"/console/cases/{case.id}/reply",
                       data={"text": "您好，我们已联系塘厦劳动监察，明天回复您。", "csrf_token": token})
    assert resp.status_code == 302
    run_jobs(bot)
    (sent,) = wechat_api.sent
    assert sent["touser"] == "oWorkerCase" and "明天回复您" in sent["text"]["content"]
    assert case.number in sent["text"]["content"]
    page = client.get(f"/console/cases/{case.id}").get_data(as_text=True)
    assert "明天回复您" in page and "已发出" in page  # the delivery status is shown
    assert page.count("已回复") >= 6  # each answer in the transcript says it reached WeChat in its reply
    status_url = f"/console/cases/{case.id}/status"
    client.post(status_url, data={"status": "accepted", "reason": "", "csrf_token": token})
    assert "请写明原因" in client.get(f"/console/cases/{case.id}").get_data(as_text=True)
    client.post(status_url, data={"status": "accepted", "reason": "材料齐全", "csrf_token": token})
    run_jobs(bot)
    assert len(wechat_api.sent) == 2 and "已受理" in wechat_api.sent[1]["text"]["content"]  # the worker is told
    assert "材料齐全" not in wechat_api.sent[1]["text"]["content"]  # the reason stays internal
    with bot.extensions["gongyou.db"].session() as db:
        row = db.get(Case, case.id)
        assert row is not None and row.status == "accepted" and row.first_response_at is not None
        kinds = db.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case.id)).all()
    assert kinds.count("viewed") >= 3 and "reply" in kinds and "status" in kinds  # every view audited
    assert "已受理" in wechat_say(bot, "查询进度", "oWorkerCase")


def test_a_message_no_channel_could_carry_waits_for_a_supervisor_who_resends_or_notes_it(
        bot: Flask, staff: Staff, wechat_api: WeChatApiStandIn) -> None:
    case = file_complaint(bot, "oWindowShut", "东莞")
    wechat_api.closed_window.add("oWindowShut")  # 48 hours without a word from the worker
    outbox = bot.extensions["gongyou.outbox"]
    first = outbox.queue(case.worker_id, "wechat", "您的投诉已转塘厦劳动监察", "staff_reply")
    second = outbox.queue(case.worker_id, "wechat", "请带上工资条", "staff_reply")
    run_jobs(bot)
    assert wechat_api.sent == []
    assert "待发消息" not in signed_in(bot, "dg").get("/console/").get_data(as_text=True)  # an agent has no such page
    lead = signed_in(bot, "lead")
    assert "2条消息没能发到工友手里" in lead.get("/console/").get_data(as_text=True)
    page = lead.get("/console/held").get_data(as_text=True)
    assert "您的投诉已转塘厦劳动监察" in page and "请带上工资条" in page and "待人工处理" in page
    assert case.number in page and "oWindowShut" not in page  # the worker's pseudonym and case, never the openid
    case_page = lead.get(f"/console/cases/{case.id}").get_data(as_text=True)
    assert "待人工处理" in case_page  # the case shows it too
    token = csrf(lead, "/console/held")
    lead.post(f"/console/held/{second}/dismiss", data={"how": "", "csrf_token": token})
    assert "请写明" in lead.get("/console/held").get_data(as_text=True)  # how the worker was reached is required
    lead.post(f"/console/held/{second}/dismiss", data={"how": "已电话告知", "csrf_token": token})
    wechat_api.closed_window.discard("oWindowShut")  # the worker wrote again: the window is open
    lead.post(f"/console/held/{first}/resend", data={"csrf_token": token})
    run_jobs(bot)
    assert [m["text"]["content"] for m in wechat_api.sent] == ["您的投诉已转塘厦劳动监察"]
    page = lead.get("/console/held").get_data(as_text=True)
    assert "没有待发的消息" in page
    with bot.extensions["gongyou.db"].session() as db:
        assert db.get(OutboundMessage, second).status == "dismissed"  # type: ignore[union-attr]
        actions = db.scalars(select(AuditEvent.action)).all()
    assert "held_resent" in actions and "held_dismissed" in actions


def test_worker_text_is_shown_as_text(bot: Flask, staff: Staff) -> None:
    case = file_complaint(bot, "oXss", "东莞", story=f"中介骗钱 {XSS}")
    client = signed_in(bot, "dg")
    resp = client.get(f"/console/cases/{case.id}")
    page = resp.get_data(as_text=True)
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert "<script" not in page.replace("&lt;script", "")  # and the console itself runs no inline script


def test_handoff_is_released_from_the_console(bot: Flask, staff: Staff) -> None:
    assert "已转给工作人员" in wechat_say(bot, "转人工", "oHandoff")
    assert wechat_say(bot, "有人吗", "oHandoff") == ""
    with bot.extensions["gongyou.db"].session() as db:
        case = db.scalar(select(Case).where(Case.kind == "handoff"))
        assert case is not None
    client = signed_in(bot, "lead")
    page = client.get(f"/console/cases/{case.id}").get_data(as_text=True)
    assert "有人吗" in page  # staff see the whole transcript
    client.post(f"/console/cases/{case.id}/release", data={"csrf_token": csrf(client, f"/console/cases/{case.id}")})
    assert "1 找工作" in wechat_say(bot, "你好", "oHandoff")


def test_phone_reveal_needs_consent_and_is_audited(bot: Flask, staff: Staff) -> None:
    case = file_complaint(bot, "oReveal", "东莞")  # consented (「1」 at the consent question)
    client = signed_in(bot, "dg")
    token = csrf(client, f"/console/cases/{case.id}")
    client.post(f"/console/cases/{case.id}/reveal", data={"csrf_token": token})
    assert "13800138000" in client.get(f"/console/cases/{case.id}").get_data(as_text=True)
    assert "13800138000" not in client.get(f"/console/cases/{case.id}").get_data(as_text=True)  # shown once
    with bot.extensions["gongyou.db"].session() as db:
        revealed = db.scalars(select(CaseEvent.actor).where(CaseEvent.kind == "revealed")).all()
    assert revealed == [f"staff:{staff.agent_dg}"]


def test_queue_search_by_phone_and_overdue_first(bot: Flask, staff: Staff) -> None:
    first = file_complaint(bot, "oQueue1", "深圳")
    second = file_complaint(bot, "oQueue2", "深圳")
    with bot.extensions["gongyou.db"].session() as db:
        late = db.get(Case, second.id)
        assert late is not None
        from datetime import UTC, datetime, timedelta

        late.first_response_due = datetime.now(UTC) - timedelta(hours=1)
    client = signed_in(bot, "sz")
    page = client.get("/console/").get_data(as_text=True)
    assert page.index(second.number) < page.index(first.number) and "已超时 1" in page
    search = {"q": "138 0013 8000", "csrf_token": csrf(client, "/console/")}
    found = client.post("/console/", data=search).get_data(as_text=True)  # matched on the keyed hash
    assert first.number in found
    in_url = client.get("/console/?q=13800138000").get_data(as_text=True)  # never searched from a URL
    assert "搜索框" in in_url and "13800138000" not in in_url
    assert second.number in client.get("/console/?overdue=1").get_data(as_text=True)
    assert first.number not in client.get("/console/?overdue=1").get_data(as_text=True)


# --- authorisation: every role on every route ----------------------------------------------------

ROUTES = [  # (name, method, path template, form)
    ("queue", "GET", "/console/", {}),
    ("case", "GET", "/console/cases/{id}", {}),
    ("reply", "POST", "/console/cases/{id}/reply", {"text": "您好"}),
    ("note", "POST", "/console/cases/{id}/note", {"text": "已电话联系单位"}),
    ("status", "POST", "/console/cases/{id}/status", {"status": "accepted", "reason": "受理"}),
    ("close", "POST", "/console/cases/{id}/status", {"status": "closed", "reason": "重复"}),
    ("assign", "POST", "/console/cases/{id}/assign", {"username": "dg"}),
    ("reveal", "POST", "/console/cases/{id}/reveal", {}),
    ("report", "GET", "/console/cases/{id}/report", {}),
    ("dashboard", "GET", "/console/dashboard", {}),
    ("reports", "GET", "/console/reports/2026-11.xlsx", {}),
    ("vacancies", "GET", "/console/vacancies", {}),
    ("new_vacancy", "POST", "/console/vacancies/new", {"title": ""}),
    ("kb", "GET", "/console/kb", {}),
    ("kb_edit", "POST", "/console/kb/arbitration-free", {"text": "---\nid: broken\n---\n"}),
    ("users", "GET", "/console/users", {}),
    ("merges", "GET", "/console/merges", {}),
    ("merge", "POST", "/console/merges/999999", {}),
    ("held", "GET", "/console/held", {}),
    ("held_resend", "POST", "/console/held/999999/resend", {}),
    ("stations", "GET", "/console/stations", {}),
    ("new_station", "POST", "/console/stations/new", {"ref": ""}),
    ("courses", "GET", "/console/courses", {}),
    ("new_course", "POST", "/console/courses/new", {"ref": ""}),
    ("departures", "GET", "/console/departures", {}),
    ("new_departure", "POST", "/console/departures/new", {"ref": ""}),
    ("subsidies", "GET", "/console/subsidies", {}),
    ("subsidy", "GET", "/console/subsidies/999999", {}),
    ("publish", "POST", "/console/subsidies/publish", {}),
    ("registry", "GET", "/console/registry", {}),
    ("registry_csv", "GET", "/console/registry.csv", {}),
]
# role → route → expected status, for a 东莞 case (an agent of 深圳 must not see it)
EXPECTED = {
    "anonymous": {name: 302 for name, *_ in ROUTES},
    "agent_dg": {"queue": 200, "case": 200, "reply": 302, "note": 302, "status": 302, "close": 403,
                 "assign": 403, "reveal": 302, "report": 200, "dashboard": 200, "reports": 403,
                 "vacancies": 200, "new_vacancy": 403, "kb": 200, "kb_edit": 403, "users": 403,
                 "merges": 403, "merge": 403, "held": 403, "held_resend": 403,
                 "stations": 200, "new_station": 403, "courses": 200, "new_course": 403,
                 "departures": 200, "new_departure": 403,
                 "subsidies": 200, "subsidy": 403, "publish": 403,
                 "registry": 200, "registry_csv": 403},
    "agent_sz": {"queue": 200, "case": 404, "reply": 404, "note": 404, "status": 404, "close": 404,
                 "assign": 403, "reveal": 404, "report": 404, "dashboard": 200, "reports": 403,
                 "vacancies": 200, "new_vacancy": 403, "kb": 200, "kb_edit": 403, "users": 403,
                 "merges": 403, "merge": 403, "held": 403, "held_resend": 403,
                 "stations": 200, "new_station": 403, "courses": 200, "new_course": 403,
                 "departures": 200, "new_departure": 403,
                 "subsidies": 200, "subsidy": 403, "publish": 403,
                 "registry": 200, "registry_csv": 403},
    "supervisor": {"queue": 200, "case": 200, "reply": 302, "note": 302, "status": 302, "close": 302,
                   "assign": 302, "reveal": 302, "report": 200, "dashboard": 200, "reports": 200,
                   "vacancies": 200, "new_vacancy": 400, "kb": 200, "kb_edit": 400, "users": 403,
                   "merges": 200, "merge": 404, "held": 200, "held_resend": 302,
                   "stations": 200, "new_station": 400, "courses": 200, "new_course": 400,
              "departures": 200, "new_departure": 400, "subsidies": 200, "subsidy": 404, "publish": 302,
              "registry": 200, "registry_csv": 200},
    "admin": {"queue": 200, "case": 200, "reply": 302, "note": 302, "status": 302, "close": 302,
              "assign": 302, "reveal": 302, "report": 200, "dashboard": 200, "reports": 200,
              "vacancies": 200, "new_vacancy": 400, "kb": 200, "kb_edit": 400, "users": 200,
              "merges": 200, "merge": 404, "held": 200, "held_resend": 302,
              "stations": 200, "new_station": 400, "courses": 200, "new_course": 400,
              "departures": 200, "new_departure": 400, "subsidies": 200, "subsidy": 404, "publish": 302,
              "registry": 200, "registry_csv": 200},
}
USERNAMES = {"agent_dg": "dg", "agent_sz": "sz", "supervisor": "lead", "admin": "admin"}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_every_role_on_every_route(bot: Flask, staff: Staff, role: str) -> None:
    expected = EXPECTED[role]
    results = {}
    for name, method, template, form in ROUTES:
        case = file_complaint(bot, f"oAuthz{role}{name}", "东莞")  # a fresh case per route: no order effects
        client = bot.test_client() if role == "anonymous" else signed_in(bot, USERNAMES[role])
        path = template.format(id=case.id)
        if method == "GET":
            resp = client.get(path)
        else:
            token = csrf(client, "/console/login" if role == "anonymous" else "/console/")
            resp = client.post(path, data={**form, "csrf_token": token})
        results[name] = resp.status_code
    assert results == expected


def test_an_unknown_case_id_is_not_found(bot: Flask, staff: Staff) -> None:
    assert signed_in(bot, "admin").get("/console/cases/999999").status_code == 404


def test_create_user_cli_makes_a_working_account(bot: Flask) -> None:
    result = bot.test_cli_runner().invoke(args=["console", "create-user", "boss", "--role", "admin"],
                                          env={"GONGYOU_CONSOLE_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    short = bot.test_cli_runner().invoke(args=["console", "create-user", "weak", "--role", "agent"],
                                         env={"GONGYOU_CONSOLE_PASSWORD": "short"})
    assert short.exit_code != 0 and "at least 10" in short.output
    client = bot.test_client()
    assert login(client, "boss") == 302
    with bot.extensions["gongyou.db"].session() as db:
        user = db.scalar(select(StaffUser).where(StaffUser.username == "boss"))
        assert user is not None and user.password_hash.startswith("$argon2id$")


def test_admin_manages_accounts_in_the_console(bot: Flask, staff: Staff) -> None:
    client = signed_in(bot, "admin")
    token = csrf(client, "/console/users")
    weak = client.post("/console/users", data={"username": "zhao", "password": "short", "role": "agent",
                                               "csrf_token": token})
    assert weak.status_code == 400 and "at least 10" in weak.get_data(as_text=True)
    client.post("/console/users", data={"username": "zhao", "display_name": "赵敏", "password": PASSWORD,
                                        "role": "agent", "regions": "苏州，无锡", "csrf_token": token})
    with bot.extensions["gongyou.db"].session() as db:
        zhao = db.scalar(select(StaffUser).where(StaffUser.username == "zhao"))
        assert zhao is not None and zhao.regions == ["苏州", "无锡"] and zhao.role == "agent"
    assert login(bot.test_client(), "zhao") == 302
    client.post(f"/console/users/{zhao.id}", data={"action": "deactivate", "csrf_token": token})
    assert login(bot.test_client(), "zhao") == 401  # a deactivated account cannot log in
    client.post(f"/console/users/{staff.admin}", data={"action": "deactivate", "csrf_token": token})
    assert "不能停用自己的账号" in client.get("/console/users").get_data(as_text=True)


def test_queue_shows_one_employer_group(bot: Flask, staff: Staff) -> None:
    def report(employer: str) -> None:
        sender = f"oGroup{employer}"
        for said in ("老板欠了我们两个月工资 3个人", employer, "东莞长安 宏达工业园", "三万", "4", "匿名", "1"):
            wechat_say(bot, said, sender)

    report("宏达电子厂")
    report("东莞宏达电子有限公司")
    report("鸿运五金")
    with bot.extensions["gongyou.db"].session() as db:
        group_id = db.scalar(select(Case.group_id).where(Case.group_id.is_not(None)))
    page = signed_in(bot, "dg").get(f"/console/?group={group_id}&status=all").get_data(as_text=True)
    assert page.count("宏达") >= 2 and "鸿运五金" not in page


def test_times_are_shown_in_the_offices_local_time(bot: Flask, staff: Staff) -> None:
    from domain.local_time import local
    from domain.storage.models import Message

    case = file_complaint(bot, "oLocalTime", "东莞")
    page = signed_in(bot, "admin").get(f"/console/cases/{case.id}").get_data(as_text=True)
    with bot.extensions["gongyou.db"].session() as db:
        first = db.scalar(select(Message.created_at).where(Message.worker_id == case.worker_id)
                          .order_by(Message.id).limit(1))
    assert first is not None
    assert f'<span class="when">{local(first):%m-%d %H:%M}</span>' in page  # Beijing time, not UTC
