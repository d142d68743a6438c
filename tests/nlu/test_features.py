"""The run-time TF-IDF and linear heads reproduce scikit-learn's fitted objects exactly."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from nlu.embedded import LinearHead, _softmax
from nlu.features import WORD_TOKEN, TfidfBlock

TEXTS = [
    "saya mau kerja ke taiwan bagaimana caranya",
    "tolong saya dikurung majikan tidak boleh keluar",
    "halo  kak\tselamat pagi",
    "a b c d",
    "pt maju jaya resmi atau tidak",
    "hapus data saya",
]
UNSEEN = ["kerja di hongkong gaji 8 juta", "x", "saya saya saya", "tidak ada kata yang dikenal qqq"]


@pytest.mark.parametrize(
    ("analyzer", "ngrams"), [("word", (1, 2)), ("word", (1, 3)), ("char_wb", (1, 5)), ("char_wb", (2, 4))]
)
def test_tfidf_block_matches_sklearn(analyzer: str, ngrams: tuple[int, int]) -> None:
    pattern = {"token_pattern": WORD_TOKEN} if analyzer == "word" else {}
    vec = TfidfVectorizer(analyzer=analyzer, ngram_range=ngrams, sublinear_tf=True, **pattern).fit(TEXTS)
    block = TfidfBlock.from_sklearn(vec)
    for text in TEXTS + UNSEEN:
        ref = vec.transform([text]).toarray()[0]
        ours = np.zeros_like(ref)
        cols, vals = block.vector(text)
        ours[cols] = vals
        np.testing.assert_allclose(ours, ref, atol=1e-6)


@pytest.mark.parametrize("n_labels", [2, 3])
def test_linear_heads_match_sklearn(n_labels: int) -> None:
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True).fit(TEXTS)
    x = vec.transform(TEXTS)
    y = [f"label{i % n_labels}" for i in range(len(TEXTS))]
    lr = LogisticRegression(C=10, max_iter=1000).fit(x, y)
    svm = LinearSVC(C=1).fit(x, y)
    lr_head, svm_head = LinearHead.from_sklearn(lr, n_labels), LinearHead.from_sklearn(svm, n_labels)
    for i in range(len(TEXTS)):
        row = x[i]
        cols, vals = row.indices.astype(np.int64), row.data.astype(np.float64)
        np.testing.assert_allclose(_softmax(lr_head.scores(cols, vals)), lr.predict_proba(row)[0], atol=1e-6)
        assert int(np.argmax(svm_head.scores(cols, vals))) == list(svm.classes_).index(svm.predict(row)[0])
