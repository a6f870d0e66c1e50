"""Content staff keep current: vacancies (list, create, edit, expire, import a file with its row
errors shown) and policy articles (edit with validation). Supervisors and admins; agents may look."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from console.access import can
from console.auth import current_user, login_required, permission_required
from console.web import bp, form_text, session_db
from domain import audit
from domain.outreach.notify import Notifier
from domain.storage.models import Vacancy
from domain.vacancies import alerts
from domain.vacancies import search as vacancies
from domain.vacancies.importer import FIELDS, ImportFileError, import_rows, parse_row, read_rows
from knowledge_base.store import Library, parse_article, validate

ARTICLE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
MAX_UPLOAD = 5 * 1024 * 1024


def _announce() -> int:
    notifier: Notifier = current_app.extensions["gongyou.notifier"]
    return alerts.announce(session_db(), date.today(), notifier.notify)


# --- vacancies -----------------------------------------------------------------------------------

@bp.get("/vacancies")
@login_required
def vacancy_list() -> str:
    city = request.args.get("city", "").strip()
    stmt = select(Vacancy).order_by(Vacancy.expires_on.desc(), Vacancy.id.desc()).limit(300)
    if city:
        stmt = stmt.where(Vacancy.city == city[:32])
    return render_template("console/vacancies.html", rows=list(session_db().scalars(stmt)), city=city,
                           today=date.today(), pay=vacancies.pay_text)


def _vacancy_values(v: Vacancy | None) -> dict[str, str]:
    if v is None:
        return {"period": "长期", "pay_unit": "月", "board_lodging": "否", "gender": "不限",
                "posted_on": date.today().isoformat()}
    return {
        "ref": v.ref, "employer": v.employer, "title": v.title, "job_type": v.job_type, "industry": v.industry,
        "city": v.city, "district": v.district, "headcount": str(v.headcount),
        "period": vacancies.PERIODS.get(v.period, "长期"),
        "pay_min": str(v.pay_min), "pay_max": str(v.pay_max),
        "pay_unit": {"month": "月", "day": "天", "piece": "计件"}.get(v.pay_unit, "月"),
        "board_lodging": "是" if v.board_lodging else "否", "age_min": str(v.age_min or ""),
        "age_max": str(v.age_max or ""), "gender": v.gender or "不限", "requirements": v.requirements,
        "contact_name": v.contact_name, "contact_phone": v.contact_phone, "source": v.source,
        "posted_on": v.posted_on.isoformat(), "expires_on": v.expires_on.isoformat(),
    }


@bp.route("/vacancies/new", methods=["GET", "POST"])
@bp.route("/vacancies/<int:vacancy_id>/edit", methods=["GET", "POST"])
@login_required
@permission_required("edit_content")
def vacancy_edit(vacancy_id: int | None = None) -> Any:
    db = session_db()
    vacancy = db.get(Vacancy, vacancy_id) if vacancy_id else None
    if vacancy_id and vacancy is None:
        abort(404)
    values = _vacancy_values(vacancy)
    problems: list[str] = []
    if request.method == "POST":
        values = {name: form_text(name).strip() for name in FIELDS}
        if vacancy is not None:
            values["ref"] = vacancy.ref
        fields, problems = parse_row(values)
        if fields is not None:
            if vacancy is None:
                if db.scalar(select(Vacancy.id).where(Vacancy.ref == fields["ref"])):
                    problems = [f"编号{fields['ref']}已存在"]
                else:
                    db.add(Vacancy(**fields))
            else:
                for key, value in fields.items():
                    setattr(vacancy, key, value)
        if not problems:
            db.flush()
            sent = _announce()
            flash(f"岗位已保存{f'，已通知{sent}位订阅的工友' if sent else ''}。", "ok")
            return redirect(url_for("console.vacancy_list"))
    return render_template("console/vacancy_form.html", values=values, problems=problems, vacancy=vacancy), (
        400 if problems else 200)


@bp.post("/vacancies/<int:vacancy_id>/expire")
@login_required
@permission_required("edit_content")
def vacancy_expire(vacancy_id: int) -> Response:
    vacancy = session_db().get(Vacancy, vacancy_id)
    if vacancy is None:
        abort(404)
    vacancy.status = "withdrawn"
    flash(f"「{vacancy.title}」已下架，工友不会再看到。", "ok")
    return redirect(url_for("console.vacancy_list"))


@bp.route("/vacancies/import", methods=["GET", "POST"])
@login_required
@permission_required("edit_content")
def vacancy_import() -> Any:
    report, error = None, ""
    if request.method == "POST":
        upload = request.files.get("file")
        suffix = Path(upload.filename or "").suffix.lower() if upload else ""
        if upload is None or suffix not in (".csv", ".xlsx"):
            error = "请选择 .csv 或 .xlsx 文件。"
        else:
            handle, name = tempfile.mkstemp(suffix=suffix)
            os.close(handle)
            try:
                upload.save(name)
                if Path(name).stat().st_size > MAX_UPLOAD:
                    raise ImportFileError("文件太大（最多5MB）")
                report = import_rows(session_db(), read_rows(Path(name)), skip_bad=request.form.get("skip_bad") == "1")
                if report.imported:
                    session_db().flush()
                    _announce()
            except ImportFileError as exc:
                error = str(exc)
            finally:
                os.unlink(name)
    return render_template("console/vacancy_import.html", report=report, error=error), 400 if error else 200


# --- knowledge base ------------------------------------------------------------------------------

def articles_folder() -> Path:
    """The folder this app answers from: an edit there is answered at the worker's next question."""
    library: Library = current_app.extensions["gongyou.kb"]
    return library.folder


@bp.get("/kb")
@login_required
def kb_list() -> str:
    folder = articles_folder()
    articles = [parse_article(p) for p in sorted(folder.glob("*.md"))]
    return render_template("console/kb_list.html", articles=articles, problems=validate(folder))


@bp.route("/kb/new", methods=["GET", "POST"])
@bp.route("/kb/<article_id>", methods=["GET", "POST"])
@login_required
def kb_edit(article_id: str | None = None) -> Any:
    folder = articles_folder()
    if article_id is not None and not ARTICLE_ID.fullmatch(article_id):
        abort(404)
    path = folder / f"{article_id}.md" if article_id else None
    if path is not None and not path.exists():
        abort(404)
    text = path.read_text(encoding="utf-8") if path else TEMPLATE
    problems: list[str] = []
    if request.method == "POST":
        user = current_user()
        if not can(user, "edit_content"):
            abort(403)
        text = form_text("text").replace("\r\n", "\n")
        new_id = article_id or form_text("id").strip()
        if not ARTICLE_ID.fullmatch(new_id):
            problems = ["文件名只能用小写字母、数字和连字符，比如 overtime-pay"]
        elif article_id is None and (folder / f"{new_id}.md").exists():
            problems = [f"{new_id} 已存在"]
        else:
            problems = _check(folder, new_id, text)
        if not problems:
            target = folder / f"{new_id}.md"
            tmp = target.with_suffix(".md.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(target)  # atomic: the bot never reads half a file
            audit.record(session_db(), f"staff:{user.id}" if user else "staff", "kb_edited", new_id)
            flash(f"{new_id} 已保存，下一个问题起生效（不需要重新训练）。", "ok")
            return redirect(url_for("console.kb_list"))
    return render_template("console/kb_edit.html", text=text, article_id=article_id, problems=problems), (
        400 if problems else 200)


def _check(folder: Path, article_id: str, text: str) -> list[str]:
    """Validate the knowledge base as it would be with this file: only this file's problems count."""
    with tempfile.TemporaryDirectory() as tmp:
        trial = Path(tmp)
        for existing in folder.glob("*.md"):
            shutil.copy(existing, trial / existing.name)
        (trial / f"{article_id}.md").write_text(text, encoding="utf-8")
        return [p for p in validate(trial) if p.startswith(f"{article_id}.md")]


TEMPLATE = f"""---
id: new-article
title: 标题（工友会怎么问）
topic: 工资支付
questions:
  - 工友的问法一
  - 工友的问法二
short: 一句话回答，不超过90个字。
source: 《法规名称》
article: 第几条
region: 全国
region_level: national
effective: 2020-05-01
review: {datetime.now(UTC).date().replace(year=datetime.now(UTC).year + 1).isoformat()}
related: []
---
详细说明：写清楚依据、怎么办、找谁、电话。
"""
