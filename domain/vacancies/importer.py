"""Import vacancies from CSV or XLSX files as public employment offices publish them.

Every row is validated first; a file with bad rows imports nothing (each bad row reported with its
line number) unless the caller asks to skip them. The good rows go in one transaction: a file is
never half-imported. Re-importing a row with the same 编号 (ref) updates it.

Columns may be named in Chinese (as in the offices' 空岗信息 tables) or by the field name:
编号 ref · 单位名称 employer · 岗位名称 title · 工种 job_type · 行业 industry · 城市 city · 区县 district ·
招聘人数 headcount · 用工形式 period (长期/季节工/日结) · 工资下限 pay_min · 工资上限 pay_max ·
计薪方式 pay_unit (月/天/计件) · 包吃住 board_lodging (是/否) · 年龄下限 age_min · 年龄上限 age_max ·
性别 gender (男/女/不限) · 条件要求 requirements · 联系人 contact_name · 联系电话 contact_phone ·
信息来源 source · 发布日期 posted_on · 有效期至 expires_on.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.storage.models import Vacancy
from nlu.gazetteer import load_gazetteer
from nlu.geo import locate

COLUMNS: dict[str, str] = {
    "编号": "ref", "岗位编号": "ref", "单位名称": "employer", "用人单位": "employer", "岗位名称": "title",
    "工种": "job_type", "行业": "industry", "城市": "city", "区县": "district", "招聘人数": "headcount",
    "用工数量": "headcount", "用工形式": "period", "用工时间": "period", "工资下限": "pay_min",
    "工资上限": "pay_max", "计薪方式": "pay_unit", "包吃住": "board_lodging", "年龄下限": "age_min",
    "年龄上限": "age_max", "性别": "gender", "条件要求": "requirements", "联系人": "contact_name",
    "联系电话": "contact_phone", "信息来源": "source", "发布日期": "posted_on", "有效期至": "expires_on",
}
FIELDS = frozenset(COLUMNS.values())
REQUIRED = ("employer", "title", "job_type", "city", "headcount", "pay_min", "pay_max", "contact_phone",
            "source", "posted_on", "expires_on")
PERIODS = {"长期": "long_term", "long_term": "long_term", "季节工": "seasonal", "季节": "seasonal",
           "seasonal": "seasonal", "短期": "seasonal", "日结": "daily", "daily": "daily", "零工": "daily"}
PAY_UNITS = {"月": "month", "月薪": "month", "month": "month", "天": "day", "日": "day", "日薪": "day",
             "day": "day", "计件": "piece", "piece": "piece"}
YES = {"是", "包", "有", "yes", "y", "true", "1", "√"}
NO = {"否", "不包", "无", "no", "n", "false", "0", ""}
GENDERS = {"男": "男", "女": "女", "不限": None, "": None}
PHONE = re.compile(r"^[\d\-+ ()x]{7,20}$", re.IGNORECASE)


class ImportFileError(Exception):
    """The file cannot be read at all (format, encoding, missing columns)."""


@dataclass
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"第{self.line}行：{self.message}"


@dataclass
class ImportReport:
    rows: int = 0
    created: list[int] = field(default_factory=list)  # new vacancy ids
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    imported: bool = False  # False: nothing was written

    @property
    def skipped(self) -> int:
        return len(self.errors) if self.imported else 0


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number as a spreadsheet shows it, row by field name); the header is line 1."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):  # offices' exports are often GBK
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportFileError("文件编码无法识别（请存为UTF-8或GBK的CSV）")
        records: Iterable[list[Any]] = csv.reader(io.StringIO(text))
    elif suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds on a broken file
            raise ImportFileError(f"无法打开Excel文件：{exc}") from exc
        records = ([("" if c is None else c) for c in row] for row in book.active.iter_rows(values_only=True))
    else:
        raise ImportFileError(f"只支持 .csv 和 .xlsx 文件，不支持「{path.suffix}」")
    iterator = iter(records)
    header = next(iterator, None)
    if header is None:
        raise ImportFileError("文件是空的")
    names = [COLUMNS.get(str(h).strip(), str(h).strip()) for h in header]
    missing = [f for f in REQUIRED if f not in names]
    if missing:
        chinese = {v: k for k, v in reversed(COLUMNS.items())}
        raise ImportFileError("缺少列：" + "、".join(chinese.get(f, f) for f in missing))
    for line, record in enumerate(iterator, start=2):
        values = {name: _cell(value) for name, value in zip(names, record, strict=False) if name in FIELDS}
        if any(values.values()):  # blank lines are not rows
            yield line, values


def _cell(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_row(values: dict[str, str]) -> tuple[dict[str, Any] | None, list[str]]:
    """A row as Vacancy fields, or the problems found (in Chinese, for the office staff)."""
    problems: list[str] = []
    out: dict[str, Any] = {}
    for name in REQUIRED:
        if not values.get(name):
            problems.append(f"「{_label(name)}」不能为空")
    if problems:
        return None, problems

    def integer(name: str, low: int, high: int, optional: bool = False) -> int | None:
        raw = values.get(name, "").replace(",", "")
        if not raw and optional:
            return None
        if not re.fullmatch(r"\d+", raw):
            problems.append(f"「{_label(name)}」应是数字，现在是「{values.get(name, '')}」")
            return None
        number = int(raw)
        if not low <= number <= high:
            problems.append(f"「{_label(name)}」{number}不在{low}到{high}之间")
            return None
        return number

    def date_of(name: str) -> date | None:
        raw = values[name].replace("/", "-").replace(".", "-").split(" ")[0]
        try:
            return date.fromisoformat("-".join(p.zfill(2) for p in raw.split("-")))
        except ValueError:
            problems.append(f"「{_label(name)}」不是日期（写成2026-11-22），现在是「{values[name]}」")
            return None

    out["headcount"] = integer("headcount", 0, 100000)
    out["pay_min"] = integer("pay_min", 1, 1000000)
    out["pay_max"] = integer("pay_max", 1, 1000000)
    out["age_min"] = integer("age_min", 16, 80, optional=True)
    out["age_max"] = integer("age_max", 16, 80, optional=True)
    if out["pay_min"] and out["pay_max"] and out["pay_min"] > out["pay_max"]:
        problems.append(f"工资下限{out['pay_min']}高于上限{out['pay_max']}")
    if out["age_min"] and out["age_max"] and out["age_min"] > out["age_max"]:
        problems.append(f"年龄下限{out['age_min']}高于上限{out['age_max']}")
    out["posted_on"], out["expires_on"] = date_of("posted_on"), date_of("expires_on")
    if out["posted_on"] and out["expires_on"] and out["expires_on"] < out["posted_on"]:
        problems.append("有效期早于发布日期")
    place = locate(load_gazetteer().canonical("city", values["city"]))
    if place is None:
        problems.append(f"不认识的城市「{values['city']}」")
    else:
        out["city"] = place.city
        out["district"] = values.get("district") or (place.district or "")
    out["period"] = PERIODS.get(values.get("period", "") or "长期")
    if out["period"] is None:
        problems.append(f"「用工形式」应是长期、季节工或日结，现在是「{values['period']}」")
    out["pay_unit"] = PAY_UNITS.get(values.get("pay_unit", "") or "月")
    if out["pay_unit"] is None:
        problems.append(f"「计薪方式」应是月、天或计件，现在是「{values['pay_unit']}」")
    board = values.get("board_lodging", "").lower()
    if board not in YES | NO:
        problems.append(f"「包吃住」应填是或否，现在是「{values['board_lodging']}」")
    out["board_lodging"] = board in YES
    if values.get("gender", "") not in GENDERS:
        problems.append(f"「性别」应填男、女或不限，现在是「{values['gender']}」")
    out["gender"] = GENDERS.get(values.get("gender", ""))
    if not PHONE.match(values["contact_phone"]):
        problems.append(f"「联系电话」格式不对：「{values['contact_phone']}」")
    if problems:
        return None, problems
    out["job_type"] = load_gazetteer().canonical("job_type", values["job_type"])
    for name in ("employer", "title", "industry", "requirements", "contact_name", "contact_phone", "source"):
        out[name] = values.get(name, "")
    out["ref"] = values.get("ref") or _ref(out)
    out["status"] = "open" if out["headcount"] else "filled"
    return out, []


def _ref(fields: dict[str, Any]) -> str:
    """A stable ref for a row without one, so re-importing the same file updates, not duplicates."""
    key = "|".join(str(fields[k]) for k in ("employer", "title", "city", "district", "posted_on"))
    return "IMP" + hashlib.sha256(key.encode()).hexdigest()[:12].upper()


def _label(name: str) -> str:
    return next((k for k, v in COLUMNS.items() if v == name), name)


def import_file(db: Session, path: Path, skip_bad: bool = False) -> ImportReport:
    """Read and import a file (see ``import_rows``). Raises ImportFileError when it can't be read."""
    return import_rows(db, read_rows(path), skip_bad)


def import_rows(db: Session, rows: Iterable[tuple[int, dict[str, str]]], skip_bad: bool = False,
                progress: Callable[[int], None] | None = None) -> ImportReport:
    """Validate every row; write the good ones in the caller's transaction if there are no bad
    ones (or ``skip_bad``)."""
    report = ImportReport()
    good: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for line, values in rows:
        report.rows += 1
        fields, problems = parse_row(values)
        if fields is not None and fields["ref"] in seen:
            problems = [f"编号{fields['ref']}与第{seen[fields['ref']]}行重复"]
        if problems:
            report.errors.append(RowError(line, "；".join(problems)))
        elif fields is not None:
            seen[fields["ref"]] = line
            good.append(fields)
        if progress:
            progress(1)
    if report.errors and not skip_bad:
        return report
    existing = {v.ref: v for v in db.scalars(select(Vacancy).where(Vacancy.ref.in_([g["ref"] for g in good])))}
    added: list[Vacancy] = []
    for fields in good:
        vacancy = existing.get(fields["ref"])
        if vacancy is None:
            vacancy = Vacancy(**fields)
            db.add(vacancy)
            added.append(vacancy)
        else:
            for key, value in fields.items():
                setattr(vacancy, key, value)
            report.updated += 1
    db.flush()
    report.created = [v.id for v in added]
    report.imported = True
    return report
