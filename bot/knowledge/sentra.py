"""Sentra locator: the nearest Kemensos sentra/RPTC to a GPS point or a typed place.

Distances are rough: sentra coordinates are approximate city/district centres (see content/sentra.yml), and
service areas cross province borders. The result is a starting point for the official referral routes
(Dinas Sosial, Command Center 171, KP2MI/BP3MI), never a promise that a sentra will accept someone.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from bot.knowledge.content import load_content
from bot.knowledge.places import haversine_km, locate_place
from bot.language import Text

__all__ = ["SentraHit", "locate_place", "nearest_sentra", "referral_text"]


class SentraHit(BaseModel):
    model_config = ConfigDict(frozen=True)
    id: str
    name: str
    kind: str
    city: str
    province: str
    distance_km: float
    precision_km: float  # the sentra's own coordinate uncertainty
    coordinates: str  # "approximate_city" until addresses are geocoded
    lat: float
    lon: float
    address: str | None
    handles: list[str]
    notes_text: Text | None
    source: list[str]

    def notes(self, lang: str | None = None) -> str | None:
        return self.notes_text.get(lang) if self.notes_text else None


def nearest_sentra(lat: float, lon: float, n: int = 3, content_dir: Path | None = None) -> list[SentraHit]:
    """The `n` sentra/RPTC closest to (lat, lon), nearest first."""
    hits = []
    for s in load_content(content_dir).sentra:
        d = haversine_km(lat, lon, s.lat, s.lon)
        hits.append(
            SentraHit(
                id=s.id,
                name=s.name,
                kind=s.kind,
                city=s.city,
                province=s.province,
                distance_km=round(d, 1),
                precision_km=s.precision_km,
                coordinates=s.coordinates,
                lat=s.lat,
                lon=s.lon,
                address=s.address,
                handles=list(s.handles),
                notes_text=s.notes,
                source=list(s.source),
            )
        )
    hits.sort(key=lambda h: h.distance_km)
    return hits[: max(n, 0)]


def referral_text(lang: str = "id", content_dir: Path | None = None) -> str:
    """The official referral routes, shown after every sentra list (and when no place is found)."""
    return load_content(content_dir).sentra_referral.get(lang)
