"""Complaint and wage-arrears intake: a short form, one question a turn, filled from the first message
where it already says a lot; a summary with 「1 确认提交 2 修改 3 取消」; a case number on filing.

While a form is open every message is an answer (the pipeline routes it here; only 转人工 escapes),
「取消」 works at every step, and a photo or voice note is kept as evidence. The draft is a case row
updated every turn, so a Redis restart mid-form resumes from the database.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from typing import Any, ClassVar

from sqlalchemy.orm import Session

from domain.cases import lifecycle as cases
from domain.cases.facts import CATEGORY_BY_KEY, TIME_LIMIT, guess_category, plainly_about, time_limit_applies
from domain.cases.vocabulary import Kind, Status
from domain.crypto import mask_address, mask_text
from domain.messages import Channel, Option, Reply
from domain.storage.models import Case, CaseGroup
from handlers import policy
from handlers.base import Context, FormHandler, handler
from handlers.guidance import HOME, TO_PERSON
from handlers.intake import fields
from handlers.intake.forms import FAMILY_NEEDS, FORMS, TITLES, Slot, read_need
from handlers.menu import menu_reply
from nlu.result import Entity, NluResult
from nlu.service import ABOUT_RIGHTS

KIND_OF_INTENT = {"file_complaint": Kind.COMPLAINT, "report_wage_arrears": Kind.WAGE_ARREARS,
                  "family_help": Kind.FAMILY_HELP}
CANCEL = re.compile(
    r"^(取消|取消登记|不弄了|不办了|算了|算了吧|退出|不报了|不投诉了|不登记了|菜单|主菜单|返回)[!！。 ]*$")
EDIT = re.compile(r"^(修改|改|改一下|我要改|写错了|不对)[!！。 ]*$")
# 「对的 提交吧」「没问题 就这样」: a confirmation in the worker's words (but not 「先别提交」).
SUBMIT = re.compile(r"提交|确认|没问题|没错|就这样|对的|是的|可以了|就是这些|都对|冇问题|冇错|係啦")
# 「对 就是这些」「好 交吧」: a summary confirmed in words begins with yes …
CONFIRMS = re.compile(r"^(?:1|是|对|好|行|嗯|可以|确认|确定|提交|没错|没问题|没有问题|没毛病|没得问题|冇得问题|ok|係|"
                      r"冇问题|冇错|妥|要得|啱|都对|无误|搞定|发吧|交吧|发过去|交上去|中$|得$)", re.I)
# … and holds nothing back
HOLD_BACK = re.compile(r"不对|不是|不行|不要|不能|别|错了|有错|写错|改|等等|等一下|取消|还没")
CONFIRM, CHANGE, DROP = "确认提交", "修改", "取消"
SUMMARY_OPTIONS = (Option(CONFIRM, "intake", {"answer": CONFIRM}), Option(CHANGE, "intake", {"answer": CHANGE}),
                   Option(DROP, "intake", {"answer": DROP}))
STAGE = "_stage"  # slot:<name> | summary | edit | edit:<name>
MISSES = "_misses"  # per question: answers not understood, so the same question never loops
SKIPPED = "_skipped"  # questions the worker chose to skip
NODDED = "_nodded"  # the first question was answered with a nod (「好的」): asked again, not counted as a miss
SKIP = "__skip__"
LAST = "_last"  # the question answered last: what 「不对 是东莞」 puts right
CORRECTION = re.compile(r"^([^\s，,。]{0,6}?)(?:不对|错了|说错了|搞错了|打错了|写错了|改一下|不是[^\s，,。]{0,8})"
                        r"[，,。\s]*(?:是|应该是|改成|改为)\s*(.+)$")
# 「老板名字写错了 是李建军」「不是郑州 是新郑」: the answer put right, named or by what it says.
CORRECTS = {"employer": re.compile(r"老板|名字|公司|单位|厂名|工头"), "site": re.compile(r"地方|地点|工地|城市|在哪"),
            "amount": re.compile(r"钱|金额"), "months": re.compile(r"几个月|月数"),
            "people": re.compile(r"人数|几个人")}
# At the summary: 「不对 钱是两万六」「老板叫李建军」 — a line named, then what it should say.
SUMMARY_FIX = re.compile(r"^(?:不对|错了|说错了|搞错了|写错了|打错了|改一下|改下|改)?[，,。\s]*"
                         r"(?P<what>[^\s，,。是叫不]{0,6}?)(?:应该是|改成|改为|写成|其实是|是|叫)\s*"
                         r"(?P<value>(?![不否没我你他她人])\S.*)$")  # not 「老板叫我明天去拿钱」「老板是不是跑了」
SUMMARY_LINES = {**CORRECTS, "phone": re.compile(r"电话|手机|号码"), "when": re.compile(r"时间|时候|哪天|几月")}
BY_UNIT = {"months": re.compile(r"个月"), "people": re.compile(r"个人|人$"),
           "amount": re.compile(r"[万千元块]|^\d{4,7}$")}  # 「两万六」 arrives as 26000


@handler
class IntakeHandler(FormHandler):  # while a form is open, every message is an answer
    intents: ClassVar[tuple[str, ...]] = ("file_complaint", "report_wage_arrears", "family_help", "intake_confirmed",
                                          "intake")

    def resume(self, db: Session, worker_id: int) -> dict[str, Any] | None:
        """State to rebuild when Redis lost the conversation but the draft is in the database."""
        draft = cases.open_draft(db, worker_id)
        return {"flow": "intake", "case": draft.id, "resumed": True} if draft is not None else None

    def handle(self, ctx: Context) -> Reply:
        draft = self._draft(ctx)
        if draft is None:
            if ctx.nlu.intent == "intake_confirmed":  # 「1 是，开始登记」 after we asked
                kind = str(ctx.payload.get("kind", ""))
                if kind in FORMS:
                    return self._start(ctx, kind, dict(ctx.payload.get("details") or {}))
            kind = KIND_OF_INTENT.get(ctx.nlu.intent) or ""
            if kind not in FORMS:  # an old option picked after the form ended
                ctx.state.flow = None
                return menu_reply("这次登记已经结束了。请回复数字：")
            # A question about rights (「中介可以收押金吗」) or a report only the model read as one
            # (「干了三年 老板说明天不用来了」) is answered from the law first when an article clearly does,
            # the form offered after it. Otherwise a plain report opens the form (「老板不给工资咋整」),
            # and a guess of the model's asks first (「帮我订张火车票」 was once read as arrears).
            asks = (ctx.nlu.source in ("rasa", "rules") and kind != Kind.FAMILY_HELP
                    and policy.RIGHTS_QUESTION.search(ctx.text) is not None)
            guessed = ctx.nlu.source == "rasa" and not plainly_about(kind, ctx.text)
            if asks or guessed:
                answered = policy.answer(ctx, gaps=guessed)  # a plain report is no gap's: the form opens
                if answered is not None:
                    return answered
            if guessed:
                return Reply(f"您是要登记{TITLES[kind]}吗？", (
                    Option("是，开始登记", "intake_confirmed",
                           {"kind": kind, "details": {"kind": kind, "first": mask_text(ctx.text)}}),
                    Option("不是，看看能办什么", "help")))
            started = self._start(ctx, kind)
            # the law on it, then the first question (family help: only when asked, 「有没有留守儿童的帮扶」)
            asked_law = kind != Kind.FAMILY_HELP or policy.RIGHTS_QUESTION.search(ctx.text) is not None
            law = policy.law_line(ctx) if asked_law else ""
            if law and ctx.origin == Channel.SMS.value:  # the question on the first SMS, the law after it
                return Reply(f"{started.text}\n{law}", started.options)
            return Reply(f"{law}\n{started.text}", started.options) if law else started
        ctx.state.flow = "intake"
        prefix = "接着上次没填完的登记：\n" if ctx.state.data.pop("resumed", False) else ""
        reply = self._answer(ctx, draft)
        return Reply(prefix + reply.text, reply.options) if prefix else reply

    # --- the turns ---------------------------------------------------------------------------

    def _draft(self, ctx: Context) -> Case | None:
        case_id = ctx.state.data.get("case")
        if ctx.state.flow != "intake" or not case_id:
            return None
        draft = ctx.db.get(Case, int(case_id))
        mine = draft is not None and draft.status == Status.DRAFT and draft.worker_id == ctx.worker_id
        return draft if mine else None

    def _start(self, ctx: Context, kind: str, details: dict[str, Any] | None = None) -> Reply:
        details = {**(details if details is not None else prefill(kind, ctx)), "opened_by": ctx.inbound_id}
        draft = cases.start_draft(ctx.db, ctx.worker_id, kind, ctx.origin, details)
        ctx.state.flow = "intake"
        ctx.state.data["case"] = draft.id
        heard = heard_from_first(kind, details)
        reply = self._next(ctx, draft, dict(details))
        intro = f"好的，登记{TITLES[kind]}，几个问题，随时回复「取消」可退出。{heard}\n"
        return Reply(intro + reply.text, reply.options)

    def _answer(self, ctx: Context, draft: Case) -> Reply:
        d: dict[str, Any] = dict(draft.details)
        answer = str(ctx.payload.get("answer") or ctx.text).strip()
        stage = str(d.get(STAGE, ""))
        if CANCEL.match(answer) or answer == DROP:
            return self._cancel(ctx, draft)
        media = [str(m) for m in ctx.payload.get("media") or []]
        if media:
            d["media"] = [*d.get("media", []), *media]
            cases.event(ctx.db, draft, "evidence", count=len(media))
            slot = _slot(d, stage)
            if slot is not None and slot.name in ("evidence", "story"):
                if slot.name == "evidence":
                    d.setdefault("evidence", [])  # answered: the photo is the evidence
                else:
                    d["story"] = "（见照片或语音）"
                return self._next(ctx, draft, d, said="收到，已附在这次登记里。")
            self._save(draft, d)
            return self._ask(ctx, draft, d, stage, said="收到，已附在这次登记里。")
        if stage == "summary":
            answer = fields.bare(answer) or answer
            fixed = self._summary_correction(ctx, draft, d, answer)  # 「是3个人」 puts a line right, not a yes
            if fixed is not None:
                return fixed
            said_yes = SUBMIT.search(answer) is not None or CONFIRMS.match(answer) is not None
            if fields.YES.match(answer) or answer == CONFIRM or (said_yes and HOLD_BACK.search(answer) is None):
                return self._file(ctx, draft, d)
            if EDIT.match(answer) or answer == CHANGE:
                d[STAGE] = "edit"
                self._save(draft, d)
                return self._edit_menu(d)
            named = next((s for s in _slots(d) if answer.removeprefix("改") in (s.label, s.name)), None)
            if named is not None:  # 「改时间」: straight to that field
                return self._edit_field(draft, d, named)
            return self._missed(ctx, draft, d, stage)
        if stage == "edit":
            slot = next((s for s in _slots(d) if answer in (s.label, s.name)), None)
            if slot is None:
                return self._edit_menu(d, said="请回复要改的那一项的数字。")
            return self._edit_field(draft, d, slot)
        slot = _slot(d, stage)
        if slot is None:
            return self._next(ctx, draft, d)
        if answer == SKIP:  # 「跳过这一项」 after three misses: asked no more, shown as skipped
            return self._skip(ctx, draft, d, slot)
        corrected = self._correction(ctx, draft, d, stage, answer)
        if corrected is not None:
            return corrected
        filled = slot.read(answer, ctx.nlu)
        if slot.name == "phone" and ctx.sender_phone and filled is None and (
                answer == THIS_NUMBER or (THIS_ONE.match(fields.bare(answer) or answer) and not REFUSES.search(answer))
                or fields.consent(answer, ctx.nlu) == {"consent": True}):
            filled = {"phone": ctx.sender_phone.removeprefix("+86"), "anonymous": False}  # 「可以」: the number texting
        aside = self._aside(ctx, draft, d, stage, slot, answer, filled)
        if aside is not None:
            return aside
        if slot.name in FREE_TEXT or filled is None:  # a question that reads the answer keeps it
            elsewhere = self._answer_for_another(ctx, draft, d, slot, answer)
            if elsewhere is not None:
                return elsewhere
        filled = _in_own_words(filled, ctx, slot)
        if filled is None:
            if fields.nod(answer) and LAST not in d and not d.get(NODDED):
                # 「好的」 to the form's opening (「好的，登记欠薪求助，几个问题…」): an acknowledgement, not a miss
                d[NODDED] = True
                self._save(draft, d)  # a second nod is a miss: counted, so the skip offer comes in time
                return self._ask(ctx, draft, d, stage, said="好的，请说：")
            return self._missed(ctx, draft, d, stage)
        d.update(seal(filled, ctx))
        _per_person_total(d)
        _note_age(d, answer)
        d[LAST] = slot.name
        if stage.startswith("edit:"):
            return self._summary(ctx, draft, d)
        return self._next(ctx, draft, d)

    def _answer_for_another(self, ctx: Context, draft: Case, d: dict[str, Any], slot: Slot,
                            answer: str) -> Reply | None:
        """An answer to a question still to come (「大概一万五吧」 asked where they worked, 「就我一个人」
        asked how much): kept for that question, and the one now open asked again — it is neither
        recorded as the answer to this one nor counted as not understood. Only an answer that is
        plainly and wholly the other thing: 「郑州 今年3月开始」 is a place, whatever its digits."""
        pending = {s.name for s in _slots(d) if s.name not in d and s.needed(d)} - {slot.name}
        if slot.name == "site":
            pending.discard("months")  # 「干了三个月」 asked where and since when: how long they worked
        other = fields.plainly_for(answer, pending)
        if other is None or fields.plainly_for(answer, {slot.name}) is not None:
            return None
        target = next(s for s in _slots(d) if s.name == other)
        filled = _in_own_words(target.read(answer, ctx.nlu), ctx, target)
        if not filled or other not in filled:
            return None
        d.update(seal(filled, ctx))
        _per_person_total(d)
        self._save(draft, d)
        return self._ask(ctx, draft, d, str(d.get(STAGE, "")), said=f"已记下（{target.label}）：{show(other, d)}。\n")

    def _aside(self, ctx: Context, draft: Case, d: dict[str, Any], stage: str, slot: Slot, answer: str,
               filled: dict[str, Any] | None) -> Reply | None:
        """A question about rights put in the middle of the form (「辞职要提前多久说」 asked for the boss's
        name, once recorded as the name): answered from the law, and the question now open asked again.
        Not a story told when asked what happened, not an answer the open question reads (「没签合同
        行吗」 to the evidence question is evidence), and only a question the law answers with confidence."""
        asides = dict(d.get(ASIDES, {}))
        if slot.name == "story" or ctx.payload.get("answer"):
            return None
        if int(asides.get(stage, 0)) >= MAX_ASIDES:  # enough asides here: plainly no answer is a miss (the way
            # on comes in time), anything else is read as the answer
            plainly_not = (WANTS_WORK.match(answer) or ASKS_FOR_WORK.search(answer) or ASKS_STATUS.search(answer)
                           or WHERE_TO_COMPLAIN.search(answer))
            read = filled is not None and slot.name not in FREE_TEXT  # 「有没有活」 is no site, but 「2」 people is
            return self._missed(ctx, draft, d, stage) if plainly_not and not read else None
        if filled is not None and slot.name not in FREE_TEXT:
            return None  # read as the answer (「村里有没有人帮忙干地里的活」 asked what the family needs)
        if (WANTS_WORK.match(answer) or ASKS_FOR_WORK.search(answer)) and not ABOUT_RIGHTS.search(answer):
            # 「找工作 深圳 电子厂」 asked when it happened: once recorded as the date
            d[ASIDES] = {**asides, stage: int(asides.get(stage, 0)) + 1}
            self._save(draft, d)
            return self._ask(ctx, draft, d, stage, said=f"{LATER_SEARCH}\n接着登记：")
        if ASKS_STATUS.search(answer) and not fields.UNKNOWN.match(fields.clean(answer)):
            # 「查询进度」 in the middle of a form (once recorded as the boss's name): the cases filed, then on
            d[ASIDES] = {**asides, stage: int(asides.get(stage, 0)) + 1}
            self._save(draft, d)
            filed = cases.worker_cases(ctx.db, ctx.worker_id, None)
            lines = "\n".join(cases.status_line(c) for c in filed) if filed else "您还没有已提交的登记。"
            return self._ask(ctx, draft, d, stage, said=f"{lines}\n接着登记：")
        asks = policy.asks_aside(answer)
        if not asks and not WHERE_TO_COMPLAIN.search(answer):
            return None
        first, _, rest = fields.clean(answer).partition(" ")
        if (rest and _answers_by_itself(slot.name, first, ctx.nlu) and not policy.asks_aside(first)
                and policy.asks_aside(rest)):
            # 「华达劳务 押金能退吗」 asked the agency's name: the name kept, the question answered after it
            answered = policy.answer(dataclasses.replace(ctx, text=rest))
            if answered is None:
                return None
            d.update(seal(slot.read(first, ctx.nlu) or {}, ctx))
            d[LAST] = slot.name
            reply = self._next(ctx, draft, d)
            return Reply(f"{answered.text}\n接着登记：{reply.text}", reply.options)
        answered = policy.answer(ctx) if asks else None
        if answered is None and WHERE_TO_COMPLAIN.search(answer):
            said = WHERE_TO_GO.format(place=f"{d.get('city', '')}{d.get('district', '')}" or "干活所在地")
        elif answered is None and OWN_QUESTION.search(answer) and not DONT_KNOW.search(answer) \
                and not _hedged_answer(slot.name, answer):
            # 「这种情况能报警吗」 asked the boss's name (once recorded as the name): kept for staff, not guessed at
            d[QUESTIONS] = [*d.get(QUESTIONS, []), mask_text(answer)[:200]]
            said = NOTED
        elif answered is None:
            return None
        else:
            said = answered.text
        d[ASIDES] = {**asides, stage: int(asides.get(stage, 0)) + 1}
        self._save(draft, d)
        return self._ask(ctx, draft, d, stage, said=f"{said}\n接着登记：")

    def _correction(self, ctx: Context, draft: Case, d: dict[str, Any], stage: str, answer: str) -> Reply | None:
        """「不对 是东莞」 right after answering where: the answer before is put right, and the question
        now open is asked again. None when the message is not a correction of the last answer."""
        said = CORRECTION.match(answer)
        if said is None:
            return None
        named = next((name for name, words in CORRECTS.items() if said.group(1) and words.search(said.group(1))), None)
        last = _slot(d, f"slot:{named or d.get(LAST, '')}")
        if last is None or last.name in ("phone", "consent") or last.name not in d:
            return None
        filled = last.read(said.group(2), ctx.nlu)
        if filled is None:
            return None
        d.update(seal(filled, ctx))
        _per_person_total(d)
        self._save(draft, d)
        return self._ask(ctx, draft, d, stage, said=f"已改：{last.label}：{show(last.name, d)}。\n")

    def _summary_correction(self, ctx: Context, draft: Case, d: dict[str, Any], answer: str) -> Reply | None:
        """「不对 钱是两万六」「老板叫李建军」「人数是5个」 at the summary: that line put right and the summary
        shown again, rather than 「请回复1确认提交…」. None when the message names no line and no value."""
        said = SUMMARY_FIX.match(answer)
        if said is None:
            return None
        what, value = said.group("what") or "", said.group("value")
        named = next((name for name, words in SUMMARY_LINES.items() if words.search(what)), None)
        if named is None and not what:  # 「不对 是两万六」: the line told by what the value says
            named = next((name for name, unit in BY_UNIT.items() if unit.search(value)), None)
        slot = _slot(d, f"slot:{named}") if named else None
        if slot is None:
            return None
        filled = slot.read(value, ctx.nlu)
        if filled is None:
            return None
        d.update(seal(filled, ctx))
        _per_person_total(d)
        return self._summary(ctx, draft, d, said=f"已改：{slot.label}：{show(slot.name, d)}。\n")

    def _next(self, ctx: Context, draft: Case, d: dict[str, Any], said: str = "") -> Reply:
        slot = next((s for s in _slots(d) if s.name not in d and s.needed(d)), None)
        if slot is None:
            return self._summary(ctx, draft, d, said)
        d[STAGE] = f"slot:{slot.name}"
        self._save(draft, d)
        return _question(ctx, slot, d, said)

    def _ask(self, ctx: Context, draft: Case, d: dict[str, Any], stage: str, said: str) -> Reply:
        if stage == "summary":
            return self._summary(ctx, draft, d, said)
        if stage == "edit":
            return self._edit_menu(d, said)
        slot = _slot(d, stage)
        return _question(ctx, slot, d, said) if slot else self._next(ctx, draft, d, said)

    def _missed(self, ctx: Context, draft: Case, d: dict[str, Any], stage: str) -> Reply:
        """An answer not understood. The second time the question comes with a hint; the third, the
        worker gets a way on (skip, a person, cancel) instead of the same question again."""
        misses = {**d.get(MISSES, {}), stage: int(d.get(MISSES, {}).get(stage, 0)) + 1}
        d[MISSES] = misses
        self._save(draft, d)
        if stage == "summary":  # the summary again once with what to reply, never a third time
            if misses[stage] >= 2:
                return Reply("还是没看明白。请回复数字：", (*SUMMARY_OPTIONS[:2], TO_PERSON))
            return self._summary(ctx, draft, d, said="请回复1确认提交、2修改或3取消。")
        slot = _slot(d, stage)
        if misses[stage] >= 4 and slot is not None:  # the way on was offered and not taken: go on, not again
            return self._skip(ctx, draft, d, slot, said="这一项先跳过，工作人员以后再问您。\n")
        if misses[stage] >= 3 and slot is not None:
            skip = Option("跳过这一项", "intake", {"answer": SKIP})
            drop = Option("取消登记", "intake", {"answer": DROP})
            return Reply("还是没看明白。这一项可以先跳过，工作人员以后再问您：", (skip, TO_PERSON, drop))
        if misses[stage] == 2:
            return self._ask(ctx, draft, d, stage, said="换个说法：说您知道的就行，不清楚就说「不知道」。\n")
        return self._ask(ctx, draft, d, stage, said="没看明白。")

    def _skip(self, ctx: Context, draft: Case, d: dict[str, Any], slot: Slot, said: str = "") -> Reply:
        """A question asked no more, shown as skipped in the summary."""
        d[slot.name] = None
        d[SKIPPED] = [*d.get(SKIPPED, []), slot.name]
        return self._next(ctx, draft, d, said)

    def _summary(self, ctx: Context, draft: Case, d: dict[str, Any], said: str = "") -> Reply:
        d[STAGE] = "summary"
        self._save(draft, d)
        lines = [f"{said}请核对{TITLES[d['kind']]}："] if said else [f"请核对{TITLES[d['kind']]}："]
        lines += [f"{s.label}：{show(s.name, d)}" for s in _slots(d) if s.needed(d) or s.name in d]
        if time_limit_applies(d):
            lines.append(TIME_LIMIT)
        return Reply("\n".join(lines), SUMMARY_OPTIONS)

    def _edit_menu(self, d: dict[str, Any], said: str = "") -> Reply:
        options = tuple(Option(s.label, "intake", {"answer": s.label}) for s in _slots(d) if s.needed(d) or s.name in d)
        return Reply(f"{said}改哪一项？", options)

    def _edit_field(self, draft: Case, d: dict[str, Any], slot: Slot) -> Reply:
        d[STAGE] = f"edit:{slot.name}"
        self._save(draft, d)
        return Reply(slot.alone or slot.ask, slot.options)

    def _cancel(self, ctx: Context, draft: Case) -> Reply:
        cases.cancel_draft(ctx.db, draft)
        ctx.state.flow = None
        ctx.state.data.pop("case", None)
        return menu_reply("已取消，这次登记没有提交（您发的内容仍保存着，需要时可以再登记）。请回复数字：")

    def _file(self, ctx: Context, draft: Case, d: dict[str, Any]) -> Reply:
        d.pop(STAGE, None)
        draft.details = d
        case = cases.file_case(ctx.db, draft, ctx.cipher)
        ctx.state.flow = None
        ctx.state.data.pop("case", None)
        spoken = " ".join(re.findall(r"[A-Z]+|\d{4}", case.number))
        lines = [f"已提交。编号{case.number}（{spoken}），请记下。",
                 "24小时内工作人员会在这里答复您。回复「查询进度」随时查看。"]
        group = ctx.db.get(CaseGroup, case.group_id) if case.group_id else None
        if group is not None and group.cases > 1:
            lines.append(f"同一老板已有{group.cases}份反映（约{group.workers_total}人），会一起处理。")
        if case.kind == Kind.WAGE_ARREARS:
            place = f"{d.get('city', '')}{d.get('district', '')}" or "干活所在地"
            lines.append(f"核实后会转给{place}的劳动保障监察部门。考勤、工资条、聊天记录请留好。")
        if case.kind == Kind.FAMILY_HELP:
            lines[1] = f"已转给{d.get('home') or '老家'}的联系人，24小时内在这里答复您。回复「查询进度」随时查看。"
        if time_limit_applies(d):
            lines.append(TIME_LIMIT)
        if d.get(QUESTIONS):
            lines.append(f"您登记时问的{len(d[QUESTIONS])}个问题，工作人员会一并答复。")
        if case.anonymous:
            lines.append("您选择了匿名：工作人员只能在这里回复您。")
        return Reply("\n".join(lines), (Option("查询进度", "check_status"), TO_PERSON, HOME))

    @staticmethod
    def _save(draft: Case, d: dict[str, Any]) -> None:
        draft.details = dict(d)  # a new dict: SQLAlchemy saves a reassigned JSON value


def _in_own_words(filled: dict[str, Any] | None, ctx: Context, slot: Slot) -> dict[str, Any] | None:
    """An amount read back in the worker's own words: 「两万多」, not 「20000多」 (only the money of
    「3个月 两万多」)."""
    if filled is not None and "amount_said" in filled and ctx.raw and len(ctx.raw) <= 12:
        own = fields.words_for_amount(ctx.raw, int(filled["amount"] or 0)) or (
            ctx.raw.strip() if slot.name == "amount" else None)
        filled["amount_said"] = own or filled["amount_said"]
    return filled


def seal(filled: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """Personal data never sits in the draft in plain text: the phone is encrypted (shown masked),
    phone and ID numbers inside free text are masked (the original stays in the sealed transcript)."""
    out = {k: mask_text(v) if isinstance(v, str) and k != "phone" else v for k, v in filled.items()}
    phone = str(out.get("phone") or "")
    if phone:
        out["phone_enc"] = ctx.cipher.encrypt(phone)
        out["phone"] = mask_address(phone)
    return out


def _per_person_total(d: dict[str, Any]) -> None:
    """「每人八千」 with ten people owed is 80000 in all (said back as 每人8000×10人)."""
    each, people = d.get("amount_each"), d.get("people")
    if d.get("amount_per_person") and each and people:
        d["amount"] = int(each) * int(people)


def _slots(d: dict[str, Any]) -> tuple[Slot, ...]:
    return FORMS[str(d["kind"])]


def _slot(d: dict[str, Any], stage: str) -> Slot | None:
    name = stage.split(":", 1)[1] if ":" in stage else ""
    return next((s for s in _slots(d) if s.name == name), None)


def prefill(kind: str, ctx: Context) -> dict[str, Any]:
    """What the first message already says (「老板欠我们三个月工资 二十多个人」: 3 months, ~20 people)."""
    text = ctx.text if ctx.nlu.source not in ("option", "event") else ""
    d: dict[str, Any] = {"kind": kind}
    if not text:
        return d
    d["first"] = text = mask_text(text)
    if kind == Kind.FAMILY_HELP:  # 「老家老母亲没人照顾」: what is needed (and the story); a city is where they work
        return {**d, **(read_need(text, ctx.nlu) or {})}
    city = next((e for e in ctx.nlu.entities if e.name == "city"), None)
    if city is not None:
        d["city"] = str(city.value)
        if city.district:
            d["district"] = city.district
    employer = ctx.nlu.first("employer")
    if employer and not ROLE_ONLY.match(str(employer)):  # 「工头欠俺们钱」: who, not a name — asked
        d["employer"] = str(employer)
    amount = next((e for e in ctx.nlu.entities if e.name == "amount" and not _counts_heads(ctx.text, e)), None)
    if amount is not None:
        said = fields.words_for_amount(ctx.raw, int(amount.value)) if ctx.raw else None
        d.update(amount=int(amount.value), amount_said=said or amount.text or str(amount.value),
                 amount_approx=bool(amount.approximate))
    if kind == Kind.COMPLAINT:
        category = guess_category(text)
        if category:
            d["category"] = category
        if len(text) >= 8:
            d["story"] = text
    else:
        months = ctx.nlu.first("months")
        if months is None:  # 「俩月了」: the model saw no number
            in_words = fields.MONTHS.search(text.replace("俩", "2").replace("仨", "3"))
            months = int(in_words.group(1)) if in_words else None
        if months is None and re.search(r"(?<![一两二三四五六七八九十\d])半年", text):  # 「欠了半年的钱」
            months = 6
        if months is not None:
            d["months"] = int(months)
        people = fields.read_people(text)
        if people is None:
            count = ctx.nlu.first("person_count")
            people = int(count) if count else None
        if people is not None:
            d["people"] = people
            # 「三十多个人」, not the 多 of 「8000多」
            d["people_approx"] = bool(re.search(r"\d+\s*[多几来]\s*[个名位]?\s*(?:人|工人|兄弟|老乡|工友)", text))
        d["story"] = text
    _note_age(d, text)
    return d


ROLE_ONLY = re.compile(r"^(?:包工头|工头|老板|老细|公司|厂里|厂子|单位|班组长|中介|东家)$")
FREE_TEXT = frozenset({"employer", "site", "story", "when"})  # questions whose reader takes any words
# On SMS the number texting is known: asked whether to use it (a yes was once 「没看明白」), not typed again.
THIS_NUMBER = "用这个号码"
REFUSES = re.compile(r"不|别|换|莫|唔")  # 「用这个号码不行」
THIS_ONE = re.compile(r"^(?:就)?(?:用|打)?(?:这个|这|此)(?:个)?(?:号|号码|手机|电话)?(?:就行|就可以|可以|吧|呗)?$|"
                      r"^(?:就)?用(?:这个|它)")  # 「用这个」 to the SMS phone question: the number texting
SMS_PHONE = ("工作人员用您发短信的这个号码（尾号{tail}）联系您，可以吗？换号码就直接发新号码。不想留就回复「匿名」"
             "（匿名的话工作人员只能在这里回复您）。")
SMS_PHONE_OPTIONS = (Option("可以", "intake", {"answer": THIS_NUMBER}), Option("匿名", "intake", {"answer": "匿名"}))
# What a name or a place looks like on its own, before a question (「华达劳务 押金能退吗」), unlike the
# start of the question itself (「周末叫我们加班 加班费怎么算」).
LOOKS_LIKE = {
    "employer": re.compile(r"公司|厂|劳务|中介|建筑|工程|集团|店|酒店|餐馆|饭店|工地|包工头|工头|老板|项目|"
                           r"[A-Za-z]{2}"),
    "site": re.compile(r"省|市|区|县|镇|乡|村|路|街|工地|厂|小区|园区|广场|[A-Za-z]{2}"),
}
# A job search said first thing (「找工作 深圳 电子厂」), not a story that went through one (「去年3月找工作进的厂」)
WANTS_WORK = re.compile(r"(?:我|俺)?(?:还)?(?:想|要)?(?:顺便)?(?:找工作|找份?活|找个活|找份工|找点活|找事做|求职|揾工)|"
                        r"有(?:什么|啥|冇)活|招不招人")
LATER_SEARCH = "这个登记填完就帮您找活（不想填了回复「取消」）。"
# 「有没有包吃住的活」「你们那招人吗」: work wanted, asked as a question
ASKS_FOR_WORK = re.compile(r"有没有.{0,8}(?:活|工作|岗位|事做)(?:干|做)?[吗呢啊]?$|包吃住的(?:活|工作)|"
                           r"招不招人|(?:招人|招工|要人)[吗么]|要不要人")  # not 「鑫达劳务 天天在招人」, a name
# 「查询进度」「我上次报的那个怎么样了」: the worker's own cases
ASKS_STATUS = re.compile(r"^(?:查询?|查一下|看看)?(?:进度|我的登记|我的投诉)$|查询进度|查进度|"
                         r"(?:之前|上次|以前|前几天|早先)(?:报|登记|反映|投诉|提交)的.{0,8}(?:怎么样|咋样|进度|结果|处理|有消息)")
# 「那我能去哪里告他」: where to complain, which the form itself answers
WHERE_TO_COMPLAIN = re.compile(r"(?:去哪|哪里|哪儿|上哪|在哪|找谁|去什么地方|哪个部门).{0,4}(?:告|投诉|举报|反映|起诉|"
                               r"仲裁|报案|维权)|(?:能|可以|怎么|咋)(?:告|起诉|投诉)(?:他|她|他们|老板|公司)")
WHERE_TO_GO = ("这份登记就是帮您反映：提交后工作人员24小时内答复，核实了转给{place}的劳动保障监察部门。"
               "您也可以自己去当地劳动保障监察大队投诉，或打12333。")
# A question of the worker's own the law does not answer with confidence: kept for staff with the form.
OWN_QUESTION = re.compile(r"[吗嘛呢？?]\s*$|怎么办|咋办|咋整|能不能|可不可以|可以.{0,6}[吗么]|为什么|为啥|凭什么|"
                          r"有没有用|管不管|会不会|要不要|算不算|是不是")
DONT_KNOW = re.compile(r"不知道|不清楚|忘了|不记得|记不得|不晓得|唔知")  # 「叫什么我忘了」 answers, it does not ask
NOTED = "这个问题已记下，登记提交后工作人员会一并答复您。"
QUESTIONS = "questions"  # details: the worker's own questions asked in the form, for staff
ASIDES = "asides"  # details: per question, how often the worker asked something of their own there
MAX_ASIDES = 2  # then a message is read as the answer, so a form always moves on


def _question(ctx: Context, slot: Slot, d: dict[str, Any], said: str = "") -> Reply:
    if slot.name == "phone" and ctx.sender_phone:
        return Reply(f"{said}{SMS_PHONE.format(tail=ctx.sender_phone[-4:])}", SMS_PHONE_OPTIONS)
    return Reply(f"{said}{slot.question(d)}", slot.options)


HEDGED = re.compile(r"^(?:好像|应该|大概|可能|估计|我记得)?(?:是不是|是)?叫")
ANSWER_PARTICLES = re.compile(r"[吧吗嘛呢？?。\s]+$")


def _hedged_answer(slot: str, text: str) -> bool:
    """「华达劳务吧？」「是不是叫华达」 asked the employer: an answer said with doubt, not a question."""
    if HEDGED.match(text):
        return True
    plain = ANSWER_PARTICLES.sub("", text)
    return slot in LOOKS_LIKE and len(plain) <= 12 and LOOKS_LIKE[slot].search(plain) is not None \
        and not OWN_QUESTION.search(plain)


def _answers_by_itself(slot: str, text: str, nlu: NluResult) -> bool:
    if slot == "when":
        return "when_dates" in (fields.when(text, nlu) or {})
    return slot in LOOKS_LIKE and LOOKS_LIKE[slot].search(text) is not None


HEADS_AFTER = re.compile(r"^[多来几]?个?(?:人(?!民币)|工人|兄弟|老乡|工友|名|位)")


def _counts_heads(text: str, amount: Entity) -> bool:
    """「欠我们二十几个人的钱」: the model's amount 「二十几」 counts people, not yuan."""
    end = amount.end if amount.end >= 0 else (text.find(amount.text) + len(amount.text) if amount.text in text else -1)
    return end >= 0 and HEADS_AFTER.match(text[end:]) is not None


def heard_from_first(kind: str, d: dict[str, Any]) -> str:
    parts = []
    if kind == Kind.COMPLAINT and d.get("category"):
        parts.append(f"类别：{CATEGORY_BY_KEY[d['category']].label}")
    if kind == Kind.FAMILY_HELP and d.get("need"):
        parts.append(FAMILY_NEEDS.get(str(d["need"]), "其他"))
    if d.get("months") is not None:
        parts.append(f"欠{d['months']}个月")
    if d.get("amount"):
        parts.append(f"金额{show('amount', d)}")
    if d.get("people") is not None:
        parts.append(f"{show('people', d)}")
    return f"已记下：{'，'.join(parts)}。" if parts else ""


def _note_age(d: dict[str, Any], text: str) -> None:
    ago = fields.years_ago(text, date.today())
    if ago is not None:
        d["years_ago"] = max(ago, int(d.get("years_ago") or 0))


def show(name: str, d: dict[str, Any]) -> str:
    """A slot's value as the worker reads it back in the summary."""
    if name in d.get(SKIPPED, ()) and d.get(name) is None:
        return "（跳过了）"
    if name == "need":
        return FAMILY_NEEDS.get(str(d.get("need")), "其他")
    if name == "category":
        return CATEGORY_BY_KEY[str(d["category"])].label if d.get("category") in CATEGORY_BY_KEY else "未选"
    if name == "employer":
        extra = f"（包工头{d['contractor']}）" if d.get("contractor") else ""
        complaint_place = d.get("kind") == Kind.COMPLAINT and d.get("city")
        where = f"，{d.get('city', '')}{d.get('district', '')}" if complaint_place else ""
        return f"{d.get('employer', '不知道')}{extra}{where}"
    if name == "site":
        period = f"（{d.get('period_shown') or d['period']}）" if d.get("period") else ""
        place = f"{d.get('city', '')}{d.get('district', '')}"
        site = "" if str(d.get("site", "")) in (place, d.get("city")) else d.get("site", "")  # not 「东莞 东莞」
        return f"{place} {site}".strip() + period
    if name == "when" and d.get("when_dates_shown") and d.get("when_dates_shown") != d.get("when"):
        return f"{d['when']}（{d['when_dates_shown']}）"
    if name == "months":
        return f"{d['months']}个月" if d.get("months") is not None else "不清楚"
    if name == "amount":
        if not d.get("amount"):
            return "不清楚"
        approx = "多" if d.get("amount_approx") else ""
        said = str(d.get("amount_said") or "")
        read = f"（按「{said}」记）" if said and said != str(d["amount"]) else ""
        if d.get("amount_per_person") and d.get("amount_each") and d.get("people"):
            return f"每人{d['amount_each']}{approx}×{d['people']}人={d['amount']}元{read}"
        return f"{d['amount']}{approx}元{read}"
    if name == "people":
        if d.get("people") is None:
            return "不清楚"
        if not d.get("people_approx"):
            return f"{d['people']}人"
        return f"{d['people']}多人" if d["people"] >= 10 else f"约{d['people']}人"  # 「七八个」: not 「7多人」
    if name == "evidence":
        items = list(d.get("evidence") or [])
        if d.get("media"):
            items.append(f"照片或语音{len(d['media'])}份")
        return "、".join(items) if items else "暂无"
    if name == "phone":
        return "匿名" if d.get("anonymous") or not d.get("phone") else str(d["phone"])  # masked when read
    if name == "consent":
        return "告诉处理部门" if d.get("consent") else "不告诉（只用化名）"
    return str(d.get(name, ""))
