"""Delivery types shared by the outbox, the notifier and the channel adapters.

Dependency-free on purpose (standard library only): anything may import it, so the outbox and the
notifier no longer import a channel module (and, through it, the engine and the store) for them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


class TemporaryFailure(Exception):
    """The provider may accept the message later (rate limit, 5xx, network); `retry_after` in seconds."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class PermanentFailure(Exception):
    """Retrying cannot help (the person blocked the bot, the chat does not exist, a 4xx)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Part:
    """One provider API call for an outbox row. `kind="template"` means: the real message is held
    (WhatsApp's 24-hour window is closed) and a template went out in its place."""

    data: dict[str, Any]
    kind: str = "message"
    meta: dict[str, Any] = field(default_factory=dict)


class ChannelAdapter(Protocol):
    """Renders outbox payloads for one channel and talks to its API. The outbox only schedules."""

    channel: str

    def render(self, payload: dict[str, Any]) -> list[Part]:
        """The provider calls for one outbox payload, in order (deterministic for retries)."""
        ...

    async def deliver(self, part: Part) -> str:
        """Send one part; the provider's message id. Raises TemporaryFailure / PermanentFailure."""
        ...

    async def send(self, payload: dict[str, Any]) -> str:
        """Every part of a payload; the last provider message id."""
        ...

    async def close(self) -> None: ...


async def send_all(adapter: ChannelAdapter, payload: dict[str, Any]) -> str:
    provider_id = ""
    for part in adapter.render(payload):
        provider_id = await adapter.deliver(part)
    return provider_id

