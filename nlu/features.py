"""TF-IDF features of one message without scikit-learn at run time.

Training fits scikit-learn's TfidfVectorizer; `TfidfBlock.from_sklearn` keeps only what scoring
needs (vocabulary, idf, n-gram range), so the serving process never imports scikit-learn/scipy
(~100 MB of RSS) and skips its per-call validation. The analyzers reproduce scikit-learn's
"word" (token_pattern + n-grams) and "char_wb" analyzers exactly; tests/nlu checks the vectors
against TfidfVectorizer.transform.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

WORD_TOKEN = r"(?u)\b\w+\b"
_WHITESPACE = re.compile(r"\s\s+")


@dataclass
class TfidfBlock:
    analyzer: str  # "word" or "char_wb"
    ngram_range: tuple[int, int]
    vocabulary: dict[str, int]
    idf: np.ndarray
    token_pattern: str = WORD_TOKEN

    def __post_init__(self) -> None:
        self._token_re = re.compile(self.token_pattern)

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_token_re"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.__post_init__()

    @classmethod
    def from_sklearn(cls, vec: Any) -> TfidfBlock:
        if not (vec.lowercase and vec.sublinear_tf and vec.norm == "l2" and vec.use_idf):
            raise ValueError("TfidfBlock reproduces lowercase, sublinear_tf, l2-normalised TF-IDF only")
        return cls(
            analyzer=vec.analyzer,
            ngram_range=tuple(vec.ngram_range),
            vocabulary={str(k): int(v) for k, v in vec.vocabulary_.items()},
            idf=np.asarray(vec.idf_, dtype=np.float64),
            token_pattern=vec.token_pattern,
        )

    def grams(self, text: str) -> list[str]:
        text = text.lower()
        lo, hi = self.ngram_range
        if self.analyzer == "word":
            tokens = self._token_re.findall(text)
            out: list[str] = []
            for n in range(lo, hi + 1):
                out.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
            return out
        if self.analyzer == "char_wb":
            out = []
            for word in _WHITESPACE.sub(" ", text).split():
                w = f" {word} "
                for n in range(lo, hi + 1):
                    offset = 0
                    out.append(w[offset : offset + n])
                    while offset + n < len(w):
                        offset += 1
                        out.append(w[offset : offset + n])
                    if offset == 0:  # a word shorter than n counts once
                        break
            return out
        raise ValueError(f"unsupported analyzer {self.analyzer!r}")

    def vector(self, text: str) -> tuple[list[int], list[float]]:
        """Column indices and L2-normalised sublinear TF-IDF weights of the text."""
        cols, vals, _ = self.vector_and_coverage(text)
        return cols, vals

    def vector_and_coverage(self, text: str) -> tuple[list[int], list[float], float]:
        """Also the share of the text's n-grams (of 3+ characters) that the vocabulary knows."""
        counts: dict[int, int] = {}
        vocab = self.vocabulary
        seen = known = known_short = 0
        for gram in self.grams(text):
            j = vocab.get(gram)
            size = len(gram.strip())
            if size >= 3:
                seen += 1
                known += j is not None
            elif size and j is not None:
                known_short += 1
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        # Messages of one- or two-letter words ("ok", "ya") are judged by those words alone.
        coverage = known / seen if seen else float(known_short > 0)
        if not counts:
            return [], [], coverage
        cols = list(counts)
        weights = [(1.0 + math.log(counts[j])) * float(self.idf[j]) for j in cols]
        norm = math.sqrt(sum(w * w for w in weights)) or 1.0
        return cols, [w / norm for w in weights], coverage
