"""The console in a real browser: headless Chromium (Debian's package) driven by Playwright.

A supervisor logs in, opens the queue, opens a case a worker filed through the WeChat webhook,
replies (and the reply is an outbound record for that worker), changes the status and logs out.
Screenshots of the queue, the case page and the dashboard go to var/artifacts/. A complaint carrying a
script payload shows as text and runs nothing."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy import select

from console.auth import create_user
from domain.storage.models import Case, OutboundMessage
from tests.support.standins import WeChatApiStandIn, serve
from tests.test_console import PASSWORD, XSS, file_complaint
from tests.test_wechat_outbound import wechat_app

ARTIFACTS = Path(__file__).resolve().parents[1] / "var" / "artifacts"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    path = os.environ.get("GONGYOU_CHROMIUM") or shutil.which("chromium")
    if not path:
        pytest.fail("no Chromium: `make test` installs Debian's chromium (scripts/chromium.sh)", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


@pytest.fixture
def console(app_factory: Callable[..., Flask], rasa_url: str,
            wechat_api: WeChatApiStandIn) -> Iterator[tuple[Flask, str]]:
    bot = wechat_app(app_factory, rasa_url, wechat_api)
    with bot.extensions["gongyou.db"].session() as db:
        create_user(db, "lead", PASSWORD, "supervisor", display_name="李主管")
    with serve(bot) as url:
        yield bot, url


def log_in(page: Page, url: str) -> None:
    page.goto(f"{url}/console/login")
    page.fill("input[name=username]", "lead")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login")
    page.wait_for_selector("table.queue")


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_log_in_work_a_webhook_case_reply_and_log_out(browser: Browser, console: tuple[Flask, str]) -> None:
    bot, url = console
    case = file_complaint(bot, "oBrowser", "东莞")
    page = browser.new_page(locale="zh-CN")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, url)
    assert case.number in page.inner_text("table.queue")
    shot(page, "console-queue.png")

    page.click(f"text={case.number}")
    page.wait_for_selector("#send-reply")
    assert "中介收了我800介绍费" in page.inner_text("main")
    shot(page, "console-case.png")

    page.fill("textarea[name=text]", "您好，已收到，明天上午给您回电话。")
    page.click("#send-reply")
    page.wait_for_selector(".flash.ok")
    assert "回复已发出" in page.inner_text(".flash.ok")
    with bot.extensions["gongyou.db"].session() as db:
        outbound = db.scalar(select(OutboundMessage).where(OutboundMessage.reason == "staff_reply"))
        assert outbound is not None and outbound.worker_id == case.worker_id and outbound.channel == "wechat"
        assert "明天上午给您回电话" in outbound.text

    page.select_option("select[name=status]", "accepted")
    page.fill("input[name=reason]", "材料齐全，已受理")
    page.click("#change-status")
    page.wait_for_selector("text=状态已改为「已受理」")
    with bot.extensions["gongyou.db"].session() as db:
        row = db.get(Case, case.id)
        assert row is not None and row.status == "accepted"
    shot(page, "console-case-after.png")

    page.click("#nav-dashboard")
    page.wait_for_selector("svg.chart")
    assert page.inner_text("#filed") == "1"
    shot(page, "console-dashboard.png")

    page.click("#logout")
    page.wait_for_selector("#login")
    page.goto(f"{url}/console/")
    assert "/console/login" in page.url  # the session is gone
    assert errors == []
    page.close()


def test_script_in_a_complaint_is_shown_as_text_and_never_runs(browser: Browser, console: tuple[Flask, str]) -> None:
    bot, url = console
    case = file_complaint(bot, "oBrowserXss", "东莞", story=f"中介骗钱 {XSS}")
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, url)
    page.goto(f"{url}/console/cases/{case.id}")
    page.wait_for_selector(".story")
    assert XSS in page.inner_text(".story")  # the payload is there, as characters
    assert page.locator(".story img").count() == 0 and page.locator(".story script").count() == 0
    page.wait_for_timeout(300)
    assert dialogs == []  # nothing ran
    page.close()


def test_a_supervisor_deals_with_a_message_no_channel_could_carry(browser: Browser,
                                                                  console: tuple[Flask, str]) -> None:
    bot, url = console
    case = file_complaint(bot, "oBrowserHeld", "东莞")
    bot.extensions["gongyou.outbox"].queue(case.worker_id, "wechat", "您的投诉已转塘厦劳动监察，请留意电话。",
                                           "staff_reply", hold="window closed")
    page = browser.new_page(locale="zh-CN")
    log_in(page, url)
    assert "1条消息没能发到工友手里" in page.inner_text("#held-banner")
    page.click("#held-banner a")
    page.wait_for_selector("tr.held-row")
    row = page.inner_text("tr.held-row")
    assert "您的投诉已转塘厦劳动监察" in row and case.number in row and "微信48小时窗口已过" in row
    shot(page, "console-held.png")
    page.fill("tr.held-row input[name=how]", "已电话告知")
    page.click("tr.held-row >> text=已处理")
    page.wait_for_selector("#no-held")
    assert "已记下，不再发送" in page.inner_text(".flash.ok")
    page.goto(f"{url}/console/cases/{case.id}")
    page.wait_for_selector("ol.transcript")
    assert "已回复" in page.inner_text("ol.transcript")  # each answer says it reached WeChat
    shot(page, "console-case-transcript.png")
    page.close()


def test_a_supervisor_records_a_certificate_and_the_worker_is_told(browser: Browser,
                                                                     console: tuple[Flask, str]) -> None:
    """Issue 16's staff flow: a worker signs up for the welding course by WeChat; the supervisor opens
    培训, the course's roster, records the certificate, and the worker's notice is queued."""
    from domain.messages import Channel
    from tests.support.dialog import Conversation

    bot, url = console
    worker = Conversation(bot.extensions["gongyou.pipeline"], channel=Channel.WECHAT)
    for said in ("想学电焊", "1", "1"):
        worker.say(said)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    log_in(page, url)
    page.click("#nav-courses")
    page.click("text=焊工技能培训")
    page.wait_for_selector("tr.signup-row")
    assert "已报名" in page.inner_text("tr.signup-row")
    page.select_option("tr.signup-row select[name=status]", "certified")
    page.fill("tr.signup-row input[name=certificate_no]", "HG2026-0007")
    page.click("tr.signup-row button")
    page.wait_for_selector("p.flash.ok")
    assert "已通知工友" in page.inner_text("p.flash.ok")
    assert "已结业，证书已发" in page.inner_text("tr.signup-row")
    shot(page, "console-course-roster.png")
    page.click("#nav-stations")
    page.wait_for_selector("table.queue")
    assert "示例县驻深圳劳务联络处" in page.inner_text("table.queue")
    shot(page, "console-stations.png")
    with bot.extensions["gongyou.db"].session() as db:
        notice = db.scalar(select(OutboundMessage.text).where(OutboundMessage.reason == "notification"))
    assert notice is not None and "HG2026-0007" in notice


def test_a_supervisor_approves_a_subsidy_on_a_phone_sized_screen(browser: Browser,
                                                                  console: tuple[Flask, str]) -> None:
    """Issue 16: a worker applies for the transport subsidy by WeChat; the supervisor opens 补贴 on a
    phone-sized screen, opens the application (the name shown only there), approves 800 yuan, and
    the worker's notice is queued; the registry page lists a registered worker masked."""
    from domain.messages import Channel
    from tests.support.dialog import Conversation

    bot, url = console
    worker = Conversation(bot.extensions["gongyou.pipeline"], channel=Channel.WECHAT)
    for said in ("交通补助怎么申请", "是", "是", "1", "张建国", "大宁县曲峨镇"):
        worker.say(said)
    for said in ("实名登记", "同意", "李娟", "吉县屯里镇", "深圳", "没有", "电子厂普工", "不用", "1"):
        Conversation(bot.extensions["gongyou.pipeline"], channel=Channel.WECHAT, user_id="oRegistered").say(said)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    log_in(page, url)
    page.click("#nav-subsidies")
    page.wait_for_selector("tr.application-row")
    assert "张**" in page.inner_text("tr.application-row") and "张建国" not in page.content()
    shot(page, "console-subsidies.png")
    page.click("tr.application-row a")
    page.wait_for_selector("#applicant")
    assert page.inner_text("#applicant") == "张建国"
    page.select_option("#decision", "approved")
    page.fill("#amount", "800")
    page.click("#decide")
    page.wait_for_selector("p.flash.ok")
    assert "已通知工友" in page.inner_text("p.flash.ok") and "审核通过，待发放" in page.inner_text("#status")
    shot(page, "console-subsidy.png")
    page.click("#nav-registry")
    page.wait_for_selector("tr.registry-row")
    assert "李*" in page.inner_text("tr.registry-row") and "深圳 1" in page.inner_text("#counts")
    shot(page, "console-registry.png")
    with bot.extensions["gongyou.db"].session() as db:
        notice = db.scalar(select(OutboundMessage.text).where(OutboundMessage.reason == "notification"))
    assert notice is not None and "审核通过，800元" in notice
