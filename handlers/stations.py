"""「我在深圳 有老乡站吗」: the home office's stations where the worker is (address, phone, hours, what
they do), and a hand-off to that station's staff."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar

from domain.cases import handoff
from domain.messages import Option, Reply
from domain.stations import directory
from domain.storage.models import Station, Worker
from handlers.base import Context, handler
from nlu.geo import province_in

ASK_CITY = "您现在在哪个城市打工？回复城市名，比如「深圳」「苏州」，我找离您最近的老乡服务站。"
CITY_OPTIONS = 6  # cities offered by number when none is near


def _place(ctx: Context) -> str | None:
    """Where to look: the city picked or named, else a province named, else where the worker is."""
    named = ctx.entity("city") or province_in(ctx.text)
    if named:
        return str(named)
    worker = ctx.db.get(Worker, ctx.worker_id)
    return worker.city if worker and worker.city else None


def _cities_reply(lead: str, cities: list[str]) -> Reply:
    if not cities:
        return Reply(f"{lead}暂时还没有登记老乡服务站。有事可以转工作人员，或打12333。",
                     (Option("转人工", "human_agent", {"confirmed": True}), Option("主菜单", "help")))
    shown = cities[:CITY_OPTIONS]
    return Reply(f"{lead}家乡劳务办在{'、'.join(cities)}有服务站。回复序号看地址电话：",
                 tuple(Option(city, "find_station", {"city": city}) for city in shown))


@handler
class StationHandler:
    intents: ClassVar[tuple[str, ...]] = ("find_station",)

    def handle(self, ctx: Context) -> Reply:
        ctx.state.flow = None  # only a question of ours (where are you?) waits for a place as the answer
        if ctx.payload.get("list"):
            return _cities_reply("", directory.near(ctx.db, None).cities)
        place = _place(ctx)
        if place is None:
            ctx.state.flow = "find_station"
            return Reply(ASK_CITY)
        found = directory.near(ctx.db, place)
        if found.place is None:
            ctx.state.flow = "find_station"
            return _cities_reply(f"没找到「{place}」这个地方，请回复城市名，或者", found.cities)
        where = found.place.city
        if not found.stations:
            return _cities_reply(f"{where}暂时没有老乡服务站。", found.cities)
        shown = found.stations[: 1 if ctx.page_size < 3 else 3]
        count = len(found.stations)
        lead = f"{where}有{count}个老乡服务站：" if found.in_city or where == found.place.province else \
            f"{where}没有，同在{found.place.province}的{shown[0].city}有："
        cards = "\n\n".join(directory.card(s) for s in shown)
        options = [Option(f"请{_short(shown[0])}联系我", "station_contact", {"ref": shown[0].ref})]
        if len(found.stations) > len(shown):
            options.append(Option("看这里其他站", "find_station", {"city": where, "all_here": True}))
        options += [Option("看其他城市的站", "find_station", {"list": True}), Option("主菜单", "help")]
        if ctx.payload.get("all_here"):
            cards = "\n\n".join(directory.card(s) for s in found.stations)
        return Reply(f"{lead}\n{cards}", tuple(options))


def _short(station: Station) -> str:
    return directory.KIND_LABEL.get(station.kind, "服务站")


@handler
class StationContactHandler:
    """「请联络处联系我」: a hand-off whose case belongs to the station's city, so that station's staff
    (whose console regions name the city) see it first."""

    intents: ClassVar[tuple[str, ...]] = ("station_contact",)

    def handle(self, ctx: Context) -> Reply:
        station = directory.find(ctx.db, str(ctx.payload.get("ref", "")))
        if station is None:
            return Reply("这个服务站已经不在了。", (Option("看其他城市的站", "find_station", {"list": True}),
                                               Option("转人工", "human_agent", {"confirmed": True})))
        worker = ctx.db.get(Worker, ctx.worker_id)
        assert worker is not None
        case = handoff.hand_off(ctx.db, worker, ctx.origin, "station", ctx.text, opened_by=ctx.inbound_id,
                                city=station.city, station=station.ref)
        ctx.state.flow = None
        when = ctx.office.when_text(datetime.now(UTC))
        call = f"着急可直接打{station.phone}。" if station.phone else "着急可打12333。"
        return Reply(f"已转给{station.name}（编号{case.number}）。{when}，期间可以直接留言。{call}")
