"""A story told about the writer or a relative is not an information question (issue 22)."""

from __future__ import annotations

import pytest

from nlu import embedded
from nlu.narrative import is_story

STORIES = [
    "Sebelum berangkat, karena kebutuhan ekonomi, saya bersedia kerja ke Malaysia sebagai pembantu rumah "
    "tangga lewat sponsor, dulu dijanjikan gaji 2000 ringgit.",
    "Awalnya istri saya melihat iklan lowongan di Facebook, gajinya 1.500 ringgit, lalu dia berangkat lewat Batam.",
    "Ibu saya pergi ke Hong Kong untuk bekerja sejak saya masih kecil, kontraknya dua tahun.",
]

NOT_STORIES = [
    "Saya dulu pernah kerja di Malaysia, kalau mau berangkat lagi syaratnya apa?",
    "saya ditawari kerja jadi operator di myanmar lewat telegram",  # an offer now: check it
    "Dulu pernah kerja di Taiwan, sekarang mau tanya cara daftar ke Jepang",
    "Lowongan kerja pabrik di Malaysia, gaji 1.500 ringgit, berangkat cepat, hubungi kami.",
    "Sudah pernah ke Korea",  # too short to be a story
]


@pytest.mark.parametrize("text", STORIES)
def test_accounts_of_what_happened_are_stories(text: str) -> None:
    assert is_story(text)


@pytest.mark.parametrize("text", NOT_STORIES)
def test_questions_offers_and_short_replies_are_not_stories(text: str) -> None:
    assert not is_story(text)


def test_a_story_with_offer_words_is_a_request_or_report_not_an_offer_check(
    embedded_model: embedded.EmbeddedNLU,
) -> None:
    result = embedded_model.parse(STORIES[0])
    assert result["intent"]["name"] in embedded.STORY_INTENTS
    assert "check_offer" in [r["name"] for r in result["intent_ranking"]]  # re-ranked, not dropped


def test_the_same_words_asked_as_a_question_stay_a_question(embedded_model: embedded.EmbeddedNLU) -> None:
    assert embedded_model.parse(NOT_STORIES[0])["intent"]["name"] == "ask_safe_migration"
