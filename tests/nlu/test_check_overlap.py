"""The overlap check finds candidate messages already in the published corpus, by page or by text."""

from __future__ import annotations

from nlu import published
from nlu.tools.check_overlap import overlaps, url_key


def test_url_key_ignores_query_amp_and_trailing_slash() -> None:
    assert url_key("https://Example.com/a/b/amp?page=2") == url_key("https://example.com/a/b/")


def test_a_corpus_page_or_message_is_found_and_a_new_one_is_not() -> None:
    known = published.load_published(split="tune")[0]  # read by the code only, never printed
    candidates = "\n".join([
        f"    # {known.url}?page=all",
        f"    - {known.text}",
        "    # https://example.org/a-page-nobody-quoted",
        "    - Kalimat ini ditulis untuk tes dan tidak ada di korpus mana pun, tentang cuaca hari ini.",
    ])
    found = overlaps(candidates, threshold=75.0)
    assert len(found) == 2
    assert found[0].startswith("url already") and found[1].startswith("text close")
