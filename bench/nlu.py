"""Embedded NLU vs the real Rasa 3.6 DIET pipeline, trained on the same data, in one table.

    .venv/bin/python -m bench.nlu [--epochs 100] [--skip-rasa] [--quick] [--json out.json]

Two tasks, each trained once per backend and tested on its test sets:
  * project: train on nlu/data; test on tests/data/nlu_test.yml (held out; written independently)
    and on both halves of tests/data/nlu_published.yml (real messages from public sources:
    `published-holdout` is the untouched half, `published-tune` the half one may look at);
  * xSID:    train on ../shared/benchmarks/xsid-id/train.yml, test on test.yml (CC BY-SA 4.0).
Both backends are measured as the bot uses them: on the project task each answer passes the
safety layer (on xSID, which has no `emergency`, neither backend applies it), and a
below-threshold answer counts as `nlu_fallback` (wrong). Embedded training and serving each run
in a fresh child process (peak RSS = that process's maxrss); Rasa trains with `rasa train nlu`
and is queried over HTTP via RasaNLU (peak RSS = the `rasa run` process's VmHWM).
`--quick` trains Rasa for at most 10 epochs and tests on at most 150 messages per task.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from nlu.base import ParseResult
from nlu.rasa_runner import ROOT

XSID = ROOT.parent / "shared" / "benchmarks" / "xsid-id"
PUBLISHED = ROOT / "tests" / "data" / "nlu_published.yml"
# A test set: Rasa YAML files, or one half ("tune"/"holdout") of the published corpus.
TestSet = tuple[list[Path], str | None]
TASKS: dict[str, tuple[list[Path], dict[str, TestSet]]] = {
    "project": (
        [ROOT / "nlu" / "data"],
        {
            "project": ([ROOT / "tests" / "data" / "nlu_test.yml"], None),
            "published-holdout": ([PUBLISHED], "holdout"),
            "published-tune": ([PUBLISHED], "tune"),
        },
    ),
    "xsid": ([XSID / "train.yml"], {"xsid": ([XSID / "test.yml"], None)}),
}
QUICK_EPOCHS = 10
QUICK_MESSAGES = 150


@dataclass
class Run:
    backend: str
    task: str
    train_s: float = 0.0
    train_rss_mb: float = 0.0
    serve_rss_mb: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    report: dict[str, Any] = field(default_factory=dict)

    @property
    def macro_f1(self) -> float:
        return float(self.report.get("macro avg", {}).get("f1-score", 0.0))

    @property
    def macro_f1_own(self) -> float | None:
        """Macro-F1 over the test set's own intents (no predicted-only label such as nlu_fallback)."""
        value = self.report.get("macro_f1_true_intents")
        return None if value is None else float(value)

    @property
    def accuracy(self) -> float:
        return float(self.report.get("accuracy", 0.0))

    @property
    def emergency_recall(self) -> float | None:
        value = self.report.get("emergency_recall")
        return None if value is None else float(value)

    @property
    def entity_accuracy(self) -> float | None:
        value = self.report.get("entity_accuracy")
        return None if value is None else float(value)


class Timed:
    """Wraps an NLU and records the wall time of every parse."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.ms: list[float] = []

    def parse(self, text: str) -> ParseResult:
        t = time.perf_counter()
        result: ParseResult = self.inner.parse(text)
        self.ms.append((time.perf_counter() - t) * 1000)
        return result

    def ready(self) -> bool:
        return bool(self.inner.ready())


class NoFallback:
    """Rasa's numbers must be Rasa's: a failed request aborts the bench instead of falling back."""

    name = "none"

    def parse(self, text: str) -> ParseResult:
        raise RuntimeError("Rasa did not answer during the benchmark")

    def ready(self) -> bool:
        return False


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def _examples(test: TestSet, limit: int | None) -> list[Any]:
    from nlu import published
    from nlu.evaluate import load_examples

    paths, split = test
    examples = published.load_examples(paths[0], split) if split else list(load_examples(paths))
    if limit and len(examples) > limit:
        examples = random.Random(7).sample(examples, limit)  # fixed sample: comparable runs
    return examples


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- embedded: each phase in a fresh process so its memory is its own ------------------------
def _embedded_train(train: list[Path], model_dir: Path, threshold: float) -> tuple[float, float]:
    from nlu.embedded import load_or_train

    t = time.perf_counter()
    load_or_train(data=train, model_dir=model_dir, threshold=threshold)
    return time.perf_counter() - t, _maxrss_mb()


def _embedded_eval(
    train: list[Path], model_dir: Path, threshold: float, tests: dict[str, TestSet], limit: int | None
) -> tuple[dict[str, tuple[dict[str, Any], list[float]]], float]:
    from nlu.embedded import load_or_train
    from nlu.evaluate import evaluate

    nlu = Timed(load_or_train(data=train, model_dir=model_dir, threshold=threshold))
    out: dict[str, tuple[dict[str, Any], list[float]]] = {}
    for name, test in tests.items():
        nlu.ms = []
        out[name] = (evaluate(nlu, _examples(test, limit)), nlu.ms)
    return out, _maxrss_mb()


def _in_child(fn: Callable[..., Any], *args: Any) -> Any:
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as ex:
        return ex.submit(fn, *args).result()


def bench_embedded(task: str, work: Path, threshold: float, limit: int | None) -> list[Run]:
    train, tests = TASKS[task]
    model_dir = work / f"embedded-{task}"
    train_s, train_rss = _in_child(_embedded_train, train, model_dir, threshold)
    results, serve_rss = _in_child(_embedded_eval, train, model_dir, threshold, tests, limit)
    runs = []
    for name, (report, ms) in results.items():
        run = Run("embedded", name, train_s, train_rss, serve_rss, report=report)
        run.p50_ms, run.p99_ms = percentile(ms, 50), percentile(ms, 99)
        runs.append(run)
    return runs


# -- rasa: `rasa train nlu`, then `rasa run` queried over HTTP ---------------------------------
def bench_rasa(task: str, work: Path, epochs: int, limit: int | None) -> list[Run]:
    from nlu.evaluate import evaluate
    from nlu.rasa_client import RasaNLU
    from nlu.rasa_runner import RasaServer, train_rasa_measured

    train, tests = TASKS[task]
    trained = train_rasa_measured(train, work / f"rasa-{task}", epochs=epochs, name=task)
    runs = []
    with RasaServer(trained.model) as server:
        # The safety layer belongs to the product (project task); on xSID only the classifier counts,
        # as the embedded engine skips safety when its labels have no `emergency`.
        client = RasaNLU(server.url, timeout=60.0, fallback=NoFallback(), safety=task == "project")
        nlu = Timed(client)
        nlu.parse("halo")  # first request warms the graph; not part of the latency sample
        for name, test in tests.items():
            nlu.ms = []
            run = Run("rasa", name, trained.seconds, trained.peak_rss_mb)
            run.report = evaluate(nlu, _examples(test, limit))
            run.p50_ms, run.p99_ms = percentile(nlu.ms, 50), percentile(nlu.ms, 99)
            runs.append(run)
        serve_rss = server.peak_rss_mb()
        client.close()
    for run in runs:
        run.serve_rss_mb = serve_rss
    return runs


# -- output ------------------------------------------------------------------------------------
def table(runs: list[Run], epochs: int) -> str:
    by = {(r.backend, r.task): r for r in runs}
    backends = [b for b in ("embedded", "rasa") if any(k[0] == b for k in by)]
    heads = {"embedded": "embedded", "rasa": f"Rasa 3.6 DIET ({epochs} ep)"}

    def cell(backend: str, task: str, get: Callable[[Run], float | None], fmt: str) -> str:
        run = by.get((backend, task))
        value = get(run) if run else None
        return "n/a" if value is None else format(value, fmt)

    rows: list[tuple[str, str, Callable[[Run], float | None], str]] = [
        ("project intent macro-F1 (nlu_test.yml)", "project", lambda r: r.macro_f1, ".3f"),
        ("project intent accuracy", "project", lambda r: r.accuracy, ".3f"),
        ("project emergency recall", "project", lambda r: r.emergency_recall, ".3f"),
        ("project entity accuracy (country, location)", "project", lambda r: r.entity_accuracy, ".3f"),
        ("published untouched half: intent accuracy", "published-holdout", lambda r: r.accuracy, ".3f"),
        ("published untouched half: macro-F1 (its intents)", "published-holdout", lambda r: r.macro_f1_own, ".3f"),
        ("published untouched half: emergency recall", "published-holdout", lambda r: r.emergency_recall, ".3f"),
        ("published tuning half: intent accuracy", "published-tune", lambda r: r.accuracy, ".3f"),
        ("published tuning half: macro-F1 (its intents)", "published-tune", lambda r: r.macro_f1_own, ".3f"),
        ("published tuning half: emergency recall", "published-tune", lambda r: r.emergency_recall, ".3f"),
        ("published untouched half: parse p50 (ms)", "published-holdout", lambda r: r.p50_ms, ".2f"),
        ("xSID intent accuracy (test.yml)", "xsid", lambda r: r.accuracy, ".3f"),
        ("xSID intent macro-F1", "xsid", lambda r: r.macro_f1, ".3f"),
        ("training time, project (s)", "project", lambda r: r.train_s, ".1f"),
        ("training time, xSID (s)", "xsid", lambda r: r.train_s, ".1f"),
        ("parse p50, project (ms)", "project", lambda r: r.p50_ms, ".2f"),
        ("parse p99, project (ms)", "project", lambda r: r.p99_ms, ".2f"),
        ("peak RSS training, xSID (MB)", "xsid", lambda r: r.train_rss_mb, ".0f"),
        ("peak RSS training, project (MB)", "project", lambda r: r.train_rss_mb, ".0f"),
        ("peak RSS serving, project (MB)", "project", lambda r: r.serve_rss_mb, ".0f"),
    ]
    out = ["| metric | " + " | ".join(heads[b] for b in backends) + " |"]
    out.append("|---|" + "---:|" * len(backends))
    for label, task, get, fmt in rows:
        out.append(f"| {label} | " + " | ".join(cell(b, task, get, fmt) for b in backends) + " |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--epochs", type=int, default=100, help="DIETClassifier epochs (design: 100)")
    ap.add_argument("--skip-rasa", action="store_true", help="embedded only (no .rasa-venv needed)")
    ap.add_argument("--quick", action="store_true", help=f"<= {QUICK_EPOCHS} epochs, <= {QUICK_MESSAGES} tests")
    ap.add_argument("--tasks", nargs="+", choices=sorted(TASKS), default=list(TASKS))
    ap.add_argument("--threshold", type=float, default=None, help="embedded fallback threshold")
    ap.add_argument("--json", type=Path, help="also write the raw results here")
    args = ap.parse_args(argv)

    from bot.config import Settings

    threshold = args.threshold if args.threshold is not None else Settings().nlu_fallback_threshold
    epochs = min(args.epochs, QUICK_EPOCHS) if args.quick else args.epochs
    limit = QUICK_MESSAGES if args.quick else None
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="bench-nlu-") as tmp:
        work = Path(tmp)
        for task in args.tasks:
            print(f"[bench] embedded / {task} ...", file=sys.stderr, flush=True)
            runs.extend(bench_embedded(task, work, threshold, limit))
            if not args.skip_rasa:
                print(f"[bench] rasa ({epochs} epochs) / {task} ...", file=sys.stderr, flush=True)
                runs.extend(bench_rasa(task, work, epochs, limit))
    print(table(runs, epochs))
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in runs], indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
