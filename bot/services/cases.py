"""Cases: opening or joining one, a follow-up's answer, the promised response time."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import events, metrics, sla
from bot.events import EmergencyRaised
from bot.services.base import Bound
from bot.store import repo
from bot.store.models import Escalation, utcnow

log = logging.getLogger(__name__)


def notify(s: Session, esc: Escalation) -> None:
    """A case became an emergency: the notifier, subscribed at start-up, tells the caseworkers."""
    events.publish(s, EmergencyRaised(s, esc))


class CaseServices(Bound):
    def escalate(self, category: str, priority: int, summary: str, details: dict[str, Any]) -> str:
        """One person has one open case: a new need joins the open one (details, and a note when it is
        a different need) instead of opening a second case; a more urgent need raises its priority.
        "" when the channel's gate refused a new case (nothing opened)."""
        existing = repo.open_escalation(self.s, self.contact.id)
        if existing is None and self.case_gate is not None and not self.case_gate(category):
            log.warning("new %s case not opened: the channel's client is over its cap", category)
            metrics.CASES_REFUSED.labels(self.contact.channel, category).inc()
            return ""
        self.case_opened = True
        if self.unsaved:
            details = {"said_before_consent": list(self.unsaved), **details}
        if existing is None:
            return repo.create_escalation(self.s, self.contact, category, priority, summary, details).reference
        if repo.join_case(self.s, existing, category, priority, summary, details):
            notify(self.s, existing)
        return existing.reference

    def record_followup(self, reference: str, helped: bool) -> None:
        """The person's answer goes into the case; "no" opens a new case so a caseworker calls back."""
        esc = self.s.scalars(select(Escalation).where(Escalation.reference == reference)).first()
        if esc is None or esc.contact_id != self.contact.id:
            return
        esc.details = {
            **(esc.details or {}),
            "followup_helped": helped,
            "followup_answered_at": utcnow().isoformat(),
        }
        if not helped:
            details = {
                k: v for k, v in esc.details.items() if k in ("province", "country", "situation", "needs")
            }
            details["followup_of"] = reference
            self.escalate(esc.category, 1, f"follow-up: help not received ({reference})", details)

    def response_target(self, priority: int) -> tuple[int, str]:
        return sla.target_words(priority, self.targets)
