"""Evaluate any NLU backend on Rasa YAML test data; write Rasa's intent_report.json."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sklearn.metrics import classification_report

from nlu import training_data
from nlu.base import NLU
from nlu.training_data import Entity, Example

__all__ = ["Entity", "Example", "evaluate", "load_examples", "summary", "write_report"]

EMERGENCY = "emergency"
REPORT_FILE = "intent_report.json"


def load_examples(paths: list[Path]) -> list[Example]:
    """Examples (text, intent, entities) from Rasa YAML files or directories."""
    return training_data.load([Path(p) for p in paths]).examples


def evaluate(nlu: NLU, examples: Iterable[Example]) -> dict[str, Any]:
    """Parse every example; return Rasa's intent report plus emergency recall and timing.

    The report is sklearn's classification_report(output_dict=True) over the union of true and
    predicted labels (like `rasa test nlu`), with per-label "confused_with" counts, plus:
    "emergency_recall" (None without emergency examples), "errors" (misclassified examples),
    "entity_accuracy" (share of annotated entities found with the right value), "parse_ms" and
    "macro_f1_true_intents" (macro F1 over the test set's own intents only, i.e. without a
    predicted-only label such as nlu_fallback in the average).
    """
    examples = list(examples)
    y_true: list[str] = []
    y_pred: list[str] = []
    errors: list[dict[str, Any]] = []
    timings: list[float] = []
    ent_total = ent_found = 0
    for ex in examples:
        t0 = time.perf_counter()
        result = nlu.parse(ex.text)
        timings.append((time.perf_counter() - t0) * 1000)
        pred = str(result["intent"]["name"])
        y_true.append(ex.intent)
        y_pred.append(pred)
        if pred != ex.intent:
            errors.append(
                {
                    "text": ex.text,
                    "intent": ex.intent,
                    "intent_prediction": {"name": pred, "confidence": result["intent"]["confidence"]},
                }
            )
        got = {(e["entity"], str(e["value"])) for e in result.get("entities", [])}
        for ent in ex.entities:
            ent_total += 1
            ent_found += (ent.entity, ent.value) in got
    report: dict[str, Any] = classification_report(y_true, y_pred, output_dict=True, zero_division=0)
    for label, row in report.items():
        if isinstance(row, dict) and label not in ("macro avg", "weighted avg"):
            confused: dict[str, int] = {}
            for t, p in zip(y_true, y_pred, strict=True):
                if t == label and p != label:
                    confused[p] = confused.get(p, 0) + 1
            row["confused_with"] = dict(sorted(confused.items(), key=lambda kv: -kv[1]))
    true_labels = sorted(set(y_true))
    report["macro_f1_true_intents"] = (
        sum(report[label]["f1-score"] for label in true_labels) / len(true_labels) if true_labels else None
    )
    n_emerg = sum(1 for t in y_true if t == EMERGENCY)
    hit = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t == EMERGENCY and p == EMERGENCY)
    report["emergency_recall"] = hit / n_emerg if n_emerg else None
    report["entity_accuracy"] = ent_found / ent_total if ent_total else None
    report["errors"] = errors
    timings.sort()
    report["parse_ms"] = {
        "p50": timings[len(timings) // 2] if timings else None,
        "p99": timings[min(len(timings) - 1, int(len(timings) * 0.99))] if timings else None,
    }
    return report


def write_report(report: dict[str, Any], out_dir: Path) -> Path:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / REPORT_FILE
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def summary(report: dict[str, Any]) -> str:
    macro = report.get("macro avg", {})
    lines = [
        f"accuracy          {report.get('accuracy', 0.0):.4f}",
        f"macro F1          {macro.get('f1-score', 0.0):.4f}",
        f"macro F1 (test intents only) {report.get('macro_f1_true_intents') or 0.0:.4f}",
        f"weighted F1       {report.get('weighted avg', {}).get('f1-score', 0.0):.4f}",
    ]
    if report.get("emergency_recall") is not None:
        lines.append(f"emergency recall  {report['emergency_recall']:.4f}")
    if report.get("entity_accuracy") is not None:
        lines.append(f"entity accuracy   {report['entity_accuracy']:.4f}")
    lines.append(f"examples          {int(macro.get('support', 0))}, errors {len(report.get('errors', []))}")
    return "\n".join(lines)
