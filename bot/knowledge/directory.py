"""Which content directory is in force: the one of the running turn (`use_content_dir`, set by the engine
from SAHABAT_CONTENT_DIR), else the repository's content/. A context variable rather than a module
global, so two runtimes in one process (tests, the console and a CLI) never see each other's.

Kept free of other project imports: the language catalog (bot/language.py) and the content loader both
read it, and the content models use the catalog."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"
_ACTIVE: ContextVar[Path | None] = ContextVar("sahabat_content_dir", default=None)


def content_dir() -> Path:
    """The content directory in force here (see the module's docstring)."""
    return _ACTIVE.get() or CONTENT_DIR


@lru_cache(maxsize=16)
def _resolved(directory: Path) -> Path:
    """Resolved once per directory: the engine enters this on every turn, and resolve() is a syscall."""
    return directory.resolve()


@contextmanager
def use_content_dir(directory: Path | None) -> Iterator[Path]:
    """Every content read inside the block (this thread or task, and threads it starts with
    `asyncio.to_thread`) uses `directory`; None keeps the current one."""
    d = _resolved(directory) if directory is not None else content_dir()
    token = _ACTIVE.set(d)
    try:
        yield d
    finally:
        _ACTIVE.reset(token)
