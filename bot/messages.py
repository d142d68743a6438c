"""Channel-agnostic message types: what adapters hand to the engine and get back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Inbound.metadata key: the channel's own id of the message in the chat, where it differs from
# `message_id` (Telegram: message_id within the chat, not the update id). Kept in Message.meta.
CHAT_MESSAGE_ID = "chat_msg"


@dataclass(frozen=True, slots=True)
class Location:
    lat: float
    lon: float


@dataclass(slots=True)
class Inbound:
    """One message from a person, as any channel adapter parsed it."""

    channel: str
    sender_id: str
    text: str = ""
    payload: str | None = None  # a tapped button, e.g. "/check_offer" or '/choose{"value": "health"}'
    location: Location | None = None
    media_kind: str | None = None  # photo | voice | sticker | document | video | audio | other
    message_id: str | None = None  # the channel's id, for de-duplication
    metadata: dict[str, Any] = field(default_factory=dict)
    # Asked with the category before a new case is opened; False: answer as usual but open no case and
    # alert nobody (a REST client past its cap on new emergencies). None: always allowed.
    case_gate: Callable[[str], bool] | None = None
    # The channel cannot push (REST): replies waiting in the outbox come back first with this turn's.
    pull: bool = False


@dataclass(frozen=True, slots=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True, slots=True)
class Pin:
    """A place to show on a map (the nearest sentra), where the channel can send one."""

    lat: float
    lon: float
    name: str


@dataclass(slots=True)
class Reply:
    text: str
    buttons: list[Button] = field(default_factory=list)
    request_location: bool = False
    # Emergency advice and case codes: the channel stops forwarding and saving where it can.
    sensitive: bool = False
    pin: Pin | None = None
    # The person asked to leave no trace (quick exit): the channel clears the chat where it can, or
    # says how to. `retract`: the channel's ids of this chat's messages to delete first.
    clear_chat: bool = False
    retract: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The outbox payload; fields at their defaults are left out (older rows read the same)."""
        out: dict[str, Any] = {"text": self.text}
        if self.buttons:
            out["buttons"] = [{"title": b.title, "payload": b.payload} for b in self.buttons]
        if self.request_location:
            out["request_location"] = True
        if self.sensitive:
            out["sensitive"] = True
        if self.pin is not None:
            out["pin"] = {"lat": self.pin.lat, "lon": self.pin.lon, "name": self.pin.name}
        if self.clear_chat:
            out["clear_chat"] = True
        if self.retract:
            out["retract"] = list(self.retract)
        return out
