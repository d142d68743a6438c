"""Chat-style Indonesian is normalised to one spelling per word."""

from __future__ import annotations

import pytest

from nlu.normalize import normalize


@pytest.mark.parametrize(
    ("chat", "standard"),
    [
        ("tlg sy dikurung majikan gk blh keluar", "tolong saya dikurung majikan tidak boleh keluar"),
        ("Sy mau krj ke Taiwan gmn caranya??", "saya mau kerja ke taiwan bagaimana caranya"),
        ("gk dikasi mkn udh 2 hari", "tidak dikasih makan sudah 2 hari"),
        ("anak2 sy", "anak anak saya"),
        ("tolooong", "tolong"),
        ("ga / gak / nggak / enggak", "tidak tidak tidak tidak"),
    ],
)
def test_chat_spelling(chat: str, standard: str) -> None:
    assert normalize(chat) == standard


def test_urls_and_punctuation_do_not_leak() -> None:
    assert normalize("cek https://example.com/loker?id=1 ini!!!") == "cek url ini"
