"""Reply splitting for WhatsApp's limit, and the language guess."""

from __future__ import annotations

import pytest

from bot.language import detect_language
from bot.messages import Button, Reply
from bot.replies import MAX_CHARS, split_long


def test_long_reply_is_split_at_paragraphs_and_keeps_buttons_on_the_last_part() -> None:
    paras = [f"Paragraf {i}. " + "kata " * 60 for i in range(12)]
    text = "\n\n".join(paras)
    parts = split_long([Reply(text, [Button("Menu", "/menu")])])
    assert len(parts) > 1
    assert all(len(p.text) <= MAX_CHARS for p in parts)
    assert all(p.buttons == [] for p in parts[:-1]) and parts[-1].buttons
    assert "".join(p.text.replace("\n", "") for p in parts).replace(" ", "") == text.replace("\n", "").replace(" ", "")


def test_one_huge_word_is_still_cut() -> None:
    parts = split_long([Reply("x" * 5000)])
    assert [len(p.text) for p in parts] == [1600, 1600, 1600, 200]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("halo", "id"),
        ("hello", "en"),
        ("sy mau krj ke taiwan gmn caranya", "id"),
        ("How do I check if an agency is licensed?", "en"),
        ("tlg sy dikurung", "id"),
        ("menu", None),
        ("1", None),
    ],
)
def test_language_guess(text: str, lang: str | None) -> None:
    assert detect_language(text) == lang
