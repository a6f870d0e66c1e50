"""Finding the home office's stations near a worker, and keeping the directory.

A worker names a city or a district (「宝安」), or we know where they are; the stations of that city
come first, then those of its province, and where there are none the worker is told which cities
have one. Places are canonical names from nlu/geo.yml, so 「鹏城」「宝安」 and 「深圳市」 are one city.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain import demo_rows
from domain.storage.models import Station
from domain.text import too_long
from nlu.geo import Place, locate, provinces

DEMO_FILE = Path(__file__).resolve().parent / "seed_data" / "stations.yml"
KIND_LABEL = {"liaison": "劳务联络处", "service": "服务站"}
SERVICES = ("政策咨询", "找工作", "争议调处", "维权", "应急救助", "代办社保", "培训报名")
LIMITS = {"address": ("地址", 128), "phone": ("电话", 32), "hours": ("时间", 64), "office": ("所属劳务办", 64),
          "district": ("区县", 32), "source": ("来源", 64)}
FIELDS = ("ref", "name", "kind", "office", "city", "district", "address", "phone", "hours", "services", "source")


@dataclass(frozen=True)
class Nearby:
    """What the directory holds for a place: stations in the city, else in its province, and the
    cities that have one at all (to say where help is when none is near)."""

    place: Place | None
    in_city: list[Station] = field(default_factory=list)
    in_province: list[Station] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)

    @property
    def stations(self) -> list[Station]:
        return self.in_city or self.in_province


def active(db: Session) -> list[Station]:
    return list(db.scalars(select(Station).where(Station.active.is_(True)).order_by(Station.province, Station.city,
                                                                                   Station.id)))


def near(db: Session, place_name: str | None) -> Nearby:
    """The stations for a place named by the worker (a city, a district, a nickname), or for nowhere."""
    stations = active(db)
    cities = list(dict.fromkeys(s.city for s in stations))
    place = locate(place_name) if place_name else None
    if place is None and place_name in provinces():  # 「我在新疆」: the province's stations
        place = Place(place_name, place_name)
    if place is None:
        return Nearby(None, cities=cities)
    in_city = [s for s in stations if s.city == place.city]
    if place.district:  # the district's own station first: 宝安 before the one across the city
        in_city.sort(key=lambda s: s.district != place.district)
    in_province = [s for s in stations if s.province == place.province and s.city != place.city]
    return Nearby(place, in_city, in_province, cities)


def find(db: Session, ref: str) -> Station | None:
    return db.scalar(select(Station).where(Station.ref == ref, Station.active.is_(True)))


def ref_taken(db: Session, ref: str) -> bool:
    return db.scalar(select(Station.id).where(Station.ref == ref)) is not None


def card(station: Station) -> str:
    """A station as a worker reads it: name, address, phone, hours, what it does."""
    lines = [station.name, f"地址：{station.address}" if station.address else "",
             f"电话：{station.phone}" if station.phone else "", f"时间：{station.hours}" if station.hours else "",
             f"能办：{'、'.join(station.services)}" if station.services else ""]
    return "\n".join(line for line in lines if line)


def parse(values: dict[str, Any]) -> tuple[dict[str, Any] | None, list[str]]:
    """A station from a staff form or the demo file: its fields, or what is wrong, in staff's words."""
    problems: list[str] = []
    ref, name = values.get("ref", "").strip(), values.get("name", "").strip()
    if not ref or len(ref) > 32:
        problems.append("编号必填（最多32字）")
    if not name or len(name) > 64:
        problems.append("名称必填（最多64字）")
    kind = values.get("kind", "liaison").strip() or "liaison"
    if kind not in KIND_LABEL:
        problems.append("类型只能是联络处或服务站")
    place = locate(values.get("city", "").strip())
    if place is None:
        problems.append(f"城市「{values.get('city', '').strip()}」不认识：请写地级市名，比如 深圳、苏州、乌鲁木齐")
    raw = values.get("services", "")
    services = [s.strip() for s in (raw if isinstance(raw, list) else str(raw).replace("，", "、").replace(",", "、")
                                    .split("、")) if s.strip()]
    problems += too_long(values, LIMITS)
    if problems or place is None:
        return None, problems
    district = str(values.get("district", "")).strip() or (place.district or "")
    return {"ref": ref, "name": name, "kind": kind, "office": str(values.get("office", "")).strip(),
            "city": place.city, "province": place.province, "district": district,
            "address": str(values.get("address", "")).strip(), "phone": str(values.get("phone", "")).strip(),
            "hours": str(values.get("hours", "")).strip(), "services": services,
            "source": str(values.get("source", "")).strip()}, []


def save(db: Session, fields: dict[str, Any], station: Station | None = None) -> Station:
    if station is None:
        station = Station(**fields, active=True)
        db.add(station)
    else:
        for key, value in fields.items():
            setattr(station, key, value)
    db.flush()
    return station


def load_demo(db: Session, path: Path = DEMO_FILE) -> int:
    """Insert the demo county's stations that are not there yet (staff edits are kept). The count."""
    return demo_rows.insert_new(path, "stations", set(db.scalars(select(Station.ref))), parse,
                                lambda fields: save(db, fields))
