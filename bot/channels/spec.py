"""What a channel declares about itself, once (in the spirit of Rasa's InputChannel/OutputChannel).

Each channel module ends with `SPEC = ChannelSpec(...)`: its name, its routes, its inbound parser,
the outbox sender it builds from settings, and its capabilities. bot/channels/registry.py lists
the specs; the server, the outbox, follow-ups and the console read them instead of naming channels.

Dependency-light on purpose (types only at run time): every channel module imports it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import APIRouter, FastAPI

    from bot.config import Settings
    from bot.delivery import ChannelAdapter
    from bot.messages import Inbound


@dataclass(frozen=True)
class Capabilities:
    """What the channel can carry. The outbox, follow-ups and the console decide by these."""

    # We can start a message (outbox sender, follow-ups, a caseworker's reply). Without push the
    # person only receives what their own request returns (REST) or sees (a terminal).
    push: bool = True
    # Without push, queued messages (a caseworker's reply) wait and go back with the person's next
    # request, taken in that turn's transaction (REST: Inbound.pull, repo.take_waiting). Neither push
    # nor pull: marked sent at once.
    pull: bool = False
    max_text: int | None = None  # characters per message; the renderer splits longer texts
    # The provider refuses free text this long after the person's last message (WhatsApp: 24 h);
    # a template goes out instead. None: no window.
    session_window: timedelta | None = None
    # The window is treated as closed this much earlier: a row checked now is sent a moment later.
    window_margin: timedelta = timedelta(0)
    max_buttons: int | None = None  # None: no limit; 0: no buttons (they become a numbered list)
    button_payload_bytes: int | None = None  # the longest payload a button carries as is
    location_request: bool = False  # a "share my location" button
    # The bot may delete this chat's messages younger than this (Telegram: 48 h); the quick exit
    # collects their ids. None: nothing can be deleted.
    delete_window: timedelta | None = None

    def window_closed(self, last_inbound: datetime | None, now: datetime) -> bool:
        """Free text would be refused now: the person wrote last at `last_inbound` (None: never)."""
        if self.session_window is None:
            return False
        if last_inbound is None:
            return True
        return now - last_inbound > self.session_window - self.window_margin


def _always(_: Settings) -> bool:
    return True


@dataclass(frozen=True)
class ChannelSpec:
    """One channel, as the rest of the app sees it."""

    name: str  # `Inbound.channel`, `Contact.channel` and `Outbox.channel`
    title: str  # for people (the console)
    capabilities: Capabilities = field(default_factory=Capabilities)
    router: APIRouter | None = None  # its webhooks, mounted by create_app
    # Called once by create_app after the router is mounted (per-app state such as access rules).
    mount: Callable[[FastAPI, Settings], None] | None = None
    # Provider input -> Inbound (None: acknowledged and dropped); the routes call it.
    parse: Callable[..., Inbound | None] | None = None
    # The outbox's sender for this channel, built when `enabled(settings)` (credentials set).
    sender: Callable[[Settings], ChannelAdapter] | None = None
    enabled: Callable[[Settings], bool] = _always
