"""Delete a person's data on request; keep only anonymised case statistics (docs/privacy.md)."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.store.models import (
    CaseNote,
    Contact,
    Conversation,
    Escalation,
    Message,
    Outbox,
    PendingNote,
    Referral,
    utcnow,
)

# Fields of an escalation that say nothing about who the person is (kept for statistics).
_STAT_FIELDS = ("category", "province", "country", "situation", "needs", "urgency", "red_flags")
# The outcome of a case the person erased while it was still open: nobody is left to help or reach.
WITHDRAWN = "withdrawn"
REDACTED = "[dihapus atas permintaan / erased on request]"


def erase_contact(s: Session, contact: Contact) -> None:
    now = utcnow()
    case_ids = []
    for esc in s.scalars(select(Escalation).where(Escalation.contact_id == contact.id)):
        case_ids.append(esc.id)
        esc.contact_id = None
        esc.summary = ""
        esc.details = {k: v for k, v in (esc.details or {}).items() if k in _STAT_FIELDS} | {"erased": True}
        if esc.status != "resolved":  # an open case with nobody behind it must not wait in the queue
            esc.status, esc.outcome, esc.resolved_at = "resolved", WITHDRAWN, now
    if case_ids:  # caseworkers' notes quote names, NIK, addresses and numbers: keep only that they existed
        s.execute(update(CaseNote).where(CaseNote.escalation_id.in_(case_ids)).values(text=REDACTED))
        s.execute(update(Referral).where(Referral.escalation_id.in_(case_ids)).values(note=""))
    s.execute(delete(Message).where(Message.contact_id == contact.id))
    s.execute(delete(Outbox).where(Outbox.contact_id == contact.id))
    # Rows queued without a contact (e.g. the answer to an earlier erasure) still name the chat.
    s.execute(
        delete(Outbox).where(
            Outbox.contact_id.is_(None),
            Outbox.channel == contact.channel,
            Outbox.payload["chat_id"].as_string() == contact.channel_user_id,
        )
    )
    # Voice notes of this chat not yet heard (bot/voice/queue.py) go too.
    s.execute(
        delete(PendingNote).where(
            PendingNote.channel == contact.channel, PendingNote.chat_id == contact.channel_user_id
        )
    )
    s.execute(delete(Conversation).where(Conversation.contact_id == contact.id))
    s.delete(contact)
    s.flush()
    s.info["erased"] = True  # Database.session scrubs freed pages and the WAL after the commit
