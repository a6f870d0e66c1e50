"""Vacancy lookup with filters, widening, alerts and file import — through the real /wechat webhook,
Rasa, PostgreSQL, Redis, the RQ worker and a stand-in of WeChat's API server."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from openpyxl import Workbook
from sqlalchemy import delete, func, select

from domain.storage.models import Vacancy, VacancyAlert
from domain.vacancies.query import VacancyQuery, nearby_cities, read_query, related_trades, widenings
from tests.conftest import WECHAT_TOKEN
from tests.support.dialog import Conversation
from tests.support.standins import WeChatApiStandIn
from tests.support.wechat import signed_query, text_xml
from tests.test_wechat_outbound import run_jobs, wechat_app

HEADER = ["编号", "单位名称", "岗位名称", "工种", "行业", "城市", "区县", "招聘人数", "用工形式", "工资下限",
          "工资上限", "计薪方式", "包吃住", "年龄下限", "年龄上限", "性别", "条件要求", "联系人", "联系电话",
          "信息来源", "发布日期", "有效期至"]


def row(ref: str, city: str = "东莞", job: str = "普工", pay: tuple[int, int] = (5500, 6500), board: str = "是",
        unit: str = "月", days_left: int = 30, title: str = "") -> list[str]:
    today = date.today()
    return [ref, f"东莞{ref}电子有限公司", title or f"{job}{ref}", job, "电子", city, "", "20", "长期", str(pay[0]),
            str(pay[1]), unit, board, "18", "45", "不限", "两班倒", "王主管", "0769-8888xxxx", "东莞市公共就业服务中心",
            (today - timedelta(days=10)).isoformat(), (today + timedelta(days=days_left)).isoformat()]


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        csv.writer(fh).writerows([HEADER, *rows])
    return path


@pytest.fixture
def cleanup(app: Flask) -> Iterator[None]:
    """Imported test vacancies (refs TST…) are removed afterwards: the demo data stays as it was."""
    yield
    with app.extensions["gongyou.db"].session() as db:
        db.execute(delete(Vacancy).where(Vacancy.ref.like("TST%")))


def import_file(app: Flask, path: Path, *flags: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["vacancies", "import", str(path), *flags])


def count_test_vacancies(app: Flask) -> int:
    with app.extensions["gongyou.db"].session() as db:
        return db.scalar(select(func.count()).select_from(Vacancy).where(Vacancy.ref.like("TST%"))) or 0


# --- reading what the worker asks -----------------------------------------------------------------

@pytest.mark.parametrize(("text", "salary", "expected"), [
    ("东莞有没有包吃住的普工 工资5000以上", None, {"board_lodging": True, "min_monthly_pay": 5000}),
    ("深圳 日结200以上", None, {"daily": True, "min_monthly_pay": 5200, "pay_per_day": True}),  # 26 days
    ("新疆拾花", None, {"province": "新疆"}),
    ("找个管吃住的活 我45岁", None, {"board_lodging": True, "age": 45}),
    ("苏州普工 月薪6000", 6000, {"min_monthly_pay": 6000}),
    ("我是女的 找保洁", None, {"gender": "女"}),
    ("找工作 电话13800138000", None, {}),  # a phone number is not a pay wish
])
def test_query_read_from_the_workers_words(text: str, salary: int | None, expected: dict[str, object]) -> None:
    q = read_query(text, None, None, salary)
    for key, value in expected.items():
        assert getattr(q, key) == value, key
    if "min_monthly_pay" not in expected:
        assert q.min_monthly_pay is None


def test_widening_goes_nearby_then_related_trades() -> None:
    assert "深圳" in nearby_cities("东莞") and "东莞" not in nearby_cities("东莞")
    assert related_trades("普工")[:2] == ("操作工", "装配工")
    steps = list(widenings(VacancyQuery(city="东莞", job_type="保安")))
    assert steps[0].note == ""
    assert steps[1].query.cities and "广东其他城市" in steps[1].note
    assert steps[2].query.job_types and "相近的工种" in steps[2].note
    assert steps[3].query.cities and steps[3].query.job_types


# --- the whole thing through WeChat ---------------------------------------------------------------

def wechat_say(app: Flask, text: str, sender: str) -> str:
    resp = app.test_client().post("/wechat", query_string=signed_query(WECHAT_TOKEN),
                                  data=text_xml(text, sender=sender))
    assert resp.status_code == 200
    resp.close()  # as a WSGI server does once the reply is written (the transcript marks it replied)
    if resp.data == b"success":  # WeChat's "nothing to say" (e.g. while staff have the conversation)
        return ""
    return ET.fromstring(resp.data).findtext("Content") or ""


def listed(answer: str) -> list[str]:
    return [line for line in answer.splitlines() if "｜" in line]


def test_filtered_search_pages_details_and_an_alert_that_fires_once(
    app_factory: Callable[..., Flask], rasa_url: str, wechat_api: WeChatApiStandIn, tmp_path: Path, app: Flask,
    cleanup: None,
) -> None:
    seed = write_csv(tmp_path / "dongguan.csv", [
        row("TST01"), row("TST02", pay=(5000, 6000)), row("TST06", pay=(5800, 7000)),
        row("TST08"), row("TST09", pay=(6000, 8000)), row("TST10"),
        row("TST03", pay=(4200, 4800)),  # pays too little
        row("TST04", board="否", pay=(6000, 7000)),  # no board and lodging
        row("TST05", days_left=-2),  # expired
        row("TST07", unit="天", pay=(150, 180)),  # 180 a day is 4680 a month
    ])
    bot = wechat_app(app_factory, rasa_url, wechat_api)
    result = import_file(bot, seed)
    assert result.exit_code == 0, result.output
    assert "imported 10 new" in result.output

    first = wechat_say(bot, "东莞有没有包吃住的普工 工资五千以上", "oJobSeeker")
    assert "共7个岗位（第1-5个）" in first and "回复0看更多" in first
    lines = listed(first)
    assert len(lines) == 5
    assert all("东莞" in line and "包吃住" in line for line in lines)
    for ref in ("TST03", "TST04", "TST05", "TST07"):
        assert ref not in first
    assert "6 有新岗位通知我" in first

    second = wechat_say(bot, "0", "oJobSeeker")
    assert "（第6-7个）" in second and len(listed(second)) == 2
    assert not set(listed(second)) & set(lines)

    detail = wechat_say(bot, "1", "oJobSeeker")
    assert "【" in detail and "联系：" in detail and "东莞" in detail and "包吃住：是" in detail

    subscribed = wechat_say(bot, "有新岗位通知我", "oJobSeeker")
    assert "东莞·普工·包吃住·5000元以上" in subscribed and "取消订阅" in subscribed

    fresh = write_csv(tmp_path / "new.csv", [row("TST11", title="五金厂普工"), row("TST12", city="广州")])
    result = import_file(bot, fresh)
    assert result.exit_code == 0 and "alerts: 1 notice(s) queued" in result.output
    run_jobs(bot)
    (notice,) = wechat_api.sent
    assert notice["touser"] == "oJobSeeker"
    assert "五金厂普工" in notice["text"]["content"] and "取消订阅" in notice["text"]["content"]

    later = write_csv(tmp_path / "later.csv", [row("TST13")])
    assert "alerts: 0 notice(s)" in import_file(bot, later).output  # once a day at most
    run_jobs(bot)
    assert len(wechat_api.sent) == 1

    stopped = wechat_say(bot, "取消订阅", "oJobSeeker")
    assert "已取消" in stopped and "东莞·普工" in stopped
    with bot.extensions["gongyou.db"].session() as db:
        assert db.scalar(select(func.count()).select_from(VacancyAlert)
                         .where(VacancyAlert.cancelled_at.is_(None))) == 0


def test_nothing_in_the_city_widens_to_the_province_and_says_so(app: Flask, conversation) -> None:  # type: ignore[no-untyped-def]
    answer = conversation.say("东莞 保安")
    assert "东莞暂时没有保安" in answer and "广东其他城市" in answer
    assert all("东莞" not in line for line in listed(answer)) and any("深圳" in line for line in listed(answer))


def test_nothing_anywhere_offers_an_alert(app: Flask, conversation) -> None:  # type: ignore[no-untyped-def]
    answer = conversation.say("兰州 月嫂")
    assert "暂时没有兰州·月嫂的岗位" in answer and "1 有新岗位通知我" in answer
    assert "好的" in conversation.say("1") and "兰州·月嫂" in conversation.transcript[-1][1]


# --- import ----------------------------------------------------------------------------------------

def test_bad_rows_are_reported_by_line_and_nothing_is_imported(app: Flask, tmp_path: Path, cleanup: None) -> None:
    bad_pay = row("TST22")
    bad_pay[10] = "六千"  # 工资上限 not a number
    bad_city = row("TST23", city="火星")
    bad_date = row("TST25")
    bad_date[21] = "下个月"
    path = write_csv(tmp_path / "bad.csv", [row("TST21"), bad_pay, bad_city, row("TST24"), bad_date])

    result = import_file(app, path)
    assert result.exit_code != 0
    assert "第3行" in result.output and "工资上限" in result.output
    assert "第4行" in result.output and "火星" in result.output
    assert "第6行" in result.output and "有效期至" in result.output
    assert "第2行" not in result.output and "第5行" not in result.output
    assert "3 bad row(s) of 5: nothing imported" in result.output
    assert count_test_vacancies(app) == 0

    result = import_file(app, path, "--skip-bad")
    assert result.exit_code == 0
    assert "imported 2 new" in result.output and "skipped 3 bad row(s)" in result.output
    assert count_test_vacancies(app) == 2

    again = import_file(app, path, "--skip-bad")  # the same file again updates, never duplicates
    assert "imported 0 new, updated 2" in again.output and count_test_vacancies(app) == 2


def test_xlsx_and_gbk_csv_import(app: Flask, tmp_path: Path, cleanup: None) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(row("TST31", city="鹏城"))  # an alias: stored under the city's name
    xlsx = tmp_path / "vacancies.xlsx"
    book.save(xlsx)
    assert import_file(app, xlsx).exit_code == 0
    gbk = write_csv(tmp_path / "gbk.csv", [row("TST32", job="操作工")], encoding="gb18030")
    assert import_file(app, gbk).exit_code == 0
    with app.extensions["gongyou.db"].session() as db:
        cities = dict(db.execute(select(Vacancy.ref, Vacancy.city).where(Vacancy.ref.like("TST%"))).all())
        trade = db.scalar(select(Vacancy.job_type).where(Vacancy.ref == "TST32"))
    assert cities == {"TST31": "深圳", "TST32": "东莞"}
    assert trade == "普工"  # 操作工 is a synonym of 普工


def test_unreadable_files_are_refused_clearly(app: Flask, tmp_path: Path) -> None:
    missing = tmp_path / "cols.csv"
    missing.write_text("单位名称,岗位名称\n某厂,普工\n", encoding="utf-8")
    result = import_file(app, missing)
    assert result.exit_code != 0 and "缺少列" in result.output and "工资上限" in result.output
    other = tmp_path / "list.txt"
    other.write_text("x", encoding="utf-8")
    assert "只支持" in import_file(app, other).output


def test_alert_notice_fits_two_sms_segments() -> None:
    from domain.vacancies.alerts import notice_text

    best = Vacancy(title="电子厂普工(包吃住)", city="东莞", district="长安镇", pay_min=5500, pay_max=7000,
                   pay_unit="month", board_lodging=True)
    text = notice_text("东莞·普工·包吃住·5000元以上", best, 12)
    assert len(text) <= 134 and "12个" in text


def test_a_refinement_keeps_the_city_of_the_search_just_made(conversation: Conversation) -> None:
    first = conversation.say("深圳")
    assert "深圳" in first
    refined = conversation.say("有没有日结的")
    # 深圳 is still the search: its day-rate jobs, or — when it has none — said so, widened within 广东
    assert refined.splitlines()[0].startswith("深圳"), refined
    assert "武汉" not in refined, refined


def test_a_shared_location_is_the_default_city(app: Flask) -> None:
    from tests.support.wechat import media_xml

    location = media_xml("location", sender="oLocated01", Location_X="22.55", Location_Y="113.88", Scale="15",
                         Label="广东省深圳市宝安区")
    shared = app.test_client().post("/wechat", query_string=signed_query(WECHAT_TOKEN), data=location)
    assert "已记下您在深圳" in (ET.fromstring(shared.data).findtext("Content") or "")
    answer = wechat_say(app, "有什么活", "oLocated01")
    assert "深圳" in answer.splitlines()[0] and "哪个城市" not in answer, answer
