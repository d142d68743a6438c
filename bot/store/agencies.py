"""The licensed-agency (P3MI) list an admin imports from CSV, and a typo-tolerant lookup."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rapidfuzz import fuzz, process
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.store.models import Agency

_NOISE = re.compile(r"\b(pt|p3mi|pptkis|pjtki|cv|tbk|persero|the)\b|[^\w\s]", re.I)
NAME_COLUMNS = ("name", "nama", "nama_perusahaan", "nama perusahaan", "perusahaan", "company")
LICENSE_COLUMNS = ("license", "license_no", "izin", "no_izin", "nomor izin", "sip3mi", "nomor_sip3mi")
CITY_COLUMNS = ("city", "kota", "kabupaten", "alamat", "address", "domisili")


class ImportError_(ValueError):
    """The CSV cannot be imported; the message says why."""


def name_key(name: str) -> str:
    return re.sub(r"\s+", " ", _NOISE.sub(" ", name.lower())).strip()


def _column(header: list[str], names: tuple[str, ...]) -> str | None:
    lower = {h.strip().lower(): h for h in header}
    return next((lower[n] for n in names if n in lower), None)


def import_csv(s: Session, path: Path, list_date: date, source: str = "") -> int:
    """Replace the whole list with the CSV's rows (one transaction: a bad file changes nothing)."""
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames or []
        name_col = _column(header, NAME_COLUMNS)
        if name_col is None:
            raise ImportError_(f"{path.name}: no name column (expected one of: {', '.join(NAME_COLUMNS)})")
        lic_col, city_col = _column(header, LICENSE_COLUMNS), _column(header, CITY_COLUMNS)
        rows = []
        for row in reader:
            name = (row.get(name_col) or "").strip()
            if not name:
                continue
            rows.append(
                Agency(
                    name=name[:255],
                    name_key=name_key(name)[:255],
                    license_no=(row.get(lic_col) or "").strip()[:100] or None if lic_col else None,
                    city=(row.get(city_col) or "").strip()[:100] or None if city_col else None,
                    list_date=list_date,
                    list_source=source[:255],
                )
            )
    if not rows:
        raise ImportError_(f"{path.name}: no agencies found")
    s.execute(delete(Agency))
    s.add_all(rows)
    return len(rows)


@dataclass(frozen=True)
class AgencyMatch:
    name: str
    license_no: str | None
    city: str | None
    score: float
    list_date: date
    list_source: str


def find_agency(
    s: Session, query: str, limit: int = 3, cutoff: float = 80
) -> tuple[list[AgencyMatch], date | None]:
    """Best matches for a typed company name, and the list's date (None when no list was imported)."""
    agencies = s.scalars(select(Agency)).all()
    if not agencies:
        return [], None
    key = name_key(query)
    if not key:
        return [], agencies[0].list_date
    keys = [a.name_key for a in agencies]
    hits = process.extract(key, keys, scorer=fuzz.WRatio, limit=limit, score_cutoff=cutoff)
    out = [
        AgencyMatch(a.name, a.license_no, a.city, score, a.list_date, a.list_source)
        for _, score, i in hits
        for a in [agencies[i]]
    ]
    return out, agencies[0].list_date
