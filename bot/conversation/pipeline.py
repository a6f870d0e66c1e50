"""The message pipeline: InboundMessage → dedupe → record → state → understand (dialogue rules, NLU) → handler → Reply.

Channels call ``Pipeline.handle``; handlers never see which channel a message came on.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.conversation.dedupe import Deduper
from bot.conversation.journal import Journal
from bot.conversation.paging import Fits, paginate
from bot.conversation.understand import understand
from domain import checkins as wage_checkins
from domain import media
from domain.cases.handoff import OfficeHours
from domain.cases.lifecycle import worker_cases
from domain.crypto import DataCipher, mask_address
from domain.dialogue import DialogueState, StateStore
from domain.errors import UserFacingError
from domain.messages import Channel, InboundMessage, Option, Reply
from domain.outreach.outbox import Outbox
from domain.storage.db import Database
from domain.storage.models import Message, Worker, WorkerIdentity
from domain.text import has_controls, without_controls
from domain.workers import annotate, identity_for, is_repeat, mark_late, mark_replied, record_inbound, record_outbound
from handlers import checkins, policy
from handlers.base import Context, HandlerRegistry
from handlers.guidance import ASKS_FOR_A_PERSON
from handlers.menu import MAIN_MENU, menu_reply
from handlers.privacy import FIRST_CONTACT
from knowledge_base import Library
from nlu.result import FALLBACK_INTENT, NluResult
from nlu.service import NluService

log = logging.getLogger(__name__)
SORRY = menu_reply("系统有点忙，您的消息已记下。请稍后再试，或回复数字：")
KEPT = Reply("收到，系统正忙，稍后在这里回复您。")  # journaled: the answer comes when the database is back
# Actions that leave the numbered options as they were (a digit still picks from the same list).
KEEPS_OPTIONS = frozenset({"next_page", "repeat_options"})
# What an opted-out worker can still do; anything else is recorded and not answered.
OPT_IN_ACTIONS = frozenset({"opt_in", "subscribe"})


class NotRecorded(Exception):
    """The message could not be recorded (the database is away): its cause is chained."""


class Repeat(Exception):
    """The database already holds this delivery: a platform's retry."""


@dataclass(frozen=True)
class Received:
    """A message recorded (its row committed), waiting to be answered."""

    msg: InboundMessage
    worker_id: int
    identity_id: int
    inbound_id: int
    is_new: bool  # the sender's first contact


@dataclass
class Outcome:
    reply: Reply | None  # None: a repeat whose first delivery is still being answered
    duplicate: bool = False
    worker_id: int | None = None
    answer_id: int | None = None  # the answer's transcript row (its delivery is marked there)


TASKS = {opt.action: opt for opt in MAIN_MENU}
# What a question about one's rights is often taken for (「工作20多年了 年休假有几天」 as a job search,
# 「仲裁申请交上去了 几天给答复」 as a case-status check): the law answers first when it clearly can.
LAW_FIRST_OVER = frozenset({"search_vacancy", "check_status", "greet", "out_of_scope", FALLBACK_INTENT, "human_agent",
                            "affirm", "deny", "cancel"})  # 「不登记会不会发不到工资」 outside a form: not a cancel
REPLY_WORDS = frozenset({"affirm", "deny"})  # 「不是」「对」 answer the bot; a whole sentence is not one
REPLY_MAX = 6  # characters
VACANCY_WORDS = frozenset({"city", "job_type", "salary"})  # a job search names where, what or how much
SECOND_TOPIC_MIN = 0.15  # the runner-up's confidence needed to offer it
MAX_OPTIONS = 6


def offer_second_topic(reply: Reply, nlu: NluResult) -> Reply:
    """A story about an injury AND unpaid wages: answer the main need, offer the other as an option."""
    if nlu.intent not in TASKS or len(nlu.ranking) < 2 or len(reply.options) >= MAX_OPTIONS:
        return reply
    second, confidence = nlu.ranking[1]
    if second == nlu.intent or second not in TASKS or confidence < SECOND_TOPIC_MIN:
        return reply
    if any(opt.action == second for opt in reply.options):
        return reply
    option = TASKS[second]
    return Reply(reply.text, (*reply.options, Option(f"还有{option.label}", option.action)))


class Pipeline:
    def __init__(
        self,
        db: Database,
        state: StateStore,
        dedupe: Deduper,
        nlu: NluService,
        registry: HandlerRegistry,
        cipher: DataCipher,
        library: Library,
        outbox: Outbox,
        page_sizes: dict[Channel, int],
        budgets: dict[Channel, Fits] | None = None,
        office: OfficeHours | None = None,
        media_sink: Callable[[int], None] | None = None,
        journal: Journal | None = None,
    ) -> None:
        self.db = db
        self.state = state
        self.dedupe = dedupe
        self.nlu = nlu
        self.registry = registry
        self.cipher = cipher
        self.library = library
        self.outbox = outbox
        self.page_sizes = page_sizes
        self.budgets = budgets or {}
        self.office = office or OfficeHours()
        self.media_sink = media_sink  # schedules fetching a photo or voice note from the platform
        self.journal = journal  # where a message goes when the database cannot take it

    def handle(self, msg: InboundMessage, journal: bool = True) -> Outcome:
        """Record the message, then answer it (``receive`` then ``answer``)."""
        got = self.receive(msg, journal)
        return got if isinstance(got, Outcome) else self.answer(got)

    def receive(self, msg: InboundMessage, journal: bool = True) -> Received | Outcome:
        """Record the message (committed) before anything answers it. A repeat gets the first answer;
        a message the database cannot take goes to the local journal (answered 「收到」, replayed later);
        when even that fails this raises, and the channel answers so that the platform retries.
        ``journal=False``: replaying the journal, raise instead."""
        if has_controls(msg.text):  # a NUL from a hostile or broken client must not fail the record
            msg = dataclasses.replace(msg, text=without_controls(msg.text))
        seen = (msg.channel.value, msg.user_id, msg.message_id)
        if not self.dedupe.claim(*seen):
            return Outcome(self.dedupe.previous(*seen), duplicate=True)
        try:
            return self._record(msg)
        except Repeat:  # recorded before (Redis did not know): the first delivery answers it
            return Outcome(self.dedupe.previous(*seen), duplicate=True)
        except NotRecorded as exc:
            self.dedupe.release(*seen)  # the replay must not be taken for a repeat of this attempt
            if self.journal is None or not journal:
                raise exc.__cause__ or exc from None
            self.journal.keep(msg)  # OSError: nothing durable took it, so the request fails
            log.warning("%s message not recorded (%s): journaled", msg.channel.value, type(exc.__cause__).__name__)
            return Outcome(KEPT)

    def answer(self, received: Received) -> Outcome:
        """Answer a recorded message. A failure here loses nothing: the worker is told it is kept."""
        msg = received.msg
        seen = (msg.channel.value, msg.user_id, msg.message_id)
        try:
            reply, answer_id = self._process(received)
        except Exception:  # recorded, then answering failed (the database gone mid-way?)
            log.exception("answering %s message %s failed after it was recorded", msg.channel.value, msg.message_id)
            self.dedupe.release(*seen)
            return Outcome(SORRY)
        self.dedupe.remember(*seen, reply)
        return Outcome(reply, worker_id=received.worker_id, answer_id=answer_id)

    def replied(self, outcome: Outcome) -> None:
        """The channel handed the answer over in the platform's reply: the transcript says so."""
        if outcome.answer_id is None or outcome.duplicate:
            return
        try:
            with self.db.session() as db:
                mark_replied(db, outcome.answer_id)
        except Exception:  # the answer went out; only its transcript mark is missing
            log.warning("could not mark answer %s as replied", outcome.answer_id, exc_info=True)

    def send_late(self, outcome: Outcome, channel: str) -> None:
        """An answer the platform's request could not carry (too slow, or replayed from the journal):
        sent through the outbox instead."""
        text = outcome.reply.render_text() if outcome.reply else ""
        if text and outcome.worker_id is not None and not outcome.duplicate:
            outbound_id = self.outbox.queue(outcome.worker_id, channel, text, "late_answer")
            if outcome.answer_id is not None:
                with self.db.session() as db:
                    mark_late(db, outcome.answer_id, outbound_id)

    def _record(self, msg: InboundMessage) -> Received:
        try:
            with self.db.session() as db:
                identity = identity_for(db, self.cipher, msg.channel.value, msg.user_id)
                inbound = record_inbound(db, self.cipher, identity.worker, msg)
                attachments = media.record(db, inbound) if msg.media else []
                db.flush()
                received = Received(msg, identity.worker.id, identity.id, inbound.id, identity.is_new)
        except IntegrityError as exc:
            if is_repeat(exc):
                raise Repeat from None
            raise NotRecorded from exc
        except Exception as exc:
            raise NotRecorded from exc
        if self.media_sink is not None:
            for media_file_id in attachments:
                self.media_sink(media_file_id)
        return received

    def _look_up_ahead(self, text: str) -> None:
        """While the NLU reads a message that looks like a question about rights, find its meaning in
        the knowledge base (most of a law answer's time), so the answer is ready sooner."""
        if policy.may_be_looked_up(text):
            self.library.prefetch(text)

    def _process(self, received: Received) -> tuple[Reply, int | None]:
        """The answer, and its transcript row (None: nothing to say)."""
        msg = received.msg
        with self.db.session() as db:
            worker = db.get(Worker, received.worker_id)
            identity = db.get(WorkerIdentity, received.identity_id)
            inbound = db.get(Message, received.inbound_id)
            if worker is None or identity is None or inbound is None:  # erased meanwhile (「删除我的信息」)
                return Reply(""), None
            if worker.handed_off_at is not None:
                return Reply(""), None  # staff have this conversation: kept on record, the bot is silent
            state = self.state.load(msg.channel.value, msg.user_id)
            if state.fresh and not received.is_new:  # Redis lost them: an unfinished form may be in the database
                self._resume(db, worker.id, state)
            asked = wage_checkins.take_open(db, worker.id)  # 「这个月工资发了吗？」 went out by itself
            if asked and not state.flow:
                state.options, state.more = checkins.offer(asked), None
            meant = understand(msg, state, self.registry, self.nlu, ahead=self._look_up_ahead)
            nlu = meant.nlu
            annotate(inbound, nlu)
            if identity.opted_out_at is not None and nlu.intent not in OPT_IN_ACTIONS:
                return Reply(""), None  # opted out: kept on record, nothing sent
            ctx = Context(
                text=meant.text, nlu=nlu, state=state, db=db, worker_id=worker.id,
                page_size=self.page_sizes.get(msg.channel, 5), payload=meant.payload, origin=msg.channel.value,
                cipher=self.cipher, library=self.library, outbox=self.outbox, office=self.office, raw=msg.text,
                inbound_id=inbound.id, sender_phone=msg.user_id if msg.channel == Channel.SMS else "",
            )
            offered = list(state.options)
            reply = self._answer(ctx, msg)
            if nlu.intent == "repeat_options" and offered:
                reply = Reply(reply.text, tuple(offered))
            reply = offer_second_topic(reply, nlu)
            if received.is_new and reply.text:  # first contact: what we keep, and where to read more
                reply = Reply(f"{reply.text}\n{FIRST_CONTACT}", reply.options)
            state.options = offered if nlu.intent in KEEPS_OPTIONS else list(reply.options)
            reply = self._fit(reply, msg.channel, state)
            self.state.save(msg.channel.value, msg.user_id, state)
            if not (reply.text or reply.options):
                return reply, None
            return reply, record_outbound(db, self.cipher, worker, msg.channel.value, reply).id

    def _fit(self, reply: Reply, channel: Channel, state: DialogueState) -> Reply:
        """Page a reply that is too long for the channel; 「0」 then shows the next page."""
        fits = self.budgets.get(channel)
        if fits is None:
            return reply
        pages = paginate(reply, fits)
        if len(pages) == 1:
            return reply
        state.pages = pages[1:]
        state.more_after_pages = state.more
        state.more = Option("下一页", "next_page")
        return pages[0]

    @staticmethod
    def _law_first(ctx: Context) -> bool:
        """A rights question or situation the NLU read as something else, outside any flow: ask the law
        first (「一个礼拜七天都要上 一天都不休」 once got 「没有查到您的登记」). Not a job search that names a
        place, a job or a wage, unless it tells of harm done rather than work wanted (「开叉车被货砸了脚」);
        not a status check from a worker who has cases, or without a question; not a worker asking for
        a person in words."""
        intent = ctx.nlu.intent
        if intent not in LAW_FIRST_OVER or ctx.state.flow or ctx.nlu.source not in ("rasa", "rules"):
            return False
        if intent in REPLY_WORDS and len(ctx.text.replace(" ", "")) <= REPLY_MAX:
            return False  # 「不是」 to a question of ours (「进厂三个月了合同还没签」 was once read as 「不是」)
        if intent == "check_status" and policy.RIGHTS_QUESTION.search(ctx.text) is None:
            return False  # 「投诉受理没有」 asks about a case, 「投诉以后多久受理」 about the law
        if intent == "search_vacancy" and any(e.name in VACANCY_WORDS for e in ctx.nlu.entities):
            return policy.tells_of_harm(ctx.text)  # 「开叉车被货砸了脚」: where it happened, not a search
        if intent == "human_agent" and ASKS_FOR_A_PERSON.search(ctx.text):
            return False
        return not (intent == "check_status" and worker_cases(ctx.db, ctx.worker_id, limit=1))

    def _resume(self, db: Session, worker_id: int, state: DialogueState) -> None:
        """Redis lost the conversation (restart, TTL) but a form's draft is in the database: go on."""
        for form in self.registry.capturing():
            data = form.resume(db, worker_id)
            if data:
                state.flow = str(data.pop("flow"))
                state.data.update(data)
                return

    def _answer(self, ctx: Context, msg: InboundMessage) -> Reply:
        if self._law_first(ctx):
            answered = policy.answer(ctx)
            if answered is None and ctx.nlu.intent == "search_vacancy" and policy.tells_of_harm(ctx.text):
                answered = policy.not_sure(ctx)  # 「电焊工被烫伤了」 is no job search, answered or not
            if answered is not None:
                ctx.state.flow = None
                return answered
        if ctx.nlu.intent != ctx.state.flow:
            ctx.state.flow = None  # another topic: the old flow ends; a handler may start its own
        handler = self.registry.resolve(ctx.nlu.intent)
        try:
            return handler.handle(ctx)
        except UserFacingError as exc:
            return menu_reply(exc.message)
        except Exception:
            log.exception(
                "handler %s failed on %s message %s from %s", type(handler).__name__, msg.channel.value,
                msg.message_id, mask_address(msg.user_id),
            )
            ctx.db.rollback()
            return SORRY
