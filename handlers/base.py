"""The handler contract, the context a handler receives, and the registry.

A handler declares the intents (or internal actions) it serves and answers a Context with a
Reply. It never sees channel details: page size comes as a number, not as "SMS".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, runtime_checkable

from sqlalchemy.orm import Session

from domain.cases.handoff import OfficeHours
from domain.crypto import DataCipher
from domain.dialogue import DialogueState
from domain.messages import Reply
from domain.outreach.outbox import Outbox
from knowledge_base import Library
from nlu.result import NluResult

# A code we texted to a number is outstanding: a 6-digit message is that code (handlers/contact.py).
CODE_PENDING = "phone_code_pending"
VERIFY_INTENT = "verify_phone"


@dataclass(kw_only=True)
class Context:
    text: str  # normalised text of the message
    nlu: NluResult
    state: DialogueState  # mutable: the handler may set flow/data/more
    db: Session
    worker_id: int
    page_size: int = 5
    origin: str = ""  # the channel's name, for records only (a case remembers where to answer)
    cipher: DataCipher  # for handlers that store personal data (phone numbers)
    library: Library  # the policy articles this app answers from
    outbox: Outbox  # for a message to another address than this conversation's (a code by SMS)
    payload: dict[str, Any] = field(default_factory=dict)  # from a picked numbered option
    office: OfficeHours = field(default_factory=OfficeHours)  # when staff answer hand-offs
    raw: str = ""  # the message as the worker wrote it (「两万多」, before normalisation)
    inbound_id: int = 0  # the recorded message being answered (a case remembers the one that opened it)
    sender_phone: str = ""  # on SMS, the number the worker texts from (personal data: never logged or stored plain)

    def entity(self, name: str) -> Any | None:
        """An entity from the option picked, else from the message."""
        if name in self.payload:
            return self.payload[name]
        return self.nlu.first(name)


@runtime_checkable
class Handler(Protocol):
    intents: ClassVar[tuple[str, ...]]

    def handle(self, ctx: Context) -> Reply: ...


@runtime_checkable
class FormHandler(Handler, Protocol):
    """A form (complaint, wage-arrears intake): while its flow is open it takes every message as an
    answer (「欠了三个月」 is not a new topic), and its draft lives in the database as well as in Redis."""

    def resume(self, db: Session, worker_id: int) -> dict[str, Any] | None:
        """State to rebuild (``flow`` and slots) when Redis lost the conversation but a draft is open."""
        ...


HANDLER_CLASSES: list[type[Handler]] = []


def handler(cls: type[Handler]) -> type[Handler]:
    """Class decorator: make a handler class known to build_registry()."""
    HANDLER_CLASSES.append(cls)
    return cls


class DuplicateIntentError(RuntimeError):
    pass


class HandlerRegistry:
    """Intent → handler. One per app; duplicates are an error at start-up."""

    def __init__(self, fallback: Handler) -> None:
        self._by_intent: dict[str, Handler] = {}
        self._forms: list[FormHandler] = []
        self.fallback = fallback

    def add(self, instance: Handler) -> None:
        for intent in instance.intents:
            if intent in self._by_intent:
                other = type(self._by_intent[intent]).__name__
                raise DuplicateIntentError(
                    f"intent {intent!r} served by both {other} and {type(instance).__name__}"
                )
            self._by_intent[intent] = instance
        if isinstance(instance, FormHandler):
            self._forms.append(instance)

    def captures(self, intent: str | None) -> FormHandler | None:
        """The form whose flow this is, if the flow is a form's (it takes every message as an answer)."""
        found = self._by_intent.get(intent or "")
        return found if isinstance(found, FormHandler) else None

    def capturing(self) -> list[FormHandler]:
        """Every form, in the order added."""
        return list(self._forms)

    def resolve(self, intent: str) -> Handler:
        return self._by_intent.get(intent, self.fallback)

    def serves(self, intent: str) -> bool:
        return intent in self._by_intent

    @property
    def intents(self) -> frozenset[str]:
        return frozenset(self._by_intent)


def build_registry(
    classes: Iterable[type[Handler]], fallback_factory: Callable[[], Handler]
) -> HandlerRegistry:
    registry = HandlerRegistry(fallback_factory())
    for cls in classes:
        registry.add(cls())
    return registry
