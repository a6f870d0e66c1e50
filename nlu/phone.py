"""Mainland mobile numbers as workers write them (138 0013 8000, +86…, 86…)."""

from __future__ import annotations


def normalise_phone(raw: str) -> str | None:
    """A mainland mobile number in E.164 (+86…), or None."""
    digits = "".join(ch for ch in raw if ch.isdigit())
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789":
        return f"+86{digits}"
    return None
