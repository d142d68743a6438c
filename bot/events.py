"""A tiny in-process event hub: the store and the engine say what happened, without knowing who listens.

One hub per `Database` (`db.events`), reachable from each of its sessions as `s.info["events"]`, so two
runtimes in one process (tests) never hear each other. Handlers run at once, in the publisher's
thread and transaction, in the order they subscribed: what they write commits or rolls back with
the change that caused it (the caseworkers' notice and the emergency it announces). A handler's
exception propagates to the publisher, as a direct call would.

Dependency-free (standard library only; the store's types only for the type checker)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.store.models import Escalation

E = TypeVar("E")


@dataclass(frozen=True)
class EmergencyRaised:
    """A case was opened as an emergency, or an open case was raised to emergency (priority 0)."""

    session: Session
    escalation: Escalation


class Hub:
    def __init__(self) -> None:
        self._handlers: dict[type, list[Callable[[Any], None]]] = {}

    def subscribe(self, kind: type[E], handler: Callable[[E], None]) -> Callable[[], None]:
        """Call `handler` for every event of type `kind`; returns the function that unsubscribes."""
        handlers = self._handlers.setdefault(kind, [])
        handlers.append(handler)
        return lambda: handlers.remove(handler)

    def publish(self, event: object) -> None:
        for handler in list(self._handlers.get(type(event), ())):
            handler(event)


def publish(s: Session, event: object) -> None:
    """Announce `event` on the hub of the database `s` belongs to (none: nobody listens)."""
    hub = s.info.get("events")
    if isinstance(hub, Hub):
        hub.publish(event)
