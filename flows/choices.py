"""Answer options built from content/ at run time (so buttons always match the content)."""

from __future__ import annotations

from collections.abc import Callable

from flows.schema import Choice

DYNAMIC_CHOICES: dict[str, Callable[[str], list[Choice]]] = {}


def choice_source(name: str) -> Callable[[Callable[[str], list[Choice]]], Callable[[str], list[Choice]]]:
    def register(fn: Callable[[str], list[Choice]]) -> Callable[[str], list[Choice]]:
        DYNAMIC_CHOICES[name] = fn
        return fn

    return register
