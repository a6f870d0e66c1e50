"""The console's sessions and accounts as an attacker would try them (issue 12, items 7 and 9):
copied cookies after logout, locked versus unknown names, a number revealed into the cookie, old API
tokens, and an agent reading another region's case in a worker's transcript."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from domain.storage.models import ApiToken, AuditEvent, Case, StaffUser
from tests import test_console
from tests.support.standins import WeChatApiStandIn
from tests.test_console import PASSWORD, Staff, csrf, file_complaint, login, signed_in
from tests.test_wechat_outbound import wechat_app

bot = test_console.bot  # the console tests' fixtures: an app with the WeChat stand-in, four staff accounts
staff = test_console.staff


def copy_of(bot: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding the same session cookie."""
    other = bot.test_client()
    cookie = client.get_cookie("gongyou_console")
    assert cookie is not None
    other.set_cookie("gongyou_console", cookie.value)
    return other


def post(client: FlaskClient, path: str, **form: str):  # type: ignore[no-untyped-def]
    return client.post(path, data={**form, "csrf_token": csrf(client, "/console/")})


def audited(bot: Flask, action: str) -> list[AuditEvent]:
    with bot.extensions["gongyou.db"].session() as db:
        return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_a_cookie_copied_before_logout_stops_working(bot: Flask, staff: Staff) -> None:
    client = signed_in(bot, "lead")
    stolen = copy_of(bot, client)
    assert stolen.get("/console/").status_code == 200
    post(client, "/console/logout")
    assert stolen.get("/console/").status_code == 302


def test_deactivation_and_a_password_reset_end_every_session(bot: Flask, staff: Staff) -> None:
    agent = signed_in(bot, "dg")
    admin = signed_in(bot, "admin")
    reset = post(admin, f"/console/users/{staff.agent_dg}", action="reset", password="a-new-password-1")
    assert reset.status_code == 302
    assert agent.get("/console/").status_code == 302
    assert login(bot.test_client(), "dg", "a-new-password-1") == 302
    sz = signed_in(bot, "sz")
    post(admin, f"/console/users/{staff.agent_sz}", action="deactivate")
    assert sz.get("/console/").status_code == 302
    assert [e.target for e in audited(bot, "password_changed")] == ["dg"]
    assert [e.target for e in audited(bot, "user_deactivate")] == ["sz"]


def test_staff_change_their_own_password(bot: Flask, staff: Staff) -> None:
    client = signed_in(bot, "lead")
    elsewhere = signed_in(bot, "lead")
    wrong = post(client, "/console/password", current_password="not it", new_password="x" * 12,
                 repeat_password="x" * 12)
    assert wrong.status_code == 400 and "现在的密码不对" in wrong.get_data(as_text=True)
    done = post(client, "/console/password", current_password=PASSWORD, new_password="brand-new-pass",
                repeat_password="brand-new-pass")
    assert done.status_code == 302
    assert client.get("/console/").status_code == 200  # this session goes on
    assert elsewhere.get("/console/").status_code == 302  # the others end
    assert login(bot.test_client(), "lead", "brand-new-pass") == 302


def test_locked_and_unknown_names_answer_alike_and_failures_are_audited(bot: Flask, staff: Staff) -> None:
    client = bot.test_client()
    for _ in range(5):
        login(client, "dg", "wrong password")
    token = csrf(client)
    locked = client.post("/console/login", data={"username": "dg", "password": PASSWORD, "csrf_token": token})
    unknown = client.post("/console/login", data={"username": "nobody", "password": PASSWORD, "csrf_token": token})
    assert locked.status_code == unknown.status_code == 401
    assert locked.get_data(as_text=True) == unknown.get_data(as_text=True)
    with bot.extensions["gongyou.db"].session() as db:  # the wait is short and grows; after it, the owner gets in
        db.execute(update(StaffUser).where(StaffUser.username == "dg").values(
            locked_until=datetime.now(UTC) - timedelta(seconds=1)))
    assert login(bot.test_client(), "dg") == 302
    assert len(audited(bot, "login_failed")) == 7


def test_the_address_limit_counts_the_real_client_behind_a_trusted_proxy(
    app_factory: Callable[..., Flask], rasa_url: str, wechat_api: WeChatApiStandIn
) -> None:
    from console.auth import ADDRESS_LIMIT, create_user

    app = wechat_app(app_factory, rasa_url, wechat_api, trusted_proxy_count=1)
    with app.extensions["gongyou.db"].session() as db:
        create_user(db, "office", PASSWORD, "agent", ["东莞"])
    guesser = app.test_client()
    guesser.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.5"
    for _ in range(ADDRESS_LIMIT):
        login(guesser, "nobody", "guess")
    assert login(guesser, "office") == 429
    colleague = app.test_client()  # the same proxy, another desk
    colleague.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.6"
    assert login(colleague, "office") == 302


def test_a_revealed_number_never_enters_the_cookie(bot: Flask, staff: Staff) -> None:
    case = file_complaint(bot, "oReveal01", "东莞")
    client = signed_in(bot, "dg")
    resp = post(client, f"/console/cases/{case.id}/reveal")
    cookie = client.get_cookie("gongyou_console")
    assert cookie is not None
    session = bot.session_interface.get_signing_serializer(bot).loads(cookie.value)  # type: ignore[attr-defined]
    assert "13800138000" not in str(session) and "8000" not in str(session)
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "13800138000" in page  # shown once …
    assert "13800138000" not in client.get(f"/console/cases/{case.id}").get_data(as_text=True)  # … not kept


def test_expired_and_revoked_api_tokens_are_refused(bot: Flask, staff: Staff) -> None:
    runner = bot.test_cli_runner()
    issued = runner.invoke(args=["console", "create-token", "lead", "integration", "--days", "30"])
    token = issued.output.strip().splitlines()[-1]
    headers = {"Authorization": f"Bearer {token}"}
    assert bot.test_client().get("/api/cases", headers=headers).status_code == 200
    with bot.extensions["gongyou.db"].session() as db:
        db.execute(update(ApiToken).values(expires_at=datetime.now(UTC) - timedelta(minutes=1)))
    assert bot.test_client().get("/api/cases", headers=headers).status_code == 401
    with bot.extensions["gongyou.db"].session() as db:
        db.execute(update(ApiToken).values(expires_at=datetime.now(UTC) + timedelta(days=1)))
    revoked = runner.invoke(args=["console", "revoke-token", "lead", "integration"])
    assert revoked.exit_code == 0 and "revoked 1" in revoked.output
    assert bot.test_client().get("/api/cases", headers=headers).status_code == 401
    assert [e.action for e in audited(bot, "token_issued") + audited(bot, "token_revoked")] == [
        "token_issued", "token_revoked"]


def test_an_agent_sees_only_the_part_of_a_transcript_about_cases_they_may_see(bot: Flask, staff: Staff) -> None:
    shenzhen = file_complaint(bot, "oTwoCities", "深圳", story="中介收了我900报名费 跑了")
    dongguan = file_complaint(bot, "oTwoCities", "东莞")
    with bot.extensions["gongyou.db"].session() as db:
        db.execute(update(Case).where(Case.id == shenzhen.id).values(employer="鹏城速达劳务"))
    agent_page = signed_in(bot, "dg").get(f"/console/cases/{dongguan.id}").get_data(as_text=True)
    assert dongguan.number in agent_page
    assert shenzhen.number not in agent_page and "鹏城速达劳务" not in agent_page and "900报名费" not in agent_page
    lead_page = signed_in(bot, "lead").get(f"/console/cases/{dongguan.id}").get_data(as_text=True)
    assert "900报名费" in lead_page  # a supervisor sees the whole story
