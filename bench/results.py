"""A bench script's figures, kept under a label in its summary file (bench/results/*.json)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any


def record(path: Path, label: str, summary: dict[str, Any]) -> None:
    """Print the figures and keep them under ``label``, with when they were measured; other labels stay."""
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    previous = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    previous[label] = {**summary, "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    path.write_text(json.dumps(previous, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
