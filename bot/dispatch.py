"""Where a channel runs the engine: inline on the event loop, or in a worker thread.

On SQLite with the embedded NLU a turn is ~2 ms of CPU and the database has one writer anyway,
so running it inline saves the thread hand-offs and GIL contention. With PostgreSQL (network
round trips) or Rasa (HTTP), the turn waits on I/O, so it goes to a thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool

T = TypeVar("T")


def inline_ok(runtime: Any) -> bool:
    return bool(runtime.db.is_sqlite and not runtime.settings.nlu_url)


async def run_engine(runtime: Any, fn: Callable[..., T], *args: Any) -> T:
    if inline_ok(runtime):
        return fn(*args)
    return await run_in_threadpool(fn, *args)
