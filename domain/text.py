"""Text from outside (workers, staff, API clients) made safe to store: no NUL or other control
characters (PostgreSQL refuses NUL in text; the rest only ever hide things)."""

from __future__ import annotations

import re

CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_controls(text: str) -> str:
    return CONTROLS.sub("", text)


def has_controls(text: str) -> bool:
    return CONTROLS.search(text) is not None


WHOLE_NUMBER = re.compile(r"[0-9]{1,6}")  # ASCII digits only: str.isdigit() takes 「²」, which int() refuses


def whole_number(text: str) -> int | None:
    """A staff form's number (「30」), or None: never an exception on 「²」 or 「三十」."""
    return int(text) if WHOLE_NUMBER.fullmatch(text.strip()) else None


def too_long(values: dict[str, str], limits: dict[str, tuple[str, int]]) -> list[str]:
    """Each field longer than its column, in staff's words: 「地址太长（最多128字）」 instead of a 500 from
    the database. ``limits``: field → (label, characters)."""
    return [f"{label}太长（最多{size}字）" for name, (label, size) in limits.items()
            if len(str(values.get(name, "") or "").strip()) > size]
