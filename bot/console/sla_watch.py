"""The SLA acts: a case past its first-response target alerts the admins once (through the
caseworker notification path, bot/notify.py), and a claimed case its holder has not answered within
the target (counted from the claim) goes back to the queue, so someone else can take it.

Due times come from bot/sla.py's targets; every function takes `now`, so tests move time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import sla
from bot.console import cases
from bot.notify import enqueue_sla_notice
from bot.store.models import Caseworker, Escalation

Targets = sla.Targets


def due_at(esc: Escalation, targets: Targets) -> datetime:
    """When the first answer is due."""
    return esc.created_at + sla.target_for(esc.priority, targets)


def _unanswered(s: Session) -> list[Escalation]:
    q = select(Escalation).where(Escalation.status != "resolved", Escalation.first_response_at.is_(None))
    return list(s.scalars(q.order_by(Escalation.priority, Escalation.created_at, Escalation.id).limit(1000)))


def alert_breaches(
    s: Session, targets: Targets, now: datetime, *, configured: bool, requeued: dict[int, int] | None = None
) -> list[str]:
    """One admin notice per case that passed its due time unanswered; returns their references.
    `requeued`: {case id: former holder} of the cases this round took back, named in the notice."""
    requeued = requeued or {}
    out = []
    for esc in _unanswered(s):
        if esc.sla_alerted_at is not None or now <= due_at(esc, targets):
            continue
        holder_id = esc.assignee_id or requeued.get(esc.id)
        holder = s.get(Caseworker, holder_id) if holder_id else None
        due = due_at(esc, targets).isoformat()
        enqueue_sla_notice(
            s,
            esc,
            configured=configured,
            assignee=holder.username if holder else None,
            due_at=due,
            requeued=esc.id in requeued,
        )
        esc.sla_alerted_at = now
        cases.audit(s, None, "sla_breach", esc.reference, due_at=due, assignee=holder.username if holder else None)
        out.append(esc.reference)
    return out


def requeue_unanswered(s: Session, targets: Targets, now: datetime) -> dict[int, int]:
    """Claimed cases whose holder has not answered within the target since claiming them go back to
    the queue (the bot answers the person meanwhile). Returns {case id: former holder id}."""
    out: dict[int, int] = {}
    for esc in _unanswered(s):
        if esc.status != "claimed" or esc.claimed_at is None or esc.assignee_id is None:
            continue
        if now - esc.claimed_at <= sla.target_for(esc.priority, targets):
            continue
        holder_id = esc.assignee_id
        holder = s.get(Caseworker, holder_id)
        if cases.move(s, esc, None, expect_status="claimed", expect_assignee=holder_id, now=now):
            cases.audit(s, None, "sla_requeue", esc.reference, **{"from": holder.username if holder else None})
            out[esc.id] = holder_id
    return out
