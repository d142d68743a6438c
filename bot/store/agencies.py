"""The licensed-agency (P3MI) list an admin imports from CSV, and a typo-tolerant lookup."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rapidfuzz import fuzz, process
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.store.agency_csv import ListFileError, read_list
from bot.store.models import Agency

_NOISE = re.compile(r"\b(pt|p3mi|pptkis|pjtki|cv|tbk|persero|the)\b|[^\w\s]", re.I)
NAME_COLUMNS = ("name", "nama", "nama_perusahaan", "nama perusahaan", "perusahaan", "company")
LICENSE_COLUMNS = ("license", "license_no", "izin", "no_izin", "nomor izin", "sip3mi", "nomor_sip3mi")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}
CITY_COLUMNS = ("city", "kota", "kabupaten", "alamat", "address", "domisili")


class ImportError_(ValueError):
    """The CSV cannot be imported; the message says why."""


def name_key(name: str) -> str:
    return re.sub(r"\s+", " ", _NOISE.sub(" ", name.lower())).strip()


def _column(header: list[str], names: tuple[str, ...]) -> str | None:
    lower = {h.strip().lower(): h for h in header}
    return next((lower[n] for n in names if n in lower), None)


@dataclass
class ImportPlan:
    """What an import would change: shown by `--dry-run`, applied otherwise."""

    rows: list[Agency]
    added: list[str]
    removed: list[str]
    kept: int
    merged: int  # duplicate rows folded into one agency
    encoding: str
    delimiter: str


def plan_import(
    s: Session, path: Path, list_date: date, source: str = "", *, allow_shrink: bool = False
) -> ImportPlan:
    """Read FILE and compare it with the stored list; refuse (ImportError_) a file that looks wrong."""
    try:
        parsed = read_list(path)
    except ListFileError as exc:
        raise ImportError_(f"{path.name}: {exc}") from None
    name_col = _column(parsed.header, NAME_COLUMNS)
    if name_col is None:
        raise ImportError_(f"{path.name}: no name column (expected one of: {', '.join(NAME_COLUMNS)})")
    if parsed.bad_rows:
        lines = ", ".join(map(str, parsed.bad_rows[:10])) + (" ..." if len(parsed.bad_rows) > 10 else "")
        raise ImportError_(
            f"{path.name}: {len(parsed.bad_rows)} malformed row(s) (line {lines}): a broken quote or a "
            f"stray {_DELIMITER_NAMES.get(parsed.delimiter, parsed.delimiter)}? Nothing was changed."
        )
    lic_col, city_col = _column(parsed.header, LICENSE_COLUMNS), _column(parsed.header, CITY_COLUMNS)
    by_key: dict[str, Agency] = {}
    merged = 0
    for row in parsed.rows:
        name = row.get(name_col, "")
        key = name_key(name)[:255]
        if not key:
            continue
        lic = (row.get(lic_col, "") if lic_col else "")[:100] or None
        city = (row.get(city_col, "") if city_col else "")[:100] or None
        if key in by_key:  # the same agency twice (another branch office, a pasted row): one entry
            merged += 1
            a = by_key[key]
            a.license_no, a.city = a.license_no or lic, a.city or city
            continue
        by_key[key] = Agency(
            name=name[:255], name_key=key, license_no=lic, city=city, list_date=list_date,
            list_source=source[:255],
        )
    if not by_key:
        raise ImportError_(f"{path.name}: no agencies found")
    old = {a.name_key: a.name for a in s.scalars(select(Agency))}
    if old and len(by_key) < len(old) / 2 and not allow_shrink:
        raise ImportError_(
            f"{path.name}: {len(by_key)} agencies where the current list has {len(old)}; refusing to "
            "shrink it by more than half (check the file, or pass --allow-shrink). Nothing was changed."
        )
    return ImportPlan(
        rows=list(by_key.values()),
        added=sorted(a.name for k, a in by_key.items() if k not in old),
        removed=sorted(name for k, name in old.items() if k not in by_key),
        kept=sum(1 for k in by_key if k in old),
        merged=merged,
        encoding=parsed.encoding,
        delimiter=parsed.delimiter,
    )


def apply_import(s: Session, plan: ImportPlan) -> int:
    """Replace the whole list in the caller's transaction: a failure changes nothing."""
    s.execute(delete(Agency))
    s.add_all(plan.rows)
    return len(plan.rows)


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
