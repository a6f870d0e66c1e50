"""「跨省打工的路费补贴怎么申请」: the subsidies the office pays (seed 004), whether the worker may have
one (their own answers to its conditions: yes, no, not sure), what to bring, an application with a
number (their real name and home county, asked with the reason), 「我的补贴」 for its status and the
office's public list (公示) when published."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from sqlalchemy.orm import Session

from domain.cases import lifecycle as cases
from domain.local_time import local_today
from domain.messages import Option, Reply
from domain.registry import records
from domain.storage.models import SubsidyApplication, aware
from domain.subsidies import applications
from domain.subsidies.schemes import (
    SAID_LABEL,
    Said,
    Scheme,
    Verdict,
    by_key,
    named_in,
    next_condition,
    provinces_named,
    schemes,
    verdict,
)
from handlers.base import Context, FormHandler, handler
from handlers.guidance import TO_PERSON

HOME = Option("主菜单", "help")
RESUMABLE = timedelta(days=1)  # an application left longer than this is dropped, not resumed
RESUMED = "subsidy_resumed"
MINE = Option("我的补贴", "my_subsidies")
APPLY_FLOW = "subsidy_apply"
CANCEL = re.compile(r"^(?:取消|不弄了|不办了|不申请了|不要了|算了|算了吧|退出|不想申请了?|菜单|主菜单|返回)[!！。 ]*$")
STAGE, MISSES = "subsidy_stage", "subsidy_misses"  # not "misses": DialogueState keeps its own
ASK_NAME = ("申请要用本人真实姓名（核对材料和公示用，加密保存，公示时只显示姓）。请回复您的姓名：")
ASK_COUNTY = "户籍在哪个县、乡镇？（比如：大宁县曲峨镇）"
PLACE = re.compile(r"[县区市旗镇乡村屯]")
SPLIT = re.compile(r"[\s，,。、]+")


def _scheme_options() -> tuple[Option, ...]:
    return tuple(Option(s.name, "subsidy_check", {"scheme": s.key}) for s in schemes())


@handler
class SubsidyListHandler:
    """「有什么补贴能申请」: the schemes, or straight to the one named (「路费补贴怎么申请」)."""

    intents: ClassVar[tuple[str, ...]] = ("find_subsidy",)

    def handle(self, ctx: Context) -> Reply:
        ctx.state.flow = None
        named = named_in(ctx.text)
        if named is not None:
            year = local_today(datetime.now(UTC)).year
            applied = applications.live(ctx.db, ctx.worker_id, named.key, year)
            if applied is not None:  # 「交通补助怎么申请」 from one who has applied: where it stands
                return Reply(f"您今年已经申请过：{applications.status_line(applied)}", (MINE, TO_PERSON, HOME))
            return _ask(named, {}, lead=named.headline)
        return Reply("劳务办可以申请的补贴，回复序号看能不能领：", (*_scheme_options(), MINE))


@handler
class SubsidyCheckHandler:
    """One condition a turn, 1 是 2 不是 3 不清楚 (or in words); then the verdict."""

    intents: ClassVar[tuple[str, ...]] = ("subsidy_check",)

    def handle(self, ctx: Context) -> Reply:
        scheme = by_key(str(ctx.payload.get("scheme", "")))
        if scheme is None:
            return Reply("劳务办可以申请的补贴，回复序号看能不能领：", (*_scheme_options(), MINE))
        answers = {str(k): str(v) for k, v in dict(ctx.payload.get("answers") or {}).items()}
        step, said = ctx.payload.get("step"), ctx.payload.get("said")
        if step and said in set(Said):
            answers[str(step)] = str(said)
        decided = verdict(scheme, answers)
        if decided is None:
            return _ask(scheme, answers, lead="" if answers else scheme.headline)
        if decided == Verdict.NOT_ELIGIBLE:
            return _not_eligible(scheme, answers)
        return _eligible(scheme, answers, decided)


def _ask(scheme: Scheme, answers: dict[str, str], lead: str = "") -> Reply:
    condition = next_condition(scheme, answers)
    assert condition is not None
    options = tuple(Option(SAID_LABEL[said], "subsidy_check",
                           {"scheme": scheme.key, "answers": answers, "step": condition.key, "said": said.value})
                    for said in Said)
    prefix = f"{lead}\n先看您能不能领：" if lead else ""
    return Reply(f"{prefix}{condition.ask}", options)


def _not_eligible(scheme: Scheme, answers: dict[str, str]) -> Reply:
    failed = next(c for c in scheme.conditions if answers.get(c.key) == Said.NO)
    others = tuple(Option(s.name, "subsidy_check", {"scheme": s.key}) for s in schemes() if s.key != scheme.key)
    return Reply(f"按您说的，{failed.missing}可以看看别的补贴：", (*others[:2], TO_PERSON, HOME))


def _eligible(scheme: Scheme, answers: dict[str, str], decided: Verdict) -> Reply:
    unsure = [c for c in scheme.conditions if answers.get(c.key) == Said.UNSURE]
    lead = "按您说的，可以申请。" if decided == Verdict.ELIGIBLE else \
        f"可能可以申请，您不确定的（{'、'.join(c.ask.split('（')[0].rstrip('？吗') for c in unsure)}）工作人员会核实。"
    text = f"{lead}要带：{'、'.join(scheme.documents)}。到{scheme.where}办。"  # short: an SMS holds 134 characters
    if scheme.courses:
        return Reply(text, (Option("看培训班", "find_course"), MINE, HOME))
    return Reply(text + "也可以先在这里申请，拿个编号：",
                 (Option("要，现在申请", "subsidy_apply", {"scheme": scheme.key, "answers": answers}),
                  Option("不用，先不申请", "help")))


@handler
class SubsidyApplyHandler(FormHandler):
    """The application: the worker's name, then the home county; filed with a number. While it is open
    every message is an answer; 「取消」 drops it."""

    intents: ClassVar[tuple[str, ...]] = (APPLY_FLOW,)

    def resume(self, db: Session, worker_id: int) -> dict[str, Any] | None:
        """A draft of the last day goes on (a case's form comes first); an older one is dropped."""
        draft = applications.open_draft(db, worker_id)
        if draft is None or cases.open_draft(db, worker_id) is not None:
            return None
        if aware(draft.updated_at) < datetime.now(UTC) - RESUMABLE:
            applications.drop(db, draft)
            return None
        return {"flow": APPLY_FLOW, "application": draft.id, STAGE: "name" if not draft.name_enc else "county",
                RESUMED: True}

    def handle(self, ctx: Context) -> Reply:
        draft = self._draft(ctx)
        if draft is None:
            return self._start(ctx)
        answer = str(ctx.payload.get("answer") or ctx.text).strip()
        if CANCEL.match(answer):
            applications.drop(ctx.db, draft)
            self._close(ctx)
            return Reply("已取消，申请没有提交。", (Option("看补贴", "find_subsidy"), HOME))
        if ctx.state.data.pop(RESUMED, False):  # back after a while: the open question again, nothing read
            scheme = by_key(draft.scheme)
            asked = ASK_COUNTY if ctx.state.data.get(STAGE) == "county" else ASK_NAME
            return Reply(f"接着上次没填完的{scheme.name if scheme else '补贴'}申请（回复「取消」可退出）：\n{asked}")
        if ctx.state.data.get(STAGE) == "county":
            return self._county(ctx, draft, answer)
        return self._name(ctx, draft, answer)

    def _draft(self, ctx: Context) -> SubsidyApplication | None:
        row_id = ctx.state.data.get("application")
        if ctx.state.flow != APPLY_FLOW or not row_id:
            return None
        row = ctx.db.get(SubsidyApplication, int(row_id))
        return row if row is not None and row.status == "draft" and row.worker_id == ctx.worker_id else None

    def _start(self, ctx: Context) -> Reply:
        scheme = by_key(str(ctx.payload.get("scheme", "")))
        answers = {str(k): str(v) for k, v in dict(ctx.payload.get("answers") or {}).items()}
        if scheme is None or scheme.courses or verdict(scheme, answers) in (None, Verdict.NOT_ELIGIBLE):
            return Reply("先看看能不能领：", (*_scheme_options(), HOME))  # an old option, or eligibility not asked
        year = local_today(datetime.now(UTC)).year
        draft = applications.start(ctx.db, ctx.worker_id, scheme, answers=answers, channel=ctx.origin, year=year)
        ctx.state.flow = APPLY_FLOW
        ctx.state.data.update({"application": draft.id, STAGE: "name", MISSES: 0})
        return Reply(f"申请{scheme.name}，两个问题，随时回复「取消」可退出。\n{ASK_NAME}")

    def _name(self, ctx: Context, draft: SubsidyApplication, answer: str) -> Reply:
        first, _, rest = SPLIT.sub(" ", answer).partition(" ")
        name = applications.read_name(answer) or (applications.read_name(first) if PLACE.search(rest) else None)
        if name is None:
            return self._missed(ctx, "请只回复您的姓名，比如「张建国」。不想实名就回复「取消」（申请补贴要实名）。")
        applications.name_given(draft, ctx.cipher, name)
        ctx.state.data.update({STAGE: "county", MISSES: 0})
        if rest and PLACE.search(rest):  # 「张建国 大宁县曲峨镇」: both at once
            return self._county(ctx, draft, rest)
        return Reply(f"好的，{draft.name_masked}。{ASK_COUNTY}")

    def _county(self, ctx: Context, draft: SubsidyApplication, answer: str) -> Reply:
        place = records.read("home", answer)
        if not place or not (PLACE.search(place) or provinces_named(place)):
            return self._missed(ctx, f"请回复户籍所在的县和乡镇。{ASK_COUNTY}")
        scheme = by_key(draft.scheme)
        assert scheme is not None
        filed = applications.submit(ctx.db, draft, place)
        self._close(ctx)
        row = filed.application
        if not filed.created:
            return Reply(f"您今年已经申请过{scheme.name}，编号{row.number}：{applications.STATUS_LABEL[row.status]}。",
                         (MINE, HOME))
        return Reply(f"已提交，编号{row.number}，请记下。带上材料到{scheme.where}核对，审核结果会在这里告诉您。"
                     "回复「我的补贴」查进度。", (MINE, HOME))

    def _missed(self, ctx: Context, hint: str) -> Reply:
        misses = int(ctx.state.data.get(MISSES, 0)) + 1
        ctx.state.data[MISSES] = misses
        if misses >= 3:  # a way on, not the same question again: the draft goes, nothing is filed
            draft = self._draft(ctx)
            if draft is not None:
                applications.drop(ctx.db, draft)
            self._close(ctx)
            return Reply("还是没看明白，申请先没有提交。想申请时再回复「申请补贴」，也可以转人工帮您办。",
                         (TO_PERSON, Option("看补贴", "find_subsidy"), HOME))
        if misses == 2:
            return Reply(f"{hint}\n也可以：", (TO_PERSON, Option("取消申请", APPLY_FLOW, {"answer": "取消"})))
        return Reply(hint)

    @staticmethod
    def _close(ctx: Context) -> None:
        ctx.state.flow = None
        for key in ("application", STAGE, MISSES):
            ctx.state.data.pop(key, None)


@handler
class MySubsidiesHandler:
    intents: ClassVar[tuple[str, ...]] = ("my_subsidies",)

    def handle(self, ctx: Context) -> Reply:
        ctx.state.flow = None
        rows = [r for r in applications.mine(ctx.db, ctx.worker_id) if r.status != "draft"]
        if not rows:
            return Reply("您还没有申请补贴。", (Option("看能申请的补贴", "find_subsidy"), HOME))
        withdraw = [Option(f"撤回{r.number}", "subsidy_withdraw", {"number": r.number})
                    for r in rows if r.status in ("submitted", "need_more")]
        return Reply("您的补贴申请：\n" + "\n".join(applications.status_line(r) for r in rows[:5]),
                     (*withdraw[:2], Option("补贴公示", "subsidy_public"), HOME))


@handler
class SubsidyWithdrawHandler:
    intents: ClassVar[tuple[str, ...]] = ("subsidy_withdraw",)

    def handle(self, ctx: Context) -> Reply:
        row = applications.withdraw(ctx.db, ctx.worker_id, str(ctx.payload.get("number", "")))
        if row is None:
            return Reply("这个申请已经不能撤回了，有疑问请转人工。", (MINE, TO_PERSON, HOME))
        return Reply(f"已撤回{row.number}。", (Option("看能申请的补贴", "find_subsidy"), HOME))


@handler
class SubsidyPublicHandler:
    intents: ClassVar[tuple[str, ...]] = ("subsidy_public",)

    def handle(self, ctx: Context) -> Reply:
        ctx.state.flow = None
        rows = applications.public_list(ctx.db, limit=ctx.page_size * 2)
        if not rows:
            return Reply("劳务办还没有公示补贴名单。公示后会在这里能查到。", (MINE, HOME))
        return Reply("补贴公示（只显示姓）：\n" + "\n".join(applications.public_line(r) for r in rows)
                     + "\n对名单有异议请转人工。", (MINE, TO_PERSON, HOME))
