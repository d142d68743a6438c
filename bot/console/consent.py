"""Consent per recipient: the intake records, item by item, whether the person agrees that their case
is passed on to Kemensos, the police (PPA-PPO unit), KP2MI/BP3MI, the embassy (`details["consent_to"]`,
flows/actions_case.py). A referral to one of them needs that consent, unless the caseworker records
that the person is a minor or in immediate danger; the basis is kept with the referral and audited.

A sentra (content/sentra.yml) is a Kemensos centre, so a sentra referral needs Kemensos' consent;
services of content/aid.yml are information for the person and are not checked here."""

from __future__ import annotations

from typing import Any

from bot.console.canned import AGENCIES
from bot.console.i18n import Bi
from bot.store.models import Escalation
from flows.actions_case import RECIPIENTS

LABELS = dict(AGENCIES)
EXCEPTIONS = ("minor", "immediate_danger")


class NoConsent(Exception):
    """The person did not agree to this recipient and no exception was recorded (shown as is)."""


assert set(LABELS) == set(RECIPIENTS)


def recipient_of(kind: str, target_id: str) -> str | None:
    if kind == "agency":
        return target_id if target_id in LABELS else None
    if kind == "sentra":
        return "kemensos"
    return None


def consent_of(esc: Escalation) -> dict[str, Any]:
    """{recipient: True/False}, or {} when the case has no per-recipient record (an older case,
    an emergency that never went through the intake)."""
    raw = (esc.details or {}).get("consent_to")
    return {r: raw.get(r) for r in RECIPIENTS if isinstance(raw, dict) and r in raw}


def basis_for(esc: Escalation, kind: str, target_id: str, exception: str = "") -> str | None:
    """Why this referral may go ahead: "consent", "minor", "immediate_danger"; None when it is not
    sent to one of the four recipients. Raises NoConsent when it may not."""
    recipient = recipient_of(kind, target_id)
    if recipient is None:
        return None
    if consent_of(esc).get(recipient) is True:
        return "consent"
    if exception in EXCEPTIONS:
        return exception
    raise NoConsent(
        Bi(
            f"Orang ini tidak menyetujui kasusnya diteruskan ke {LABELS[recipient]}. Rujukan hanya boleh tanpa "
            "persetujuan bila ia anak di bawah umur atau dalam bahaya langsung (pilih dasarnya).",
            f"No consent to share with {LABELS[recipient].en}: only for a minor or in immediate danger.",
        )
    )
