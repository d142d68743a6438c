"""Pydantic models of the files in content/: the schema `sahabat content check` enforces."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from bot.language import Text as _Text

NEEDS = (
    "health",
    "money_debt",
    "documents",
    "shelter",
    "psychosocial",
    "work_business",
    "going_home",
    "legal",
)
Need = Literal[
    "health", "money_debt", "documents", "shelter", "psychosocial", "work_business", "going_home", "legal"
]
RED_FLAG_IDS = (
    "upfront_fee", "debt_bondage", "non_work_visa", "no_contract", "unlicensed_recruiter", "unrealistic_pay",
    "rushed_process", "skipped_requirements", "scam_job_pattern", "banned_placement", "irregular_route",
    "document_retention", "underage", "secrecy", "personal_data_request", "romance_lure",
)  # fmt: skip
URL_RE = re.compile(r"^https?://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?(/\S*)?$")
PROJECT_RE = re.compile(r"^project:[\w./-]+$")  # statements about the bot itself cite the project's docs
AS_OF_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Text = _Text  # one message, by language, with fallback along content/languages.yml


def _as_list(v: object) -> object:
    return [v] if isinstance(v, str) else v


def _check_source(v: str) -> str:
    v = v.strip()
    if not (URL_RE.match(v) or PROJECT_RE.match(v)):
        raise ValueError(f"source is not a URL: {v!r}")
    return v


Source = Annotated[str, BeforeValidator(_check_source)]
Sources = Annotated[list[Source], BeforeValidator(_as_list), Field(min_length=1)]


def _not_future(d: date) -> date:
    if d > date.today():
        raise ValueError(f"date {d.isoformat()} is in the future")
    return d


Reviewed = Annotated[date, Field(strict=False)]


class Sourced(Strict):
    source: Sources
    reviewed: Reviewed

    @field_validator("reviewed")
    @classmethod
    def _reviewed_not_future(cls, v: date) -> date:
        return _not_future(v)


# ---- red_flags.yml -------------------------------------------------------------------------------------


class RedFlag(Sourced):
    id: str
    grave: bool
    title: Text
    short: Text | None = None  # a list item's title where `title` is longer (flows/widgets.py)
    why: Text
    instead: Text

    @field_validator("id")
    @classmethod
    def _known(cls, v: str) -> str:
        if v not in RED_FLAG_IDS:
            raise ValueError(f"unknown red flag id {v!r}")
        return v


class RiskRule(Strict):
    """`high`: any grave flag, or at least `high_from` flags; `medium`: at least `medium_from`; else `low`."""

    high_from: int = Field(ge=2)
    medium_from: int = Field(ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> RiskRule:
        if self.medium_from >= self.high_from:
            raise ValueError("medium_from must be below high_from")
        return self


class RedFlagsFile(Strict):
    risk: RiskRule  # the risk rule lives in content, next to the flags it weighs
    overview: list[str] = Field(default_factory=list, max_length=6)  # the first answer's signs, in order
    red_flags: list[RedFlag]

    @model_validator(mode="after")
    def _overview_known(self) -> RedFlagsFile:
        unknown = sorted(set(self.overview) - {f.id for f in self.red_flags})
        if unknown:
            raise ValueError(f"overview names unknown red flags: {', '.join(unknown)}")
        return self


# ---- aid.yml -------------------------------------------------------------------------------------------


class SourcedText(_Text, Sourced):  # a text with its source beside the languages
    """`{id: ..., en: ..., source: ..., reviewed: ...}`: the keys other than the source are languages."""

    model_config = ConfigDict(extra="allow", frozen=True)


class AidService(Sourced):
    id: str
    needs: list[Need] = Field(min_length=1)
    title: Text
    what: Text
    who: Text


class AidFile(Strict):
    caveat: SourcedText
    how_to_reach: SourcedText
    services: list[AidService]


# ---- hotlines.yml --------------------------------------------------------------------------------------


def _check_as_of(v: str | None) -> str | None:
    if v is None:
        return v
    if not AS_OF_RE.match(v):
        raise ValueError(f"as_of must be YYYY or YYYY-MM, not {v!r}")
    year, _, month = v.partition("-")
    if (int(year), int(month or 1)) > (date.today().year, date.today().month):
        raise ValueError(f"as_of {v} is in the future")
    return v


AsOf = Annotated[str | None, BeforeValidator(lambda v: str(v) if isinstance(v, int) else v)]


class Contact(Strict):
    kind: Literal["phone", "whatsapp", "email", "web", "app"]
    value: str = Field(min_length=1)
    label: Text


class Hotline(Sourced):
    id: str
    name: Text
    contacts: list[Contact] = Field(min_length=1)
    note: Text
    as_of: AsOf = None

    @field_validator("as_of")
    @classmethod
    def _as_of_ok(cls, v: str | None) -> str | None:
        return _check_as_of(v)


class Mission(Sourced):
    name: Text
    contacts: list[Contact] = Field(min_length=1)
    note: Text | None = None
    as_of: AsOf = None

    @field_validator("as_of")
    @classmethod
    def _as_of_ok(cls, v: str | None) -> str | None:
        return _check_as_of(v)


class CountryHotlines(Strict):
    aliases: list[str] = Field(min_length=1)
    missions: list[Mission]
    note: Text | None = None
    source: Sources | None = None
    reviewed: Reviewed | None = None

    @field_validator("reviewed")
    @classmethod
    def _reviewed_not_future(cls, v: date | None) -> date | None:
        return v if v is None else _not_future(v)


class HotlinesFile(Strict):
    national: list[Hotline]
    fallback: list[Hotline] = Field(min_length=1)
    countries: dict[str, CountryHotlines]


# ---- sentra.yml ----------------------------------------------------------------------------------------

Handles = Literal[
    "trafficking_victims", "trafficking_women", "trafficking_children", "deportees", "online_scam",
    "violence", "multi_service",
]  # fmt: skip


class Sentra(Sourced):
    id: str
    name: str
    kind: Literal["sentra", "sentra_terpadu", "rptc"]
    city: str
    province: str
    area: str | None = None
    address: str | None = None
    address_source: Source | None = None
    lat: float = Field(ge=-11.5, le=6.5)
    lon: float = Field(ge=94.5, le=141.5)
    precision_km: float = Field(gt=0, le=100)
    # table 2.3's points are the compiler's estimates of a town/district centre ([U]), not geocoded addresses
    coordinates: Literal["approximate_city", "geocoded_address"] = "approximate_city"
    handles: list[Handles] = Field(min_length=1)
    notes: Text | None = None


class SentraFile(Strict):
    coordinates_basis: Text
    sentra: list[Sentra]
    referral: SourcedText


# ---- safe_migration.yml / faq.yml ----------------------------------------------------------------------


class Topic(Sourced):
    id: str
    title: Text
    short: Text | None = None  # a list item's title where `title` is longer (flows/widgets.py)
    text: Text


class SafeMigrationFile(Strict):
    topics: list[Topic]


class FaqEntry(Sourced):
    id: str
    about_bot: bool = False
    question: Text
    answer: Text
    countries: list[str] = []  # where the answer applies (canonical names from hotlines.yml), if limited


class FaqFile(Strict):
    faq: list[FaqEntry]


# ---- crisis.yml ----------------------------------------------------------------------------------------


class CrisisFile(Strict):
    """Mental-health crisis contacts for the self-harm path."""

    urgent_home: SourcedText
    abroad: SourcedText
    lines: list[Hotline] = Field(min_length=1)


FILE_MODELS: dict[str, type[BaseModel]] = {
    "red_flags.yml": RedFlagsFile,
    "aid.yml": AidFile,
    "hotlines.yml": HotlinesFile,
    "sentra.yml": SentraFile,
    "safe_migration.yml": SafeMigrationFile,
    "faq.yml": FaqFile,
    "crisis.yml": CrisisFile,
    "questions.yml": FaqFile,  # answers to questions the bot used to miss, same shape as faq.yml
}
