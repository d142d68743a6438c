"""Python actions that flows call by name (`action: NAME`). Each takes an ActionContext."""

from __future__ import annotations

from collections.abc import Callable

from flows.runtime import ActionContext

Action = Callable[[ActionContext], None]
ACTIONS: dict[str, Action] = {}


def action(name: str) -> Callable[[Action], Action]:
    def register(fn: Action) -> Action:
        ACTIONS[name] = fn
        return fn

    return register


@action("reset_misses")
def reset_misses(ctx: ActionContext) -> None:
    ctx.state.misses = 0


@action("count_miss")
def count_miss(ctx: ActionContext) -> None:
    """Two misses in a row (not understood, or out of scope): offer a person instead."""
    ctx.state.misses += 1
    if ctx.state.misses >= 2:
        ctx.state.misses = 0
        ctx.goto_flow = "offer_person"


@action("set_language_toggle")
def set_language_toggle(ctx: ActionContext) -> None:
    wanted = ctx.turn.entity("language")
    text = ctx.turn.text.lower()
    if wanted not in ("id", "en"):
        if any(w in text for w in ("english", "inggris")):
            wanted = "en"
        elif any(w in text for w in ("indonesia", "indo")):
            wanted = "id"
        else:
            wanted = "en" if ctx.lang == "id" else "id"
    ctx.lang = wanted
    ctx.services.set_language(wanted)
