"""「我要实名登记」: the worker's record with the home office (seeds 002, 004), with their consent first —
name, home village, where they work, employer, trade and skills, training wished for — read back before
it is kept; 「我的登记」 shows it and changes one line. Pseudonymous use of everything else stays possible."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.cases import lifecycle as cases
from domain.messages import Option, Reply
from domain.registry import records
from domain.registry.records import QUESTIONS
from domain.storage.models import Registration, WorkerIdentity, aware
from handlers.base import Context, FormHandler, handler
from handlers.intake import fields
from nlu.geo import province_in

FLOW = "register"
HOME = Option("主菜单", "help")
MINE = Option("我的实名登记", "my_registration")
RESUMABLE = timedelta(days=1)  # a draft older than this is not picked up again
RESUMED = "reg_resumed"  # the draft came back from the database: its question is asked again first
STAGE, ANSWERED, MISSES = "reg_stage", "reg_answered", "reg_misses"
CONSENT = ("实名登记：劳务办用来通知您培训、补贴和外出车次。加密保存，只给劳务办看，可随时删除；"  # fits one SMS
           "不登记也能用别的服务。同意登记吗？\n依据：临政办发〔2017〕52号")
CANCEL = re.compile(r"^(?:取消|不登记了?|不弄了|算了|算了吧|退出|不要了|菜单|主菜单|返回)[!！。 ]*$")
CONFIRM, CHANGE, DROP = "确认", "修改", "取消"
YES = re.compile(r"^(?:1|确认|对|对的|是|是的|好|好的|没错|没问题|可以|行|嗯|提交|确定)")
HOLD_BACK = re.compile(r"不对|不是|错|改")


@handler
class RegisterHandler(FormHandler):
    intents: ClassVar[tuple[str, ...]] = (FLOW,)

    def resume(self, db: Session, worker_id: int) -> dict[str, Any] | None:
        """A draft left in the last day goes on at its first empty question (a case's form comes first)."""
        row = records.mine(db, worker_id)
        if row is None or row.status != "draft" or row.consented_at is None or cases.open_draft(db, worker_id):
            return None
        if aware(row.updated_at) < datetime.now(UTC) - RESUMABLE:
            return None
        question = records.missing(row, set())
        return {"flow": FLOW, STAGE: f"q:{question.key}" if question else "summary", ANSWERED: [], MISSES: 0,
                RESUMED: True}

    def handle(self, ctx: Context) -> Reply:
        row = records.mine(ctx.db, ctx.worker_id)
        stage = str(ctx.state.data.get(STAGE, "")) if ctx.state.flow == FLOW else ""
        answer = str(ctx.payload.get("answer") or ctx.text).strip()
        if not stage:
            return self._begin(ctx, row)
        if CANCEL.match(answer) or answer == DROP:
            return self._drop(ctx, row)
        if ctx.state.data.pop(RESUMED, False) and row is not None:  # back after a while: asked again, not read
            return self._again(ctx, row, stage)
        if stage == "consent":
            agrees = (fields.consent(answer, ctx.nlu) or {}).get("consent")
            if agrees is None:
                return self._missed(ctx, CONSENT, _yes_no())
            if not agrees:
                return self._close(ctx, "好的，不登记。找工作、维权这些服务照常能用。")
            row = records.start(ctx.db, ctx.worker_id)
            return self._next(ctx, row)
        assert row is not None
        if stage == "summary":
            return self._summary_answer(ctx, row, answer)
        if stage == "edit":
            picked = next((q for q in QUESTIONS if answer in (q.label, q.key)), None)
            if picked is None:
                return self._missed(ctx, "请回复要改的那一项的数字。", _edit_options())
            ctx.state.data[STAGE] = f"q:{picked.key}:edit"
            return Reply(picked.ask)
        return self._answer(ctx, row, stage, answer)

    # --- the turns ---------------------------------------------------------------------------

    def _begin(self, ctx: Context, row: Registration | None) -> Reply:
        ctx.state.flow = FLOW
        ctx.state.data.update({ANSWERED: [], MISSES: 0})
        if row is not None and row.status == "active":  # registered: what is kept, and one line changed
            if ctx.payload.get("answer") == CHANGE:  # 「修改」 picked under 「我的实名登记」
                return self._edit_menu(ctx)
            ctx.state.data[STAGE] = "summary"
            return _summary(ctx, row, "您已经登记过了：")
        if row is not None and row.consented_at is not None:  # a draft: on where it was left
            return self._next(ctx, row, "接着上次的实名登记：")
        ctx.state.data[STAGE] = "consent"
        return Reply(CONSENT, _yes_no())

    def _answer(self, ctx: Context, row: Registration, stage: str, answer: str) -> Reply:
        parts = stage.split(":")
        key, editing = (parts[1] if len(parts) > 1 else ""), parts[2:]
        question = records.BY_KEY.get(key)
        if question is None:
            return self._next(ctx, row)
        city = (ctx.nlu.first("city") or province_in(answer)) if key == "destination" else None
        value = records.read(key, answer, str(city) if city else None)
        if value is None:
            return self._missed(ctx, question.ask)
        records.put(row, ctx.cipher, key, value)
        ctx.state.data[ANSWERED] = [*ctx.state.data.get(ANSWERED, []), key]
        ctx.state.data[MISSES] = 0
        if editing or row.status == "active":
            ctx.state.data[STAGE] = "summary"
            return _summary(ctx, row, f"已改：{question.label}：{records.shown(row, key)}。\n")
        return self._next(ctx, row)

    def _next(self, ctx: Context, row: Registration, said: str = "") -> Reply:
        question = records.missing(row, set(ctx.state.data.get(ANSWERED, [])))
        if question is None:
            ctx.state.data[STAGE] = "summary"
            return _summary(ctx, row, said)
        ctx.state.data[STAGE] = f"q:{question.key}"
        return Reply(f"{said}{question.ask}")

    def _summary_answer(self, ctx: Context, row: Registration, answer: str) -> Reply:
        said = fields.bare(answer) or answer
        if answer == CONFIRM or (YES.match(said) and not HOLD_BACK.search(said)):
            first = row.status != "active"
            row.status = "active"
            tail = "" if _phone_known(ctx) else "\n想让劳务办能短信联系您，可以发手机号绑定（会发验证码）。"
            return self._close(ctx, ("登记好了，谢谢！劳务办有培训、补贴、组织外出会通知您。" if first else "已保存。")
                               + "回复「我的实名登记」可查看或修改。" + tail)
        if answer == CHANGE or re.match(r"^(?:2|修改|改|不对|错了|改一下)", said):
            return self._edit_menu(ctx)
        named = next((q for q in QUESTIONS if said.removeprefix("改") in (q.label, q.key)), None)
        if named is not None:
            ctx.state.data[STAGE] = f"q:{named.key}:edit"
            return Reply(named.ask)
        return self._missed(ctx, "请回复1确认、2修改或3取消。", _SUMMARY_OPTIONS)

    def _again(self, ctx: Context, row: Registration, stage: str) -> Reply:
        parts = stage.split(":")
        question = records.BY_KEY.get(parts[1]) if len(parts) > 1 else None
        if question is None:
            return _summary(ctx, row, "接着上次的实名登记（回复「取消」可退出）：\n")
        return Reply(f"接着上次的实名登记（回复「取消」可退出）：{question.ask}")

    def _edit_menu(self, ctx: Context, said: str = "") -> Reply:
        ctx.state.flow = FLOW
        ctx.state.data.update({STAGE: "edit", MISSES: int(ctx.state.data.get(MISSES, 0))})
        return Reply(f"{said}改哪一项？", _edit_options())

    def _drop(self, ctx: Context, row: Registration | None) -> Reply:
        """「取消」, or a way on after three misses: a draft goes (it would come back after every pause),
        a registration stays as it was."""
        if row is not None and row.status == "draft":
            ctx.db.delete(row)
            return self._close(ctx, "好的，没有登记。想登记时回复「实名登记」。")
        return self._close(ctx, "好的，登记没有改。")

    def _missed(self, ctx: Context, again: str, options: tuple[Option, ...] = ()) -> Reply:
        misses = int(ctx.state.data.get(MISSES, 0)) + 1
        ctx.state.data[MISSES] = misses
        if misses >= 3:  # a way on, not the same question a third time
            row = records.mine(ctx.db, ctx.worker_id)
            dropped = self._drop(ctx, row)
            return Reply(f"还是没看明白。{dropped.text}也可以转人工帮您登记。",
                         (Option("转人工", "human_agent", {"confirmed": True}), HOME))
        lead = "没看明白。" if misses == 1 else "换个说法：说您知道的就行，不清楚就说「没有」。\n"
        return Reply(f"{lead}{again}", options)

    @staticmethod
    def _close(ctx: Context, text: str, options: tuple[Option, ...] = (MINE, HOME)) -> Reply:
        ctx.state.flow = None
        for key in (STAGE, ANSWERED, MISSES):
            ctx.state.data.pop(key, None)
        return Reply(text, options)


_SUMMARY_OPTIONS = (Option("确认", FLOW, {"answer": CONFIRM}), Option("修改", FLOW, {"answer": CHANGE}),
                    Option("取消", FLOW, {"answer": DROP}))


def _edit_options() -> tuple[Option, ...]:
    return tuple(Option(q.label, FLOW, {"answer": q.label}) for q in QUESTIONS)


def _yes_no() -> tuple[Option, ...]:
    return Option("同意", FLOW, {"answer": "同意"}), Option("不同意", FLOW, {"answer": "不同意"})


def _summary(ctx: Context, row: Registration, said: str = "") -> Reply:
    lines = [f"{said}请核对您的登记：", *(f"{q.label}：{records.shown(row, q.key)}" for q in QUESTIONS)]
    phone = _phone_known(ctx)
    lines.append(f"手机：{phone}（已验证）" if phone else "手机：未绑定")
    return Reply("\n".join(lines), _SUMMARY_OPTIONS)


def _phone_known(ctx: Context) -> str:
    """The worker's verified phone, masked: their SMS identity (texting from it, or linked by a code)."""
    masked = ctx.db.scalar(select(WorkerIdentity.address_masked).where(
        WorkerIdentity.worker_id == ctx.worker_id, WorkerIdentity.channel == "sms").limit(1))
    return str(masked or "").removeprefix("+86")


@handler
class MyRegistrationHandler:
    intents: ClassVar[tuple[str, ...]] = ("my_registration",)

    def handle(self, ctx: Context) -> Reply:
        row = records.mine(ctx.db, ctx.worker_id)
        if row is None or row.status != "active":
            return Reply("您还没有实名登记。登记后劳务办有培训、补贴、组织外出会通知您。",
                         (Option("实名登记", FLOW), HOME))
        shown = _summary(ctx, row, "您的实名登记：")  # shown, not a form: the next message is a message of its own
        return Reply(shown.text.replace("请核对您的登记：", ""), (Option("修改", FLOW, {"answer": CHANGE}), HOME))
