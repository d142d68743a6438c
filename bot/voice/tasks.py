"""Notes are heard after the webhook is acknowledged: a transcription takes seconds, and Telegram and
Twilio would time out and re-send meanwhile. The tasks are kept here so none is collected mid-way."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

_tasks: set[asyncio.Task[Any]] = set()


def spawn(coro: Coroutine[Any, Any, Any]) -> None:
    task = asyncio.get_running_loop().create_task(coro)
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
