"""Types shared by the interpreter and the actions. Flows never see a channel."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from bot.messages import Button, Location, Pin, Reply
from flows.memory import Memory
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
    slots: dict[str, Any] = field(default_factory=dict)  # the running flow's answers, dropped when it ends
    misses: int = 0
    memory: Memory = field(default_factory=Memory)  # conversation-wide, survives flows

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> State:
        """A stored state; one stored before flows/memory.py (memory as `_name` slots) still loads."""
        d = d or {}
        slots = {k: v for k, v in (d.get("slots") or {}).items() if not str(k).startswith("_")}
        return cls(d.get("flow"), d.get("step"), slots, int(d.get("misses") or 0), Memory.from_state(d))

    def as_dict(self) -> dict[str, Any]:
        return {
            "flow": self.flow, "step": self.step, "slots": self.slots, "misses": self.misses,
            "memory": self.memory.as_dict(),
        }

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


class Values(Mapping[str, Any]):
    """What flow files see: the flow's slots by name, the memory as `_name`."""

    __slots__ = ("memory", "slots")

    def __init__(self, slots: dict[str, Any], memory: Memory) -> None:
        self.slots, self.memory = slots, memory

    def __getitem__(self, key: str) -> Any:
        if key.startswith("_"):
            value = self.memory.get(key[1:])
            if value is None:
                raise KeyError(key)
            return value
        return self.slots[key]

    def __iter__(self) -> Iterator[str]:
        yield from self.slots
        yield from (f"_{k}" for k in self.memory.as_dict())

    def __len__(self) -> int:
        return len(self.slots) + len(self.memory.as_dict())


_SLOT = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def render(text: Text | str, lang: str, slots: Mapping[str, Any]) -> str:
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

    @property
    def memory(self) -> Memory:
        return self.state.memory

    @property
    def values(self) -> Values:
        return Values(self.state.slots, self.state.memory)

    def say(
        self,
        text: Text | str,
        buttons: list[Button] | None = None,
        request_location: bool = False,
        *,
        sensitive: bool = False,
        pin: Pin | None = None,
        clear_chat: bool = False,
    ) -> None:
        """`sensitive`, `pin`, `clear_chat`: see bot/messages.py Reply."""
        text = render(text, self.lang, self.values)
        self.replies.append(
            Reply(text, list(buttons or []), request_location, sensitive=sensitive, pin=pin, clear_chat=clear_chat)
        )
