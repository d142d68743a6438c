"""Caseworker replies go out through the person's own channel via the outbox (bot/outbox.py).

A channel without push has no sender. If it pulls (REST), the rows wait and go back with the
person's next request. If it does neither (the terminal), the rows are marked sent at once instead
of waiting for a sender that never comes (the outbox sender only claims channels it has an adapter
for)."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot import outbox
from bot.channels import registry
from bot.store.models import Contact, Outbox, utcnow


def _no_push(channel: str) -> bool:
    """A registered channel that can neither push nor pull (an unknown channel keeps its rows
    pending for a sender)."""
    spec = registry.get(channel)
    return spec is not None and not spec.capabilities.push and not spec.capabilities.pull


def send_from_caseworker(s: Session, contact: Contact, text: str) -> Outbox:
    row = outbox.send_from_caseworker(s, contact, text)
    if _no_push(contact.channel):  # a long reply may have become several rows: all of them
        s.execute(
            update(Outbox)
            .where(Outbox.contact_id == contact.id, Outbox.status == "pending")
            .values(status="sent", sent_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        s.refresh(row)
    return row


def mark_no_push_sent(rows: list[Outbox]) -> None:
    for row in rows:
        if _no_push(row.channel) and row.status == "pending":
            row.status, row.sent_at = "sent", utcnow()


def wake_sender() -> None:
    """After the commit: tell the outbox sender there is something to deliver now."""
    outbox.wake()
