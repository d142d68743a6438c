"""The data model of design section 8. Times are stored in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bot.store.types import UTCDateTime


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, datetime: UTCDateTime()}

    if TYPE_CHECKING:  # every model maps a Table (DeclarativeBase types it as any FromClause)
        __table__: ClassVar[Table]


class Contact(Base):
    """One person on one channel."""

    __tablename__ = "contact"
    __table_args__ = (UniqueConstraint("channel", "channel_user_id", name="uq_contact_channel_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    channel_user_id: Mapped[str] = mapped_column(String(128))
    language: Mapped[str] = mapped_column(String(5), default="id")
    consent_at: Mapped[datetime | None] = mapped_column(default=None)
    # Personal details given after consent (name, phone for call-back, ...); wiped on deletion.
    profile: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    conversation: Mapped[Conversation | None] = relationship(back_populates="contact", uselist=False)


class Conversation(Base):
    """Flow state of a contact; `version` guards against two workers writing at once."""

    __tablename__ = "conversation"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), unique=True)
    state: Mapped[dict[str, Any]] = mapped_column(default=dict)
    mode: Mapped[str] = mapped_column(String(10), default="bot")  # bot | human
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    contact: Mapped[Contact] = relationship(back_populates="conversation")

    __mapper_args__ = {"version_id_col": version}


class Message(Base):
    __tablename__ = "message"
    __table_args__ = (
        UniqueConstraint("channel", "channel_message_id", name="uq_message_channel_msgid"),
        Index("ix_message_contact_time", "contact_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(20))
    channel_message_id: Mapped[str | None] = mapped_column(String(128), default=None)
    direction: Mapped[str] = mapped_column(String(3))  # in | out
    sender: Mapped[str] = mapped_column(String(20), default="user")  # user | bot | caseworker
    text: Mapped[str] = mapped_column(Text, default="")
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)  # intent, media kind, location, buttons
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Escalation(Base):
    __tablename__ = "escalation"
    __table_args__ = (Index("ix_escalation_status_priority", "status", "priority", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="SET NULL"))
    category: Mapped[str] = mapped_column(
        String(20)
    )  # emergency|returnee_help|report|human_request|offer_check
    priority: Mapped[int] = mapped_column(Integer, default=2)  # 0 = emergency, 1 = urgent, 2 = normal
    status: Mapped[str] = mapped_column(String(10), default="open")  # open|claimed|resolved
    summary: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)  # intake answers, country, province
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("caseworker.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    first_response_at: Mapped[datetime | None] = mapped_column(default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    outcome: Mapped[str | None] = mapped_column(Text, default=None)
    # bot/console/sla_watch.py: when the admins were told this case missed its first-response target.
    sla_alerted_at: Mapped[datetime | None] = mapped_column(default=None)


class Caseworker(Base):
    __tablename__ = "caseworker"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="caseworker")  # caseworker | admin
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Optional TOTP (bot/console/totp.py): the base32 secret, when its enrolment was confirmed
    # (None = pending or off), and the last 30-second step used, so one code cannot be replayed.
    totp_secret: Mapped[str | None] = mapped_column(String(64), default=None)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(default=None)
    totp_last_step: Mapped[int | None] = mapped_column(Integer, default=None)
    # Provinces whose cases this caseworker sees (bot/console/scope.py); empty = every province.
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Auto-assignment (bot/console/assign.py): only accounts on shift get new cases, round-robin by
    # who was given one longest ago.
    on_shift: Mapped[bool] = mapped_column(default=False)
    last_assigned_at: Mapped[datetime | None] = mapped_column(default=None)


class AuditEvent(Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    caseworker_id: Mapped[int | None] = mapped_column(ForeignKey("caseworker.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(80), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Outbox(Base):
    """A reply stored before it is sent, so a failing channel API loses nothing."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        # one contact's rows in order: per-chat ordering, WhatsApp's offered menu, erasure
        Index("ix_outbox_contact", "contact_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending|sent|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(255), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)


class Agency(Base):
    """A licensed placement agency (P3MI) from a list an admin imported, with that list's date."""

    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    name_key: Mapped[str] = mapped_column(String(255), index=True)  # normalised for matching
    license_no: Mapped[str | None] = mapped_column(String(100), default=None)
    city: Mapped[str | None] = mapped_column(String(100), default=None)
    list_date: Mapped[date] = mapped_column(Date)
    list_source: Mapped[str] = mapped_column(String(255), default="")
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


# ---- caseworker console (bot/console) ------------------------------------------------------------


class ConsoleSession(Base):
    """A logged-in console session; the cookie holds the token, the table only its SHA-256."""

    __tablename__ = "console_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 hex of the cookie token
    caseworker_id: Mapped[int] = mapped_column(ForeignKey("caseworker.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(default=utcnow)


class LoginAttempt(Base):
    """Failed logins per key ("user:NAME" or "ip:ADDR"), for lockout with back-off."""

    __tablename__ = "login_attempt"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseNote(Base):
    """An internal note on a case; never sent to the person."""

    __tablename__ = "case_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalation.id", ondelete="CASCADE"), index=True)
    caseworker_id: Mapped[int | None] = mapped_column(ForeignKey("caseworker.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Referral(Base):
    """Where a caseworker referred a case: a sentra (content/sentra.yml) or a service (content/aid.yml)."""

    __tablename__ = "referral"

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalation.id", ondelete="CASCADE"), index=True)
    caseworker_id: Mapped[int | None] = mapped_column(ForeignKey("caseworker.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(10))  # sentra | aid | agency
    target_id: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    # Why it could go to that recipient (bot/console/consent.py): consent | minor | immediate_danger;
    # None for a service that is not one of the four recipients.
    consent_basis: Mapped[str | None] = mapped_column(String(20), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OfferCheck(Base):
    """A job offer the bot checked: the verdict and the red-flag ids only, never the offer's text nor
    who asked, so the console can show which traps are going round without holding anyone's data."""

    __tablename__ = "offer_check"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    channel: Mapped[str] = mapped_column(String(20))
    method: Mapped[str] = mapped_column(String(10))  # text (pasted offer) | checklist (questions)
    risk: Mapped[str] = mapped_column(String(10))  # low | medium | high
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)


class PendingNote(Base):
    """A voice note acknowledged to its channel but not yet heard: kept until its turn is stored, so a
    process that stops mid-transcription loses nothing (another process, or this one after a restart,
    hears it once its lease runs out). `body` is the channel's own update (Telegram JSON, Twilio form),
    deleted with the row once handled or when the person erases their data."""

    __tablename__ = "pending_note"
    __table_args__ = (
        UniqueConstraint("channel", "channel_message_id", name="uq_pending_note_message"),
        Index("ix_pending_note_lease", "lease_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    channel_message_id: Mapped[str] = mapped_column(String(128))
    chat_id: Mapped[str] = mapped_column(String(64))
    body: Mapped[dict[str, Any]] = mapped_column(default=dict)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CasePresence(Base):
    """Who has a case page open right now (bot/console/presence.py): refreshed by the page's poll,
    stale after a few seconds; no audit value, only for "someone else is viewing this case"."""

    __tablename__ = "case_presence"

    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalation.id", ondelete="CASCADE"), primary_key=True)
    caseworker_id: Mapped[int] = mapped_column(ForeignKey("caseworker.id", ondelete="CASCADE"), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)
