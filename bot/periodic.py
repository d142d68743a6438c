"""Small periodic jobs in the server process (follow-up check-ins)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool

log = logging.getLogger(__name__)


class Periodic:
    """Run a blocking job every `interval` seconds in a worker thread until stopped."""

    def __init__(self, name: str, job: Callable[[], object], interval: float) -> None:
        self.name, self.job, self.interval = name, job, interval
        self._task: asyncio.Task[None] | None = None

    def start(self) -> Periodic:
        self._task = asyncio.create_task(self._loop(), name=self.name)
        return self

    async def _loop(self) -> None:
        while True:
            try:
                await run_in_threadpool(self.job)
            except Exception as exc:  # a failed round (e.g. database down) is retried next round
                log.warning("%s failed: %s", self.name, type(exc).__name__)
            await asyncio.sleep(self.interval)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
