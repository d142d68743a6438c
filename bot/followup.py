"""Follow-up check-ins: some days after a case is resolved, ask the person whether help arrived.

Each check-in enters through the engine (Engine.start_flow) like a turn the bot starts: the question
goes to the outbox (so a channel sender delivers it) and the transcript, and the conversation waits
on the follow-up flow's question, so the answer is understood and recorded into the case."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.channels import registry
from bot.engine import Engine
from bot.store.models import Contact, Escalation, utcnow


def can_push(channel: str) -> bool:
    """A check-in is a message we start: only a channel that can push one gets it."""
    spec = registry.get(channel)
    return spec is not None and spec.capabilities.push


def due(s: Session, days: int, now: datetime) -> list[Escalation]:
    q = (
        select(Escalation)
        .where(Escalation.status == "resolved", Escalation.contact_id.is_not(None))
        .where(Escalation.resolved_at <= now - timedelta(days=days))
        .order_by(Escalation.resolved_at)
        .limit(200)
    )
    return [e for e in s.scalars(q) if not (e.details or {}).get("followup_sent_at")]


def run_followups(engine: Engine, days: int, now: datetime | None = None) -> int:
    """Send every due check-in once; returns how many were queued. A case is marked even when its
    check-in is skipped (no push, a caseworker holds the chat, a question is being answered)."""
    now = now or utcnow()
    sent = 0
    with engine.db.session() as s:
        for esc in due(s, days, now):
            contact = s.get(Contact, esc.contact_id)
            esc.details = {**(esc.details or {}), "followup_sent_at": now.isoformat()}
            if contact is None or not can_push(contact.channel):
                continue
            replies = engine.start_flow(
                s, contact, "followup", "followup_checkin",
                memory={"case_ref": esc.reference}, meta={"followup": esc.reference},
            )
            if replies is not None:
                sent += 1
    return sent
