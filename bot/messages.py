"""Channel-agnostic message types: what adapters hand to the engine and get back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


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


@dataclass(frozen=True, slots=True)
class Button:
    title: str
    payload: str


@dataclass(slots=True)
class Reply:
    text: str
    buttons: list[Button] = field(default_factory=list)
    request_location: bool = False

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text}
        if self.buttons:
            out["buttons"] = [{"title": b.title, "payload": b.payload} for b in self.buttons]
        if self.request_location:
            out["request_location"] = True
        return out
