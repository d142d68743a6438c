"""Reading Rasa YAML: annotations, synonyms, lookups, regexes, data hash."""

from __future__ import annotations

from pathlib import Path

from nlu import training_data
from nlu.training_data import parse_annotated

YAML = """version: "3.1"
nlu:
- intent: find_sentra
  examples: |
    - kantor dinsos di [jaktim](location)
    - sentra dekat [Kota Malang]{"entity": "location", "value": "Malang"} ya
    - saya di [sby](location:Surabaya)
- synonym: Hong Kong
  examples: |
    - HK
    - hongkong
- lookup: country
  examples: |
    - malaysia
- regex: money
  examples: |
    - \\d+ ?(jt|juta)
"""


def test_annotations_are_stripped_with_offsets() -> None:
    text, ents = parse_annotated(
        'kerja di [HK](country) dan [hongkong]{"entity": "country", "value": "Hong Kong"}'
    )
    assert text == "kerja di HK dan hongkong"
    assert [(e.entity, e.value, text[e.start : e.end]) for e in ents] == [
        ("country", "HK", "HK"),
        ("country", "Hong Kong", "hongkong"),
    ]


def test_load_reads_every_section(tmp_path: Path) -> None:
    (tmp_path / "nlu.yml").write_text(YAML)
    data = training_data.load(tmp_path)
    assert [e.text for e in data.examples] == [
        "kantor dinsos di jaktim",
        "sentra dekat Kota Malang ya",
        "saya di sby",
    ]
    assert data.synonyms["hk"] == "Hong Kong"
    assert data.synonyms["kota malang"] == "Malang"  # annotated value becomes a synonym
    assert data.synonyms["sby"] == "Surabaya"
    assert data.lookups == {"country": ["malaysia"]}
    assert data.regexes == {"money": ["\\d+ ?(jt|juta)"]}
    assert data.intents == ["find_sentra"]


def test_data_hash_follows_content(tmp_path: Path) -> None:
    f = tmp_path / "nlu.yml"
    f.write_text(YAML)
    first = training_data.data_hash([tmp_path])
    assert training_data.data_hash([tmp_path]) == first
    f.write_text(YAML + "    - \\d+ ?rb\n")
    assert training_data.data_hash([tmp_path]) != first
