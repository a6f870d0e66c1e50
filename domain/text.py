"""Text from outside (workers, staff, API clients) made safe to store: no NUL or other control
characters (PostgreSQL refuses NUL in text; the rest only ever hide things)."""

from __future__ import annotations

import re

CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_controls(text: str) -> str:
    return CONTROLS.sub("", text)


def has_controls(text: str) -> bool:
    return CONTROLS.search(text) is not None
