"""The WeChat custom menu from config/wechat_menu.yml, validated against WeChat's limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

MENU_FILE = Path(__file__).resolve().parent / "wechat_menu.yml"


class MenuError(ValueError):
    pass


@dataclass(frozen=True)
class MenuItem:
    name: str
    key: str
    action: str
    payload: dict[str, Any] = field(default_factory=dict)


def _check(cond: bool, message: str) -> None:
    if not cond:
        raise MenuError(message)


def validate(doc: dict[str, Any]) -> list[MenuItem]:
    """Every leaf item; raises MenuError naming the first limit broken."""
    buttons = doc.get("buttons") or []
    _check(1 <= len(buttons) <= 3, f"1–3 top buttons allowed, found {len(buttons)}")
    items: list[MenuItem] = []
    for top in buttons:
        name = str(top.get("name", ""))
        _check(0 < len(name.encode()) <= 16, f"top button {name!r} must be 1–16 bytes")
        subs = top.get("sub") or []
        _check(1 <= len(subs) <= 5, f"{name!r}: 1–5 sub-buttons allowed, found {len(subs)}")
        for sub in subs:
            item = MenuItem(str(sub["name"]), str(sub["key"]), str(sub["action"]), dict(sub.get("payload") or {}))
            _check(0 < len(item.name.encode()) <= 60, f"sub-button {item.name!r} must be 1–60 bytes")
            _check(0 < len(item.key.encode()) <= 128, f"key of {item.name!r} must be 1–128 bytes")
            items.append(item)
    keys = [i.key for i in items]
    _check(len(keys) == len(set(keys)), "menu keys must be unique")
    return items


@lru_cache(maxsize=2)
def load_menu(path: Path = MENU_FILE) -> dict[str, MenuItem]:
    """Menu key → item."""
    return {item.key: item for item in validate(yaml.safe_load(path.read_text(encoding="utf-8")))}


def wechat_payload(path: Path = MENU_FILE) -> dict[str, Any]:
    """The body of WeChat's menu/create call."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    validate(doc)
    return {
        "button": [
            {"name": top["name"],
             "sub_button": [{"type": "click", "name": s["name"], "key": s["key"]} for s in top["sub"]]}
            for top in doc["buttons"]
        ]
    }
