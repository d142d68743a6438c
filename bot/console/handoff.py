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
from bot.console.i18n import Bi, Lang, pick
from bot.store.models import Contact, Escalation, Message

_SITUATION = {
    "returnee": Bi("purna PMI", "back from abroad"),
    "deportee": Bi("dideportasi", "deported"),
    "trafficking": Bi("korban penipuan/TPPO", "fraud or trafficking victim"),
    "abroad_problem": Bi("masih di luar negeri", "still abroad"),
    "family": Bi("keluarga korban", "a victim's family"),
    "danger": Bi("dalam bahaya", "in danger"),
    "other": Bi("lainnya", "other"),
}
_CONTACT_VIA = {"this_chat": Bi("lewat chat ini", "in this chat"), "phone": Bi("telepon", "phone call")}
_FLAG_KEYS = {
    "emergency_passport": Bi("paspor", "passport"),
    "emergency_holder": Bi("ditahan oleh", "held by"),
    "emergency_battery": Bi("baterai", "battery"),
    "emergency_credit": Bi("pulsa", "phone credit"),
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
    lang: Lang = "id",
) -> list[Line]:
    """The summary's lines, labels and fixed words in `lang`; values from the intake as written."""

    def tr(text: str) -> str:
        return pick(text, lang)

    d: dict[str, Any] = esc.details or {}
    where = ", ".join(str(d[k]) for k in ("place", "regency", "province", "country") if d.get(k))
    flags = []
    if sla.is_emergency(esc.priority):
        flags.append(tr(Bi("DARURAT", "EMERGENCY")))
    danger = sum(1 for m in messages if (m.meta or {}).get("danger"))
    if danger:
        flags.append(tr(Bi(f"⚠️ tanda bahaya di {danger} pesan", f"⚠️ danger in {danger} message(s)")))
    flags += [f"{tr(label)}: {d[k]}" for k, label in _FLAG_KEYS.items() if d.get(k) not in (None, "")]
    if d.get("anonymous") is True:
        flags.append(tr(Bi("laporan anonim", "anonymous report")))
    needs = d.get("needs") or []
    last_in = max((m.created_at for m in messages if m.direction == "in"), default=None)
    safe = d.get("emergency_safe_time") or d.get("safe_time")
    lines = [
        Line(
            tr(Bi("Situasi", "Situation")),
            tr(_SITUATION.get(str(d.get("situation")), str(d.get("situation") or "—"))),
        ),
        Line(tr(Bi("Lokasi", "Location")), show(where) if where else "—"),
        Line(
            tr(Bi("Kebutuhan", "Needs")),
            ", ".join(map(str, needs)) if isinstance(needs, list) and needs else "—",
        ),
        Line(tr(Bi("Tanda", "Flags")), "; ".join(show(f) for f in flags) or "—"),
        Line(tr(Bi("Bahasa", "Language")), str(d.get("language") or (contact.language if contact else "—"))),
        Line(
            tr(Bi("Kontak aman", "Safe contact")),
            " · ".join(
                x
                for x in (
                    tr(_CONTACT_VIA.get(str(d.get("contact_via")), "")),
                    f"{tr(Bi('waktu aman', 'safe time'))}: {show(str(safe))}" if safe else "",
                )
                if x
            )
            or "—",
        ),
        Line(tr(Bi("Pesan terakhir", "Last message")), fmt(last_in)),
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
