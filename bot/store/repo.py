"""Queries the engine and the console share. Every function takes an open Session."""

from __future__ import annotations

import uuid
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Insert, Table, bindparam, case, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from bot import events
from bot.events import EmergencyRaised
from bot.messages import CHAT_MESSAGE_ID, Button, Reply
from bot.sla import PRIORITY
from bot.store.models import CaseNote, Contact, Conversation, Escalation, Message, Outbox, utcnow


def get_or_create_contact(s: Session, channel: str, user_id: str, language: str = "id") -> Contact:
    q = select(Contact).where(Contact.channel == channel, Contact.channel_user_id == user_id)
    contact = s.scalars(q).first()
    if contact is not None:
        return contact
    try:
        with s.begin_nested():  # another worker may create the same contact at the same moment
            contact = Contact(channel=channel, channel_user_id=user_id, language=language)
            s.add(contact)
            s.flush()
    except IntegrityError:
        contact = s.scalars(q).one()
    return contact


def lock_conversation(s: Session, contact: Contact) -> Conversation:
    """The contact's conversation, row-locked on PostgreSQL so one person's messages run one at a time."""
    q = select(Conversation).where(Conversation.contact_id == contact.id).with_for_update()
    conv = s.scalars(q).first()
    if conv is None:
        try:
            with s.begin_nested():
                conv = Conversation(contact_id=contact.id, state={})
                s.add(conv)
                s.flush()
        except IntegrityError:
            conv = s.scalars(q).one()
    return conv


# Whether this channel message id is stored already: the unique index on (channel, channel_message_id).
# A NULL id matches nothing.
_SEEN = (
    select(Message.id)
    .where(Message.channel == bindparam("channel"), Message.channel_message_id == bindparam("message_id"))
    .exists()
)
# Built once: constructing a statement costs more than running it on this per-message path.
_CONTACT_AND_CONVERSATION = (
    select(Contact, Conversation, _SEEN)
    .join(Conversation, Conversation.contact_id == Contact.id)
    .where(Contact.channel == bindparam("channel"), Contact.channel_user_id == bindparam("user_id"))
    .with_for_update(of=Conversation)
)


def contact_and_conversation(
    s: Session, channel: str, user_id: str, message_id: str | None = None
) -> tuple[Contact, Conversation, bool]:
    """The contact and its conversation in one query, the conversation row-locked on PostgreSQL
    (so one person's messages are handled one at a time across workers); created when new. The
    third value: `message_id` is stored already (a duplicate delivery), read in the same round trip.
    A copy that commits while this one waits for the lock is not seen here (the lookup's snapshot is
    older): the unique constraint still refuses it when the turn inserts its messages."""
    params = {"channel": channel, "user_id": user_id, "message_id": message_id}
    row = s.execute(_CONTACT_AND_CONVERSATION, params).first()
    if row is None:
        _create_contact_and_conversation(s, channel, user_id)
        row = s.execute(_CONTACT_AND_CONVERSATION, params).one()
    return row[0], row[1], bool(row[2])


def _insert_if_absent(s: Session, table: Table) -> Any:
    """INSERT … ON CONFLICT DO NOTHING for the session's database (SQLite or PostgreSQL)."""
    if s.get_bind().dialect.name == "postgresql":
        return pg_insert(table).on_conflict_do_nothing()
    return sqlite_insert(table).on_conflict_do_nothing()


def _create_contact_and_conversation(s: Session, channel: str, user_id: str) -> None:
    """A first message: both rows, each left alone when a concurrent first message (another worker)
    made it meanwhile. No savepoints and no ORM flush: this is every new person's first turn, and a
    unique-constraint error must never reach the turn, where it means a duplicate message."""
    contact_id = s.scalar(
        _insert_if_absent(s, Contact.__table__).returning(Contact.id),
        {"channel": channel, "channel_user_id": user_id, "language": "id"},
    )
    if contact_id is None:
        contact_id = s.scalar(
            select(Contact.id).where(Contact.channel == channel, Contact.channel_user_id == user_id)
        )
    s.execute(_insert_if_absent(s, Conversation.__table__), {"contact_id": contact_id, "state": {}})


_CONVERSATION = Conversation.__table__
_SAVE_STATE = (
    update(_CONVERSATION)
    .where(_CONVERSATION.c.id == bindparam("conv_id"), _CONVERSATION.c.version == bindparam("old_version"))
    .values(
        state=bindparam("new_state", type_=_CONVERSATION.c.state.type),
        version=bindparam("new_version"),
        updated_at=bindparam("now", type_=_CONVERSATION.c.updated_at.type),
    )
)


def save_state(s: Session, conv: Conversation, state: dict[str, Any]) -> None:
    """Store a conversation's flow state: one UPDATE guarded by the version column, as the ORM's
    versioning would do, without its unit-of-work bookkeeping on every message. Raises
    StaleDataError when another writer moved the conversation on (the engine then runs again)."""
    if state == conv.state:
        return
    s.flush()  # anything else pending on the row (its mode) goes first, with its own version step
    res = s.execute(
        _SAVE_STATE,
        {"conv_id": conv.id, "old_version": conv.version, "new_version": conv.version + 1,
         "new_state": state, "now": utcnow()},
    )
    if res.rowcount != 1:  # type: ignore[attr-defined]
        raise StaleDataError(f"conversation {conv.id} changed meanwhile")
    set_committed_value(conv, "state", state)
    set_committed_value(conv, "version", conv.version + 1)


def seen_message(s: Session, channel: str, message_id: str | None) -> bool:
    if not message_id:
        return False
    q = select(Message.id).where(Message.channel == channel, Message.channel_message_id == message_id)
    return s.scalars(q).first() is not None


def add_message(
    s: Session,
    contact: Contact,
    direction: str,
    text: str,
    *,
    sender: str = "user",
    message_id: str | None = None,
    meta: dict[str, Any] | None = None,
) -> Message:
    msg = Message(
        contact_id=contact.id,
        channel=contact.channel,
        channel_message_id=message_id,
        direction=direction,
        sender=sender,
        text=text,
        meta=meta or {},
    )
    s.add(msg)
    return msg


def open_escalation(s: Session, contact_id: int) -> Escalation | None:
    """The person's open case: the one a caseworker holds first, then the most urgent, then the oldest
    (older data may hold more than one open case per person)."""
    q = (
        select(Escalation)
        .where(Escalation.contact_id == contact_id, Escalation.status != "resolved")
        .order_by(case((Escalation.status == "claimed", 0), else_=1), Escalation.priority, Escalation.created_at)
    )
    return s.scalars(q).first()


def join_case(
    s: Session, esc: Escalation, category: str, priority: int, summary: str, details: dict[str, Any]
) -> bool:
    """Add a new need to the person's open case; True when it raised the case to emergency.

    A different need is also written as a case note (no author: the bot), so the caseworker sees it
    in the case's history; the most urgent need names the case's category."""
    merged = {**(esc.details or {}), **details}
    if category != esc.category:
        seen = list(merged.get("categories") or [esc.category])
        merged["categories"] = seen + ([category] if category not in seen else [])
        s.add(CaseNote(escalation_id=esc.id, caseworker_id=None,
                       text=f"Bot: kebutuhan baru digabung ke kasus ini / new need joined this case: "
                            f"{category} · {summary}"))
    raised = priority < esc.priority
    if raised:
        esc.priority = priority
        esc.category = category
    esc.details = merged
    return raised and priority == PRIORITY["emergency"]


def create_escalation(
    s: Session,
    contact: Contact | None,
    category: str,
    priority: int,
    summary: str,
    details: dict[str, Any],
    now: datetime | None = None,
) -> Escalation:
    """A new case with a reference like SM-2026-000123 (year + row id, so it is unique and short)."""
    now = now or utcnow()
    esc = Escalation(
        reference=f"tmp-{uuid.uuid4().hex[:16]}",
        contact_id=contact.id if contact else None,
        category=category,
        priority=priority,
        summary=summary,
        details=details,
        created_at=now,
    )
    s.add(esc)
    s.flush()
    esc.reference = f"SM-{now.year}-{esc.id:06d}"
    s.flush()
    if priority == PRIORITY["emergency"]:  # the notifier tells the caseworkers (bot/notify.py)
        events.publish(s, EmergencyRaised(s, esc))
    return esc


def _outbox_rows(
    contact: Contact | None, replies: list[dict[str, Any]], sender: str, channel: str | None, chat_id: str | None
) -> list[dict[str, Any]]:
    """Outbox rows for replies. Each payload is a channel-agnostic reply dict ({"text", "buttons",
    "request_location"}) plus the chat to send to and who wrote it; the channel's sender renders it.
    Without a contact (it was just erased) the channel and chat are given directly."""
    channel = contact.channel if contact else channel
    chat_id = contact.channel_user_id if contact else chat_id
    # The answer to an erasure is deleted as soon as it is delivered (bot/outbox.py).
    extra = {} if contact else {"forget_after_send": True}
    now = utcnow()
    return [
        {"contact_id": contact.id if contact else None, "channel": channel,
         "payload": {**r, "chat_id": chat_id, "sender": sender, **extra}, "status": "pending", "attempts": 0,
         "next_attempt_at": now, "created_at": now}
        for r in replies
    ]


def enqueue_replies(
    s: Session,
    contact: Contact | None,
    replies: list[dict[str, Any]],
    sender: str = "bot",
    *,
    channel: str | None = None,
    chat_id: str | None = None,
) -> list[Outbox]:
    """Store replies for the background sender, in the caller's transaction (so none is lost), as
    ORM rows the caller can still use (the console marks and links them)."""
    rows = [Outbox(**r) for r in _outbox_rows(contact, replies, sender, channel, chat_id)]
    s.add_all(rows)
    s.flush()
    return rows


def queue_replies(
    s: Session,
    contact: Contact | None,
    replies: list[dict[str, Any]],
    *,
    channel: str | None = None,
    chat_id: str | None = None,
) -> None:
    """`enqueue_replies` for the engine's hot path: one INSERT, nothing returned."""
    if replies:
        insert_rows(s, Outbox.__table__, _outbox_rows(contact, replies, "bot", channel, chat_id))


# -- replies a pull channel (REST) collects on the person's next turn ---------------------------------
_OUTBOX = Outbox.__table__
_WAITING = (
    select(_OUTBOX.c.id, _OUTBOX.c.payload)
    .where(_OUTBOX.c.contact_id == bindparam("contact_id"), _OUTBOX.c.channel == bindparam("channel"),
           _OUTBOX.c.status == "pending")
    .order_by(_OUTBOX.c.id)
    .with_for_update(skip_locked=True)  # PostgreSQL: two calls at once hand out each row once
)
_HANDED_OUT = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id.in_(bindparam("ids", expanding=True)))
    .values(status="sent", sent_at=bindparam("now", type_=_OUTBOX.c.sent_at.type), attempts=_OUTBOX.c.attempts + 1)
)


def take_waiting(s: Session, contact_id: int, channel: str) -> list[Reply]:
    """What waits in the outbox for a contact on a channel that cannot push (a caseworker's reply), in
    order, marked sent in the caller's transaction: rolled back with it (a duplicate turn), each
    row handed out once. One indexed query (ix_outbox_contact) on the turn's own connection."""
    rows = s.execute(_WAITING, {"contact_id": contact_id, "channel": channel}).all()
    if not rows:
        return []
    s.execute(_HANDED_OUT, {"ids": [r.id for r in rows], "now": utcnow()})
    out = []
    for r in rows:
        p = r.payload or {}
        buttons = [Button(str(b.get("title", "")), str(b.get("payload", ""))) for b in p.get("buttons") or []]
        out.append(Reply(str(p.get("text", "")), buttons))
    return out


@lru_cache(maxsize=16)
def _insert(table: Table) -> Insert:
    return insert(table)


def insert_rows(s: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Rows with the same keys in one statement run as the driver's executemany. The plain INSERT is
    cached by SQLAlchemy (compiled once per table); a multi-row VALUES statement has no cache key and
    was compiled again on every message, which cost more than it saved (bench/turns.py)."""
    if rows:
        s.execute(_insert(table), rows)


# -- delivery reports (Twilio status callbacks) on outbox rows ----------------------------------------
def record_delivery(s: Session, outbox_id: int, provider_id: str, status: str, error: str | None) -> bool:
    """A provider's delivery report (Twilio status callback) on the row; never moves backwards."""
    q = select(Outbox).where(Outbox.id == outbox_id)
    if s.get_bind().dialect.name != "sqlite":
        q = q.with_for_update()
    row = s.scalars(q).first()
    if row is None:
        return False
    payload = dict(row.payload or {})
    known = set(payload.get("provider_ids") or []) | set(payload.get("template_sids") or [])
    if known and provider_id not in known and row.status != "pending":
        return False  # not a message this row sent
    current = (payload.get("delivery") or {}).get("status")
    if _RANK.get(status, 0) < _RANK.get(current or "", 0):
        return True
    entry: dict[str, Any] = {"status": status, "at": utcnow().isoformat()}
    if error:
        entry["error_code"] = error[:20]
    payload["delivery"] = entry
    row.payload = payload
    if status in ("failed", "undelivered"):
        row.last_error = f"delivery {status}" + (f" (error {error[:20]})" if error else "")
    return True


_RANK = {
    "accepted": 1,
    "queued": 1,
    "sending": 2,
    "sent": 3,
    "delivered": 4,
    "read": 5,
    "undelivered": 6,
    "failed": 6,
}


def recent_channel_ids(s: Session, contact: Contact, since: datetime) -> list[str]:
    """The channel's ids of this chat's messages since `since`, oldest first: the person's (kept in
    Message.meta by the engine) and everything the outbox sent (its provider ids). Ids only."""
    ids: list[str] = []
    for meta in s.scalars(
        select(Message.meta)
        .where(Message.contact_id == contact.id, Message.direction == "in", Message.created_at >= since)
        .order_by(Message.id)
    ):
        if (meta or {}).get(CHAT_MESSAGE_ID):
            ids.append(str(meta[CHAT_MESSAGE_ID]))
    for payload in s.scalars(
        select(Outbox.payload).where(Outbox.contact_id == contact.id, Outbox.created_at >= since).order_by(Outbox.id)
    ):
        p = payload or {}
        ids.extend(str(i) for i in [*(p.get("provider_ids") or []), *(p.get("template_sids") or [])] if i)
    return list(dict.fromkeys(ids))
