"""The words of a case, defined once: kinds, statuses and the steps between them, labels for staff
and workers, and the clocks (the 24-hour first answer, the legal deadlines) with the lateness rule.

The bot, the console, the API and the reports all read them from here. Kinds and statuses are
``StrEnum``s: they compare equal to the strings stored in the database and written in JSON, so the
tables below are keyed by them and looked up with a case's stored string.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from domain.local_time import local_today
from domain.storage.models import aware


class Kind(StrEnum):
    COMPLAINT = "complaint"  # 投诉举报: 黑中介, 押证, no contract, …
    WAGE_ARREARS = "wage_arrears"  # 欠薪求助
    HANDOFF = "handoff"  # 转人工: a conversation handed to staff
    FAMILY_HELP = "family_help"  # 家人帮扶: help for family left at home, for the home village's contact (seed 004)


class Status(StrEnum):
    DRAFT = "draft"  # a form in progress: not a case yet
    CANCELLED = "cancelled"  # a form the worker gave up
    NEW = "new"
    ACCEPTED = "accepted"
    REFERRED = "referred"  # to labour inspection or mediation: the legal clocks run
    RESOLVED = "resolved"
    CLOSED = "closed"


NOT_FILED: tuple[Status, ...] = (Status.DRAFT, Status.CANCELLED)  # never shown to staff or the worker as a case
FILED: tuple[Status, ...] = (Status.NEW, Status.ACCEPTED, Status.REFERRED, Status.RESOLVED, Status.CLOSED)
OPEN: tuple[Status, ...] = (Status.NEW, Status.ACCEPTED, Status.REFERRED)  # someone still owes the worker an answer
DONE: tuple[Status, ...] = (Status.RESOLVED, Status.CLOSED)
IN_STAFF_HANDS: tuple[Status, ...] = (Status.NEW, Status.ACCEPTED)  # a hand-off that keeps the bot silent
# status changes the worker hears of
REPORTED_TO_WORKER: tuple[Kind, ...] = (Kind.COMPLAINT, Kind.WAGE_ARREARS, Kind.FAMILY_HELP)

# Staff move a case along; every move is an event with its reason.
TRANSITIONS: dict[str, frozenset[Status]] = {
    Status.NEW: frozenset({Status.ACCEPTED, Status.REFERRED, Status.CLOSED}),
    Status.ACCEPTED: frozenset({Status.REFERRED, Status.RESOLVED, Status.CLOSED}),
    Status.REFERRED: frozenset({Status.RESOLVED, Status.CLOSED}),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.ACCEPTED}),
    Status.CLOSED: frozenset({Status.ACCEPTED}),  # reopened
}

# The number a worker can read over the phone: TS/QX/RG + date + sequence (「QX202611220003」).
NUMBER_PREFIX: dict[str, str] = {Kind.COMPLAINT: "TS", Kind.WAGE_ARREARS: "QX", Kind.HANDOFF: "RG",
                                 Kind.FAMILY_HELP: "BF"}

# Labels for staff (console, reports, API documentation).
KIND_LABEL: dict[str, str] = {Kind.COMPLAINT: "投诉", Kind.WAGE_ARREARS: "欠薪", Kind.HANDOFF: "转人工",
                              Kind.FAMILY_HELP: "家人帮扶"}
STATUS_LABEL: dict[str, str] = {
    Status.NEW: "新登记", Status.ACCEPTED: "已受理", Status.REFERRED: "已转办", Status.RESOLVED: "已办结",
    Status.CLOSED: "已关闭",
}

# What the worker is told of their case: where it stands, and what happens next.
STATUS_TEXT: dict[str, str] = {
    Status.NEW: "已收到，等工作人员处理",
    Status.ACCEPTED: "已受理",
    Status.REFERRED: "已转交劳动保障监察或调解部门",
    Status.RESOLVED: "已办结",
    Status.CLOSED: "已关闭",
}
NEXT_STEP: dict[str, str] = {
    Status.NEW: "24小时内会有工作人员答复您",
    Status.ACCEPTED: "工作人员正在核实，有进展会通知您",
    Status.REFERRED: "有关部门一般5个工作日内决定是否受理",
    Status.RESOLVED: "如对结果不满意，可回复「转人工」",
    Status.CLOSED: "需要再办可以重新反映",
}

# The clocks. The first answer is due 24 hours after filing (the seeds' promise). A case referred to
# labour inspection runs the legal clocks in working days: acceptance decided within 5 (劳社部令第25号
# 第十八条), investigation within 60, extendable by 30 (《劳动保障监察条例》第十七条).
FIRST_ANSWER = timedelta(hours=24)
DRAFT_RESUMABLE = timedelta(days=7)  # a form left this long is not picked up again
ACCEPT_DAYS = 5
INVESTIGATE_DAYS = 60
EXTENSION_DAYS = 30


def is_staff(actor: str) -> bool:
    """Actors are 「staff:<username>」, 「worker」, 「system」, 「cli」: only staff answer a worker."""
    return actor.startswith("staff")


def overdue(due: datetime | str | None, now: datetime | None = None) -> bool:
    """The lateness rule: a deadline passed. A datetime (the 24-hour answer) is late the moment it
    passes; an ISO date (a legal clock) is late from the day after, as it is due by the end of that day."""
    if due is None:
        return False
    now = now or datetime.now(UTC)
    if isinstance(due, str):  # the office's day: a UTC date turned late at 08:00 Beijing time
        return local_today(now) > date.fromisoformat(due)
    return now > aware(due)


def answered_in_time(filed_at: datetime, first_answer_at: datetime) -> bool:
    return aware(first_answer_at) - aware(filed_at) <= FIRST_ANSWER
