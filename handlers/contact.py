"""A phone number given on WeChat: with the worker's consent, and once a code sent to that number by
SMS is typed back, link it so we can still reach them by SMS when WeChat can't (48-hour window
closed, unfollowed). The rules (limits, expiry, no automatic merge) are in ``domain.phone_links``."""

from __future__ import annotations

import re
from typing import ClassVar

from domain import phone_links
from domain.crypto import mask_address
from domain.messages import Option, Reply
from domain.storage.models import PhoneVerification
from handlers.base import CODE_PENDING, VERIFY_INTENT, Context, handler
from handlers.guidance import TO_PERSON
from handlers.menu import menu_reply
from nlu.phone import normalise_phone

CODE = re.compile(r"\d{6}")
SENT = "验证码已用短信发到{phone}，请在这里回复短信里的6位数字（10分钟内有效）。不绑定的话不用理会。"
REFUSALS = {
    "too_many_for_number": "这个号码刚发过几次验证码了，请过一小时再试。",
    "too_many_for_you": "今天验证的次数太多了，请明天再试。",
}
OUTCOMES = {
    "linked": "已绑定{phone}。微信联系不上时我们会发短信给您，回复「退订」可随时停止。请回复数字：",
    "merge_requested": "号码{phone}验证好了。这个号码以前在短信里办过事，为保护您的信息，工作人员核对后"
                       "再把记录合并到微信（一般1个工作日内）。请回复数字：",
    "locked": "验证码错的次数太多，这次绑定作废了。需要的话过一小时再发手机号，或回复数字：",
    "expired": "验证码过期了（10分钟内有效）。需要的话重新发一次手机号，或回复数字：",
}


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
    """The worker agreed: send a code to the number (typing a number proves nothing)."""

    intents: ClassVar[tuple[str, ...]] = ("link_phone_confirm",)

    def handle(self, ctx: Context) -> Reply:
        phone = normalise_phone(str(ctx.payload.get("phone") or ""))
        if phone is None:
            return menu_reply("没能绑定，请重新发一下手机号：")
        request = phone_links.request_code(ctx.db, ctx.cipher, ctx.worker_id, phone)
        if request.refusal == "opted_out":  # answered like a sent code: whether a number texted 退订 is not told
            return Reply(SENT.format(phone=mask_address(phone)))
        if request.verification is None:
            return Reply(REFUSALS[request.refusal], (TO_PERSON, Option("主菜单", "help")))
        ctx.db.commit()  # the number's record exists before the code is queued on it
        ctx.outbox.queue(request.number_owner, "sms", phone_links.CODE_TEXT.format(code=request.code),
                         "phone_code", secret=request.code)
        ctx.state.data[CODE_PENDING] = True  # a 6-digit message is now read as the code
        return Reply(SENT.format(phone=mask_address(phone)))


@handler
class PhoneCodeHandler:
    """A 6-digit message while a code is outstanding (the rule is in bot/conversation/understand.py).
    Anything else the worker says meanwhile is answered as usual; the code stays good for 10 minutes."""

    intents: ClassVar[tuple[str, ...]] = (VERIFY_INTENT,)

    def handle(self, ctx: Context) -> Reply:
        row = phone_links.pending(ctx.db, ctx.worker_id)
        if row is None:
            ctx.state.data.pop(CODE_PENDING, None)
            return menu_reply(OUTCOMES["expired"])
        found = CODE.search(ctx.text.replace(" ", ""))
        outcome = phone_links.check_code(ctx.db, ctx.cipher, row, found.group() if found else "")
        if outcome == "wrong":
            left = phone_links.MAX_TRIES - row.tries
            return Reply(f"验证码不对，还可以再试{left}次。请核对短信里的6位数字。")
        ctx.state.data.pop(CODE_PENDING, None)
        if outcome in ("linked", "merge_requested"):
            owner = ctx.worker_id if outcome == "linked" else _number_owner(ctx, row)
            text = phone_links.LINKED_TEXT if outcome == "linked" else phone_links.MERGE_TEXT
            ctx.db.commit()
            ctx.outbox.queue(owner, "sms", text, "phone_linked")
        return menu_reply(OUTCOMES[outcome].format(phone=row.phone_masked))


def _number_owner(ctx: Context, row: PhoneVerification) -> int:
    identity = phone_links.sms_identity(ctx.db, ctx.cipher, row)
    return identity.worker_id if identity is not None else ctx.worker_id
