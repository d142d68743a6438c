"""Gazetteer lookups and the sentra locator (API and `sahabat sentra near`)."""

from __future__ import annotations

import json
import random

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.knowledge.places import gazetteer, haversine_km, locate_place
from bot.knowledge.sentra import nearest_sentra

runner = CliRunner()


@pytest.mark.parametrize(
    ("typed", "name", "province"),
    [
        ("Praya", "Praya", "Nusa Tenggara Barat"),
        ("jaktim", "Kota Jakarta Timur", "DKI Jakarta"),
        ("NTB", "Nusa Tenggara Barat", "Nusa Tenggara Barat"),
        ("Lomtengah", "Kabupaten Lombok Tengah", "Nusa Tenggara Barat"),
        ("Jogja", "Kota Yogyakarta", "DI Yogyakarta"),
        ("Jabar", "Jawa Barat", "Jawa Barat"),
        ("kab. indramayu", "Kabupaten Indramayu", "Jawa Barat"),
        ("Kupang", "Kota Kupang", "Nusa Tenggara Timur"),
    ],
)
def test_place_names_and_nicknames(typed: str, name: str, province: str) -> None:
    p = locate_place(typed)
    assert p is not None and (p.name, p.province) == (name, province)


@pytest.mark.parametrize(
    ("typed", "province"),
    [
        ("kupamg", "Nusa Tenggara Timur"),
        ("lombok tenggah", "Nusa Tenggara Barat"),
        ("cilacapp", "Jawa Tengah"),
    ],
)
def test_typos(typed: str, province: str) -> None:
    p = locate_place(typed)
    assert p is not None and p.province == province


def test_place_inside_a_longer_message() -> None:
    p = locate_place("saya di praya lombok tengah, mau cari bantuan")
    assert p is not None and p.name == "Praya"
    assert haversine_km(p.lat, p.lon, -8.705, 116.27) < 10
    q = locate_place("asal saya dari kabupaten cianjur")
    assert q is not None and q.name == "Kabupaten Cianjur"


@pytest.mark.parametrize(
    "text", ["saya mau pulang ke rumah", "tolong bantu saya", "xyzzy", "kerja di malaysia"]
)
def test_no_place_in_ordinary_sentences(text: str) -> None:
    assert locate_place(text) is None


def test_regency_takes_its_capitals_coordinates() -> None:
    regency, capital = locate_place("Kabupaten Lombok Tengah"), locate_place("Praya")
    assert regency is not None and capital is not None
    assert haversine_km(regency.lat, regency.lon, capital.lat, capital.lon) < 1


def test_nearest_sentra_api() -> None:
    hits = nearest_sentra(-8.70, 116.27, n=3)
    assert hits[0].name == "Sentra Paramita"
    assert len(hits) == 3 and hits[0].distance_km < hits[1].distance_km < hits[2].distance_km
    assert "deportees" in hits[0].handles
    jakarta = nearest_sentra(-6.30, 106.88, n=5)
    assert "RPTC Bambu Apus" in [h.name for h in jakarta]


def test_cli_place_praya() -> None:
    r = runner.invoke(app, ["sentra", "near", "Praya", "--json"])
    assert r.exit_code == 0
    rows = json.loads(r.output)
    assert rows[0]["name"] == "Sentra Paramita"
    assert {"name", "kind", "city", "province", "distance_km"} <= set(rows[0])


def test_cli_gps_point() -> None:
    r = runner.invoke(app, ["sentra", "near", "--lat", "-8.70", "--lon", "116.27", "-n", "2"])
    assert r.exit_code == 0
    lines = r.output.splitlines()
    assert lines[1].startswith("1. Sentra Paramita")
    assert "Dinas Sosial" in r.output and "171" in r.output and "KP2MI" in r.output
    assert "tidak bisa menjamin" in r.output


def test_cli_kupang_names_efata_first() -> None:
    r = runner.invoke(app, ["sentra", "near", "Kupang", "--json"])
    assert json.loads(r.output)[0]["name"] == "Sentra Efata"


def test_cli_unknown_place_gives_message_and_referral_routes() -> None:
    r = runner.invoke(app, ["sentra", "near", "Atlantis"])
    assert r.exit_code == 1
    assert "Atlantis" in r.output and "tidak ditemukan" in r.output
    assert "Dinas Sosial" in r.output and "171" in r.output
    en = runner.invoke(app, ["sentra", "near", "Atlantis", "--lang", "en"])
    assert "not found" in en.output and "cannot promise" in en.output


def test_everyday_words_need_a_cue_to_be_places() -> None:
    assert locate_place("nasib saya malang sekali") is None
    here = locate_place("saya tinggal di malang")
    assert here is not None and here.name == "Kota Malang"


def test_a_shared_gps_point_finds_the_same_nearest_place_as_a_full_scan() -> None:
    g = gazetteer()
    rnd = random.Random(7)
    for _ in range(40):  # points across Indonesia's bounding box, sea included
        lat, lon = rnd.uniform(-11, 6), rnd.uniform(95, 141)
        place, km = g.nearest(lat, lon)
        best = min(haversine_km(lat, lon, p.lat, p.lon) for p in g.places)
        assert abs(km - best) < 1e-6 and abs(haversine_km(lat, lon, place.lat, place.lon) - best) < 1e-6


# -- the administrative tree (issue 20): districts read with their regency and province ----------


@pytest.mark.parametrize(
    ("typed", "name", "regency", "province"),
    [
        ("kec. tanjung bumi bangkalan", "Tanjungbumi", "Kabupaten Bangkalan", "Jawa Timur"),
        ("desa telaga biru kec tanjung bumi", "Tanjungbumi", "Kabupaten Bangkalan", "Jawa Timur"),
        ("rumah sy di tanjungbumi bangkalan jatim", "Tanjungbumi", "Kabupaten Bangkalan", "Jawa Timur"),
        ("sumbawa besar, ntb", "Kabupaten Sumbawa", "Kabupaten Sumbawa", "Nusa Tenggara Barat"),
        ("sumbawa besar", "Kabupaten Sumbawa", "Kabupaten Sumbawa", "Nusa Tenggara Barat"),
        ("kec tanjung kab tabalong", "Tanjung", "Kabupaten Tabalong", "Kalimantan Selatan"),
        ("tanjung, brebes", "Tanjung", "Kabupaten Brebes", "Jawa Tengah"),
        ("desa sukamaju kec. cibadak sukabumi", "Cibadak", "Kabupaten Sukabumi", "Jawa Barat"),
        ("taliwang sumbawa barat", "Taliwang", "Kabupaten Sumbawa Barat", "Nusa Tenggara Barat"),
        ("kec. praya, lombok tengah", "Praya", "Kabupaten Lombok Tengah", "Nusa Tenggara Barat"),
    ],
)
def test_admin_tree_match_beats_a_bare_name(typed: str, name: str, regency: str, province: str) -> None:
    p = locate_place(typed)
    assert p is not None and (p.name, p.regency, p.province) == (name, regency, province)


def test_joined_and_split_spellings_find_the_same_place() -> None:
    a, b = locate_place("tanjung bumi"), locate_place("tanjungbumi")
    assert a is not None and a == b
    c = locate_place("tanjungpinang")
    assert c is not None and c.name == "Kota Tanjung Pinang"


@pytest.mark.parametrize("text", ["saya di tanjung", "saya baru pulang", "di mana kantornya"])
def test_everyday_words_are_no_place_without_the_tree(text: str) -> None:
    assert locate_place(text) is None


# -- a GPS pin abroad resolves to that country, never "place unknown" ---------------------------


@pytest.mark.parametrize(
    ("lat", "lon", "country"),
    [
        (3.139, 101.687, "Malaysia"),  # Kuala Lumpur
        (1.45, 103.76, "Malaysia"),  # Johor Bahru, across the strait from Batam
        (22.30, 114.17, "Hong Kong"),
        (24.70, 46.70, "Arab Saudi"),
        (16.70, 98.50, "Myanmar"),  # Myawaddy
        (1.10, 104.05, "Indonesia"),  # Batam
        (4.14, 117.67, "Indonesia"),  # Nunukan, next to Tawau
    ],
)
def test_gps_pin_resolves_to_its_country(lat: float, lon: float, country: str) -> None:
    from flows.texts import resolve_place

    where = resolve_place({"lat": lat, "lon": lon})
    assert where is not None and where["country"] == country
