"""Facts about cases that the intake forms, the case service and the reports share: complaint
categories (from the seeds and the law) and the time limits on wage claims."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from domain.cases.vocabulary import Kind


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    words: re.Pattern[str]


# Most specific first: 「中介扣了身份证」 is an ID card held by an agent → id_held.
CATEGORIES: tuple[Category, ...] = tuple(Category(k, label, re.compile(words)) for k, label, words in (
    ("child_labour", "使用童工", r"童工|未成年|不满16|十四岁|十五岁"),
    ("violence", "打人或限制自由", r"打人|打我|殴打|威胁|不让走|关起来|限制自由|扣人"),
    ("id_held", "扣身份证或证件", r"身份证|证件|押证|扣证|毕业证"),
    ("agent", "黑中介或乱收费", r"中介|介绍费|报名费|押金|体检费|服装费|培训费|骗|虚假|假招聘|假广告|招工广告|"
                               r"招聘广告|广告.{0,12}假"),
    ("no_contract", "不签劳动合同", r"合同"),
    ("insurance", "不交社保", r"社保|保险|五险|医保"),
    ("unsafe", "不安全或受了伤", r"安全|危险|受伤|伤了|工伤|防护|中毒|粉尘|摔|砸|压断|切了|切断|切到|卷进|"
                                   r"夹到|夹伤|骨折|烫伤"),
    ("overtime", "加班不给钱", r"加班"),
    ("dismissal", "被辞退", r"辞退|开除|炒了|赶走|逼.{0,4}辞职|不让干"),
    ("discrimination", "歧视", r"怀孕|歧视|年纪大|外地人|残疾"),
    ("dormitory", "宿舍条件差", r"宿舍|住的地方|睡觉的地方"),
    ("other", "其他", r"其他|其它|别的"),
))
CATEGORY_BY_KEY = {c.key: c for c in CATEGORIES}
CATEGORY_MENU: tuple[Category, ...] = tuple(
    CATEGORY_BY_KEY[k] for k in ("agent", "id_held", "no_contract", "insurance", "unsafe", "other"))


def guess_category(text: str) -> str | None:
    return next((c.key for c in CATEGORIES if c.key != "other" and c.words.search(text)), None)



TIME_LIMIT = ("提醒：超过2年的欠薪，劳动监察可能不再查处（《劳动保障监察条例》第二十条）；可以申请劳动仲裁，"
              "在职期间不受1年时效限制，离职的要在1年内申请（《劳动争议调解仲裁法》第二十七条）。")


def time_limit_applies(d: dict[str, Any]) -> bool:
    """Arrears said to be two or more years old (「2022年」「前年」) or owed for over 24 months."""
    return d.get("kind") == Kind.WAGE_ARREARS and (int(d.get("years_ago") or 0) >= 2 or int(d.get("months") or 0) > 24)


# Words that show a message really is about unpaid wages / a complaint, whatever the model thinks.
ARREARS_WORDS = re.compile(r"欠|拖|工资|工钱|薪|结账|结算|跑路|讨|不给钱|没给钱|血汗钱|不发钱|没发钱|钱没|扣钱")
COMPLAINT_WORDS = re.compile(r"投诉|举报|告|骗|违法|黑心|不合理|维权|反映")


def plainly_about(kind: str, text: str) -> bool:
    if kind == Kind.WAGE_ARREARS:
        return bool(ARREARS_WORDS.search(text))
    return bool(COMPLAINT_WORDS.search(text)) or any(c.words.search(text) for c in CATEGORIES if c.key != "other")


# What family left at home needs (seed 004: the elderly, children, farm-season labour), for a family-help request.
FAMILY_NEEDS: dict[str, str] = {"elderly": "照看老人", "children": "照看孩子", "farm": "农忙缺人手", "other": "其他"}
