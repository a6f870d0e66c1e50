"""Demo records (a county's stations, courses, batches) from a YAML file, put in through the same
parser staff's forms use, so demo data can never hold what a form would refuse."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

Parse = Callable[[dict[str, Any]], tuple[dict[str, Any] | None, list[str]]]


def insert_new(path: Path, key: str, known: set[str], parse: Parse, save: Callable[[dict[str, Any]], object],
               dated: Callable[[dict[str, Any]], dict[str, Any]] = dict) -> int:
    """Save each row of ``path``'s list ``key`` whose ``ref`` is not ``known`` (staff edits are kept);
    ``dated`` turns a row's relative dates into real ones. The number of rows in the file."""
    rows: list[dict[str, Any]] = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(key, [])
    for row in rows:
        fields, problems = parse(dated(row))
        if fields is None:
            raise ValueError(f"demo {key} {row.get('ref')}: {'; '.join(problems)}")
        if fields["ref"] not in known:
            save(fields)
    return len(rows)
