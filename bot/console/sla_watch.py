"""The SLA acts: a case past its first-response target alerts the admins once (through the
caseworker notification path, bot/notify.py), and a claimed case its holder has not answered within
the target (counted from the claim) goes back to the queue, so someone else can take it.

A breach more than STALE past its due time (cases from before this feature, a long outage) is marked
without a notice, so a supervisor's chat is never flooded with old alerts. A holder who wrote an
internal note since claiming is at work on the case (a phone call, say): not requeued.

Due times come from bot/sla.py's targets; every function takes `now`, so tests move time."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import sla
from bot.console import cases
from bot.notify import enqueue_sla_notice
from bot.store.models import CaseNote, Caseworker, Escalation

Targets = sla.Targets
STALE = timedelta(hours=24)


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
        esc.sla_alerted_at = now
        if now - due_at(esc, targets) > STALE:
            cases.audit(s, None, "sla_breach", esc.reference, due_at=due, stale=True)
            continue
        enqueue_sla_notice(
            s,
            esc,
            configured=configured,
            assignee=holder.username if holder else None,
            due_at=due,
            requeued=esc.id in requeued,
        )
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
        if _noted_since_claim(s, esc, holder_id):
            continue
        holder = s.get(Caseworker, holder_id)
        if cases.move(s, esc, None, expect_status="claimed", expect_assignee=holder_id, now=now):
            cases.audit(s, None, "sla_requeue", esc.reference, **{"from": holder.username if holder else None})
            out[esc.id] = holder_id
    return out


def _noted_since_claim(s: Session, esc: Escalation, holder_id: int) -> bool:
    q = select(CaseNote.id).where(
        CaseNote.escalation_id == esc.id,
        CaseNote.caseworker_id == holder_id,
        CaseNote.created_at >= esc.claimed_at,
    )
    return s.scalars(q.limit(1)).first() is not None
