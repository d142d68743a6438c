"""Quick-exit words (content/quick_exit.yml): a whole message that is one of them erases at once.

Checked before the NLU, so "stop" is never read as `goodbye` or as the answer to a pending question."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import Field, field_validator

from bot.knowledge.models import Sourced, Strict

FILE = "quick_exit.yml"
_COMMAND_BOT = re.compile(r"^/(\w+)@\w+$")  # "/stop@SahabatBot" in a Telegram group or client
_NOT_WORD = re.compile(r"[\W_]+")  # punctuation, emoji, spaces


class QuickExit(Sourced):
    words: list[str] = Field(min_length=1)

    @field_validator("words")
    @classmethod
    def _plain(cls, v: list[str]) -> list[str]:
        for w in v:
            if w != normalise(w) or not w:
                raise ValueError(f"{w!r}: write each word in lower case, without punctuation")
        return v


class QuickExitFile(Strict):
    quick_exit: QuickExit


def normalise(text: str) -> str:
    """"/STOP!!", "Stop 🙏", "stop stop" -> "stop"; anything longer keeps its words."""
    t = text.strip().casefold()
    t = _COMMAND_BOT.sub(r"\1", t)
    words = _NOT_WORD.sub(" ", t).split()
    if len(words) > 1 and len(set(words)) == 1:
        words = words[:1]
    return " ".join(words)


@lru_cache(maxsize=8)
def load_words(content_dir: Path) -> frozenset[str]:
    raw = yaml.safe_load((content_dir / FILE).read_text(encoding="utf-8"))
    return frozenset(QuickExitFile.model_validate(raw).quick_exit.words)


def is_quick_exit(text: str, words: frozenset[str]) -> bool:
    # Cheap guard first: a quick exit is short, so long messages never pay for normalising.
    return len(text) <= 40 and normalise(text) in words
