"""Automatic assignment: open, unassigned cases go round-robin to the caseworkers on shift.

Emergencies first, then the others in due order; each caseworker holds at most
`console_max_open_cases` claimed cases; a caseworker only gets cases in their regions
(bot/console/scope.py); among those who fit, the one given a case longest ago goes next. An
assignment is a claim on their behalf (the bot goes quiet in that chat), audited `auto_assign`
with no acting account. Run by bot/console/rounds.py and when someone comes on shift."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.console import cases, scope
from bot.store.models import Caseworker, Escalation, utcnow

_NEVER = datetime.min.replace(tzinfo=UTC)


def open_load(s: Session) -> dict[int, int]:
    """Claimed cases per caseworker id."""
    q = (
        select(Escalation.assignee_id, func.count())
        .where(Escalation.status == "claimed", Escalation.assignee_id.is_not(None))
        .group_by(Escalation.assignee_id)
    )
    return {int(a): int(n) for a, n in s.execute(q).all() if a is not None}


def on_shift(s: Session) -> list[Caseworker]:
    q = select(Caseworker).where(Caseworker.active.is_(True), Caseworker.on_shift.is_(True))
    return list(s.scalars(q.order_by(Caseworker.id)))


def assign_waiting(
    s: Session, cap: int, now: datetime | None = None, *, avoid: dict[int, int] | None = None
) -> list[tuple[str, str]]:
    """Assign what can be assigned now; returns (reference, username) for each assignment. `avoid`
    maps a case id to the caseworker it was just taken from (not given straight back to them)."""
    avoid = avoid or {}
    now = now or utcnow()
    staff = on_shift(s)
    if not staff:
        return []
    load = open_load(s)
    viewers = {cw.id: scope.viewer(s, cw.id, cw.role == "admin") for cw in staff}
    waiting = s.scalars(
        select(Escalation)
        .where(Escalation.status == "open", Escalation.assignee_id.is_(None))
        .order_by(Escalation.priority, Escalation.created_at, Escalation.id)
        .limit(200)
    ).all()
    done: list[tuple[str, str]] = []
    for esc in waiting:
        fits = [
            cw
            for cw in staff
            if load.get(cw.id, 0) < cap and scope.in_scope(esc, viewers[cw.id]) and avoid.get(esc.id) != cw.id
        ]
        if not fits:
            continue
        cw = min(fits, key=lambda c: (c.last_assigned_at or _NEVER, c.id))
        if not cases.move(s, esc, cw.id, expect_status="open", now=now):
            continue  # claimed by hand at this very moment
        load[cw.id] = load.get(cw.id, 0) + 1
        cases.audit(s, None, "auto_assign", esc.reference, to=cw.username, priority=esc.priority)
        done.append((esc.reference, cw.username))
    return done


def set_shift(s: Session, caseworker_id: int, on: bool) -> bool:
    """Start or end one's shift; True when it changed (audited `shift_on` / `shift_off`)."""
    cw = s.get(Caseworker, caseworker_id)
    if cw is None or cw.on_shift == on:
        return False
    cw.on_shift = on
    cases.audit(s, caseworker_id, "shift_on" if on else "shift_off", cw.username)
    return True
