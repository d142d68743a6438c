"""Who sees which case, and how much of the person in it.

Scope: a caseworker with regions (provinces, set by an admin) sees the cases of those provinces, the
cases without a province (abroad or not told: every desk must be able to pick those up) and every case
assigned to them; a caseworker without regions, and every admin, sees all cases.

Masking: the person's phone, name and exact location (place, regency, coordinates, anything in the
contact profile) are shown only on a case the viewer holds (claimed by them, or resolved by them);
everywhere else, the queue included, they are replaced by MASK, as are phone-like numbers in the
transcript. Every unmasked view is written to the audit log by the caller (`reveal_personal`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from bot.store.models import Caseworker, Contact, Escalation

MASK = "•••"
EXACT_LOCATION = ("place", "regency", "lat", "lon", "address")
# Intake/emergency answers that identify or reach the person (masked like the exact place).
PERSONAL_KEYS = (*EXACT_LOCATION, "phone", "name", "emergency_contact")
# Eight or more digits, each optionally followed by one separator: a phone number, not "5.000.000".
_PHONE = re.compile(r"\+?(?:\d[\s().-]?){7,}\d")


@dataclass(frozen=True)
class Viewer:
    id: int
    admin: bool
    regions: frozenset[str]  # lower-cased province names; empty = every province


def norm_region(name: str) -> str:
    return " ".join(name.split()).lower()


def viewer(s: Session, caseworker_id: int, admin: bool) -> Viewer:
    cw = s.get(Caseworker, caseworker_id)
    regions = frozenset(norm_region(r) for r in (cw.regions if cw else []) or [] if r.strip())
    return Viewer(caseworker_id, admin, regions)


def parse_regions(text: str) -> list[str]:
    """An admin's comma- or newline-separated list, tidied, without duplicates, in the given order."""
    out: list[str] = []
    for part in re.split(r"[,\n;]", text):
        name = " ".join(part.split())[:100]
        if name and norm_region(name) not in {norm_region(o) for o in out}:
            out.append(name)
    return out[:40]


def province_in_scope(province: str | None, v: Viewer) -> bool:
    return v.admin or not v.regions or not province or norm_region(province) in v.regions


def in_scope(esc: Escalation, v: Viewer) -> bool:
    if esc.assignee_id == v.id:
        return True
    return province_in_scope(str((esc.details or {}).get("province") or ""), v)


def reveals(esc: Escalation, v: Viewer) -> bool:
    """Personal details in full: only on a case the viewer holds (or held, once resolved)."""
    return esc.assignee_id == v.id and esc.status in ("claimed", "resolved")


# ---- masking -------------------------------------------------------------------------------------


def secrets(details: dict[str, Any] | None, profile: dict[str, Any] | None) -> list[str]:
    """The literal strings that identify the person: their profile values and exact place."""
    values: list[str] = []
    for v in (profile or {}).values():
        values.extend(_strings(v))
    for k in PERSONAL_KEYS:
        values.extend(_strings((details or {}).get(k)))
    # longest first, so "Jl. Melati 5, Mataram" is masked whole before "Mataram"
    return sorted({v for v in values if len(v) >= 3}, key=len, reverse=True)


def _strings(v: Any) -> Iterable[str]:
    if isinstance(v, str):
        yield v.strip()
    elif isinstance(v, int | float) and not isinstance(v, bool):
        yield str(v)
    elif isinstance(v, list | tuple):
        for x in v:
            yield from _strings(x)


def mask_text(text: str, known: Iterable[str]) -> str:
    for value in known:
        text = re.sub(re.escape(value), MASK, text, flags=re.IGNORECASE)
    return _PHONE.sub(MASK, text)


def masker(reveal: bool, known: Iterable[str]) -> Callable[[str], str]:
    """The function a template passes every person-written text through."""
    if reveal:
        return lambda t: t
    values = list(known)
    return lambda t: mask_text(t or "", values)


def masked_details(details: dict[str, Any], known: Iterable[str] = ()) -> dict[str, Any]:
    """Personal keys replaced by MASK; other text values with known strings and phone numbers masked."""
    values = list(known)
    out: dict[str, Any] = {}
    for k, v in details.items():
        if k in PERSONAL_KEYS and v not in (None, ""):
            out[k] = MASK
        elif isinstance(v, str):
            out[k] = mask_text(v, values)
        else:
            out[k] = v
    return out


def masked_profile(profile: dict[str, Any]) -> dict[str, Any]:
    return {k: MASK for k, v in profile.items() if v not in (None, "")}


def contact_secrets(s: Session, esc: Escalation) -> tuple[Contact | None, list[str]]:
    contact = s.get(Contact, esc.contact_id) if esc.contact_id else None
    return contact, secrets(esc.details, contact.profile if contact else None)
