""""Someone else is viewing this case": each case page (and each of its polls) marks the viewer as
present; others seen within TTL are named on the page. Kept in the database, so every worker agrees."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store.models import CasePresence, Caseworker, utcnow

TTL = timedelta(seconds=25)  # a little over two polls of the case page (10 s)


def touch(s: Session, escalation_id: int, caseworker_id: int, now: datetime | None = None) -> list[str]:
    """Mark the viewer present; return the usernames of the others viewing the case now."""
    now = now or utcnow()
    res = s.execute(
        update(CasePresence)
        .where(CasePresence.escalation_id == escalation_id, CasePresence.caseworker_id == caseworker_id)
        .values(seen_at=now)
        .execution_options(synchronize_session=False)
    )
    if res.rowcount == 0:  # type: ignore[attr-defined]  # an UPDATE returns a CursorResult
        try:
            with s.begin_nested():  # the same person's other tab may insert at this very moment
                s.add(CasePresence(escalation_id=escalation_id, caseworker_id=caseworker_id, seen_at=now))
        except IntegrityError:
            pass
    s.execute(delete(CasePresence).where(CasePresence.seen_at < now - 4 * TTL))  # tidy up the long gone
    q = (
        select(Caseworker.username)
        .join(CasePresence, CasePresence.caseworker_id == Caseworker.id)
        .where(
            CasePresence.escalation_id == escalation_id,
            CasePresence.caseworker_id != caseworker_id,
            CasePresence.seen_at >= now - TTL,
        )
        .order_by(Caseworker.username)
    )
    return list(s.scalars(q))
