"""Inspection-ready export: a filed case as the pre-filled, print-friendly report labour inspection
(劳动保障监察) asks for. Personal data shows only where the worker consented and the reader may see it."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from domain.cases.facts import CATEGORY_BY_KEY, TIME_LIMIT, time_limit_applies
from domain.cases.vocabulary import Kind
from domain.crypto import DataCipher
from domain.local_time import local
from domain.messages import CHANNEL_LABEL
from domain.storage.models import Case, CaseGroup, Worker

TITLES: dict[str, str] = {Kind.WAGE_ARREARS: "农民工欠薪投诉登记表", Kind.COMPLAINT: "劳动保障违法行为投诉登记表",
          Kind.HANDOFF: "咨询转办登记表", Kind.FAMILY_HELP: "留守家人帮扶需求登记表"}


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(loader=PackageLoader("domain.cases", "templates"), autoescape=select_autoescape(["html"]))


def reporter(case: Case, worker: Worker | None, cipher: DataCipher, reveal: bool) -> str:
    """Who reported: the pseudonym, unless the worker consented and the reader may see personal data."""
    name = worker.pseudonym if worker else "（未知）"
    if case.anonymous:
        return f"{name}（匿名，不留电话；请通过本平台回复）"
    if reveal and case.consent_share and case.phone_enc:
        return f"{name}　电话：{cipher.decrypt(case.phone_enc)}（本人同意告知）"
    masked = f"　电话：{case.phone_masked}" if case.phone_masked else ""
    return f"{name}{masked}（未同意告知身份，请通过本平台联系）"


def inspection_rows(case: Case, worker: Worker | None, group: CaseGroup | None, cipher: DataCipher,
                    reveal: bool) -> list[tuple[str, str]]:
    d: dict[str, Any] = dict(case.details or {})
    place = f"{d.get('city', '')}{d.get('district', '')}"
    rows = [("投诉人", reporter(case, worker, cipher, reveal))]
    if case.kind == Kind.WAGE_ARREARS:
        rows += [
            ("用人单位", str(d.get("employer") or "不清楚")),
            ("包工头/分包", str(d.get("contractor") or "无或不清楚")),
            ("工程项目或厂址", f"{d.get('site', '')}（{'建设工程' if d.get('construction') else '非建设工程'}）"),
            ("所在地", place or "不清楚"),
            ("负责机构", f"{place or '用工所在地'}劳动保障监察机构"),
            ("用工时间", _dated(d, "period", "未说明")),
            ("欠薪月数", f"{d['months']}个月" if d.get("months") is not None else "不清楚"),
            ("欠薪金额", _figure(d, "amount", "元")),
            ("涉及人数", _figure(d, "people", "人")),
            ("劳动合同", "有" if d.get("contract") else "没有或不清楚"),
            ("证据材料", "、".join([*d.get("evidence", []), *(
                [f"照片或语音{len(d['media'])}份（平台留存）"] if d.get("media") else [])]) or "暂无"),
        ]
    else:
        category = CATEGORY_BY_KEY.get(str(d.get("category") or ""))
        rows += [
            ("问题类别", category.label if category else "其他"),
            ("被投诉单位/中介", str(d.get("employer") or "不清楚")),
            ("所在地", place or "不清楚"),
            ("发生时间", _dated(d, "when", "不清楚", shown="when_dates_shown")),
        ]
        if d.get("amount"):
            rows.append(("涉及金额", f"{d['amount']}元"))
    rows.append(("情况说明", str(d.get("story") or d.get("first") or case.summary or "")))
    if group is not None:
        rows.append(("同一单位其他投诉", f"共{group.cases}份，约{group.workers_total}人，合计{group.amount_total}元"
                                       + (f"（紧急：{group.urgent_reason}）" if group.urgent else "")))
    return rows


def _figure(d: dict[str, Any], name: str, unit: str) -> str:
    if not d.get(name):
        return "不清楚"
    return f"{d[name]}{unit}{'（约数）' if d.get(name + '_approx') else ''}"


def inspection_html(case: Case, worker: Worker | None, group: CaseGroup | None, cipher: DataCipher,
                    reveal: bool = False) -> str:
    return _env().get_template("inspection_report.html").render(
        title=TITLES.get(case.kind, "投诉登记表"),
        case=case,
        filed=f"{local(case.filed_at):%Y-%m-%d %H:%M}" if case.filed_at else "",  # the office's time
        channel=CHANNEL_LABEL.get(case.channel, case.channel),
        rows=inspection_rows(case, worker, group, cipher, reveal),
        warning=TIME_LIMIT if time_limit_applies(dict(case.details or {})) else "",
    )


def _dated(d: dict[str, Any], name: str, missing: str, shown: str = "") -> str:
    """The worker's words and the months they meant when said (「去年10月（2025年10月）」): a report read
    next year must not say 「去年」 alone."""
    words, months = str(d.get(name) or ""), str(d.get(shown or f"{name}_shown") or "")
    if not words:
        return missing
    return f"{words}（{months}）" if months and months != words else words
