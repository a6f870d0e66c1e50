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
from domain.subsidies.schemes import Scheme, by_key, provinces_named

STATUS_LABEL = {"submitted": "已提交，待审核", "need_more": "需要补材料", "approved": "审核通过，待发放",
                "paid": "已发放", "rejected": "未通过", "withdrawn": "已撤回"}
LIVE = ("submitted", "need_more", "approved", "paid")
ON_THE_LIST = ("approved", "paid")  # what a public list (公示) shows
# A name as people write it: two to four Han characters (a minority name may have 「·」).
NAME = re.compile(r"^[\u4e00-\u9fff]{1,3}(?:·?[\u4e00-\u9fff]{1,4})$")  # 2-4 Han characters, or with 「·」


class ApplicationRefused(Exception):
    """Why an application cannot be taken, in the worker's words."""


@dataclass(frozen=True)
class Applied:
    application: SubsidyApplication
    created: bool  # False: they already had a live application for this scheme this year


def read_name(text: str) -> str | None:
    """「我叫张建国」「赵 赵春生」「孙桂兰 孙悟空的孙」→ the name; None for anything that is not one (「唔想讲」
    「就叫我老马吧」「一定要真名吗」)."""
    said = re.sub(r"^(?:那个|就是|嗯+|呃|好的?|行)[\s，,]*", "", text.strip())
    named = re.search(r"(?:我|俺)?姓.{1,2}[\s，,]*(?:叫|名叫|全名)(?P<name>[\u4e00-\u9fff·]{2,8})", said)
    if named:  # 「我姓王 叫王大力」
        said = named.group("name")
    said = NAME_SAID.sub("", said)
    said = re.sub(r"[嘞哈啊呀哦喔咯了嘛]+(?=$|[\s，,。])", "", said)
    tokens = [t for t in re.split(r"[\s，,。.!！、]+", said) if t]
    if not tokens or NOT_A_NAME.search(said) or NOT_A_NAME.search(text):
        return None
    # 「赵 赵春生」: a family name said first; 「孙桂兰 孙悟空的孙」: how it is written, said after
    if len(tokens) > 1 and len(tokens[0]) == 1 and tokens[1].startswith(tokens[0]):
        tokens = tokens[1:]
    first = tokens[0]
    if not NAME.match(first) or PLACE_END.search(first):
        return None
    if provinces_named(first):  # 「江苏」 is a place
        return None
    family = first[:2] if first[:2] in COMPOUND_SURNAMES else first[:1]
    return first if family in SURNAMES or family in COMPOUND_SURNAMES or "·" in first else None


NAME_SAID = re.compile(r"^(?:我叫|俺叫|我是|俺是|本人|姓名[:：]?|名字[:：]?|名字叫|真名(?:是|叫)?|大名|叫|我个名叫|"
                       r"我叫做)\s*")
NOT_A_NAME = re.compile(r"不|没|唔|冇|不想|我想|讲|说|吗|吧|呢|要|叫我|干啥|为啥|什么|啥|匿名|补贴|申请|就行|就好|"
                        r"网名|外号|进度|工作|工资|包吃住|师傅|老板|荣耀|你好|菜单|取消|查询|登记|"
                        r"老[马张李王刘陈]$")
PLACE_END = re.compile(r"[省市县区镇乡村屯]$")
# Family names, so that 「好的」「找工作」「你好」 are not taken for a name (the common ones; a rarer one is
# asked again and the worker can still go on with a person's help).
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛"
    "邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝"
    "路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂"
    "全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕"
    "楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈"
    "晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉"
    "冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由")
COMPOUND_SURNAMES = frozenset({"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
                               "司徒", "夏侯", "令狐", "端木", "独孤", "南宫", "西门", "百里", "呼延"})


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


# What staff may record after each status (a withdrawn or rejected application is closed; a new one is filed).
STEPS = {"submitted": ("need_more", "approved", "rejected"), "need_more": ("need_more", "approved", "rejected"),
         "approved": ("approved", "paid", "rejected"), "paid": (), "rejected": (), "withdrawn": ()}
MOST_YUAN = 100_000  # no subsidy here pays more to one person; a typo of staff's is caught


def record(row: SubsidyApplication, status: str, amount: int = 0, note: str = "",
           now: datetime | None = None) -> str | None:
    """Staff's decision; the worker's notice, or None when nothing changed. Only the next steps of the
    application's status; an approval needs an amount within the scheme's ceiling, a payment an amount
    (the approved one when none is given); documents missing and a rejection need a reason."""
    scheme = by_key(row.scheme)
    if status not in STATUS_LABEL or status == "withdrawn":
        raise ValueError(f"unknown status {status!r}")
    if status not in STEPS.get(row.status, ()):
        now_is = STATUS_LABEL.get(row.status, row.status)
        raise ApplicationRefused(f"这份申请现在是「{now_is}」，不能改成「{STATUS_LABEL[status]}」")
    if status in ("need_more", "rejected") and not note.strip():
        raise ApplicationRefused("请写明缺什么材料或不通过的原因，会发给工友")
    if status in ("approved", "paid"):
        amount = amount or row.amount
        if amount <= 0:
            raise ApplicationRefused("请填金额")
        ceiling = scheme.max_yuan if scheme is not None and scheme.max_yuan else MOST_YUAN
        if amount > ceiling:
            raise ApplicationRefused(f"金额超过这项补贴的上限（{ceiling}元）")
    note = note.strip()[:300]
    if status == row.status and note == row.note and (status != "approved" or amount == row.amount):
        return None
    row.status, row.note = status, note
    if status in ("approved", "paid"):
        row.amount = amount
    if status == "paid":
        row.paid_at = now or datetime.now(UTC)
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


COUNTY = re.compile(r"[^省市县区旗\s]{1,6}?(?:县|区|旗)")
CITY = re.compile(r"[^省市县区旗\s]{1,6}?市")


def county_of(place: str) -> str:
    """The county of a home place as said: 「大宁县」 of 「大宁县曲峨镇某村」, 「临汾市大宁县」 and 「山西省大宁县」;
    the city when no county is named (「侯马市」); the whole when neither is."""
    county = COUNTY.search(place) or CITY.search(place)
    return county.group(0) if county else place


def public_line(row: SubsidyApplication) -> str:
    """A line of the public list: the county, never the village."""
    scheme = by_key(row.scheme)
    county = county_of(row.county) if (COUNTY.search(row.county) or CITY.search(row.county)) else ""
    return " ".join(part for part in (row.name_masked, county, scheme.name if scheme else row.scheme,
                                      f"{row.amount}元") if part)
