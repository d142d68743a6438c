"""Offer analyzer quality and speed on the offer sets.

    .venv/bin/python bench/offers.py [--data tests/data/offers.yml] [--verbose]

Prints, for the project's sets and each half of the published set (tests/data/offers_published.yml): micro-
averaged flag precision/recall, risk accuracy (sets that label risk), per-flag counts, legit offers rated high
(target 0), offers the "is this an offer?" gate holds back (no risk level), non-offer texts
(tests/data/offers_nonoffers.yml) given a risk level (target 0), and latency.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.knowledge.offer_gate import read_offer  # noqa: E402
from bot.knowledge.offers import analyze_offer  # noqa: E402

NON_OFFERS = ROOT / "tests" / "data" / "offers_nonoffers.yml"
PUBLISHED = ROOT / "tests" / "data" / "offers_published.yml"


def judged_non_offers(path: Path = NON_OFFERS) -> tuple[int, list[str]]:
    """How many texts there are, and those the gate would give a risk level (each one a bug)."""
    texts = [t["text"] for t in yaml.safe_load(path.read_text(encoding="utf-8"))["texts"]]
    return len(texts), [t for t in texts if read_offer(t).judgeable]


def is_legit(offer: dict) -> bool:
    return bool(offer.get("legit")) or offer.get("verdict") == "legitimate"


def evaluate(path: Path, split: str | None = None) -> dict:
    offers = yaml.safe_load(path.read_text(encoding="utf-8"))["offers"]
    if split is not None:
        offers = [o for o in offers if o.get("split") == split]
    tp = fp = fn = 0
    risk_right = risk_labelled = 0
    per_flag: dict[str, Counter] = {}
    legit_high: list[str] = []
    held: list[str] = []  # offers the gate gives no risk level (it asks for the whole message)
    mistakes: list[tuple[str, set[str], set[str]]] = []
    for o in offers:
        verdict = analyze_offer(o["text"])
        got, want = set(verdict.flag_ids), set(o.get("flags") or [])
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
        for f in got | want:
            c = per_flag.setdefault(f, Counter())
            c["tp"] += f in got and f in want
            c["fp"] += f in got and f not in want
            c["fn"] += f in want and f not in got
        if "risk" in o:
            risk_labelled += 1
            risk_right += verdict.risk == o["risk"]
        if is_legit(o) and verdict.risk == "high":
            legit_high.append(o["text"])
        if not read_offer(o["text"]).judgeable:
            held.append(o["text"])
        if got != want:
            mistakes.append((o["text"], got - want, want - got))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {
        "offers": len(offers),
        "legit": sum(1 for o in offers if is_legit(o)),
        "risk_accuracy": risk_right / risk_labelled if risk_labelled else None,
        "precision": precision,
        "recall": recall,
        "per_flag": per_flag,
        "legit_high": legit_high,
        "held": held,
        "mistakes": mistakes,
        "texts": [o["text"] for o in offers],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--data",
        type=Path,
        action="append",
        help="offer set(s); default: tests/data/offers.yml, offers_holdout.yml, offers_holdout2.yml",
    )
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    runs: list[tuple[Path, str | None]] = [(p, None) for p in args.data] if args.data else [
        *((ROOT / "tests" / "data" / n, None) for n in ("offers.yml", "offers_holdout.yml", "offers_holdout2.yml")),
        (PUBLISHED, "tune"),
        (PUBLISHED, "holdout"),
    ]
    data = [p for p, _ in runs]
    texts: list[str] = []
    for path, split in runs:
        r = evaluate(path, split)
        texts += r["texts"]
        name = path.name + (f" [{split} half]" if split else "")
        print(f"{name}: {r['offers']} offers ({r['legit']} legitimate)")
        risk = f"   risk accuracy: {r['risk_accuracy']:.3f}" if r["risk_accuracy"] is not None else ""
        print(f"  flag precision: {r['precision']:.3f}   flag recall: {r['recall']:.3f}{risk}")
        print(f"  legitimate offers rated high: {len(r['legit_high'])}")
        print(f"  offers given no risk level (too little to judge): {len(r['held'])}")
        if args.verbose:
            for f, c in sorted(r["per_flag"].items()):
                print(f"    {f:24s} tp={c['tp']:3d} fp={c['fp']:3d} fn={c['fn']:3d}")
            for text, extra, missing in [] if split == "holdout" else r["mistakes"]:  # holdout: scores only
                print(f"  - {text[:90]!r}\n      extra={sorted(extra)} missing={sorted(missing)}")
    total, judged = judged_non_offers()
    print(f"{NON_OFFERS.name}: non-offer texts given a risk level: {len(judged)} of {total} (target 0)")
    if args.verbose:
        for t in judged:
            print(f"  - {t[:90]!r}")
        for path in dict.fromkeys(data):
            for t in evaluate(path)["held"]:
                print(f"  held ({path.name}): {t[:90]!r}")
    for t in texts[:5]:
        analyze_offer(t)  # warm up caches
    times = []
    for _ in range(5):
        for t in texts:
            t0 = time.perf_counter()
            analyze_offer(t)
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p99 = times[int(len(times) * 0.99)]
    print(
        f"latency per offer ({len(times)} runs): median {statistics.median(times):.2f} ms, p99 {p99:.2f} ms"
    )
    print(f"second opinion training (in process, median of 3): {1000 * _training_s():.0f} ms")


def _training_s() -> float:
    """Training the learned second opinion from its examples, library import and lexicon warm-up excluded."""
    from bot.knowledge.offer_learned import SecondOpinion, training_examples
    from bot.knowledge.offers import lexicon_evidence

    examples = training_examples(lexicon_evidence)
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        SecondOpinion(*examples)
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


if __name__ == "__main__":
    main()
