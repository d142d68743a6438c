"""Delete a person's data on request; keep only anonymised case statistics."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.store.models import Contact, Conversation, Escalation, Message, Outbox

# Fields of an escalation that say nothing about who the person is (kept for statistics).
_STAT_FIELDS = ("category", "province", "country", "situation", "needs", "urgency", "red_flags")


def erase_contact(s: Session, contact: Contact) -> None:
    for esc in s.scalars(select(Escalation).where(Escalation.contact_id == contact.id)):
        esc.contact_id = None
        esc.summary = ""
        esc.details = {k: v for k, v in (esc.details or {}).items() if k in _STAT_FIELDS} | {"erased": True}
    s.execute(delete(Message).where(Message.contact_id == contact.id))
    s.execute(delete(Outbox).where(Outbox.contact_id == contact.id))
    s.execute(delete(Conversation).where(Conversation.contact_id == contact.id))
    s.delete(contact)
    s.flush()
