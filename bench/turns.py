"""Chat-turn throughput in process, this tree against an earlier commit, in the same run.

    python -m bench.turns [--against REF] [--this REF] [--rounds 5] [--people 40]

Each round runs, in a fresh subprocess per tree, `--people` conversations of the scripted REST
messages (bench/messages/rest.txt) through `Engine.handle` on a new SQLite file with the embedded
NLU, and reports turns per second. Rounds alternate between the trees so machine noise falls on
both; the result is the ratio of medians (this tree / REF). REF is checked out into a temporary
git worktree and removed afterwards; so is `--this REF`, which measures that commit in place of the
working tree (to isolate one change: `--this <after> --against <before>`). No network: only the local file system."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MESSAGES = ROOT / "bench" / "messages" / "rest.txt"


def run_turns(people: int, messages: str) -> dict[str, float]:
    """Inside the worker: build the runtime of whatever tree is on sys.path and time its turns."""
    from bot.app_state import build_runtime
    from bot.config import Settings
    from bot.messages import Inbound

    script = [m for m in Path(messages).read_text(encoding="utf-8").splitlines() if m]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite:///{tmp}/bench.db", nlu_url=None)
        runtime = build_runtime(settings)
        runtime.warm_up()
        engine = runtime.engine
        engine.handle(Inbound("rest", "warm", "halo", message_id="w0"))  # first-turn costs out of the timing
        durations: list[float] = []
        start = time.perf_counter()
        for p in range(people):
            for i, text in enumerate(script):
                t0 = time.perf_counter()
                engine.handle(Inbound("rest", f"p{p}", text, message_id=f"{p}-{i}"))
                durations.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - start
        runtime.close()
    durations.sort()
    return {
        "turns": len(durations),
        "turns_per_s": len(durations) / elapsed,
        "p50_ms": 1000 * durations[len(durations) // 2],
        "p99_ms": 1000 * durations[int(len(durations) * 0.99)],
    }


def _worker(tree: Path, people: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(tree), "SAHABAT_LOG_LEVEL": "WARNING"}
    code = f"import json, bench_turns_worker as w; print(json.dumps(w.run_turns({people}, {str(MESSAGES)!r})))"
    # The worker module is this file, copied so it runs against the other tree's imports.
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(__file__, Path(tmp) / "bench_turns_worker.py")
        env["PYTHONPATH"] = f"{tree}{os.pathsep}{tmp}"
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=tree, env=env, capture_output=True, text=True, timeout=600
        )
    if out.returncode != 0:
        raise SystemExit(f"worker in {tree} failed:\n{out.stderr[-2000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--against", help="git ref to compare with (e.g. a commit before a change)")
    ap.add_argument("--this", help="git ref to measure instead of the working tree")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--people", type=int, default=40, help="conversations per round (14 turns each)")
    args = ap.parse_args()

    worktrees: list[Path] = []

    def checkout(ref: str) -> Path:
        path = Path(tempfile.mkdtemp(prefix="bench-turns-")) / "ref"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(path), ref], check=True)
        worktrees.append(path)
        return path

    this = args.this or "this tree"
    trees: dict[str, Path] = {this: checkout(args.this) if args.this else ROOT}
    if args.against:
        trees[args.against] = checkout(args.against)
    results: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    try:
        for r in range(args.rounds):
            order = list(trees.items()) if r % 2 == 0 else list(reversed(trees.items()))
            for name, tree in order:
                res = _worker(tree, args.people)
                results[name].append(res)
                print(f"round {r + 1} {name:>12}: {res['turns_per_s']:7.1f} turns/s  "
                      f"p50 {res['p50_ms']:.2f} ms  p99 {res['p99_ms']:.2f} ms", flush=True)
    finally:
        for path in worktrees:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(path)], check=False)
            shutil.rmtree(path.parent, ignore_errors=True)

    medians = {n: statistics.median(x["turns_per_s"] for x in rs) for n, rs in results.items()}
    p50s = {n: statistics.median(x["p50_ms"] for x in rs) for n, rs in results.items()}
    print()
    for name in trees:
        print(f"{name:>12}: median {medians[name]:.1f} turns/s, median p50 {p50s[name]:.2f} ms "
              f"over {args.rounds} rounds")
    if args.against:
        print(f"ratio {this} / {args.against}: {medians[this] / medians[args.against]:.3f} "
              "(1.0 = same; rounds alternate, so shared noise cancels)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
