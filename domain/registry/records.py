"""A worker's real-name registration: what is asked, how each answer is read, and the ledger staff
search and export (who went where, in which trade, for which employer), with the counts the seeds ask
for by destination and trade. Names are encrypted and shown masked; every export is the caller's to audit."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.crypto import DataCipher
from domain.storage.models import Registration
from domain.subsidies.applications import county_of, mask_name, read_name

# 「没有」「还没找」「不用了」 said first (「没有 打零工」「不用了 岁数大了学不进去」), or said anywhere in other words
NOT_SET = re.compile(r"^(?:没有|没|无|不知道|不清楚|还没有?|还没定|没定|未定|不用了?|不想学?|不用学|不要|不学|算了|"
                     r"跳过|暂时没有|还没找|没想好|冇|唔知|木有|还木有|莫得|莫有|没得|唔使|唔洗|没兴趣|没啥|啥也没有|还在找)"
                     r"[了啊呢的吧喇啦。.!！\s]*$")
NOTHING_SAID = re.compile(r"没固定单位|还在找|揾紧|打零工|零活|啥也不会|啥都不会|乜都唔识|没啥手艺|没手艺|不会啥|"
                          r"出力气|没兴趣|学不进去|学不动|学不会|没空|没时间|顾不上|岁数大|年纪大|老了|不识字|"
                          r"未定|没定|没想好|唔知去边|不知道去哪|还没找|还在家|在家呢|过完年|过了年|年后再|还没出去|没出门|"
                          r"看情况|再说吧?$")
WANTS = re.compile(r"(?<![不没])(?:想学|要学)|学个|学点|学门|(?<![不没])想去学|报个|学.{1,6}吧")
HAS_MORE = re.compile(r"会|能|做|当|看|开|修|焊|去")  # 「年纪大了 看大门」「不会啥 就会开车」: something after all
DONT_KNOW = re.compile(r"不记得|不想说|不想讲|唔想讲|问这个|干啥|干嘛|唔知|不知道|不清楚|不晓得|为啥|为什么|"
                       r"本地的?$|保密")
FILLER = re.compile(r"^(?:那个|就是|嗯+|啊|呃|额|这个)\s*")
HOME_PLACE = re.compile(r"[省市县区旗镇乡村屯组]")
HOME_SAID = re.compile(r"^(?:老家在|老家是|我家在|俺家在|咱家在|我家是|俺家是|家在|俺是|我是|就是|老家|是|在)"
                       r"\s*")
NOT_A_PLACE = re.compile(r"工作|找活|的活|有活|招人|工资|欠|进度|补贴|吗|么|[？?]|怎么|咋|多少|你好|谢谢|取消|菜单")
def not_a_place(said: str) -> bool:
    """「找工作」「有没有包吃住的活」 asked where home is: no place named, and words of something else."""
    return NOT_A_PLACE.search(said) is not None and HOME_PLACE.search(said) is None


WORDS = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]{2}")


@dataclass(frozen=True)
class Question:
    key: str
    label: str  # in the summary and the 「修改」 list
    ask: str
    optional: bool = False  # 「没有」「不用」 is an answer


QUESTIONS: tuple[Question, ...] = (
    Question("name", "姓名", "请回复您的姓名（加密保存，列表里只显示姓）："),
    Question("home", "老家", "老家在哪个县、乡镇、村？比如「大宁县曲峨镇东村」。"),
    Question("destination", "务工地", "现在在哪个城市打工（或打算去哪）？还没定就说「没定」。", optional=True),
    Question("employer", "单位", "在哪个单位或工地干？还没有就说「没有」。", optional=True),
    Question("trade", "工种和手艺", "干什么工种、会什么手艺？比如「电焊 会看图纸」。没有就说「没有」。", optional=True),
    Question("training_wish", "想学的技术", "想学什么技术吗？劳务办有免费培训时会通知您。不想就说「不用」。",
             optional=True),
)
BY_KEY = {q.key: q for q in QUESTIONS}


def read(key: str, text: str, city: str | None = None) -> str | None:
    """The answer to one question as it is kept, "" for an optional 「没有」, None when it is no answer."""
    said = re.sub(r"\s+", " ", text).strip(" ，,。.!！")
    if not said or len(said) > 60:
        return None
    if key == "name":
        return read_name(said)
    said = FILLER.sub("", said)
    if not WORDS.search(said):  # 「？？」「...」: no words at all
        return None
    first = re.split(r"[\s，,。.!！、]+", said)[0]
    wants = key == "training_wish" and WANTS.search(said) is not None
    named = key == "destination" and bool(city)  # 「过完年去深圳」: a city named wins
    rest = said[len(first):]
    said_nothing = BY_KEY[key].optional and NOTHING_SAID.search(first) is not None and not HAS_MORE.search(rest)
    if not wants and not named and (NOT_SET.match(said) or NOT_SET.match(first) or said_nothing):
        return "" if BY_KEY[key].optional else None
    if key == "home":
        said = HOME_SAID.sub("", said) or said  # 「是永和县桑壁镇」「俺家在吉县」: the place
        if DONT_KNOW.search(said) or not_a_place(said):  # 「找工作」 is no home
            return None
        return said[:64] if HOME_PLACE.search(said) or len(said) <= 8 else None
    if key == "destination":
        return (city or said)[:32] if city or len(said) <= 12 else None
    return said[:64 if key != "employer" else 128]


def start(db: Session, worker_id: int, now: datetime | None = None) -> Registration:
    """The worker's record with their consent: a draft on the first registration, their record to update later."""
    row = mine(db, worker_id)
    if row is None:
        row = Registration(worker_id=worker_id, status="draft")
        db.add(row)
    row.consented_at = now or datetime.now(UTC)
    db.flush()
    return row


def mine(db: Session, worker_id: int) -> Registration | None:
    return db.scalar(select(Registration).where(Registration.worker_id == worker_id))


def put(row: Registration, cipher: DataCipher, key: str, value: str) -> None:
    if key == "name":
        row.name_enc, row.name_masked = cipher.encrypt(value), mask_name(value)
    elif key == "home":
        row.home, row.county = value, county_of(value)[:32]
    else:
        setattr(row, key, value)


def shown(row: Registration, key: str) -> str:
    """An answer as the worker reads it back: the name masked, 「未填」 for nothing."""
    value = row.name_masked if key == "name" else str(getattr(row, key) or "")
    return value or "未填"


def missing(row: Registration, answered: set[str]) -> Question | None:
    """The next question not yet answered: ``answered`` holds those answered 「没有」 in this conversation
    (a value kept answers it too, so a draft resumed from the database asks only what is empty)."""
    done = answered | {q.key for q in QUESTIONS if (row.name_enc if q.key == "name" else getattr(row, q.key))}
    return next((q for q in QUESTIONS if q.key not in done), None)


@dataclass(frozen=True)
class Filters:
    county: str = ""
    destination: str = ""
    trade: str = ""
    q: str = ""  # employer or trade words


def ledger(db: Session, f: Filters, regions: list[str] | None = None, limit: int = 500) -> list[Registration]:
    """Active registrations, newest first; ``regions`` (when not None) limits them to the workers whose
    home county or destination is one of them (an empty list: none)."""
    stmt = select(Registration).where(Registration.status == "active")
    if regions is not None:
        stmt = stmt.where(Registration.county.in_(regions) | Registration.destination.in_(regions))
    if f.county:
        stmt = stmt.where(Registration.county == f.county)
    if f.destination:
        stmt = stmt.where(Registration.destination == f.destination)
    if f.trade:
        stmt = stmt.where(Registration.trade.contains(f.trade))
    if f.q:
        stmt = stmt.where(Registration.employer.contains(f.q) | Registration.trade.contains(f.q))
    return list(db.scalars(stmt.order_by(Registration.updated_at.desc()).limit(limit)))


def counts(rows: list[Registration]) -> dict[str, Counter[str]]:
    """People registered by destination and by trade (the seeds' monthly figures)."""
    return {"destination": Counter(r.destination or "未定" for r in rows),
            "trade": Counter((r.trade.split(" ")[0] if r.trade else "未填") for r in rows)}


CSV_HEADER = ("姓名", "老家", "县", "务工地", "单位", "工种和手艺", "想学的技术", "登记时间", "更新时间")


def csv_row(row: Registration) -> tuple[str, ...]:
    """A line of the export; the worker's own words never start a spreadsheet formula (「=HYPERLINK(…)」)."""
    cells = (row.name_masked, row.home, row.county, row.destination, row.employer, row.trade, row.training_wish,
             f"{row.created_at:%Y-%m-%d}", f"{row.updated_at:%Y-%m-%d}")
    return tuple(f"'{c}" if c.startswith(FORMULA_START) else c for c in cells)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
