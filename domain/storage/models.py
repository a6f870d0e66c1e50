"""SQLAlchemy 2.x typed models. Every schema change gets an Alembic migration."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """A stored time as an aware UTC time (SQLite drops the zone; PostgreSQL keeps it)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    pass


class Worker(Base):
    """One person, whatever channels they use. Known to staff by a pseudonym unless they consent."""

    __tablename__ = "workers"

    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(32), unique=True)
    city: Mapped[str | None] = mapped_column(String(32))  # from a shared location or what they said
    source: Mapped[str | None] = mapped_column(String(64))  # how they found us, e.g. a QR poster's scene
    # Set when the conversation was handed to staff: the bot stays silent until staff release it.
    handed_off_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    identities: Mapped[list[WorkerIdentity]] = relationship(back_populates="worker")


class WorkerIdentity(Base):
    """A channel address of a worker (openid, phone). Stored encrypted, found by a keyed hash."""

    __tablename__ = "worker_identities"
    __table_args__ = (UniqueConstraint("channel", "address_hash", name="uq_identity_channel_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    address_hash: Mapped[str] = mapped_column(String(64))
    address_enc: Mapped[str] = mapped_column(Text)
    address_masked: Mapped[str] = mapped_column(String(64))
    # Set when the worker unsubscribed (WeChat) or texted STOP/退订 (SMS): nothing is sent until cleared.
    opted_out_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When the worker agreed that we may use this address for them (e.g. SMS when WeChat can't reach them).
    consent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    worker: Mapped[Worker] = relationship(back_populates="identities")
    is_new = False  # not a column: set on the object created for a first contact


class Message(Base):
    """The transcript: every inbound and outbound message, recorded before it is answered."""

    __tablename__ = "messages"
    # One row per delivery: a platform's retry of the same message (channel, sender, platform id) is a repeat.
    __table_args__ = (UniqueConstraint("delivery_key", name="uq_messages_delivery_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    direction: Mapped[str] = mapped_column(String(3))  # in | out
    kind: Mapped[str] = mapped_column(String(16), default="text")
    platform_id: Mapped[str | None] = mapped_column(String(128), index=True)  # never an event's (it names the sender)
    delivery_key: Mapped[str | None] = mapped_column(String(64))  # keyed hash of channel, sender and platform id
    text: Mapped[str] = mapped_column(Text, default="")  # phone and ID numbers masked
    text_enc: Mapped[str | None] = mapped_column(Text)  # the original, encrypted, when masking changed it
    media: Mapped[list[str]] = mapped_column(JSON, default=list)
    intent: Mapped[str | None] = mapped_column(String(64))
    confidence: Mapped[float | None] = mapped_column(Float)
    nlu_source: Mapped[str | None] = mapped_column(String(16))  # rasa | rules | option
    # An answer's fate (outbound rows): replying (written, not yet handed over) → replied (in the platform's
    # HTTP reply) | late (sent through the outbox: ``outbound_id`` has its status). NULL on rows from before.
    delivery: Mapped[str | None] = mapped_column(String(16))
    outbound_id: Mapped[int | None] = mapped_column(ForeignKey("outbound_messages.id", ondelete="SET NULL"),
                                                    index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class Case(Base):
    """A complaint, a wage-arrears report or a hand-off to staff.

    A form in progress is a case with status ``draft`` (its answers in ``details``), so a Redis
    restart mid-form loses nothing; filing gives it a number and the 24-hour first-answer clock.
    Personal data (the contact phone) is encrypted; staff see the worker's pseudonym unless
    ``consent_share`` is set.
    """

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # complaint | wage_arrears | handoff
    category: Mapped[str | None] = mapped_column(String(32))
    # draft → new → accepted → referred → resolved → closed; cancelled (a draft the worker dropped)
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    filed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    first_response_due: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    first_response_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    employer: Mapped[str | None] = mapped_column(String(128))
    employer_key: Mapped[str | None] = mapped_column(String(128), index=True)  # normalised, for grouping
    city: Mapped[str | None] = mapped_column(String(32))
    amount: Mapped[int | None] = mapped_column(Integer)
    workers_affected: Mapped[int | None] = mapped_column(Integer)
    phone_enc: Mapped[str | None] = mapped_column(Text)
    phone_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    phone_masked: Mapped[str | None] = mapped_column(String(32))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_share: Mapped[bool] = mapped_column(Boolean, default=False)
    priority: Mapped[int] = mapped_column(Integer, default=0, index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("case_groups.id"), index=True)
    assigned_to: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)


class StaffUser(Base):
    """A rights-centre account for the console. Agents work cases in their regions; supervisors
    assign, see everything and export; admins also manage accounts."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64), default="")
    password_hash: Mapped[str] = mapped_column(Text)  # argon2id
    role: Mapped[str] = mapped_column(String(16))  # agent | supervisor | admin
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)  # cities an agent works
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Bumped on logout, deactivation and password change: every session cookie issued before dies.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ApiToken(Base):
    """A token for the JSON API; it acts with the rights of its staff user. Only its hash is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CaseGroup(Base):
    """Reports naming the same employer or site in the same city: one group, totals, urgency."""

    __tablename__ = "case_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_key: Mapped[str] = mapped_column(String(128), index=True)
    employer: Mapped[str] = mapped_column(String(128))
    city: Mapped[str] = mapped_column(String(32), default="")
    cases: Mapped[int] = mapped_column(Integer, default=0)
    workers_total: Mapped[int] = mapped_column(Integer, default=0)
    amount_total: Mapped[int] = mapped_column(Integer, default=0)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    urgent_reason: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CaseEvent(Base):
    """Every state change of a case (the audit trail): who, when, what."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))  # worker | bot | staff:<id> | system
    kind: Mapped[str] = mapped_column(String(32))  # drafted | filed | cancelled | grouped | status | ...
    detail: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)


class Vacancy(Base):
    """A job vacancy (空岗信息) as public employment offices publish them."""

    __tablename__ = "vacancies"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(32), unique=True)
    employer: Mapped[str] = mapped_column(String(128))
    title: Mapped[str] = mapped_column(String(64))
    job_type: Mapped[str] = mapped_column(String(32), index=True)
    industry: Mapped[str] = mapped_column(String(32), default="")
    city: Mapped[str] = mapped_column(String(32), index=True)
    district: Mapped[str] = mapped_column(String(32), default="")
    headcount: Mapped[int] = mapped_column(Integer, default=1)
    period: Mapped[str] = mapped_column(String(16), default="long_term")  # long_term | seasonal | daily
    pay_min: Mapped[int] = mapped_column(Integer)
    pay_max: Mapped[int] = mapped_column(Integer)
    pay_unit: Mapped[str] = mapped_column(String(8), default="month")  # month | day | piece
    board_lodging: Mapped[bool] = mapped_column(Boolean, default=False)
    age_min: Mapped[int | None] = mapped_column(Integer)
    age_max: Mapped[int | None] = mapped_column(Integer)
    gender: Mapped[str | None] = mapped_column(String(8))
    requirements: Mapped[str] = mapped_column(Text, default="")
    contact_name: Mapped[str] = mapped_column(String(32), default="")
    contact_phone: Mapped[str] = mapped_column(String(32), default="")
    source: Mapped[str] = mapped_column(String(128), default="")
    posted_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | filled | withdrawn
    # when it entered our database (alerts announce vacancies added since they last wrote)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class VacancyAlert(Base):
    """A saved search: 「有新岗位通知我」. New matching vacancies are announced, at most once a day."""

    __tablename__ = "vacancy_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    query: Mapped[dict[str, object]] = mapped_column(JSON)  # VacancyQuery.to_payload()
    label: Mapped[str] = mapped_column(String(64))  # 东莞·普工·包吃住, as the worker is told
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_count: Mapped[int] = mapped_column(Integer, default=0)


class MediaFile(Base):
    """A photo or voice note a worker sent, fetched from the platform while it still holds it (WeChat
    keeps temporary media 3 days) and kept encrypted: evidence is never lost and never plain on disk."""

    __tablename__ = "media_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), index=True)
    media_id: Mapped[str] = mapped_column(String(256))  # the platform's id
    channel: Mapped[str] = mapped_column(String(16))
    content_type: Mapped[str] = mapped_column(String(64), default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    data_enc: Mapped[bytes | None] = mapped_column(LargeBinary)  # Fernet token of the bytes
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | stored | failed
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OutboundMessage(Base):
    """A message we send on our own initiative (late answers, staff replies, notifications),
    with its delivery result. Passive replies are in ``messages``."""

    __tablename__ = "outbound_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)  # phone and ID numbers masked
    text_enc: Mapped[str | None] = mapped_column(Text)  # the text as sent, encrypted, when masking changed it
    reason: Mapped[str] = mapped_column(String(32))  # late_answer | staff_reply | notification | status_update
    kind: Mapped[str] = mapped_column(String(16), default="text", server_default="text")  # text | template
    # queued → sending → sent → delivered | undelivered | failed; held (window closed: staff decide);
    # blocked (worker opted out)
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    provider_id: Mapped[str | None] = mapped_column(String(64), index=True)  # Twilio SID, WeChat msgid
    error_code: Mapped[str | None] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class PhoneVerification(Base):
    """A worker's request to link a phone number, proved by a code sent to that number by SMS.
    A number that already carries another worker's history is never merged automatically: the row
    waits (``merge_requested``) until staff merge the two records in the console."""

    __tablename__ = "phone_verifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    phone_hash: Mapped[str] = mapped_column(String(64), index=True)  # keyed hash, as worker_identities
    phone_enc: Mapped[str] = mapped_column(Text)
    phone_masked: Mapped[str] = mapped_column(String(64))
    code_hash: Mapped[str] = mapped_column(String(64))
    tries: Mapped[int] = mapped_column(Integer, default=0)
    # pending → linked | merge_requested → merged | expired | locked | cancelled
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(String(64))  # the staff user who merged
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEvent(Base):
    """Who did what outside a case: sign-in failures, account changes, knowledge-base edits, API tokens,
    record merges. (What staff do on a case is a case event.)"""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64))  # staff:<id> | cli | anonymous
    action: Mapped[str] = mapped_column(String(32), index=True)
    target: Mapped[str] = mapped_column(String(128), default="")
    detail: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)


class UsedSignature(Base):
    """A webhook signature already used, with the body it signed: the replay guard's record when Redis,
    which normally keeps it, is away (a signature reused with another body is a forgery)."""

    __tablename__ = "used_signatures"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the signed triple
    digest: Mapped[str] = mapped_column(String(64))  # sha256 of the body
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class Station(Base):
    """A place in a receiving city where the home county's labour-export office helps its workers: a
    liaison office (劳务联络处) or a service station (服务站) for policy questions, disputes, rights and
    emergencies. Public contact details, not personal data."""

    __tablename__ = "stations"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16), default="liaison")  # liaison | service
    office: Mapped[str] = mapped_column(String(64), default="")  # the home office that runs it
    city: Mapped[str] = mapped_column(String(32), index=True)  # canonical (nlu/geo.yml)
    province: Mapped[str] = mapped_column(String(16), index=True)
    district: Mapped[str] = mapped_column(String(32), default="")
    address: Mapped[str] = mapped_column(String(128), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    hours: Mapped[str] = mapped_column(String(64), default="")
    services: Mapped[list[str]] = mapped_column(JSON, default=list)  # 政策咨询 争议调处 维权 应急救助 …
    source: Mapped[str] = mapped_column(String(64), default="")  # the document it comes from; demo rows say 示例
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class Course(Base):
    """A training class the labour-export office runs or pays for: free skills training, order training
    for an employer, pre-departure guidance, entrepreneurship training (seeds 001, 002, 004)."""

    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16), default="skills")  # skills | order | guidance | startup
    trade: Mapped[str] = mapped_column(String(32), default="", index=True)  # canonical trade, "" for none
    county: Mapped[str] = mapped_column(String(32), default="")  # where it is held (the organising county)
    venue: Mapped[str] = mapped_column(String(128), default="")
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date)
    start_time: Mapped[str] = mapped_column(String(8), default="08:30")
    seats: Mapped[int] = mapped_column(Integer, default=30)
    fee: Mapped[int] = mapped_column(Integer, default=0)  # yuan the worker pays; 0: free
    eligibility: Mapped[str] = mapped_column(Text, default="")
    certificate: Mapped[str] = mapped_column(String(64), default="")  # what passing gives
    employer: Mapped[str] = mapped_column(String(128), default="")  # order training: who hires after
    contact_phone: Mapped[str] = mapped_column(String(32), default="")
    source: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | closed | cancelled
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CourseSignup(Base):
    """A worker's place on a course, with its number: signed up → attended → certified (or not passed),
    or cancelled. The day before the class starts the worker is reminded once."""

    __tablename__ = "course_signups"
    __table_args__ = (Index("uq_course_signups_live", "worker_id", "course_id", unique=True,
                            postgresql_where=sql("status <> 'cancelled'"), sqlite_where=sql("status <> 'cancelled'")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16), default="")
    status: Mapped[str] = mapped_column(String(16), default="signed_up", index=True)
    certificate_no: Mapped[str] = mapped_column(String(32), default="")
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class WageCheckIn(Base):
    """A worker's opt-in to be asked once a month 「这个月工资发了吗？」 (issue 16). ``asked_at`` is set
    when the question goes out and ``open_until`` while its answer is awaited; each answer is kept
    as a row of ``wage_checkin_answers``."""

    __tablename__ = "wage_checkins"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), unique=True)
    day: Mapped[int] = mapped_column(Integer, default=16)  # the day of the month it is asked (after payday)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    asked_month: Mapped[str] = mapped_column(String(7), default="")  # 2026-12: this month's question is out
    asked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    open_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WageCheckInAnswer(Base):
    """「发了」「只发了一部分」「没发」 for one month: what the office counts as income reported."""

    __tablename__ = "wage_checkin_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    month: Mapped[str] = mapped_column(String(7))
    answer: Mapped[str] = mapped_column(String(8))  # paid | partly | unpaid
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Departure(Base):
    """An organised departure (有组织外出): a batch of workers the office sends together to one employer
    or destination, with a meeting point and an escort (seeds 002, 003: escorted trips, cotton picking)."""

    __tablename__ = "departures"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(32), unique=True)
    destination: Mapped[str] = mapped_column(String(32), index=True)  # canonical city (nlu/geo.yml)
    province: Mapped[str] = mapped_column(String(16), default="")
    employer: Mapped[str] = mapped_column(String(128), default="")
    trade: Mapped[str] = mapped_column(String(32), default="")
    terms: Mapped[str] = mapped_column(Text, default="")  # pay, board, how long, as the employer offers
    county: Mapped[str] = mapped_column(String(32), default="")  # the organising office
    departs_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    meeting_point: Mapped[str] = mapped_column(String(128), default="")
    escort_phone: Mapped[str] = mapped_column(String(32), default="")  # the escort's work phone, given to the batch
    seats: Mapped[int] = mapped_column(Integer, default=40)
    source: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | closed | cancelled
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DepartureSignup(Base):
    """A worker's seat in a batch: joined → boarded (or absent at roll call), or cancelled."""

    __tablename__ = "departure_signups"
    __table_args__ = (Index("uq_departure_signups_live", "worker_id", "departure_id", unique=True,
                            postgresql_where=sql("status <> 'cancelled'"), sqlite_where=sql("status <> 'cancelled'")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    departure_id: Mapped[int] = mapped_column(ForeignKey("departures.id", ondelete="CASCADE"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16), default="")
    status: Mapped[str] = mapped_column(String(16), default="joined", index=True)
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class SubsidyApplication(Base):
    """A worker's application for one of the subsidies the seeds name (issue 16): the answers that
    made them eligible, their name (encrypted: it is personal data, needed to check documents and for
    the office's public list) and home county; submitted → reviewing → approved → paid, or sent back
    for documents, or rejected with a reason. Each change the worker should know of is told them."""

    __tablename__ = "subsidy_applications"
    __table_args__ = (Index("uq_subsidy_applications_live", "worker_id", "scheme", "year", unique=True,
                            postgresql_where=sql("status NOT IN ('rejected', 'withdrawn', 'draft')"),
                            sqlite_where=sql("status NOT IN ('rejected', 'withdrawn', 'draft')")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    scheme: Mapped[str] = mapped_column(String(32), index=True)
    year: Mapped[int] = mapped_column(Integer)  # the year applied for (a one-off subsidy is once a year)
    channel: Mapped[str] = mapped_column(String(16), default="")
    name_enc: Mapped[str] = mapped_column(Text, default="")  # the applicant's name, encrypted
    name_masked: Mapped[str] = mapped_column(String(16), default="")  # 「张*」, for lists and the public list
    county: Mapped[str] = mapped_column(String(64), default="")  # home county, town or village as said
    answers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # condition → yes | unsure
    status: Mapped[str] = mapped_column(String(16), default="submitted", index=True)
    amount: Mapped[int] = mapped_column(Integer, default=0)  # yuan approved, once approved
    note: Mapped[str] = mapped_column(Text, default="")  # what staff told the worker (documents missing, why not)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # on the public list (公示)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # counted in that month's figures
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class Registration(Base):
    """A worker's real-name registration with the home office (实名登记, seeds 002 and 004: a record kept
    per person of who went where, in which trade, for which employer), made and updated by the worker
    with their consent. The name is encrypted (masked 「张**」 in lists); the home county decides which
    staff see it. ``status``: draft while the worker answers, then active."""

    __tablename__ = "registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    name_enc: Mapped[str] = mapped_column(Text, default="")
    name_masked: Mapped[str] = mapped_column(String(16), default="")
    home: Mapped[str] = mapped_column(String(64), default="")  # county, town, village as said
    county: Mapped[str] = mapped_column(String(32), default="", index=True)
    destination: Mapped[str] = mapped_column(String(32), default="", index=True)  # canonical city, or as said
    employer: Mapped[str] = mapped_column(String(128), default="")
    trade: Mapped[str] = mapped_column(String(64), default="")  # trade and skills as said
    training_wish: Mapped[str] = mapped_column(String(64), default="")
    consented_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
