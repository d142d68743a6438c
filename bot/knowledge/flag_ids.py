"""Red-flag ids written in code, read from the source (no import), so `sahabat content check` can hold them
against content/red_flags.yml: a flag the analyzer, the lexicon or a flow raises must exist in content,
and every flag in content must be raised by some analyzer rule (issue 15: content decides).

Where code names a flag:
- the lexicon: the first argument of each `rule("flag", ...)` (bot/knowledge/offer_lexicon.py);
- the analyzer's own judgements: `found.add("flag", ...)`, `found.drop("flag")`, `found.tags.get("flag")`
  (bot/knowledge/offers.py);
- the learned second opinion: `LEARNED_FLAGS = ("flag", ...)` (bot/knowledge/offer_learned.py);
- the flows: the flag of each checklist answer, `_CHECKLIST = {slot: ("flag", raising)}`
  (flows/actions_offer.py), and `FLAG_OF_STEP` values if a flow module declares one.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LEXICON = Path("bot/knowledge/offer_lexicon.py")
ANALYZER = Path("bot/knowledge/offers.py")
LEARNED = Path("bot/knowledge/offer_learned.py")
FLOW_FILES = (Path("flows/actions_offer.py"), Path("flows/actions_offer_talk.py"))
FLOW_TABLES = ("_CHECKLIST", "FLAG_OF_STEP")  # dicts whose values name a flag (first item of a tuple)
FLAG_LISTS = ("LEARNED_FLAGS",)  # tuples of flag ids


@dataclass(frozen=True, slots=True)
class Use:
    flag: str
    file: str
    line: int
    detects: bool  # True: an analyzer rule that raises the flag from text


def _str(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _on_found(func: ast.expr) -> bool:
    """`found.add`, `found.drop`, `found.tags.get`."""
    while isinstance(func, ast.Attribute):
        func = func.value
    return isinstance(func, ast.Name) and func.id == "found"


def _calls(tree: ast.AST, rel: str) -> Iterator[Use]:
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        flag = _str(node.args[0])
        if flag is None:
            continue
        if isinstance(node.func, ast.Name) and node.func.id == "rule":
            yield Use(flag, rel, node.lineno, True)
        elif isinstance(node.func, ast.Attribute) and _on_found(node.func):
            yield Use(flag, rel, node.lineno, node.func.attr == "add")


def _tables(tree: ast.AST, rel: str) -> Iterator[Use]:
    for node in ast.walk(tree):
        target: ast.expr | None = None
        value: ast.expr | None = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        if isinstance(target, ast.Name) and target.id in FLAG_LISTS and isinstance(value, ast.Tuple):
            for item in value.elts:
                flag = _str(item)
                if flag is not None:
                    yield Use(flag, rel, item.lineno, False)
            continue
        if not (isinstance(target, ast.Name) and target.id in FLOW_TABLES and isinstance(value, ast.Dict)):
            continue
        for v in value.values:
            first = v.elts[0] if isinstance(v, ast.Tuple) and v.elts else v
            flag = _str(first)
            if flag is not None:
                yield Use(flag, rel, v.lineno, False)


def code_flag_uses(root: Path = ROOT) -> list[Use]:
    """Every place the analyzer, the lexicon and the offer flows name a red flag."""
    uses: list[Use] = []
    for rel in (LEXICON, ANALYZER, LEARNED, *FLOW_FILES):
        path = root / rel
        if not path.exists():
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(rel))
        uses.extend(_calls(tree, str(rel)))
        uses.extend(_tables(tree, str(rel)))
    return uses


def flag_id_problems(content_ids: set[str], uses: list[Use], fname: str = "red_flags.yml") -> list[str]:
    """A flag code names that content lacks, or a content flag no analyzer rule raises."""
    problems = [
        f"{u.file}:{u.line}: red flag {u.flag!r} is used in code but {fname} has no such flag"
        for u in uses
        if u.flag not in content_ids
    ]
    detected = {u.flag for u in uses if u.detects}
    problems += [
        f"{fname}: red_flags[{f}]: no analyzer rule raises this flag ({LEXICON} or {ANALYZER})"
        for f in sorted(content_ids - detected)
    ]
    return problems
