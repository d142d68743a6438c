"""The project's import graph (bot/, flows/, nlu/) read with `ast`: no cycles, and no missing names.

What counts as an edge: every `import` / `from ... import` in a module, at module level AND inside
functions. A late import inside a function hides a cycle from Python at import time, but the two
modules still depend on each other (that is how `store.repo -> notify -> channels.common -> store`
went unnoticed), so it counts. Imports under `if TYPE_CHECKING:` do not count: they exist only for
the type checker and create no run-time dependency."""

from __future__ import annotations

import ast
import importlib
import itertools
from pathlib import Path

from bot.config import ROOT

PACKAGES = ("bot", "flows", "nlu")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {
    _module_name(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))
}


def _owner(name: str) -> str | None:
    """The project module `name` lives in ("bot.store.repo.PRIORITY" -> "bot.store.repo")."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _type_checking_only(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or (
        isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING"
    )


def _imports(module: str) -> list[tuple[str, str | None, int]]:
    """(imported module, imported name or None, line) for every run-time import in `module`."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[str, str | None, int]] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking_only(child):
                for other in child.orelse:
                    visit_one(other)
                continue
            visit_one(child)

    def visit_one(node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            found.extend((a.name, None, node.lineno) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            found.extend((base, a.name, node.lineno) for a in node.names)
        visit(node)

    visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return found


def _graph() -> dict[str, dict[str, int]]:
    """module -> {project module it imports: line of the first such import}."""
    graph: dict[str, dict[str, int]] = {}
    for module in MODULES:
        edges = graph.setdefault(module, {})
        for base, name, line in _imports(module):
            # `from bot import outbox` imports the module bot.outbox, not just the package bot.
            target = _owner(f"{base}.{name}") if name and f"{base}.{name}" in MODULES else _owner(base)
            if target and target != module:
                edges.setdefault(target, line)
    return graph


def _cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """One cycle (a closed path) per strongly connected component with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp: set[str] = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                components.append(comp)

    for v in sorted(graph):
        if v not in index:
            connect(v)
    cycles = []
    for comp in components:
        start = min(comp)
        # Breadth-first from `start` back to itself inside the component: the shortest cycle through it.
        paths = {start: [start]}
        queue = [start]
        cycle: list[str] = []
        while queue and not cycle:
            v = queue.pop(0)
            for w in sorted(graph[v]):
                if w == start:
                    cycle = [*paths[v], start]
                    break
                if w in comp and w not in paths:
                    paths[w] = [*paths[v], w]
                    queue.append(w)
        cycles.append(cycle)
    return cycles


def _describe(cycle: list[str], graph: dict[str, dict[str, int]]) -> str:
    hops = [f"{a} (line {graph[a][b]})" for a, b in itertools.pairwise(cycle)]
    return " -> ".join([*hops, cycle[-1]])


def test_the_walker_sees_function_level_imports_and_skips_type_checking_ones() -> None:
    graph = _graph()
    assert "bot.store.models" in graph["bot.store.repo"]  # sanity: edges exist at all
    cyclic = {"a": {"b": 1}, "b": {"c": 2}, "c": {"a": 3}, "d": {"a": 4}}
    assert _cycles(cyclic) == [["a", "b", "c", "a"]]


def test_no_import_cycle_among_the_project_modules() -> None:
    graph = _graph()
    cycles = _cycles(graph)
    assert not cycles, "import cycles:\n" + "\n".join(_describe(c, graph) for c in cycles)


def test_every_name_imported_from_a_project_module_exists() -> None:
    """`from bot.notify import send_pending` inside a try/except ImportError failed silently."""
    missing = []
    for module in MODULES:
        for base, name, line in _imports(module):
            if not name or name == "*" or base not in MODULES or f"{base}.{name}" in MODULES:
                continue
            if not hasattr(importlib.import_module(base), name):
                missing.append(f"{module} line {line}: {base}.{name}")
    assert not missing, "imported names that do not exist:\n" + "\n".join(missing)
