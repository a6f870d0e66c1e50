"""A phone number given on WeChat: with the worker's consent, link it so we can still reach them by
SMS when WeChat can't (48-hour window closed, unfollowed)."""

from __future__ import annotations

from typing import ClassVar

from domain.crypto import mask_address
from domain.messages import Option, Reply
from domain.workers import link_phone
from handlers.base import Context, handler
from handlers.menu import menu_reply
from nlu.phone import normalise_phone


@handler
class PhoneGivenHandler:
    intents: ClassVar[tuple[str, ...]] = ("phone_given",)

    def handle(self, ctx: Context) -> Reply:
        phone = normalise_phone(str(ctx.entity("phone") or ""))
        if phone is None:
            return menu_reply("这个号码好像不对，请发11位手机号，或回复数字：")
        if ctx.origin == "sms":  # already their channel: nothing to link
            return menu_reply("号码收到了。请回复数字：")
        return Reply(
            f"要把手机号{mask_address(phone)}和您的微信绑定吗？微信联系不上时，我们会发短信通知您办事进度。",
            (Option("同意绑定", "link_phone_confirm", {"phone": phone}), Option("不用了", "help")),
        )


@handler
class PhoneLinkConfirmHandler:
    intents: ClassVar[tuple[str, ...]] = ("link_phone_confirm",)

    def handle(self, ctx: Context) -> Reply:
        phone = normalise_phone(str(ctx.payload.get("phone") or ""))
        if phone is None:
            return menu_reply("没能绑定，请重新发一下手机号：")
        link_phone(ctx.db, ctx.cipher, ctx.worker_id, phone)
        return menu_reply(f"已绑定{mask_address(phone)}。回复「退订」可随时停止短信。请回复数字：")
