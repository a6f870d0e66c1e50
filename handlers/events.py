"""What the channel itself reports: a follow, an unfollow, a photo, a location, unheard voice."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar

from sqlalchemy import update

from domain.messages import Option, Reply
from domain.storage.models import Worker, WorkerIdentity
from handlers.base import Context, handler
from handlers.menu import MAIN_MENU, menu_reply
from nlu.gazetteer import load_gazetteer
from nlu.geo import locate


def _worker(ctx: Context) -> Worker:
    worker = ctx.db.get(Worker, ctx.worker_id)
    assert worker is not None  # the pipeline created it before calling any handler
    return worker


def _set_opt_out(ctx: Context, when: datetime | None) -> None:
    ctx.db.execute(
        update(WorkerIdentity)
        .where(WorkerIdentity.worker_id == ctx.worker_id, WorkerIdentity.channel == ctx.origin)
        .values(opted_out_at=when)
    )


@handler
class SubscribeHandler:
    """A follow (or a scan of one of our QR posters): welcome, menu, remember where they came from."""

    intents: ClassVar[tuple[str, ...]] = ("subscribe",)

    def handle(self, ctx: Context) -> Reply:
        worker = _worker(ctx)
        scene = str(ctx.payload.get("scene") or "")[:64]
        if scene and not worker.source:
            worker.source = scene
        _set_opt_out(ctx, None)
        return menu_reply("欢迎关注工友！找工作、问政策、投诉、讨薪都可以直接发消息，或回复数字：")


@handler
class UnsubscribeHandler:
    """An unfollow: nothing is sent to them on this channel from now on."""

    intents: ClassVar[tuple[str, ...]] = ("unsubscribe", "opt_out")

    def handle(self, ctx: Context) -> Reply:
        _set_opt_out(ctx, datetime.now(UTC))
        ctx.state.flow = None
        if ctx.payload.get("confirm"):  # 退订/TD: one confirmation, then silence
            return Reply("已退订，不会再给您发消息。想恢复请回复「订阅」。")
        return Reply("")


@handler
class OptInHandler:
    intents: ClassVar[tuple[str, ...]] = ("opt_in",)

    def handle(self, ctx: Context) -> Reply:
        _set_opt_out(ctx, None)
        return menu_reply("已恢复，可以继续给您发消息。请回复数字：")


@handler
class ShortHelpHandler:
    """HELP/帮助 on the SMS hotline: who we are, how to stop, where else to call."""

    intents: ClassVar[tuple[str, ...]] = ("sms_help",)

    def handle(self, ctx: Context) -> Reply:
        return Reply(
            "工友助手：找工作、问政策、投诉、讨薪，直接发短信说。人社热线12333，法律援助12348。回复退订停止接收。"
        )


@handler
class VoiceUnheardHandler:
    intents: ClassVar[tuple[str, ...]] = ("voice_unheard",)

    def handle(self, ctx: Context) -> Reply:
        return Reply("语音没听清（录音已保存，工作人员也能听）。请打字，或回复数字：", MAIN_MENU)


@handler
class ImageHandler:
    intents: ClassVar[tuple[str, ...]] = ("image_received",)

    def handle(self, ctx: Context) -> Reply:
        return Reply(
            "图片收到了，已保存。如果是欠薪或投诉的证据（工资条、考勤、聊天记录），请回复4或3登记，"
            "工作人员会一并查看：",
            MAIN_MENU,
        )


@handler
class LocationHandler:
    """A shared location sets the worker's city for job searches."""

    intents: ClassVar[tuple[str, ...]] = ("location_shared",)

    def handle(self, ctx: Context) -> Reply:
        label = str(ctx.payload.get("label") or "")
        found = [e.value for e in load_gazetteer().find(label) if e.name == "city"]
        cities = [place.city if (place := locate(name)) else name for name in found]
        if not cities:
            return Reply("") if ctx.payload.get("silent") else menu_reply("收到位置。请告诉我您在哪个城市：")
        worker = _worker(ctx)
        worker.city = cities[0]
        if ctx.payload.get("silent"):
            return Reply("")
        return Reply(
            f"已记下您在{worker.city}。",
            (Option(f"找{worker.city}的工作", "search_vacancy", {"city": worker.city}), Option("主菜单", "help")),
        )


@handler
class UnknownMessageHandler:
    intents: ClassVar[tuple[str, ...]] = ("unknown_message",)

    def handle(self, ctx: Context) -> Reply:
        return menu_reply("这类消息暂时看不了。请发文字、语音或图片，或回复数字：")
