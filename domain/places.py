"""What a course's place and a batch's seat share: a number the worker can read back (BM000012,
ZC000007), taken from the row's id once it has one."""

from __future__ import annotations

import uuid
from typing import Protocol

from sqlalchemy.orm import Session


class Numbered(Protocol):
    id: int
    number: str


def stand_in() -> str:
    """A unique number until the row's id is known (the column is unique and required)."""
    return f"P{uuid.uuid4().hex[:15]}"


def give_number(db: Session, row: Numbered, prefix: str) -> str:
    """Insert ``row`` and number it from its id."""
    db.add(row)
    db.flush()
    row.number = f"{prefix}{row.id:06d}"
    db.flush()
    return row.number
