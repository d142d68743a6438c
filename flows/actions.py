"""Python actions that flows call by name (`action: NAME`). Each takes an ActionContext."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bot.language import catalog
from flows.contract import Contract
from flows.runtime import ActionContext

Action = Callable[[ActionContext], None]
ACTIONS: dict[str, Action] = {}
CONTRACTS: dict[str, Contract] = {}  # checked by load_flows and, after each run, by the interpreter
SENSITIVE: set[str] = set()  # actions whose every reply is marked sensitive (emergency, crisis)


def action(
    name: str,
    *,
    jumps: Iterable[str] = (),
    flows: Iterable[str] = (),
    reads: Iterable[str] = (),
    writes: Iterable[str] = (),
    sensitive: bool = False,
) -> Callable[[Action], Action]:
    """Register an action with its contract: the steps (`jumps`) and `flows` it may go to, and the
    memory fields (flows/memory.py) it `reads` and `writes`. `sensitive`: its replies carry
    emergency advice or a case code (channels stop them being forwarded where they can)."""
    contract = Contract.of(name, jumps, flows, reads, writes)

    def register(fn: Action) -> Action:
        ACTIONS[name] = fn
        CONTRACTS[name] = contract
        if sensitive:
            SENSITIVE.add(name)
        return fn

    return register


@action("reset_misses")
def reset_misses(ctx: ActionContext) -> None:
    ctx.state.misses = 0


@action("count_miss", flows=("offer_person",))
def count_miss(ctx: ActionContext) -> None:
    """Two misses in a row (not understood, or out of scope): offer a person instead."""
    ctx.state.misses += 1
    if ctx.state.misses >= 2:
        ctx.state.misses = 0
        ctx.goto_flow = "offer_person"


@action("set_language_toggle")
def set_language_toggle(ctx: ActionContext) -> None:
    languages = catalog()
    wanted = ctx.turn.entity("language")
    if not languages.known(wanted):
        wanted = languages.named_in(ctx.turn.text) or languages.toggle(ctx.lang)
    ctx.lang = wanted
    ctx.services.set_language(wanted)
