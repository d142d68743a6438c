"""The channels this app speaks, in one list. Adding a channel: a module with a `SPEC`, named here.

`channels()` is what the server mounts, the outbox builds senders for, and follow-ups and the
console ask about (`get(name)`). `register()` adds one at run time (a test's fake messenger, a
plug-in); it must happen before `create_app()` for its routes to be mounted."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from bot import notify
from bot.channels import console, rest, telegram, whatsapp
from bot.channels.spec import Capabilities, ChannelSpec

__all__ = ["Capabilities", "ChannelSpec", "channels", "get", "register", "registered", "unregister"]

# Caseworker notices ("notify") are outbox rows like any reply: their sender is registered here too.
_BUILTIN: tuple[ChannelSpec, ...] = (telegram.SPEC, whatsapp.SPEC, rest.SPEC, console.SPEC, notify.SPEC)
_SPECS: dict[str, ChannelSpec] = {spec.name: spec for spec in _BUILTIN}


def channels() -> list[ChannelSpec]:
    return list(_SPECS.values())


def get(name: str) -> ChannelSpec | None:
    return _SPECS.get(name)


def register(spec: ChannelSpec) -> None:
    if spec.name in _SPECS and _SPECS[spec.name] is not spec:
        raise ValueError(f"channel {spec.name!r} is already registered")
    _SPECS[spec.name] = spec


def unregister(name: str) -> None:
    _SPECS.pop(name, None)


@contextmanager
def registered(spec: ChannelSpec) -> Iterator[ChannelSpec]:
    """`register` for the length of a block (tests)."""
    register(spec)
    try:
        yield spec
    finally:
        unregister(spec.name)
