"""Speech-recognition slips are mended before the NLU and the offer analyzer (bot/voice/respell.py),
and nothing a person types the usual way is changed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.knowledge.offers import analyze_offer
from bot.voice.respell import respell
from flows.texts import find_country

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("heard", "country"),
    [
        ("saya ditawari kerja jadikamboja", "Kamboja"),  # glued
        ("kerja di kam boja gaji besar", "Kamboja"),  # split
        ("mau kerja ke malaisia", "Malaysia"),  # phonetic
        ("berangkat ke arabsaudi bulan depan", "Arab Saudi"),
        ("lowongan dikambodja", "Kamboja"),
    ],
)
def test_countries_are_found_in_misheard_words(heard: str, country: str) -> None:
    assert find_country(heard) != country  # as heard, the country is missed
    assert find_country(respell(heard)) == country


def test_the_offer_analyzer_sees_the_mended_destination() -> None:
    heard = "saya ditawari kerja admin online jadikamboja gaji 25 juta pakai visa turis"
    assert any(f.id == "scam_job_pattern" for f in analyze_offer(respell(heard)).flags)


def test_nothing_of_the_nlu_examples_is_changed() -> None:
    changed = []
    for path in sorted((ROOT / "nlu" / "data").glob("*.yml")):
        for item in (yaml.safe_load(path.read_text()) or {}).get("nlu") or []:
            for line in str(item.get("examples", "")).splitlines():
                text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line.lstrip("- ").strip())
                if text and respell(text) != text:
                    changed.append(text)
    assert changed == []
