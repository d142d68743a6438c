"""Messages for a REST contact that nobody can push (a caseworker's reply).

REST clients only receive what a webhook call returns, as in Rasa's REST channel. So outbox rows
for a REST contact wait (pending) until the person's next turn, and are returned then, before that
turn's own replies, and marked sent. No separate polling endpoint: it would hand someone's messages
to whoever knows their `sender` id (see docs/channels.md)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.store.db import Database
from bot.store.models import Contact, Outbox, utcnow


def take_pending(db: Database, channel: str, sender: str, recipient: str | None = None) -> list[dict[str, Any]]:
    """The contact's queued messages on `channel` in order, as REST replies; each is handed out once.

    `sender` is the stored (client-scoped) id, `recipient` the id the client knows the person by."""
    with db.session() as s:
        q = (
            select(Outbox)
            .join(Contact, Contact.id == Outbox.contact_id)
            .where(Contact.channel == channel, Contact.channel_user_id == sender)
            .where(Outbox.channel == channel, Outbox.status == "pending")
            .order_by(Outbox.id)
        )
        if not db.is_sqlite:
            q = q.with_for_update(skip_locked=True, of=Outbox)  # two calls at once: each row once
        rows = list(s.scalars(q))
        now = utcnow()
        out = []
        for row in rows:
            p = row.payload or {}
            reply: dict[str, Any] = {"recipient_id": recipient or sender, "text": p.get("text", "")}
            if p.get("buttons"):
                reply["buttons"] = p["buttons"]
            out.append(reply)
            row.status, row.sent_at, row.attempts = "sent", now, row.attempts + 1
        return out
