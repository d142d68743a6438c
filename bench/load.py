"""Bounded load test on 127.0.0.1: the REST channel (and the Telegram webhook when available) on SQLite
and PostgreSQL, 1 and 2 workers, with a trivial FastAPI endpoint on the same stack as the ceiling.

    python -m bench.load [--duration 15] [--connections 16] [--db sqlite,postgres] [--workers 1,2]
                         [--what rest,telegram] [--rate 300] [--paced-duration 10]

Two runs per setup: wrk with --connections senders as fast as the server answers (its ceiling),
then --rate messages/s arriving on schedule whatever the pace (bench/paced.py: the latency people
would see at that load).

Needs Debian's `wrk` (apt-get install wrk). PostgreSQL from SAHABAT_TEST_POSTGRES_URL or the local
default; each run gets a fresh database. Every run is capped in time (--duration) and in count
(--max-requests per wrk thread) and stops by itself."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from tests.channels.fakes import FakeTelegram  # the same fake Bot API the tests use

ROOT = Path(__file__).resolve().parent.parent
TG_TOKEN = "999:bench-token"
TG_SECRET = "bench-secret-0123456789"
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (uvicorn workers), in MB."""
    total = 0
    pids = [pid]
    try:
        kids = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
        pids += [int(k) for k in kids]
    except FileNotFoundError:
        pass
    per = []
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    kb = int(line.split()[1])
                    total += kb
                    per.append(kb / 1024)
        except OSError:
            continue
    return max(per) if per else 0.0


@dataclass
class Server:
    url: str
    pid: int
    ready_s: float


@contextmanager
def serve(cmd: list[str], env: dict[str, str], port: int) -> Iterator[Server]:
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = started + 120
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}: {' '.join(cmd)}")
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        else:
            raise RuntimeError("server not ready within 120 s")
        yield Server(url, proc.pid, time.monotonic() - started)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def wrk(url: str, path: str, script: Path, duration: int, connections: int, max_requests: int) -> dict:
    env = {**os.environ, "MAX_REQUESTS": str(max_requests), "TG_SECRET": TG_SECRET, "BENCH_DIR": str(ROOT / "bench")}
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "5s", "-s", str(script), url + path],
        capture_output=True, text=True, env=env, timeout=duration + 60,
    ).stdout
    lines = [ln for ln in out.splitlines() if ln.startswith("RESULT ")]
    if not lines:
        raise RuntimeError(f"wrk printed no result:\n{out}")
    r = json.loads(lines[-1].removeprefix("RESULT "))
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    return r


def paced(url: str, kind: str, rate: float, duration: float, run: str) -> dict:
    """The open-loop run, in a process of its own (this one also hosts the fake Bot API)."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.paced", url, "--kind", kind, "--rate", str(rate), "--duration", str(duration),
         "--secret", TG_SECRET, "--run", run],
        cwd=ROOT, capture_output=True, text=True, timeout=duration + 60, check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


@contextmanager
def database(kind: str, tmp: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp / f'load-{uuid.uuid4().hex[:8]}.db'}"
        return
    base = os.environ.get("SAHABAT_TEST_POSTGRES_URL", PG_DEFAULT).replace("postgresql://", "postgresql+psycopg://")
    name = f"sahabat_load_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--duration", type=int, default=15, help="seconds per run (cap)")
    ap.add_argument("--connections", type=int, default=16, help="concurrent senders")
    ap.add_argument("--max-requests", type=int, default=50_000, help="cap per wrk thread")
    ap.add_argument("--db", default="sqlite,postgres")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--what", default="rest,telegram", help="channels to drive: rest, telegram")
    ap.add_argument("--rate", type=float, default=300, help="messages/s for the paced (open-loop) run; 0: none")
    ap.add_argument("--paced-duration", type=float, default=10, help="seconds of the paced run (cap)")
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    script = ROOT / "bench" / "rest.lua"
    rows = []
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        model_dir = tmp / "nlu-model"
        base_env = {**os.environ, "SAHABAT_NLU_MODEL_DIR": str(model_dir),
                    # wrk's few addresses and senders send far past the abuse limits; limits so high
                    # they never refuse keep the limiter's cost in the measurement.
                    "SAHABAT_REST_RATE_PER_ADDRESS": "100000000/minute",
                    "SAHABAT_REST_RATE_PER_SENDER": "100000000/minute",
                    "SAHABAT_REST_NEW_EMERGENCIES": "100000000/minute"}
        base_env.pop("SAHABAT_NLU_URL", None)
        # The Telegram webhook's replies go to a local fake Bot API through the outbox.
        fake = FakeTelegram(TG_TOKEN)
        fake.server.start()
        telegram_env = {"SAHABAT_TELEGRAM_TOKEN": TG_TOKEN, "SAHABAT_TELEGRAM_SECRET": TG_SECRET,
                        "SAHABAT_TELEGRAM_API_URL": fake.url, "TG_SECRET": TG_SECRET}
        for workers in [int(w) for w in args.workers.split(",")]:
            port = free_port()
            cmd = [sys.executable, "-m", "uvicorn", "bench.trivial_app:app", "--port", str(port),
                   "--workers", str(workers), "--no-access-log", "--log-level", "warning"]
            with serve(cmd, base_env, port) as srv:
                r = wrk(srv.url, "/webhooks/rest/webhook", script, args.duration, args.connections, args.max_requests)
                rows.append(("trivial endpoint", "-", workers, r, rss_mb(srv.pid), srv.ready_s))
            ceiling = r["rps"]
            for kind in args.db.split(","):
                for key, what, path, lua in (
                    ("rest", "REST chat turn", "/webhooks/rest/webhook", script),
                    ("telegram", "Telegram webhook", "/webhooks/telegram", ROOT / "bench" / "telegram.lua"),
                ):
                    if key not in args.what.split(","):
                        continue
                    with database(kind, tmp) as url:
                        port = free_port()
                        env = {**base_env, "SAHABAT_DATABASE_URL": url, **telegram_env}
                        cmd = [sys.executable, "-m", "bot.cli", "serve", "--port", str(port), "--workers", str(workers)]
                        with serve(cmd, env, port) as srv:
                            r = wrk(srv.url, path, lua, args.duration, args.connections, args.max_requests)
                            r["ratio"] = r["rps"] / ceiling
                            if args.rate > 0:
                                r["paced"] = paced(srv.url, key, args.rate, args.paced_duration, f"{kind}{workers}")
                            rows.append((what, kind, workers, r, rss_mb(srv.pid), srv.ready_s))
    fake.server.stop()
    print(f"\n{args.connections} concurrent senders, {args.duration} s per run, wrk on 127.0.0.1, {os.cpu_count()} cores\n")
    print(f"{'what':18} {'db':9} {'wrk':>3} {'msg/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
          f"{'errors':>6} {'x trivial':>9} {'RSS MB':>7} {'ready s':>7}")
    for what, db, w, r, rss, ready in rows:
        print(f"{what:18} {db:9} {w:>3} {r['rps']:>8.0f} {r['p50_us'] / 1000:>7.1f} {r['p95_us'] / 1000:>7.1f} "
              f"{r['p99_us'] / 1000:>7.1f} {r['errors'] + r['non2xx']:>6} {r.get('ratio', 1):>9.2f} "
              f"{rss:>7.0f} {ready:>7.1f}")
    paced_rows = [(what, db, w, r["paced"]) for what, db, w, r, _, _ in rows if "paced" in r]
    if paced_rows:
        print(f"\nPaced: {args.rate:.0f} messages/s arriving on schedule for {args.paced_duration:.0f} s; latency "
              "from each message's scheduled time\n")
        print(f"{'what':18} {'db':9} {'wrk':>3} {'sent':>6} {'msg/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
              f"{'max ms':>7} {'errors':>6}")
        for what, db, w, p in paced_rows:
            print(f"{what:18} {db:9} {w:>3} {p['sent']:>6} {p['achieved']:>7.0f} {p['p50_ms']:>7.1f} "
                  f"{p['p95_ms']:>7.1f} {p['p99_ms']:>7.1f} {p['max_ms']:>7.1f} {p['errors']:>6}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
