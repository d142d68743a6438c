"""Print the embedded model's errors on the published corpus's tuning half (never the holdout).

    .venv/bin/python -m nlu.tools.tune_errors [--all]

Prints a gold -> predicted confusion count and, per error, the confidence and the text, so the
kinds of error can be studied without ever reading the untouched half.
"""

from __future__ import annotations

import argparse
import tempfile
from collections import Counter
from pathlib import Path

from nlu import embedded, published
from nlu.evaluate import evaluate

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--all", action="store_true", help="also list the correct predictions' intents")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        model = embedded.load_or_train(ROOT / "nlu" / "data", Path(tmp))
    examples = published.load_examples(split="tune")  # the tuning half only, by design
    report = evaluate(model, examples)
    pairs = Counter((e["intent"], e["intent_prediction"]["name"]) for e in report["errors"])
    print(f"tune: n={len(examples)} acc={report['accuracy']:.3f} "
          f"emergency_recall={report['emergency_recall']:.3f}")
    for (gold, pred), n in pairs.most_common():
        print(f"{n:3d}  {gold:20s} -> {pred}")
    print()
    for e in sorted(report["errors"], key=lambda e: (e["intent"], e["intent_prediction"]["name"])):
        p = e["intent_prediction"]
        print(f"[{e['intent']} -> {p['name']} {p['confidence']:.2f}] {e['text'][:300]}")
    if args.all:
        print(Counter(e.intent for e in examples))


if __name__ == "__main__":
    main()
