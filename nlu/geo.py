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
