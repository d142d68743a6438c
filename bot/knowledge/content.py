"""Loader API for flows: `load_content()` reads content/ once and answers lookups in microseconds.

Which directory: the one given, else the one of the running turn (`use_content_dir`, set by the
engine from SAHABAT_CONTENT_DIR), else the repository's content/. A context variable rather than a
module global, so two runtimes in one process (tests, the console and a CLI) never see each other's."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ConfigDict
from rapidfuzz import fuzz, process

from bot.knowledge.directory import CONTENT_DIR as CONTENT_DIR
from bot.knowledge.directory import content_dir as content_dir
from bot.knowledge.directory import use_content_dir as use_content_dir
from bot.knowledge.models import (
    AidFile,
    AidService,
    Contact,
    FaqEntry,
    FaqFile,
    Hotline,
    HotlinesFile,
    Mission,
    RedFlag,
    RedFlagsFile,
    RiskRule,
    SafeMigrationFile,
    Sentra,
    SentraFile,
    SourcedText,
    Text,
    Topic,
)
from bot.language import pick

M = TypeVar("M", bound=BaseModel)


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 5x faster


def read_yaml(path: Path) -> object:
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_LOADER)  # a safe loader (C or pure Python)


def fold(s: str) -> str:
    """Lower-case, accents and punctuation folded: the key for alias lookups."""
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    return " ".join("".join(c if c.isalnum() else " " for c in s).split())


_SOURCE = {"id": "sumber", "en": "source"}
_IN_INDONESIA = {"id": "Di Indonesia:", "en": "Indonesia:"}
_NUMBERS_CHANGE = {
    "id": "Nomor bisa berubah: cek situs atau aplikasi resmi perwakilan.",
    "en": "Numbers change: check the mission's official site or app.",
}


class HotlineSet(BaseModel):
    """What to show someone in (or asking about) `country`: national lines plus that country's missions,
    or the Safe Travel / Kemlu fallback where no verified mission number exists."""

    model_config = ConfigDict(frozen=True)
    country: str | None
    national: list[Hotline]
    missions: list[Mission]
    fallback: list[Hotline]
    note: Text | None = None

    def render(self, lang: str = "id") -> str:
        """A chat message listing the numbers, each with the date of its source (numbers change)."""
        lines: list[str] = []

        def add(name: Text, contacts: list[Contact], as_of: str | None) -> None:
            nums = "; ".join(f"{c.value} ({c.label.get(lang)})" for c in contacts)
            when = f" [{pick(_SOURCE, lang)} {as_of}]" if as_of else ""
            lines.append(f"- {name.get(lang)}: {nums}{when}")

        if self.country:
            lines.append(f"{self.country}:")
            for m in self.missions:
                add(m.name, m.contacts, m.as_of)
            if self.note:
                lines.append(self.note.get(lang))
            for h in self.fallback:
                add(h.name, h.contacts, h.as_of)
            lines.append(pick(_IN_INDONESIA, lang))
        for h in self.national:
            add(h.name, h.contacts, h.as_of)
        lines.append(pick(_NUMBERS_CHANGE, lang))
        return "\n".join(lines)


class Content:
    """Everything the bot may say, validated. Each text item has `.get(lang)` (bot/language.py)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        with use_content_dir(directory):  # texts are checked against this directory's languages
            self._read(directory)

    def _read(self, directory: Path) -> None:
        rf = RedFlagsFile.model_validate(read_yaml(directory / "red_flags.yml"))
        self.aid = AidFile.model_validate(read_yaml(directory / "aid.yml"))
        self.hotlines = HotlinesFile.model_validate(read_yaml(directory / "hotlines.yml"))
        sf = SentraFile.model_validate(read_yaml(directory / "sentra.yml"))
        sm = SafeMigrationFile.model_validate(read_yaml(directory / "safe_migration.yml"))
        fq = FaqFile.model_validate(read_yaml(directory / "faq.yml"))
        self.red_flags: dict[str, RedFlag] = {f.id: f for f in rf.red_flags}
        self.red_flag_overview: list[str] = list(rf.overview)
        self.risk_rule: RiskRule = rf.risk
        self.sentra: list[Sentra] = list(sf.sentra)
        self.sentra_referral: SourcedText = sf.referral
        self.coordinates_basis: Text = sf.coordinates_basis
        self.safe_migration: dict[str, Topic] = {t.id: t for t in sm.topics}
        self.faq: dict[str, FaqEntry] = {f.id: f for f in fq.faq}
        self._country_alias: dict[str, str] = {}
        for name, entry in self.hotlines.countries.items():
            self._country_alias[fold(name)] = name
            for alias in entry.aliases:
                self._country_alias.setdefault(fold(alias), name)

    # ---- lookups ---------------------------------------------------------------------------------------

    def red_flag(self, flag_id: str) -> RedFlag:
        return self.red_flags[flag_id]

    def aid_services(self, need: str | None = None) -> list[AidService]:
        """Services serving `need` (one of models.NEEDS), or all of them."""
        return [s for s in self.aid.services if need is None or need in s.needs]

    def canonical_country(self, country: str | None) -> str | None:
        """'saudi', 'KSA', 'Hongkong', 'malasya' -> the canonical Indonesian name, or None."""
        if not country:
            return None
        key = fold(country)
        if key in self._country_alias:
            return self._country_alias[key]
        hit = process.extractOne(key, self._country_alias.keys(), scorer=fuzz.ratio, score_cutoff=85)
        return self._country_alias[hit[0]] if hit else None

    def hotlines_for(self, country: str | None = None) -> HotlineSet:
        name = self.canonical_country(country)
        national = list(self.hotlines.national)
        if country is None:
            return HotlineSet(country=None, national=national, missions=[], fallback=[])
        entry = self.hotlines.countries.get(name) if name else None
        missions = list(entry.missions) if entry else []
        fallback = [] if missions else list(self.hotlines.fallback)
        return HotlineSet(
            country=name or country,
            national=national,
            missions=missions,
            fallback=fallback,
            note=entry.note if entry else None,
        )


@lru_cache(maxsize=8)
def _load(directory: Path) -> Content:
    return Content(directory)


def load_content(dir: Path | None = None) -> Content:
    """The validated content of `dir` (default: `content_dir()`), cached per directory."""
    return _load(dir.resolve()) if dir else _load(content_dir())


@lru_cache(maxsize=32)
def _load_file(path: Path, model: type[BaseModel]) -> BaseModel:
    with use_content_dir(path.parent):  # texts are checked against this directory's languages
        return model.model_validate(read_yaml(path))


def load_file(fname: str, model: type[M], dir: Path | None = None) -> M:
    """One content file outside `Content` (crisis.yml, questions.yml), validated, cached per directory."""
    path = (dir.resolve() if dir else content_dir()) / fname
    return _load_file(path, model)  # type: ignore[return-value]
