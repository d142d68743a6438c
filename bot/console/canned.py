"""Canned replies (content/canned.yml) and the referral choices (content/sentra.yml, content/aid.yml)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.console.i18n import Bi
from bot.knowledge.content import content_dir as current_content_dir
from bot.knowledge.content import load_content, use_content_dir
from bot.language import Text


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bilingual(Text):
    """A canned text by language: no longer than one chat message."""

    max_chars: ClassVar[int | None] = 1600


class Canned(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Bilingual
    text: Bilingual
    source: list[str] = Field(default_factory=list)
    reviewed: date

    @field_validator("source", mode="before")
    @classmethod
    def _listify(cls, v: object) -> object:
        return [v] if isinstance(v, str) else v


class CannedFile(_Strict):
    canned: list[Canned]


@lru_cache(maxsize=4)
def _load(path: Path) -> tuple[Canned, ...]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    with use_content_dir(path.parent):  # texts are checked against this directory's languages
        items = CannedFile.model_validate(raw).canned
    ids = [c.id for c in items]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{path.name}: duplicate id")
    return tuple(items)


def canned_replies(content_dir: Path | None = None) -> tuple[Canned, ...]:
    return _load(((content_dir or current_content_dir()) / "canned.yml").resolve())


@lru_cache(maxsize=4)
def _targets(content_dir: Path) -> dict[str, dict[str, str]]:
    c = load_content(content_dir)
    return {
        "sentra": {x.id: f"{x.name} ({x.city}, {x.province})" for x in c.sentra},
        "aid": {x.id: x.title.get("id") for x in c.aid.services},
        "agency": dict(AGENCIES),
    }


# The four recipients a case may be passed on to with the person's consent (bot/console/consent.py).
AGENCIES = (
    ("kemensos", Bi("Kemensos (Kementerian Sosial)", "Kemensos (Ministry of Social Affairs)")),
    ("police_ppa", Bi("Polisi, unit PPA-PPO", "Police, PPA-PPO unit")),
    ("kp2mi", Bi("KP2MI / BP3MI", "KP2MI / BP3MI")),
    ("embassy", Bi("Kedutaan (KBRI/KJRI)", "Embassy or consulate (KBRI/KJRI)")),
)


def referral_targets(content_dir: Path | None = None) -> dict[str, dict[str, str]]:
    """{"sentra": {id: label}, "aid": {id: label}, "agency": {id: label}}: where a case may be referred."""
    return _targets((content_dir or current_content_dir()).resolve())
