"""CI quality gate: the embedded model trained from nlu/data, scored on the held-out test set."""

from __future__ import annotations

from nlu import embedded
from nlu.evaluate import evaluate, load_examples
from nlu.normalize import normalize
from tests.nlu.conftest import NLU_DATA, NLU_TEST

MIN_MACRO_F1 = 0.90


def test_held_out_quality_gate(embedded_model: embedded.EmbeddedNLU) -> None:
    report = evaluate(embedded_model, load_examples([NLU_TEST]))
    misses = [e["text"] for e in report["errors"] if e["intent"] == "emergency"]
    assert report["emergency_recall"] == 1.0, f"emergencies missed: {misses}"
    assert report["macro avg"]["f1-score"] >= MIN_MACRO_F1, report["errors"]


def test_every_required_intent_is_trained_and_tested() -> None:
    from nlu.base import INTENTS

    train = {e.intent for e in load_examples([NLU_DATA])}
    test = [e.intent for e in load_examples([NLU_TEST])]
    assert set(INTENTS) <= train
    for intent in INTENTS:
        assert test.count(intent) >= 15, intent


def test_test_set_is_independent_of_training_data() -> None:
    train = {normalize(e.text) for e in load_examples([NLU_DATA])}
    overlap = [e.text for e in load_examples([NLU_TEST]) if normalize(e.text) in train]
    # Short messages ("iya", "tidak mau", "bye") are bound to coincide; longer ones must not.
    assert [t for t in overlap if len(t.split()) > 2] == []


# Real messages written by migrant workers and families (tests/data/nlu_published.yml). The
# untouched half is never tuned on; its gate guards emergency recall only. Measured when this gate
# was set (302 messages): 47 of 53 emergencies on the untouched half (0.89), 85 of 87 on the tuning half;
# after the second issue 22 pass: 46 of 53 (0.87) and 85 of 87, so the gate stayed where it was;
# after the third (courtesy sentences out of the whole reading, more situations, an emergency
# sentence outweighing a calm whole): 49 of 53 (0.92) and 85 of 87.
MIN_PUBLISHED_EMERGENCY_RECALL = 0.90


def test_real_messages_emergency_gate(embedded_model: embedded.EmbeddedNLU) -> None:
    from nlu import published

    for split in ("tune", "holdout"):
        report = evaluate(embedded_model, published.load_examples(published.PUBLISHED, split))
        assert report["emergency_recall"] >= MIN_PUBLISHED_EMERGENCY_RECALL, split
