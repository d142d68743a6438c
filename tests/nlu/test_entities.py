"""Countries and Indonesian places are found, normalised to one canonical name, with offsets."""

from __future__ import annotations

import pytest

from nlu import embedded


def _ents(model: embedded.EmbeddedNLU, text: str) -> list[tuple[str, str, str]]:
    return [(e["entity"], e["value"], text[e["start"] : e["end"]]) for e in model.parse(text)["entities"]]


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        ("sy di jaktim", "location", "Jakarta Timur"),
        ("kerja di hongkong", "country", "Hong Kong"),
        ("dulu kerja di HK 5 tahun", "country", "Hong Kong"),
        ("mau ke saudi", "country", "Arab Saudi"),
        ("visa KSA", "country", "Arab Saudi"),
        ("jadi ART di arab", "country", "Arab Saudi"),
        ("lowongan di cambodia", "country", "Kamboja"),
        ("ditawari ke kamboja", "country", "Kamboja"),
        ("rumah saya di Kabupaten Indramayu", "location", "Indramayu"),
        ("saya dari kab. brebes", "location", "Brebes"),
        ("dinsos jawa timur", "location", "Jawa Timur"),
        ("saya di jatim", "location", "Jawa Timur"),
        ("kerja di Dubai", "country", "Uni Emirat Arab"),
    ],
)
def test_entity_value(embedded_model: embedded.EmbeddedNLU, text: str, entity: str, value: str) -> None:
    assert (entity, value) in [(e, v) for e, v, _ in _ents(embedded_model, text)]


def test_offsets_point_at_the_surface_text(embedded_model: embedded.EmbeddedNLU) -> None:
    text = "Saya dari Lombok Timur mau kerja ke Malaysia"
    assert _ents(embedded_model, text) == [
        ("location", "Lombok Timur", "Lombok Timur"),
        ("country", "Malaysia", "Malaysia"),
    ]


def test_longest_name_wins(embedded_model: embedded.EmbeddedNLU) -> None:
    assert _ents(embedded_model, "kerja di uni emirat arab") == [
        ("country", "Uni Emirat Arab", "uni emirat arab")
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("kerja di hongkok", "Hong Kong"),
        ("mau ke malaysya", "Malaysia"),
        ("di kamboya", "Kamboja"),
        ("sy di kuala lumpr", "Malaysia"),
    ],
)
def test_typos_in_names_are_tolerated(embedded_model: embedded.EmbeddedNLU, text: str, value: str) -> None:
    assert [v for _, v, _ in _ents(embedded_model, text)] == [value]


@pytest.mark.parametrize(
    "text",
    [
        "saya butuh bantuan segera",
        "buru-buru berangkat",
        "tolong cek lowongan ini",
        "batu ginjal",
        "hapus data saya",
        "sy mau pulang",  # "pulang" is a word of "Pulang Pisau", yet never "Pamulang"
        "saya ingin pulang ke rumah",
    ],
)
def test_everyday_words_are_not_places(embedded_model: embedded.EmbeddedNLU, text: str) -> None:
    assert _ents(embedded_model, text) == []


def test_short_country_codes_are_not_read_in_english(embedded_model: embedded.EmbeddedNLU) -> None:
    text = "Please help, my sister is locked in a house in Hong Kong and they beat us"
    assert _ents(embedded_model, text) == [("country", "Hong Kong", "Hong Kong")]
