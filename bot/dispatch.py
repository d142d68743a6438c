"""Where a channel runs the engine: on the event loop, or in a worker thread.

A turn is 1-3 ms of CPU with the embedded NLU and a handful of short database round trips. In a
thread, every round trip hands the GIL back and forth with the event loop, and under load each
hand-off waits for the loop's switch interval: on PostgreSQL that halved a worker's throughput
(bench/load.py). So turns run inline, one at a time per worker, which also matches SQLite's single
writer. The loop then waits while the database answers; db.py bounds that wait (connect timeout,
TCP keepalives and user timeout), and a database that is down fails at once (503, retried).
On PostgreSQL the loop does not wait for the database at all: the turn runs in a greenlet
(Database.run_sync) and each round trip awaits on the loop, so one stalled connection parks only
its own turn while every other conversation on the worker is answered (SAHABAT_PG_ASYNC_TURNS).
With a remote Rasa (an HTTP call of up to `nlu_timeout_s`) turns go to the thread pool instead."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool

from bot.store.db import Database

T = TypeVar("T")


def inline_ok(runtime: Any) -> bool:
    return bool(runtime.settings.inline_turns and not runtime.settings.nlu_url)


async def run_engine(runtime: Any, fn: Callable[..., T], *args: Any) -> T:
    if inline_ok(runtime):
        db: Database = runtime.db
        if runtime.settings.pg_async_turns:
            return await db.run_sync(fn, *args)
        return fn(*args)
    return await run_in_threadpool(fn, *args)
