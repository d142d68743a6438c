"""Follow-up check-ins: some days after a case is resolved, ask the person whether help arrived.

The question is stored in the outbox (so a channel sender delivers it) and the conversation is put
on the follow-up flow's question, so the answer is understood and recorded into the case."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.channels import registry
from bot.services import FlowServices
from bot.knowledge.content import use_content_dir
from bot.store import repo
from bot.store.db import Database
from bot.store.models import Contact, Escalation, utcnow
from flows.interpreter import Interpreter
from flows.runtime import ActionContext, State, Turn


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


def run_followups(
    db: Database,
    interpreter: Interpreter,
    days: int,
    now: datetime | None = None,
    targets: tuple[int, int] = (15, 24),
    content_dir: Path | None = None,
) -> int:
    """Send every due check-in once; returns how many were queued. The check-in flow gets the same
    services as any turn (a "no" opens a new case), with the engine's response `targets` and texts
    from `content_dir` (SAHABAT_CONTENT_DIR)."""
    now = now or utcnow()
    sent = 0
    with use_content_dir(content_dir), db.session() as s:
        for esc in due(s, days, now):
            contact = s.get(Contact, esc.contact_id)
            esc.details = {**(esc.details or {}), "followup_sent_at": now.isoformat()}
            if contact is None or not can_push(contact.channel):
                continue
            conv = repo.lock_conversation(s, contact)
            if conv.mode == "human" or (conv.state or {}).get("step"):
                continue  # someone is mid-conversation: don't interrupt it
            state = State.from_dict(conv.state)
            state.memory.case_ref = esc.reference
            ctx = ActionContext(
                lang=contact.language,
                state=state,
                turn=Turn(text="", intent="followup_checkin"),
                services=FlowServices(s, contact, conv, targets),
            )
            interpreter.start(ctx, "followup")
            conv.state = ctx.state.as_dict()
            repo.enqueue_replies(s, contact, [r.as_dict() for r in ctx.replies])
            for r in ctx.replies:
                repo.add_message(s, contact, "out", r.text, sender="bot", meta={"followup": esc.reference})
            sent += 1
    return sent
