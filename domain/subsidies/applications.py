"""Workers' subsidy applications: filed with a number (BT000012), one live application per scheme and
year; staff review them (documents missing, approved with an amount, paid, rejected with a reason)
and each change the worker should know of is told them; approved ones go on the office's public list
(公示) once staff publish it, with the name masked (「张*」) as public lists show it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain import places
from domain.crypto import DataCipher
from domain.storage.models import SubsidyApplication
from domain.subsidies.schemes import Scheme, by_key

STATUS_LABEL = {"submitted": "已提交，待审核", "need_more": "需要补材料", "approved": "审核通过，待发放",
                "paid": "已发放", "rejected": "未通过", "withdrawn": "已撤回"}
LIVE = ("submitted", "need_more", "approved", "paid")
ON_THE_LIST = ("approved", "paid")  # what a public list (公示) shows
# A name as people write it: two to four Han characters (a minority name may have 「·」).
NAME = re.compile(r"^[\u4e00-\u9fff]{1,3}(?:·?[\u4e00-\u9fff]{1,4})$")
NAME_SAID = re.compile(r"^(?:我叫|我是|本人|姓名[:：]?|名字[:：]?|叫)?\s*(?P<name>[\u4e00-\u9fff·]{2,8}?)\s*[。.!！]*$")


class ApplicationRefused(Exception):
    """Why an application cannot be taken, in the worker's words."""


@dataclass(frozen=True)
class Applied:
    application: SubsidyApplication
    created: bool  # False: they already had a live application for this scheme this year


def read_name(text: str) -> str | None:
    """「我叫张建国」→ 张建国; None for anything that is not a name alone."""
    said = NAME_SAID.match(text.strip())
    name = said.group("name") if said else ""
    return name if NAME.match(name) and not re.search(r"不|没|知道|名字|姓名|匿名|补贴|申请", name) else None


def mask_name(name: str) -> str:
    """「张建国」→「张**」: the family name only, as a public list shows it."""
    return name[:1] + "*" * max(len(name) - 1, 1)


def start(db: Session, worker_id: int, scheme: Scheme, *, answers: dict[str, str], channel: str,
          year: int) -> SubsidyApplication:
    """A draft application, numbered, while the worker gives their name and home county."""
    if scheme.courses:
        raise ApplicationRefused("免费培训不用单独申请，报名培训班就行")
    row = SubsidyApplication(number=places.stand_in(), worker_id=worker_id, scheme=scheme.key, year=year,
                             channel=channel, answers=dict(answers), status="draft")
    places.give_number(db, row, "BT")
    return row


def open_draft(db: Session, worker_id: int) -> SubsidyApplication | None:
    return db.scalar(select(SubsidyApplication).where(SubsidyApplication.worker_id == worker_id,
                                                      SubsidyApplication.status == "draft")
                     .order_by(SubsidyApplication.id.desc()).limit(1))


def name_given(row: SubsidyApplication, cipher: DataCipher, name: str) -> None:
    row.name_enc, row.name_masked = cipher.encrypt(name), mask_name(name)


def submit(db: Session, row: SubsidyApplication, county: str) -> Applied:
    """The draft filed; when the worker already has a live application for the scheme this year, that
    one is found and the draft dropped (a double tap, or a second try)."""
    mine = live(db, row.worker_id, row.scheme, row.year)
    if mine is not None:
        db.delete(row)
        return Applied(mine, False)
    row.county, row.status = county[:64], "submitted"
    try:
        with db.begin_nested():
            db.flush()
    except IntegrityError:  # filed a moment before by the same worker's other message
        found = live(db, row.worker_id, row.scheme, row.year)
        if found is None:
            raise
        db.delete(row)
        return Applied(found, False)
    return Applied(row, True)


def drop(db: Session, row: SubsidyApplication) -> None:
    if row.status == "draft":
        db.delete(row)


def live(db: Session, worker_id: int, scheme: str, year: int) -> SubsidyApplication | None:
    return db.scalar(select(SubsidyApplication).where(
        SubsidyApplication.worker_id == worker_id, SubsidyApplication.scheme == scheme,
        SubsidyApplication.year == year, SubsidyApplication.status.in_(LIVE)))


def mine(db: Session, worker_id: int) -> list[SubsidyApplication]:
    return list(db.scalars(select(SubsidyApplication).where(SubsidyApplication.worker_id == worker_id)
                           .order_by(SubsidyApplication.id.desc())))


def status_line(row: SubsidyApplication) -> str:
    scheme = by_key(row.scheme)
    name = scheme.name if scheme else row.scheme
    text = f"{row.number} {name}（{row.year}年）：{STATUS_LABEL.get(row.status, row.status)}"
    if row.status in ON_THE_LIST and row.amount:
        text += f"，{row.amount}元"
    if row.status in ("need_more", "rejected") and row.note:
        text += f"。{row.note}"
    return text


def withdraw(db: Session, worker_id: int, number: str) -> SubsidyApplication | None:
    row = db.scalar(select(SubsidyApplication).where(
        SubsidyApplication.worker_id == worker_id, SubsidyApplication.number == number,
        SubsidyApplication.status.in_(("submitted", "need_more"))))
    if row is not None:
        row.status = "withdrawn"
    return row


def record(row: SubsidyApplication, status: str, amount: int = 0, note: str = "") -> str | None:
    """Staff's decision; the worker's notice, or None when nothing changed. An approval needs an
    amount within the scheme's ceiling; documents missing and a rejection need a reason."""
    scheme = by_key(row.scheme)
    if status not in STATUS_LABEL or status == "withdrawn":
        raise ValueError(f"unknown status {status!r}")
    if status in ("need_more", "rejected") and not note.strip():
        raise ApplicationRefused("请写明缺什么材料或不通过的原因，会发给工友")
    if status == "approved":
        if amount <= 0:
            raise ApplicationRefused("审核通过要填金额")
        if scheme is not None and scheme.max_yuan and amount > scheme.max_yuan:
            raise ApplicationRefused(f"金额超过这项补贴的上限（{scheme.max_yuan}元）")
    note = note.strip()[:300]
    if status == row.status and note == row.note and (status != "approved" or amount == row.amount):
        return None
    row.status, row.note = status, note
    if status == "approved":
        row.amount = amount
    name = scheme.name if scheme else "补贴"
    if status == "need_more":
        return f"您的{name}申请（{row.number}）需要补材料：{note}。补齐后带到{_where(scheme)}。"
    if status == "approved":
        return f"您的{name}申请（{row.number}）审核通过，{row.amount}元，发放后会再告诉您。"
    if status == "paid":
        return f"您的{name}（{row.number}）已发放{row.amount}元，请查看本人银行卡或社保卡。没收到请回复「转人工」。"
    if status == "rejected":
        return f"您的{name}申请（{row.number}）没有通过：{note}。有疑问请回复「转人工」。"
    return None


def _where(scheme: Scheme | None) -> str:
    return scheme.where if scheme else "劳务办"


def publish(db: Session, ids: list[int], now: datetime | None = None) -> int:
    """Put approved applications on the public list (公示); how many were added."""
    now = now or datetime.now(UTC)
    rows = db.scalars(select(SubsidyApplication).where(SubsidyApplication.id.in_(ids),
                                                       SubsidyApplication.status.in_(ON_THE_LIST),
                                                       SubsidyApplication.published_at.is_(None))).all()
    for row in rows:
        row.published_at = now
    return len(rows)


def public_list(db: Session, limit: int = 200) -> list[SubsidyApplication]:
    """What the office has published: masked names, county, scheme and amount only."""
    return list(db.scalars(select(SubsidyApplication).where(
        SubsidyApplication.status.in_(ON_THE_LIST), SubsidyApplication.published_at.is_not(None))
        .order_by(SubsidyApplication.published_at.desc(), SubsidyApplication.id).limit(limit)))


COUNTY = re.compile(r"^.{1,12}?(?:县|区|旗|市)")


def county_of(place: str) -> str:
    """The county of a home place as said: 「大宁县」 of 「大宁县曲峨镇某村」 (the whole when none is named)."""
    county = COUNTY.match(place)
    return county.group(0) if county else place


def public_line(row: SubsidyApplication) -> str:
    """A line of the public list: the county, never the village."""
    scheme = by_key(row.scheme)
    county = county_of(row.county) if COUNTY.match(row.county) else ""
    return " ".join(part for part in (row.name_masked, county, scheme.name if scheme else row.scheme,
                                      f"{row.amount}元") if part)
