"""One round of the console's background work, run every `console_rounds_seconds` by the server:
SLA requeue and alerts (bot/console/sla_watch.py), then auto-assignment (bot/console/assign.py).

`now` is a parameter (tests pass a clock of their own); one transaction per round."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.config import Settings
from bot.console import assign, sla_watch
from bot.notify import notify_configured
from bot.store.db import Database
from bot.store.models import Escalation, utcnow


@dataclass
class Round:
    requeued: list[str] = field(default_factory=list)
    alerted: list[str] = field(default_factory=list)
    assigned: list[tuple[str, str]] = field(default_factory=list)


def run_round(db: Database, settings: Settings, now: datetime | None = None) -> Round:
    now = now or utcnow()
    targets = (settings.target_emergency_minutes, settings.target_normal_hours)
    out = Round()
    with db.session() as s:
        former: dict[int, int] = {}
        if settings.console_requeue_unanswered:
            former = sla_watch.requeue_unanswered(s, targets, now)
            out.requeued = [e.reference for e in (s.get(Escalation, i) for i in former) if e is not None]
        out.alerted = sla_watch.alert_breaches(
            s, targets, now, configured=notify_configured(settings), requeued=former
        )
        if settings.console_auto_assign:
            out.assigned = assign.assign_waiting(s, settings.console_max_open_cases, now, avoid=former)
    if out.alerted or out.requeued or out.assigned:
        from bot.console.sending import wake_sender

        wake_sender()
    return out


def round_job(db: Database, settings: Settings, clock: Callable[[], datetime] = utcnow) -> Callable[[], Round]:
    """The job the server's Periodic runs."""
    return lambda: run_round(db, settings, clock())
