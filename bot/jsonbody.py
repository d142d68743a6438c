"""JSON request bodies parsed with a depth limit: deep nesting is a 400 with a reason, never a 500.

The standard parser recurses once per level; past Python's recursion limit it raises RecursionError,
which FastAPI would turn into a 500. Here any nesting past `max_depth` is refused (ValueError, so
callers that already map invalid JSON to a 400 keep doing so)."""

from __future__ import annotations

import json
from typing import Any

DEFAULT_MAX_DEPTH = 32


class BadJSON(ValueError):
    """The body is not JSON we accept; `reason` is safe to show (it never quotes the input)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _depth_exceeds(value: Any, max_depth: int) -> bool:
    """Iterative, so checking a deep value cannot itself overflow the stack."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > max_depth:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def loads(raw: bytes | str, max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    try:
        value = json.loads(raw)
    except RecursionError:
        raise BadJSON(f"the JSON body is nested too deeply (at most {max_depth} levels)") from None
    except (ValueError, UnicodeDecodeError):
        raise BadJSON("the body is not valid JSON") from None
    if _depth_exceeds(value, max_depth):
        raise BadJSON(f"the JSON body is nested too deeply (at most {max_depth} levels)")
    return value
