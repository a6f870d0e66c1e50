"""Where a place name is: its prefecture-level city, province and district (nlu/geo.yml).

「宝安」 → 深圳, 广东, 宝安区: a worker naming a district finds the city's vacancies, and handlers can name
the responsible office for the province or district.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

GEO_FILE = Path(__file__).resolve().parent / "geo.yml"


@dataclass(frozen=True)
class Place:
    city: str
    province: str
    district: str | None = None


@lru_cache(maxsize=2)
def load_places(path: Path = GEO_FILE) -> dict[str, Place]:
    if not path.exists():
        return {}
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        str(name): Place(str(v["city"]), str(v["province"]), str(v["district"]) if v.get("district") else None)
        for name, v in (doc.get("places") or {}).items()
    }


def locate(name: str) -> Place | None:
    return load_places().get(name.strip().removesuffix("市"))


@lru_cache(maxsize=64)
def cities_in(province: str) -> tuple[str, ...]:
    """The cities vacancies are listed under in a province, in the order geo.yml names them."""
    return tuple(dict.fromkeys(p.city for p in load_places().values() if p.province == province))


@lru_cache(maxsize=1)
def provinces() -> frozenset[str]:
    return frozenset(p.province for p in load_places().values())


@lru_cache(maxsize=1)
def _provinces_longest_first() -> tuple[str, ...]:
    return tuple(sorted(provinces(), key=len, reverse=True))


def province_in(text: str) -> str | None:
    """A province named in the text (「新疆拾花」 → 新疆), longest name first."""
    return next((p for p in _provinces_longest_first() if p in text), None)
