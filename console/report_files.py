"""The monthly and quarterly reports (月报/季报) as XLSX (a sheet per table) and CSV (one long table).

Employer names and cities come from workers' messages: a cell that starts like a formula
(``= + - @``, tab, CR) must never run as one when staff open the file (「=HYPERLINK(...)」 would send
the sheet's contents away). XLSX cells are stored as text; CSV cells get a leading apostrophe."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from console.stats import Figures


def tables(f: Figures, title: str) -> list[tuple[str, list[str], list[list[object]]]]:
    """(sheet name, header, rows) for every table of the report."""
    share = f"{f.in_time_share:.0%}" if f.in_time_share is not None else "—"
    summary: list[list[object]] = [
        ["报告期", f"{f.start:%Y-%m-%d} 至 {f.end:%Y-%m-%d}（不含）"],
        ["登记案件", f.filed],
        *[[f"其中{kind}", n] for kind, n in sorted(f.by_kind.items())],
        ["欠薪金额（元）", f.arrears_amount],
        ["欠薪涉及人数", f.arrears_workers],
        ["已答复", f.answered],
        ["24小时内答复", f.answered_in_time],
        ["24小时内答复比例", share],
        ["首次答复用时中位数（小时）", f.median_first_answer_hours if f.median_first_answer_hours is not None else "—"],
        ["已办结", f.resolved],
        ["目前超时", f.overdue_now],
    ]
    return [
        (f"{title}汇总", ["项目", "数值"], summary),
        ("投诉类别", ["类别", "件数"], [[k, n] for k, n in f.by_category.most_common()]),
        ("欠薪按地区", ["城市", "件数", "人数", "金额（元）"], [[c, *v] for c, v in f.arrears_by_city.items()]),
        ("欠薪按单位", ["单位", "城市", "件数", "人数", "金额（元）", "紧急"],
         [[e, c, n, w, a, "是" if u else ""] for e, c, n, w, a, u in f.groups]),
        ("按周", ["周", "投诉", "欠薪", "转人工"],
         [[week, k.get("投诉", 0), k.get("欠薪", 0), k.get("转人工", 0)] for week, k in f.by_week.items()]),
        ("培训", ["培训班", "报名人数", "结业发证"],
         [[t, n, f.training_certified.get(t, 0)] for t, n in f.training_signed_up.most_common()]),
        ("组织外出", ["目的地", "工种", "出发人数"], [[d, t, n] for (d, t), n in f.sent_out.most_common()]),
        ("工资询问", ["答复", "人次"], [[said, n] for said, n in f.wages_reported.most_common()]),
        ("补贴发放", ["补贴", "人数", "金额（元）"],
         [[name, n, f.subsidies_paid_yuan.get(name, 0)] for name, n in f.subsidies_paid.most_common()]),
        ("实名登记", ["务工地", "工种", "人数"], [[d, t, n] for (d, t), n in f.registered.most_common()]),
    ]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def xlsx(f: Figures, title: str) -> bytes:
    book = Workbook()
    first = True
    for name, header, rows in tables(f, title):
        sheet = book.active if first else book.create_sheet()
        assert sheet is not None
        first = False
        sheet.title = name[:31]
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if looks_like_formula(cell.value):
                    cell.data_type = "s"  # shown as the text it is, never evaluated
        sheet.column_dimensions["A"].width = 28
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_text(f: Figures, title: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for name, header, rows in tables(f, title):
        writer.writerow([f"【{name}】"])
        writer.writerow(header)
        writer.writerows([[f"'{v}" if looks_like_formula(v) else v for v in row] for row in rows])
        writer.writerow([])
    return "\ufeff" + out.getvalue()  # a BOM: Excel on office PCs opens UTF-8 Chinese correctly
