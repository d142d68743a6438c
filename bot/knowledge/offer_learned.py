"""A learned second opinion for the offer analyzer: one small classifier per lexical red flag, over character
n-grams of a clause, that may add a flag the lexicon missed, always with the clause it scored highest as the
quote. Never a flag without a quote, never removing one.

- Data: the project's own offers (bot/knowledge/data/offer_training.yml), cut into clauses, and a few
  near-miss clauses written for the project as negatives. A clause is a
  positive example of a flag when the lexicon quotes it for a flag the offer is labelled with; every other
  clause (all clauses of a legitimate offer included) is a negative. Augmentations: each clause also in chat
  spelling ("tidak" -> "gak", "yang" -> "yg", ...) and without punctuation or case.
- Model: TF-IDF of character 2-4-grams within words, one logistic regression per flag; trained on first use
  in well under a second (no model file), in a child process so the server's workers never load scikit-learn.
- Guards, so precision does not drop: only flags a clause can show (not the judgements of destination, job,
  amount or age), only when the lexicon already found another flag in the offer (a second opinion on a
  suspicious offer, so a clean licensed-agency offer is never raised by it), only above a high probability,
  only on clauses of three words or more, and not in a sentence that negates or warns ("tanpa", "tidak",
  "jangan", "gratis") or names an official channel.
"""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

TRAINING = Path(__file__).resolve().parent / "data" / "offer_training.yml"
# Flags a single clause can carry; scam_job_pattern, banned_placement, underage and amounts are judged by rules.
LEARNED_FLAGS = (
    "upfront_fee", "debt_bondage", "non_work_visa", "no_contract", "unlicensed_recruiter", "rushed_process",
    "skipped_requirements", "irregular_route", "document_retention", "secrecy", "personal_data_request",
    "romance_lure",
)  # fmt: skip
THRESHOLD = 0.92  # chosen on the project sets and the published tune half: no flag added wrongly there
_CLAUSE = re.compile(r"[^.!?;\n,()]+")
# a clause that negates, warns, keeps the document with its owner or names an official channel is not raised
_NEGATING = re.compile(r"\b(?:tanpa|tidak|tak|gak|ga|nggak|bukan|jangan|gratis|bebas|free|no|not|without|never|"
                       r"waspada\w*|hati\W?hati|hindari|dibebaskan|ditanggung|sendiri|masing|yourself|resmi|"
                       r"disnaker\w*|bp3mi|bp2mi|kp2mi|ltsa|p3mi|siskop2mi|blk|g to g|official|licensed)\b",
                       re.IGNORECASE)  # fmt: skip
_CHAT = {"tidak": "gak", "yang": "yg", "sudah": "udah", "saja": "aja", "dengan": "dgn", "untuk": "utk",
         "sama": "sm", "bisa": "bs", "dulu": "dl", "nanti": "ntar", "kamu": "km", "saya": "sy"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Clause:
    text: str
    start: int
    end: int


def clauses(text: str) -> list[Clause]:
    """The text cut at sentence marks, commas and brackets; each piece with its place in the text."""
    out = []
    for m in _CLAUSE.finditer(text):
        piece = m.group(0)
        stripped = piece.strip()
        if len(stripped.split()) >= 2:
            lead = len(piece) - len(piece.lstrip())
            out.append(Clause(stripped, m.start() + lead, m.start() + lead + len(stripped)))
    return out


def _sentence(text: str, c: Clause) -> str:
    """The sentence a clause is in: a negation or a warning anywhere in it rules the clause out."""
    start = max(text.rfind(m, 0, c.start) for m in ".!?\n") + 1
    ends = [i for i in (text.find(m, c.end) for m in ".!?\n") if i >= 0]
    return text[start : min(ends) if ends else len(text)]


def _chat(s: str) -> str:
    return " ".join(_CHAT.get(w, w) for w in s.lower().split())


def _plain(s: str) -> str:
    return re.sub(r"[^\w\s]", " ", s.lower())


def augment(clause: str) -> list[str]:
    return list(dict.fromkeys([clause, _chat(clause), _plain(clause)]))


# The lexicon's own reading (bot/knowledge/offers.lexicon_evidence: flag -> quotes), which labels the
# training clauses (weak supervision). Passed in, so this module never imports the analyzer that uses it.
Labeller = Callable[[str], dict[str, list[str]]]


def training_examples(lexicon_evidence: Labeller, path: Path = TRAINING) -> tuple[list[str], list[set[str]]]:
    """(clause texts, their flags) from the project's offers, augmented."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    offers: list[dict[str, Any]] = data["offers"]
    texts: list[str] = []
    labels: list[set[str]] = []
    for near_miss in data.get("negatives") or []:
        for variant in augment(near_miss):
            texts.append(variant)
            labels.append(set())
    for offer in offers:
        gold = set(offer.get("flags") or []) & set(LEARNED_FLAGS)
        evidence = lexicon_evidence(offer["text"])
        for c in clauses(offer["text"]):
            low = c.text.lower()
            flags = {f for f in gold if any(q.lower() in low or low in q.lower() for q in evidence.get(f, []))}
            for variant in augment(c.text):
                texts.append(variant)
                labels.append(flags)
    return texts, labels


class SecondOpinion:
    """Fitted with scikit-learn, then kept as plain weights (nlu/features.TfidfBlock and one weight
    vector per flag), so scoring needs numpy only and the object pickles small."""

    def __init__(self, texts: list[str], labels: list[set[str]]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        from nlu.features import TfidfBlock

        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, dtype=np.float32)
        x = vectorizer.fit_transform(texts)
        self.block = TfidfBlock.from_sklearn(vectorizer)
        self.heads: dict[str, tuple[np.ndarray, float]] = {}
        for flag in LEARNED_FLAGS:
            y = [flag in ls for ls in labels]
            if sum(y) < 2:
                continue  # too few examples to learn from
            lr = LogisticRegression(C=8.0, class_weight="balanced", solver="liblinear").fit(x, y)
            self.heads[flag] = (np.asarray(lr.coef_[0], dtype=np.float64), float(lr.intercept_[0]))

    def scores(self, pieces: list[str]) -> dict[str, list[float]]:
        vectors = [self.block.vector(p) for p in pieces]
        out: dict[str, list[float]] = {}
        for flag, (w, b) in self.heads.items():
            z = [float(np.dot(np.asarray(vals), w[np.asarray(cols, dtype=np.intp)])) + b if cols else b
                 for cols, vals in vectors]
            out[flag] = [1.0 / (1.0 + float(np.exp(-v))) for v in z]
        return out

    def extra_flags(self, text: str, already: set[str]) -> dict[str, str]:
        """Flags to add, each with the clause (quoted from `text`) that scored highest for it."""
        if not already:
            return {}
        pieces = [c for c in clauses(text) if len(c.text.split()) >= 3 and not _NEGATING.search(_sentence(text, c))]
        if not pieces:
            return {}
        out: dict[str, str] = {}
        for flag, probs in self.scores([c.text for c in pieces]).items():
            if flag in already:
                continue
            best = max(range(len(pieces)), key=probs.__getitem__)
            if probs[best] >= THRESHOLD:
                out[flag] = text[pieces[best].start : pieces[best].end]
        return out


_CHILD = (
    "import pickle, sys\n"
    "from bot.knowledge import offer_learned as m\n"
    "from bot.knowledge.offers import lexicon_evidence\n"
    "sys.stdout.buffer.write(pickle.dumps(m.SecondOpinion(*m.training_examples(lexicon_evidence))))\n"
)


@lru_cache(maxsize=1)
def second_opinion(lexicon_evidence: Labeller) -> SecondOpinion:
    """The classifiers, trained once per process on first use. Trained in a child process unless
    scikit-learn is loaded here already: importing it would add about 90 MB to every server worker
    for the weights scoring needs (the NLU keeps it out of the workers the same way)."""
    if "sklearn" not in sys.modules:
        try:
            done = subprocess.run(
                [sys.executable, "-c", _CHILD], capture_output=True, check=True, timeout=120,
                env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
            )
            model = pickle.loads(done.stdout)  # our own child's output, never outside data
            if isinstance(model, SecondOpinion):
                return model
        except (OSError, subprocess.SubprocessError, pickle.UnpicklingError, EOFError):
            pass  # trained here instead
    return SecondOpinion(*training_examples(lexicon_evidence))
