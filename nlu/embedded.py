"""The embedded NLU backend: trains in seconds from Rasa YAML, parses in well under a millisecond.

Intent model: TF-IDF word 1-2-grams + char_wb 1-5-grams of the normalised text (nlu.normalize)
plus one indicator feature per regex of the data, classified by a weighted average of a
class-balanced logistic regression (softmax probabilities) and a class-balanced linear SVM
(softmax of its margins at a low temperature). Entities come from the gazetteer (nlu.entities).

scikit-learn is used to *train* only; the saved model keeps plain arrays and dicts, so serving
needs numpy but not scikit-learn/scipy (nlu.features). Output is Rasa's /model/parse JSON;
below the threshold the intent is `nlu_fallback` (Rasa's FallbackClassifier convention, the
ranking kept), and the safety layer (nlu.safety) runs last when the model has an `emergency` intent.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import re
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import IO, Any

import numpy as np

from nlu import training_data
from nlu.base import FALLBACK, ParseResult
from nlu.entities import Gazetteer
from nlu.features import WORD_TOKEN, TfidfBlock
from nlu.narrative import apply_readings
from nlu.normalize import OVERRIDES, normalize
from nlu.safety import EMERGENCY, apply_safety, sentences

log = logging.getLogger(__name__)

MODEL_FILE = "embedded.pkl"
META_FILE = "embedded.json"
FORMAT_VERSION = 2
RANKING_LENGTH = 10  # like Rasa's DIETClassifier default
SVM_TEMPERATURE = 0.1  # softmax temperature for the SVM margins (margins are ~[-1, 1])
LR_WEIGHT = 0.3  # share of the logistic regression in the averaged probabilities
REGEX_FEATURE = 0.25  # value of a regex indicator feature (TF-IDF blocks are L2-normalised)
# Intent features come from the start of a message: a pasted offer says what it is early on, and
# a 4,000-character paste would otherwise cost ~20 ms. Entities and safety still see everything.
MAX_INTENT_CHARS = 1200
# Below this share of known 3+-character n-grams the message is in no language the model has seen
# (another script, emoji only): its scores would be the class prior, so the answer is a fallback.
MIN_COVERAGE = 0.15
# Long messages are also read sentence by sentence: real pleas open with a greeting, a name and a
# home town, which would otherwise outweigh the one sentence that says what is wrong. The most
# urgent sentence reading wins where the whole message reads as small talk or nothing sure.
SENTENCE_MIN_CHARS = 60  # shorter messages are one thought
MAX_SENTENCES = 12
SMALL_TALK = frozenset({"greet", "goodbye", "thanks", "affirm", "deny", "out_of_scope", FALLBACK})
# Sentences that only greet, introduce or thank ("Assalamualaikum wr wb.", "Perkenalkan saya Siti dari
# Ponorogo.", "Terima kasih sebelumnya.") are left out of a long message's whole reading when this
# sure: they say who writes, not what is wrong. (Published tuning half: no change; untouched half:
# one emergency more.) Entities and the safety layer still read the whole text.
COURTESY = frozenset({"greet", "thanks", "goodbye"})
COURTESY_MIN = 0.6
# One sentence read as an emergency this surely outweighs a calmer reading of the whole message
# (published tuning half: no change from 0.7 to 0.95; untouched half at 0.85: one emergency more,
# one other message less). Calmer: requests, reports and information questions.
SENTENCE_EMERGENCY = 0.85
SENTENCE_EMERGENCY_CHARS = 30  # a short "Tolong bantu kami." closing a request is no emergency of its own
CALMER = frozenset({
    "request_help", "report_trafficking", "ask_safe_migration", "ask_aid", "find_sentra", "check_offer",
    "verify_agency", "ask_red_flags",
})
# Most urgent first: what a caseworker would want to see first if one message said several things.
PRIORITY = (
    "emergency", "request_help", "report_trafficking", "request_human", "find_sentra", "check_offer",
    "verify_agency", "ask_red_flags", "ask_aid", "ask_safe_migration", "delete_data", "change_language",
    "bot_challenge", "menu", "out_of_scope", "thanks", "goodbye", "greet", "affirm", "deny",
)
_ENGINE_MODULES = ("embedded.py", "entities.py", "features.py", "normalize.py", "training_data.py")


@dataclass(frozen=True)
class Hyper:
    lr_c: float = 20.0
    svm_c: float = 1.0
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (1, 5)


@dataclass
class LinearHead:
    """A fitted linear classifier reduced to its weights: scores = x @ weights + bias."""

    weights: np.ndarray  # (n_features, n_labels)
    bias: np.ndarray  # (n_labels,)

    @classmethod
    def from_sklearn(cls, clf: Any, n_labels: int) -> LinearHead:
        w = np.asarray(clf.coef_, dtype=np.float64)
        b = np.asarray(clf.intercept_, dtype=np.float64)
        if n_labels == 2 and w.shape[0] == 1:  # binary: one row for the positive class
            w, b = np.vstack([-w / 2, w / 2]), np.array([-b[0] / 2, b[0] / 2])
        return cls(np.ascontiguousarray(w.T), b)

    def scores(self, cols: np.ndarray, vals: np.ndarray) -> np.ndarray:
        out: np.ndarray = vals @ self.weights[cols] + self.bias
        return out


class EmbeddedNLU:
    name = "embedded"

    def __init__(
        self,
        blocks: list[TfidfBlock],
        regexes: list[tuple[str, str]],
        labels: list[str],
        lr: LinearHead,
        svm: LinearHead,
        gazetteer: Gazetteer,
        threshold: float,
        data_hash: str = "",
    ) -> None:
        self.blocks = blocks
        self.regexes = regexes  # (name, pattern) from the data's `regex:` sections
        self.labels = labels
        self.lr = lr
        self.svm = svm
        self.gazetteer = gazetteer
        self.threshold = threshold
        self.data_hash = data_hash
        self._compile()

    def _compile(self) -> None:
        self._regexes = [re.compile(p, re.IGNORECASE) for _, p in self.regexes]
        self._offsets: list[int] = np.cumsum([0] + [len(b.vocabulary) for b in self.blocks]).tolist()
        self.safety = EMERGENCY in self.labels

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("_regexes", "_offsets")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._compile()

    # ---- interface -------------------------------------------------------------------------
    def ready(self) -> bool:
        return True

    def parse(self, text: str) -> ParseResult:
        if not text.strip():
            empty: ParseResult = {
                "text": text,
                "intent": {"name": FALLBACK, "confidence": 0.0},
                "entities": [],
                "intent_ranking": [],
            }
            return empty
        core = text
        readings: list[tuple[int, np.ndarray]] = []
        if len(text) >= SENTENCE_MIN_CHARS:
            core, readings = self._without_courtesy(text, self._sentence_readings(text))
        cols, vals, coverage = self.vector_and_coverage(core)
        probs = self._proba(cols, vals)
        if len(core) >= SENTENCE_MIN_CHARS and len(readings) >= 2:
            probs = self._by_sentence(readings, probs)
        order = np.argsort(-probs)[:RANKING_LENGTH]
        ranking = [{"name": self.labels[i], "confidence": round(float(probs[i]), 6)} for i in order]
        intent = dict(ranking[0])
        # Nothing the model knows (another script, emoji only): the ranking is the prior, not a reading.
        if intent["confidence"] < self.threshold or coverage < MIN_COVERAGE:
            intent = {"name": FALLBACK, "confidence": self.threshold}
            ranking = [dict(intent), *ranking]
        result: ParseResult = {
            "text": text,
            "intent": intent,
            "entities": self.gazetteer.extract(text),
            "intent_ranking": ranking,
        }
        result = apply_readings(result)  # nlu.narrative: stories and thanks, before the safety net
        return apply_safety(result) if self.safety else result

    def _sentence_readings(self, text: str) -> list[tuple[int, np.ndarray]]:
        """(length, probabilities) of each of the first MAX_SENTENCES sentences of a message."""
        parts = sentences(text[:MAX_INTENT_CHARS])
        if len(parts) < 2:
            return []
        return [(len(part), self._proba(*self.vector(part))) for part in parts[:MAX_SENTENCES]]

    def _without_courtesy(
        self, text: str, readings: list[tuple[int, np.ndarray]]
    ) -> tuple[str, list[tuple[int, np.ndarray]]]:
        """The message without its sentences that only greet, introduce the writer or thank, and the
        readings of the sentences kept; the whole message when every sentence is one (a long
        greeting is a greeting)."""
        if not readings:
            return text, readings
        parts = sentences(text[:MAX_INTENT_CHARS])
        keep = [
            i for i, (_, r) in enumerate(readings)
            if not (self.labels[int(np.argmax(r))] in COURTESY and r[int(np.argmax(r))] >= COURTESY_MIN)
        ]
        if not keep or len(keep) == len(readings):
            return text, readings
        return ". ".join([parts[i] for i in keep] + parts[MAX_SENTENCES:]), [readings[i] for i in keep]

    def _by_sentence(self, readings: list[tuple[int, np.ndarray]], probs: np.ndarray) -> np.ndarray:
        """Probabilities of a long message from its whole reading and its sentences' readings.

        A sure whole reading stands, except that one sentence read as an emergency with confidence
        SENTENCE_EMERGENCY outweighs a calmer one (a request, a report, a question): "... Anak saya
        disekap di sana." If the whole reads as small talk (or unsure), the most urgent sure sentence
        reading wins. (Measured on the published tuning half: taking the most urgent sentence
        whatever the whole says, or averaging the sentences, both did worse.)"""
        best = int(np.argmax(probs))
        if probs[best] >= self.threshold and self.labels[best] not in SMALL_TALK:
            if self.labels[best] in CALMER and EMERGENCY in self.labels:
                e = self.labels.index(EMERGENCY)
                for n, r in readings:
                    if n >= SENTENCE_EMERGENCY_CHARS and int(np.argmax(r)) == e and r[e] >= SENTENCE_EMERGENCY:
                        return r
            return probs
        rank = {name: i for i, name in enumerate(PRIORITY)}
        chosen: tuple[int, float] | None = None
        out = probs
        for _, r in readings:
            j = int(np.argmax(r))
            label = self.labels[j]
            if r[j] < self.threshold or label in SMALL_TALK:
                continue
            key = (rank.get(label, len(PRIORITY)), -float(r[j]))
            if chosen is None or key < chosen:
                chosen, out = key, r
        return out

    # ---- scoring ---------------------------------------------------------------------------
    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Sparse feature vector (column indices, values) of a raw message."""
        cols, vals, _ = self.vector_and_coverage(text)
        return cols, vals

    def vector_and_coverage(self, text: str) -> tuple[np.ndarray, np.ndarray, float]:
        norm = normalize(text[:MAX_INTENT_CHARS])
        cols: list[int] = []
        vals: list[float] = []
        coverage = 0.0
        for block, offset in zip(self.blocks, self._offsets, strict=False):
            c, v, cov = block.vector_and_coverage(norm)
            cols.extend(j + offset for j in c)
            vals.extend(v)
            coverage = max(coverage, cov)
        base = self._offsets[-1]
        for k, pattern in enumerate(self._regexes):
            if pattern.search(text[:MAX_INTENT_CHARS]):
                cols.append(base + k)
                vals.append(REGEX_FEATURE)
        return np.asarray(cols, dtype=np.int64), np.asarray(vals, dtype=np.float64), coverage

    def _proba(self, cols: np.ndarray, vals: np.ndarray) -> np.ndarray:
        p_lr = _softmax(self.lr.scores(cols, vals))
        p_svm = _softmax(self.svm.scores(cols, vals) / SVM_TEMPERATURE)
        return LR_WEIGHT * p_lr + (1 - LR_WEIGHT) * p_svm

    @property
    def n_features(self) -> int:
        return self._offsets[-1] + len(self.regexes)

    # ---- training --------------------------------------------------------------------------
    @classmethod
    def train(
        cls,
        data: training_data.TrainingData,
        threshold: float = 0.45,
        hyper: Hyper | None = None,
        data_hash: str = "",
    ) -> EmbeddedNLU:
        from scipy import sparse  # training-only dependencies
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.svm import LinearSVC

        hyper = hyper or Hyper()
        seen: set[tuple[str, str]] = set()
        raws: list[str] = []
        norms: list[str] = []
        labels: list[str] = []
        for ex in data.examples:
            norm = normalize(ex.text)
            if not norm or (norm, ex.intent) in seen:
                continue  # duplicates would only re-weight classes
            seen.add((norm, ex.intent))
            raws.append(ex.text)
            norms.append(norm)
            labels.append(ex.intent)
        if len(set(labels)) < 2:
            raise ValueError("training data needs at least two intents with examples")

        word = TfidfVectorizer(
            analyzer="word", ngram_range=hyper.word_ngrams, sublinear_tf=True, token_pattern=WORD_TOKEN
        ).fit(norms)
        char = TfidfVectorizer(analyzer="char_wb", ngram_range=hyper.char_ngrams, sublinear_tf=True).fit(
            norms
        )
        regexes: list[tuple[str, str]] = []
        for name, patterns in sorted(data.regexes.items()):
            for p in patterns:
                try:
                    re.compile(p)
                except re.error:
                    log.warning("skipping invalid regex %s", name)
                    continue
                regexes.append((name, p))
        compiled = [re.compile(p, re.IGNORECASE) for _, p in regexes]
        extra = sparse.csr_matrix(
            np.array([[REGEX_FEATURE if r.search(raw) else 0.0 for r in compiled] for raw in raws]).reshape(
                len(raws), len(compiled)
            )
        )
        x = sparse.hstack([word.transform(norms), char.transform(norms), extra], format="csr")
        # newton-cg: same optimum as lbfgs, several times faster on these wide sparse problems
        lr = LogisticRegression(C=hyper.lr_c, max_iter=3000, class_weight="balanced", solver="newton-cg")
        svm = LinearSVC(C=hyper.svm_c, class_weight="balanced")
        lr.fit(x, labels)
        svm.fit(x, labels)
        classes = [str(c) for c in lr.classes_]
        assert classes == [str(c) for c in svm.classes_]

        known = set(word.vocabulary_) | {w for n in norms for w in n.split()} | set(OVERRIDES)
        known |= {w for e in data.examples for w in re.findall(r"\w+", e.text.lower())}
        return cls(
            blocks=[TfidfBlock.from_sklearn(word), TfidfBlock.from_sklearn(char)],
            regexes=regexes,
            labels=classes,
            lr=LinearHead.from_sklearn(lr, len(classes)),
            svm=LinearHead.from_sklearn(svm, len(classes)),
            gazetteer=Gazetteer.build(data, known_words=known),
            threshold=threshold,
            data_hash=data_hash,
        )

    # ---- persistence -----------------------------------------------------------------------
    def save(self, model_dir: Path) -> Path:
        model_dir = Path(model_dir)
        model_dir.mkdir(parents=True, exist_ok=True)
        target = model_dir / MODEL_FILE
        _atomic_write(target, lambda f: pickle.dump(self, f, protocol=pickle.HIGHEST_PROTOCOL))
        meta = {
            "format": FORMAT_VERSION,
            "data_hash": self.data_hash,
            "intents": self.labels,
            "features": self.n_features,
            "trained_at": time.time(),
        }
        _atomic_write(model_dir / META_FILE, lambda f: f.write(json.dumps(meta, indent=2).encode()))
        return target

    @classmethod
    def load(cls, model_dir: Path, threshold: float | None = None) -> EmbeddedNLU:
        # The file is our own model, written by save(); never load one from an untrusted place.
        with (Path(model_dir) / MODEL_FILE).open("rb") as f:
            model = pickle.load(f)
        if not isinstance(model, cls):
            raise TypeError(f"{model_dir / MODEL_FILE} is not an embedded NLU model")
        if threshold is not None:
            model.threshold = threshold
        return model


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    out: np.ndarray = e / e.sum(axis=-1, keepdims=True)
    return out


def _atomic_write(target: Path, write: Callable[[IO[bytes]], Any]) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _as_paths(data: Path | Iterable[Path]) -> list[Path]:
    return [Path(data)] if isinstance(data, (str, Path)) else [Path(p) for p in data]


def fingerprint(paths: list[Path]) -> str:
    """Hash of the training data *and* of the engine's code: either change means retraining."""
    h = hashlib.sha256(training_data.data_hash(paths).encode())
    here = Path(__file__).resolve().parent
    for module in _ENGINE_MODULES:
        h.update((here / module).read_bytes())
    h.update(version("scikit-learn").encode())
    return h.hexdigest()


def saved_model_matches(model_dir: Path, digest: str) -> bool:
    try:
        meta = json.loads((model_dir / META_FILE).read_text())
    except (OSError, ValueError):
        return False
    return (
        meta.get("format") == FORMAT_VERSION
        and meta.get("data_hash") == digest
        and (model_dir / MODEL_FILE).is_file()
    )


def train(data: Path | Iterable[Path], threshold: float = 0.45, hyper: Hyper | None = None) -> EmbeddedNLU:
    paths = _as_paths(data)
    return EmbeddedNLU.train(training_data.load(paths), threshold, hyper, fingerprint(paths))


def load_or_train(data: Path | Iterable[Path], model_dir: Path, threshold: float = 0.45) -> EmbeddedNLU:
    """Load the model saved in model_dir if it was trained from these data files, else train and save."""
    paths = _as_paths(data)
    digest = fingerprint(paths)
    model_dir = Path(model_dir)
    if saved_model_matches(model_dir, digest):
        try:
            return EmbeddedNLU.load(model_dir, threshold)
        except Exception:  # corrupt or incompatible file: retrain below
            log.warning("saved NLU model in %s unreadable; retraining", model_dir, exc_info=True)
    started = time.perf_counter()
    model = EmbeddedNLU.train(training_data.load(paths), threshold, data_hash=digest)
    log.info("trained embedded NLU in %.1f s", time.perf_counter() - started)
    try:
        model.save(model_dir)
    except OSError:
        log.warning("could not save NLU model to %s", model_dir, exc_info=True)
    return model
