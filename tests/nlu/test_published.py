"""The published real-message corpus: every entry sourced, labelled with a real intent, split by source."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from urllib.parse import urlparse

import pytest

from nlu import published, training_data
from nlu.base import INTENTS
from nlu.evaluate import load_examples

DATE = re.compile(r"^(19|20)\d\d(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
ENTITY_NAMES = {"country", "location"}


@pytest.fixture(scope="module")
def corpus() -> list[published.PublishedExample]:
    return published.load_published()


def test_every_entry_has_a_source_url_a_date_and_a_known_intent(corpus: list[published.PublishedExample]) -> None:
    assert len(corpus) >= 80
    for ex in corpus:
        url = urlparse(ex.url)
        assert url.scheme in ("http", "https") and url.netloc, (ex.text, ex.url)
        assert DATE.match(ex.date), (ex.text, ex.date)
        assert ex.intent in INTENTS, (ex.text, ex.intent)
        assert ex.split in published.SPLITS, (ex.text, ex.split)
        assert isinstance(ex.meta.get("verbatim"), bool), ex.text
        assert ex.source_type, ex.text
        assert {e.entity for e in ex.entities} <= ENTITY_NAMES, ex.text


def test_no_message_appears_twice(corpus: list[published.PublishedExample]) -> None:
    counts = Counter(" ".join(ex.text.lower().split()) for ex in corpus)
    assert [t for t, n in counts.items() if n > 1] == []


def test_split_is_by_source_and_stable(corpus: list[published.PublishedExample]) -> None:
    halves: dict[str, set[str]] = defaultdict(set)
    by_url: dict[str, set[str]] = defaultdict(set)
    for ex in corpus:
        # The recorded split is the one the source key hashes to: nobody moved an example by hand.
        assert ex.split == published.split_of(ex.source_key), (ex.text, ex.source_key)
        halves[ex.source_key].add(ex.split)
        by_url[ex.url].add(ex.split)
    assert all(len(s) == 1 for s in halves.values())
    assert all(len(s) == 1 for s in by_url.values()), "one article split across both halves"
    tune = {ex.url for ex in corpus if ex.split == "tune"}
    holdout = {ex.url for ex in corpus if ex.split == "holdout"}
    assert tune and holdout and not tune & holdout


def test_both_halves_hold_emergencies(corpus: list[published.PublishedExample]) -> None:
    for split in published.SPLITS:
        assert sum(1 for ex in corpus if ex.split == split and ex.intent == "emergency") >= 10, split


def test_the_file_is_plain_rasa_nlu_data_too(corpus: list[published.PublishedExample]) -> None:
    # The same file must load as ordinary Rasa test data (for `sahabat nlu eval` and Rasa itself).
    plain = load_examples([published.PUBLISHED])
    assert [(e.text, e.intent, e.entities) for e in plain] == [
        (e.text, e.intent, e.entities) for e in corpus
    ]
    halves = published.load_examples(split="holdout") + published.load_examples(split="tune")
    assert sorted(e.text for e in halves) == sorted(e.text for e in plain)
    assert training_data.load(published.PUBLISHED).examples == plain


def test_annotated_entities_cover_their_surface_text(corpus: list[published.PublishedExample]) -> None:
    for ex in corpus:
        for ent in ex.entities:
            assert ex.text[ent.start : ent.end] == ent.text, ex.text


def test_unknown_split_is_refused() -> None:
    with pytest.raises(ValueError):
        published.load_published(split="train")


def test_no_published_message_is_in_the_training_data(corpus: list[published.PublishedExample]) -> None:
    from nlu.normalize import normalize
    from tests.nlu.conftest import NLU_DATA

    train = {normalize(e.text) for e in load_examples([NLU_DATA])}
    leaked = [ex.text for ex in corpus if normalize(ex.text) in train]
    assert leaked == [], "published test messages copied into nlu/data"
