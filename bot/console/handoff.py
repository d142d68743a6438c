"""The handoff summary at the top of a case page and the person's earlier cases.

Built from the intake answers (escalation details) and the conversation (danger flags, the person's
last message), no external service. Values pass through the page's masker: on a case the viewer does
not hold, the exact place and any phone-like number stay hidden."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import sla
from bot.store.models import Contact, Escalation, Message

_SITUATION = {
    "returnee": "purna PMI / back from abroad",
    "deportee": "dideportasi / deported",
    "trafficking": "korban penipuan/TPPO / fraud or trafficking victim",
    "abroad_problem": "masih di luar negeri / still abroad",
    "family": "keluarga korban / a victim's family",
    "danger": "dalam bahaya / in danger",
    "other": "lainnya / other",
}
_CONTACT_VIA = {"this_chat": "lewat chat ini / in this chat", "phone": "telepon / phone call"}
_FLAG_KEYS = {
    "emergency_passport": "paspor / passport",
    "emergency_holder": "ditahan oleh / held by",
    "emergency_battery": "baterai / battery",
    "emergency_credit": "pulsa / phone credit",
}


@dataclass(frozen=True)
class Line:
    label: str
    value: str


def summary(
    esc: Escalation,
    contact: Contact | None,
    messages: list[Message],
    show: Callable[[str], str],
    fmt: Callable[[datetime | None], str],
) -> list[Line]:
    d: dict[str, Any] = esc.details or {}
    where = ", ".join(str(d[k]) for k in ("place", "regency", "province", "country") if d.get(k))
    flags = []
    if sla.is_emergency(esc.priority):
        flags.append("DARURAT / emergency")
    danger = sum(1 for m in messages if (m.meta or {}).get("danger"))
    if danger:
        flags.append(f"⚠️ tanda bahaya di {danger} pesan / danger in {danger} message(s)")
    flags += [f"{label}: {d[k]}" for k, label in _FLAG_KEYS.items() if d.get(k) not in (None, "")]
    if d.get("anonymous") is True:
        flags.append("laporan anonim / anonymous report")
    needs = d.get("needs") or []
    last_in = max((m.created_at for m in messages if m.direction == "in"), default=None)
    safe = d.get("emergency_safe_time") or d.get("safe_time")
    lines = [
        Line("Situasi / situation", _SITUATION.get(str(d.get("situation")), str(d.get("situation") or "—"))),
        Line("Lokasi / location", show(where) if where else "—"),
        Line("Kebutuhan / needs", ", ".join(map(str, needs)) if isinstance(needs, list) and needs else "—"),
        Line("Tanda / flags", "; ".join(show(f) for f in flags) or "—"),
        Line("Bahasa / language", str(d.get("language") or (contact.language if contact else "—"))),
        Line(
            "Kontak aman / safe contact",
            " · ".join(
                x
                for x in (
                    _CONTACT_VIA.get(str(d.get("contact_via")), ""),
                    f"waktu aman / safe time: {show(str(safe))}" if safe else "",
                )
                if x
            )
            or "—",
        ),
        Line("Pesan terakhir / last message", fmt(last_in)),
    ]
    return lines


@dataclass(frozen=True)
class Earlier:
    reference: str
    category: str
    status: str
    outcome: str | None
    created_at: datetime


def history(s: Session, esc: Escalation, contact: Contact | None) -> list[Earlier] | None:
    """The same person's other cases, newest first; None when their consent does not cover it (no
    consent to storage: the earlier cases are not shown)."""
    if contact is None or contact.consent_at is None:
        return None
    q = (
        select(Escalation)
        .where(Escalation.contact_id == contact.id, Escalation.id != esc.id)
        .order_by(Escalation.created_at.desc(), Escalation.id.desc())
        .limit(20)
    )
    return [Earlier(e.reference, e.category, e.status, e.outcome, e.created_at) for e in s.scalars(q)]
