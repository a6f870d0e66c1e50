"""Mainland mobile numbers as workers write them (138 0013 8000, +86…, 86…)."""

from __future__ import annotations

import re


def normalise_phone(raw: str) -> str | None:
    """A mainland mobile number in E.164 (+86…), or None."""
    digits = "".join(ch for ch in raw if ch.isdigit())
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789":
        return f"+86{digits}"
    return None


# A mobile number inside a message (「老板电话139 1111 2222」) and an ID-card number: kept away from
# the model, which has no use for their digits and may read them as amounts or case numbers.
PHONE_IN_TEXT = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}(?!\d)")
ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def shield(text: str) -> tuple[str, list[str]]:
    """The text with mobile and ID numbers replaced by words, and the mobile numbers found."""
    phones = [m.group() for m in PHONE_IN_TEXT.finditer(text)]
    return ID_IN_TEXT.sub("号码", PHONE_IN_TEXT.sub("号码", text)), phones
