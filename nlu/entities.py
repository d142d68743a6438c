"""Gazetteer entity extraction (country, location, ...) from lookups, synonyms and annotations.

Phrases are matched on word tokens, longest first, so "jawa timur" wins over "jawa" and
"uni emirat arab" over "arab". Tokens the classifier never saw in training (likely typos such as
"hongkok" or "malaysa") are matched fuzzily with rapidfuzz; known words are never fuzzed, so
"bantuan" cannot turn into a place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from nlu.training_data import TrainingData

EXTRACTOR = "GazetteerEntityExtractor"
FUZZY_CUTOFF = 85.0
FUZZY_MIN_LEN = 5
MAX_PHRASE_TOKENS = 5
MIN_SYNONYM_SURFACE = 4
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)


def phrase_key(text: str) -> str:
    return " ".join(_TOKEN.findall(text.lower()))


@dataclass
class Gazetteer:
    # entity name -> phrase key -> canonical value
    phrases: dict[str, dict[str, str]] = field(default_factory=dict)
    known_words: frozenset[str] = frozenset()  # words the fuzzy matcher must leave alone
    known_single: frozenset[str] = frozenset()  # ... when fuzzing one word on its own
    _fuzzy_keys: dict[int, list[tuple[str, str, str]]] = field(default_factory=dict, repr=False)
    _fuzzy_choices: dict[int, list[str]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, data: TrainingData, known_words: set[str]) -> Gazetteer:
        phrases: dict[str, dict[str, str]] = {}
        entity_values: dict[str, set[str]] = {}
        for ex in data.examples:
            for e in ex.entities:
                value = data.synonyms.get(e.text.lower(), e.value)
                phrases.setdefault(e.entity, {})[phrase_key(e.text)] = value
                entity_values.setdefault(e.entity, set()).add(value)
        # Rasa convention: a lookup table named like an entity lists that entity's surface forms.
        for name, entries in data.lookups.items():
            table = phrases.setdefault(name, {})
            for entry in entries:
                key = phrase_key(entry)
                if key:
                    table.setdefault(key, data.synonyms.get(entry.lower(), entry))
        # Synonym variants of a value already known for an entity are surface forms of it too, except
        # very short ones ("my", "us", "as" are codes for countries but everyday words): those count
        # only when a lookup table or an annotation lists them.
        for name, table in phrases.items():
            values = set(table.values()) | entity_values.get(name, set())
            for variant, canonical in data.synonyms.items():
                key = phrase_key(variant)
                if canonical in values and len(key) >= MIN_SYNONYM_SURFACE:
                    table.setdefault(key, canonical)
            table.pop("", None)
        # A word of a multi-word place stays known for single-word fuzzing: "pulang" (in "Pulang
        # Pisau") must not turn into "Pamulang", though "kuala lumpr" may still become Kuala Lumpur.
        entity_words = {w for table in phrases.values() for k in table for w in k.split()}
        single_words = {k for table in phrases.values() for k in table if " " not in k}
        gaz = cls(
            phrases=phrases,
            known_words=frozenset(known_words - entity_words),
            known_single=frozenset(known_words - single_words),
        )
        gaz._index_fuzzy()
        return gaz

    def _index_fuzzy(self) -> None:
        self._fuzzy_keys = {}
        for name, table in self.phrases.items():
            for key, value in table.items():
                n = key.count(" ") + 1
                if len(key) >= FUZZY_MIN_LEN:
                    self._fuzzy_keys.setdefault(n, []).append((key, name, value))
        self._fuzzy_choices = {n: [c[0] for c in cs] for n, cs in self._fuzzy_keys.items()}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._index_fuzzy()

    def __getstate__(self) -> dict[str, Any]:
        return {
            k: v
            for k, v in self.__dict__.items()
            if k not in ("_fuzzy_keys", "_fuzzy_choices", "_fuzzy_cache")
        }

    def extract(self, text: str) -> list[dict[str, Any]]:
        spans = [(m.start(), m.end(), m.group().lower()) for m in _TOKEN.finditer(text)]
        found: list[dict[str, Any]] = []
        i = 0
        while i < len(spans):
            hit = self._match_at(spans, i)
            if hit is None:
                i += 1
                continue
            n, name, value, score = hit
            start, end = spans[i][0], spans[i + n - 1][1]
            ent: dict[str, Any] = {
                "entity": name,
                "start": start,
                "end": end,
                "confidence_entity": round(score, 4),
                "value": value,
                "extractor": EXTRACTOR,
            }
            if value != text[start:end]:
                ent["processors"] = ["EntitySynonymMapper"]
            found.append(ent)
            i += n
        return found

    def _match_at(self, spans: list[tuple[int, int, str]], i: int) -> tuple[int, str, str, float] | None:
        longest = min(MAX_PHRASE_TOKENS, len(spans) - i)
        for n in range(longest, 0, -1):
            key = " ".join(s[2] for s in spans[i : i + n])
            for name, table in self.phrases.items():
                value = table.get(key)
                if value is not None:
                    return n, name, value, 1.0
        for n in range(min(2, longest), 0, -1):
            words = [s[2] for s in spans[i : i + n]]
            known = self.known_words if n > 1 else (self.known_single or self.known_words)
            if any(w in known or not w.isalpha() for w in words):
                continue
            key = " ".join(words)
            if len(key) < FUZZY_MIN_LEN:
                continue
            hit = self._fuzzy(key, n)
            if hit is not None:
                name, value, score = hit
                return n, name, value, score
        return None

    def _fuzzy(self, key: str, n: int) -> tuple[str, str, float] | None:
        cache: dict[str, tuple[str, str, float] | None] = self.__dict__.setdefault("_fuzzy_cache", {})
        if key not in cache:
            if len(cache) > 4096:
                cache.clear()
            best = process.extractOne(
                key, self._fuzzy_choices.get(n, []), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
            )
            if best is None:
                cache[key] = None
            else:
                _, score, idx = best
                _, name, value = self._fuzzy_keys[n][idx]
                cache[key] = (name, value, score / 100.0)
        return cache[key]
