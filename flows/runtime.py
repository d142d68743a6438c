"""Types shared by the interpreter and the actions. Flows never see a channel."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from bot.messages import Button, Location, Reply
from flows.schema import Text


@dataclass(slots=True)
class Turn:
    """One understood message: what the person said and what the NLU made of it."""

    text: str
    intent: str
    confidence: float = 1.0
    entities: list[dict[str, Any]] = field(default_factory=list)
    value: str | None = None  # a tapped choice button's value
    location: Location | None = None
    from_button: bool = False
    nlu: dict[str, Any] = field(default_factory=dict)

    def entity(self, name: str) -> str | None:
        for e in self.entities:
            if e.get("entity") == name:
                return str(e.get("value"))
        return None


@dataclass(slots=True)
class State:
    flow: str | None = None
    step: str | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    misses: int = 0

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> State:
        d = d or {}
        return cls(d.get("flow"), d.get("step"), dict(d.get("slots") or {}), int(d.get("misses") or 0))

    def as_dict(self) -> dict[str, Any]:
        return {"flow": self.flow, "step": self.step, "slots": self.slots, "misses": self.misses}

    @property
    def waiting(self) -> bool:
        return self.flow is not None and self.step is not None


class Services(Protocol):
    """What the engine lends to actions (persistence and side effects), bound to one contact."""

    def escalate(
        self, category: str, priority: int, summary: str, details: dict[str, Any]
    ) -> str: ...  # returns the reference code

    def set_consent(self, given: bool) -> None: ...

    def has_consent(self) -> bool: ...

    def save_profile(self, **fields: Any) -> None: ...

    def response_target(self, priority: int) -> tuple[int, str]: ...  # (amount, "minutes" | "hours")

    def record_followup(self, reference: str, helped: bool) -> None: ...

    def agency_list_date(self) -> date | None: ...

    def find_agency(self, name: str) -> tuple[list[Any], date | None]: ...

    def set_language(self, lang: str) -> None: ...

    def delete_personal_data(self) -> None: ...

    def record_offer_check(self, method: str, risk: str, flags: list[str]) -> None: ...  # no text, no person


_SLOT = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def render(text: Text | str, lang: str, slots: dict[str, Any]) -> str:
    raw = text if isinstance(text, str) else text.get(lang)
    return _SLOT.sub(lambda m: str(slots.get(m.group(1), m.group(0))), raw)


@dataclass
class ActionContext:
    lang: str
    state: State
    turn: Turn
    services: Services
    replies: list[Reply] = field(default_factory=list)
    goto: str | None = None  # overrides the step's `next`
    goto_flow: str | None = None
    end: bool = False

    @property
    def slots(self) -> dict[str, Any]:
        return self.state.slots

    def say(
        self, text: Text | str, buttons: list[Button] | None = None, request_location: bool = False
    ) -> None:
        self.replies.append(Reply(render(text, self.lang, self.slots), list(buttons or []), request_location))
