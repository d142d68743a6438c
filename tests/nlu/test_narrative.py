"""A story told about the writer or a relative is not an information question (issue 22)."""

from __future__ import annotations

import pytest

from nlu import embedded
from nlu.narrative import STORY_INTENTS, apply_readings, is_story

STORIES = [
    "Sebelum berangkat, karena kebutuhan ekonomi, saya bersedia kerja ke Malaysia sebagai pembantu rumah "
    "tangga lewat sponsor, waktu itu dijanjikan gaji 2000 ringgit.",
    "Awalnya istri saya melihat iklan lowongan di Facebook, gajinya 1.500 ringgit, lalu dia berangkat lewat Batam.",
    "Ibu saya pergi ke Hong Kong untuk bekerja sejak saya masih kecil, kontraknya dua tahun.",
]

NOT_STORIES = [
    "Saya dulu pernah kerja di Malaysia, kalau mau berangkat lagi syaratnya apa?",
    "saya ditawari kerja jadi operator di myanmar lewat telegram",  # an offer now: check it
    "Dulu pernah kerja di Taiwan, sekarang mau tanya cara daftar ke Jepang",
    "Lowongan kerja pabrik di Malaysia, gaji 1.500 ringgit, berangkat cepat, hubungi kami.",
    "Sudah pernah ke Korea",  # too short to be a story
    "sodara sy mau berangkatin sy kerja ke taiwan, tp hrs bayar 30jt dulu nanti dipotong gaji",  # "first"
    "Saya sudah pernah kerja di Taiwan dan ingin berangkat lagi ke Jepang lewat jalur resmi.",  # a plan
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
    assert result["intent"]["name"] in STORY_INTENTS
    assert "check_offer" in [r["name"] for r in result["intent_ranking"]]  # re-ranked, not dropped


def test_the_same_words_asked_as_a_question_stay_a_question(embedded_model: embedded.EmbeddedNLU) -> None:
    assert embedded_model.parse(NOT_STORIES[0])["intent"]["name"] == "ask_safe_migration"


def _rasa_result(text: str, ranking: list[tuple[str, float]]) -> dict:
    return {
        "text": text,
        "intent": {"name": ranking[0][0], "confidence": ranking[0][1]},
        "entities": [],
        "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking],
    }


def test_the_readings_work_on_any_backends_result() -> None:
    story = _rasa_result(STORIES[0], [("check_offer", 0.8), ("report_trafficking", 0.1), ("request_help", 0.05)])
    out = apply_readings(story)
    assert out["intent"] == {"name": "report_trafficking", "confidence": 0.8}
    assert [r["name"] for r in out["intent_ranking"]] == ["report_trafficking", "check_offer", "request_help"]
    thanks = "Dulu saya ingin pulang tapi ditahan majikan. Terima kasih KBRI sudah bantu saya."
    assert apply_readings(_rasa_result(thanks, [("emergency", 0.9), ("thanks", 0.05)]))["intent"]["name"] == "thanks"
    question = _rasa_result(NOT_STORIES[0], [("ask_safe_migration", 0.9), ("request_help", 0.05)])
    assert apply_readings(question) == question
