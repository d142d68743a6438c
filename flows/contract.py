"""What an action promises: the steps and flows it may jump to, the memory it reads and writes.

Declared where the action is registered (`@action("name", jumps=..., flows=..., reads=..., writes=...)`),
checked against the flow files by `load_flows` at start-up and against what the action does at run time
by the interpreter, so a renamed step fails at start-up naming the file and the step, not in a chat.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flows.memory import FIELDS

# An action that may replace the whole memory (erasure).
ALL_MEMORY: frozenset[str] = FIELDS


class ContractError(RuntimeError):
    """An action did something its contract does not declare."""


@dataclass(frozen=True, slots=True)
class Contract:
    jumps: frozenset[str] = frozenset()  # steps of the running flow it may go to (ctx.goto)
    flows: frozenset[str] = frozenset()  # flows it may start instead (ctx.goto_flow)
    reads: frozenset[str] = frozenset()  # Memory fields it reads
    writes: frozenset[str] = frozenset()  # Memory fields it changes

    @classmethod
    def of(
        cls,
        name: str,
        jumps: Iterable[str] = (),
        flows: Iterable[str] = (),
        reads: Iterable[str] = (),
        writes: Iterable[str] = (),
    ) -> Contract:
        c = cls(frozenset(jumps), frozenset(flows), frozenset(reads), frozenset(writes))
        unknown = (c.reads | c.writes) - FIELDS
        if unknown:  # at import: a memory field renamed or removed
            raise ContractError(f"action {name!r}: unknown memory field(s) {sorted(unknown)} (see flows/memory.py)")
        return c

    def check_run(
        self, name: str, where: str, goto: str | None, goto_flow: str | None, changed: set[str]
    ) -> None:
        """Raise when the action just run jumped or wrote outside its contract."""
        if goto is not None and goto not in self.jumps:
            raise ContractError(
                f"{where}: action {name!r} jumped to step {goto!r}, not declared in its jumps "
                f"{sorted(self.jumps)}"
            )
        if goto_flow is not None and goto_flow not in self.flows:
            raise ContractError(
                f"{where}: action {name!r} started flow {goto_flow!r}, not declared in its flows "
                f"{sorted(self.flows)}"
            )
        undeclared = changed - self.writes
        if undeclared:
            raise ContractError(
                f"{where}: action {name!r} changed memory {sorted(undeclared)}, not declared in its writes"
            )
