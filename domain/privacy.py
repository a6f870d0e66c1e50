"""A worker's rights over their personal data (PIPL 第四十四至四十七条: to know, to see, to delete),
and how long we keep it.

``report`` says what is kept about a worker; ``erase`` deletes it at their request: messages and
evidence files, channel addresses (openid, phone), alerts, drafts, codes. Filed cases stay, because
staff and labour inspection must still act on them, but pseudonymised: no phone, no link to any
address, each marked by an event. ``apply_retention`` anonymises the transcripts of workers whose
cases are all closed and who have been silent longer than the retention period.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from domain import phone_links
from domain.cases.vocabulary import NOT_FILED, OPEN, Kind, Status
from domain.storage.models import (
    Case,
    CaseEvent,
    CourseSignup,
    DepartureSignup,
    MediaFile,
    Message,
    OutboundMessage,
    PhoneVerification,
    Registration,
    SubsidyApplication,
    VacancyAlert,
    WageCheckIn,
    WageCheckInAnswer,
    Worker,
    WorkerIdentity,
)
from domain.subsidies.applications import county_of

ANONYMISED = "（已按保存期限匿名处理）"
PERSONAL_DETAILS = ("phone", "phone_enc", "name", "contact")  # form answers that identify the worker


@dataclass
class Kept:
    """What is kept about one worker, for 「我的信息」."""

    messages: int = 0
    first_message: datetime | None = None
    cases: list[tuple[str, str]] = field(default_factory=list)  # (number, status)
    addresses: list[tuple[str, str]] = field(default_factory=list)  # (channel, masked address)
    alerts: int = 0
    courses: int = 0  # training sign-ups
    departures: int = 0  # places in organised departures
    subsidies: int = 0  # subsidy applications (the name in them encrypted)
    registered: bool = False  # a real-name registration with the home office
    wage_answers: int = 0  # answers to the monthly 「工资发了吗」
    check_in: bool = False  # the monthly question is on


def report(db: Session, worker_id: int) -> Kept:
    kept = Kept()
    kept.messages, kept.first_message = db.execute(
        select(func.count(Message.id), func.min(Message.created_at)).where(Message.worker_id == worker_id)).one()
    kept.cases = [(c.number, c.status) for c in db.scalars(
        select(Case).where(Case.worker_id == worker_id, Case.status.notin_(NOT_FILED)).order_by(Case.id))]
    kept.addresses = [(i.channel, i.address_masked) for i in db.scalars(
        select(WorkerIdentity).where(WorkerIdentity.worker_id == worker_id).order_by(WorkerIdentity.id))]
    kept.alerts = db.scalar(select(func.count()).select_from(VacancyAlert).where(
        VacancyAlert.worker_id == worker_id, VacancyAlert.cancelled_at.is_(None))) or 0
    kept.courses = db.scalar(select(func.count()).select_from(CourseSignup).where(
        CourseSignup.worker_id == worker_id)) or 0
    kept.departures = db.scalar(select(func.count()).select_from(DepartureSignup).where(
        DepartureSignup.worker_id == worker_id)) or 0
    kept.registered = db.scalar(select(Registration.id).where(Registration.worker_id == worker_id)) is not None
    kept.subsidies = db.scalar(select(func.count()).select_from(SubsidyApplication).where(
        SubsidyApplication.worker_id == worker_id, SubsidyApplication.status != "draft")) or 0
    kept.check_in = bool(db.scalar(select(WageCheckIn.id).where(WageCheckIn.worker_id == worker_id,
                                                              WageCheckIn.active.is_(True))))
    kept.wage_answers = db.scalar(select(func.count()).select_from(WageCheckInAnswer).where(
        WageCheckInAnswer.worker_id == worker_id)) or 0
    return kept


def erase(db: Session, worker_id: int, now: datetime | None = None) -> int:
    """Delete the worker's personal data; pseudonymise their filed cases. Returns the cases kept."""
    now = now or datetime.now(UTC)
    _erase_numbers_never_linked(db, worker_id)
    db.execute(delete(MediaFile).where(MediaFile.message_id.in_(select(Message.id).where(
        Message.worker_id == worker_id))))
    for model in (Message, OutboundMessage, VacancyAlert, CourseSignup, DepartureSignup, WageCheckIn,
                  WageCheckInAnswer, Registration, WorkerIdentity):
        db.execute(delete(model).where(model.worker_id == worker_id))
    # Code requests stay, without the number, so the limits per number still count them (erasing
    # oneself must not reset how often a stranger's phone can be sent codes); the keyed hash stays.
    db.execute(update(PhoneVerification).where(PhoneVerification.worker_id == worker_id).values(
        phone_enc="", phone_masked="", status="erased"))
    # Subsidy applications not yet decided go; approved or paid ones stay as the office's record of
    # money paid, without the name (number, scheme, county and amount only).
    db.execute(delete(SubsidyApplication).where(SubsidyApplication.worker_id == worker_id,
                                                SubsidyApplication.status.notin_(("approved", "paid"))))
    for paid in db.scalars(select(SubsidyApplication).where(SubsidyApplication.worker_id == worker_id)):
        paid.name_enc, paid.name_masked, paid.answers = "", "*", {}
        paid.county = county_of(paid.county)
    worker = db.get(Worker, worker_id)
    if worker is not None:
        worker.city = worker.source = None
        worker.handed_off_at = None
    db.execute(delete(CaseEvent).where(CaseEvent.case_id.in_(
        select(Case.id).where(Case.worker_id == worker_id, Case.status.in_(NOT_FILED)))))
    db.execute(delete(Case).where(Case.worker_id == worker_id, Case.status.in_(NOT_FILED)))
    kept = list(db.scalars(select(Case).where(Case.worker_id == worker_id)))
    for case in kept:
        _pseudonymise(case)
        db.add(CaseEvent(case_id=case.id, at=now, actor="worker", kind="anonymised",
                         detail={"reason": "worker_request"}))
    return len(kept)


def _erase_numbers_never_linked(db: Session, worker_id: int) -> None:
    """Numbers the worker asked to link but never proved: the record each number got for its code
    (an SMS identity and the code messages, nothing the number's owner did) goes too."""
    hashes = set(db.scalars(select(PhoneVerification.phone_hash).where(PhoneVerification.worker_id == worker_id)))
    for identity in list(db.scalars(select(WorkerIdentity).where(WorkerIdentity.channel == "sms",
                                                                 WorkerIdentity.address_hash.in_(hashes)))):
        owner = identity.worker_id
        asked = db.scalar(select(PhoneVerification.id).where(PhoneVerification.worker_id == owner).limit(1))
        if owner == worker_id or phone_links.has_history(db, owner) or asked is not None:
            continue
        for model in (OutboundMessage, VacancyAlert, WorkerIdentity):
            db.execute(delete(model).where(model.worker_id == owner))
        db.execute(delete(Worker).where(Worker.id == owner))


CODE_REQUESTS_KEPT = timedelta(days=2)  # past the limits' window, a finished code request is not needed


def _forget_old_code_requests(db: Session, now: datetime) -> None:
    finished = PhoneVerification.status.in_(("erased", "expired", "cancelled", "locked", "superseded", "rejected"))
    lapsed = (PhoneVerification.status == "pending") & (PhoneVerification.expires_at < now - CODE_REQUESTS_KEPT)
    db.execute(delete(PhoneVerification).where(
        PhoneVerification.created_at < now - CODE_REQUESTS_KEPT, finished | lapsed))


def _pseudonymise(case: Case) -> None:
    case.phone_enc = case.phone_hash = case.phone_masked = None
    case.consent_share = False
    case.anonymous = True
    case.details = {k: v for k, v in (case.details or {}).items() if k not in PERSONAL_DETAILS}
    if case.kind == Kind.HANDOFF:  # its summary is the worker's own message
        case.summary = "（内容已应本人要求删除）"


@dataclass(frozen=True)
class RetentionResult:
    workers: int
    messages: int
    cases: int


def apply_retention(db: Session, months: int, now: datetime | None = None, dry_run: bool = False) -> RetentionResult:
    """Anonymise what is past the retention period: for each worker with no open case and no message
    for ``months`` months, their transcript (texts replaced, originals and evidence dropped) and the
    contact details on their closed cases. Their addresses stay, so they can still be answered."""
    now = now or datetime.now(UTC)
    if not dry_run:
        _forget_old_code_requests(db, now)
    cutoff = now - timedelta(days=30 * months)
    silent = select(Message.worker_id).group_by(Message.worker_id).having(func.max(Message.created_at) < cutoff)
    busy = set(db.scalars(select(Case.worker_id).where(Case.status.in_(OPEN))))
    workers = [w for w in db.scalars(silent) if w not in busy]
    if not workers:
        return RetentionResult(0, 0, 0)
    texts = db.scalar(select(func.count()).select_from(Message).where(
        Message.worker_id.in_(workers), Message.text != ANONYMISED)) or 0
    closed = list(db.scalars(select(Case).where(Case.worker_id.in_(workers), Case.phone_enc.is_not(None),
                                                Case.status.in_((Status.RESOLVED, Status.CLOSED)))))
    if dry_run:
        return RetentionResult(len(workers), texts, len(closed))
    db.execute(delete(MediaFile).where(MediaFile.message_id.in_(select(Message.id).where(
        Message.worker_id.in_(workers)))))
    db.execute(update(Message).where(Message.worker_id.in_(workers)).values(
        text=ANONYMISED, text_enc=None, media=[]))
    db.execute(update(OutboundMessage).where(OutboundMessage.worker_id.in_(workers)).values(
        text=ANONYMISED, text_enc=None))
    for case in closed:
        _pseudonymise(case)
        db.add(CaseEvent(case_id=case.id, at=now, actor="system", kind="anonymised", detail={"reason": "retention"}))
    return RetentionResult(len(workers), texts, len(closed))
