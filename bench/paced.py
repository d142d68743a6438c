"""Open-loop load at a fixed rate: does the server hold N messages/s, and with what latency?

wrk (bench/load.py) measures the most a server can take; here messages arrive on a schedule, as
people's messages do, whatever the server's pace. Latency is measured from each message's scheduled
time, so a stall that delays the messages behind it counts against them too (no coordinated
omission). Bounded by --rate x --duration messages and by time."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from pathlib import Path

import aiohttp

MESSAGES = Path(__file__).parent / "messages"  # the same messages as the wrk scripts
REST_MESSAGES = [m for m in (MESSAGES / "rest.txt").read_text(encoding="utf-8").splitlines() if m]
TELEGRAM_MESSAGES = [m for m in (MESSAGES / "telegram.txt").read_text(encoding="utf-8").splitlines() if m]
USERS = 400


def rest_body(i: int, run: str) -> bytes:
    msg = REST_MESSAGES[(i // USERS) % len(REST_MESSAGES)]
    return json.dumps({"sender": f"paced-{run}-{i % USERS}", "message": msg}).encode()


def telegram_body(i: int, run: str) -> bytes:
    user = 5_000_000 + (hash(run) % 1000) * 1000 + i % USERS
    msg = TELEGRAM_MESSAGES[(i // USERS) % len(TELEGRAM_MESSAGES)]
    return json.dumps({
        "update_id": 900_000_000 + i, "message": {
            "message_id": i, "date": 1_700_000_000, "text": msg, "chat": {"id": user, "type": "private"},
            "from": {"id": user, "is_bot": False, "first_name": "P"},
        },
    }).encode()


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * p / 100))]


async def _run(url: str, body: Callable[[int], bytes], headers: dict[str, str], rate: float, duration: float,
               timeout: float) -> dict:
    total = int(rate * duration)
    latencies: list[float] = []
    conn = aiohttp.TCPConnector(limit=64)  # a late server queues requests here; latency still counts from schedule
    async with aiohttp.ClientSession(connector=conn, timeout=aiohttp.ClientTimeout(total=timeout)) as http:

        async def one(i: int, due: float) -> None:
            try:
                async with http.post(url, data=body(i), headers=headers) as r:
                    await r.read()
                    if r.status >= 400:
                        return  # counted as an error: sent but not answered well
            except (aiohttp.ClientError, TimeoutError):
                return
            latencies.append(time.perf_counter() - due)

        start = time.perf_counter() + 0.05
        tasks = []
        for i in range(total):
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(i, due)))
        await asyncio.wait(tasks, timeout=timeout + 5)
    achieved = len(latencies) / max(time.perf_counter() - start, 1e-9)
    latencies.sort()
    return {
        "rate": rate, "sent": total, "ok": len(latencies), "errors": total - len(latencies),
        "achieved": achieved, "p50_ms": percentile(latencies, 50) * 1000, "p95_ms": percentile(latencies, 95) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000, "max_ms": (latencies[-1] if latencies else float("nan")) * 1000,
    }


def paced(base_url: str, kind: str, rate: float, duration: float, secret: str = "", run: str = "r") -> dict:
    """`kind` is "rest" or "telegram"; returns latency percentiles at the given arrival rate."""
    if kind == "rest":
        url, body, headers = f"{base_url}/webhooks/rest/webhook", rest_body, {"Content-Type": "application/json"}
    else:
        url, body = f"{base_url}/webhooks/telegram", telegram_body
        headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret}
    import uvloop  # the generator shares two cores with the server: keep its own cost low

    return uvloop.run(_run(url, lambda i: body(i, run), headers, rate, duration, timeout=10.0))


def main() -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("url", help="server base URL, e.g. http://127.0.0.1:8000")
    ap.add_argument("--kind", choices=("rest", "telegram"), default="rest")
    ap.add_argument("--rate", type=float, default=300)
    ap.add_argument("--duration", type=float, default=10)
    ap.add_argument("--secret", default="")
    ap.add_argument("--run", default="r", help="distinguishes the senders of one run from another's")
    args = ap.parse_args()
    print(json.dumps(paced(args.url, args.kind, args.rate, args.duration, args.secret, args.run)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
