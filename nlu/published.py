"""The published real-message corpus (tests/data/nlu_published.yml) with its per-example metadata.

The file is Rasa 3 NLU YAML whose examples are `{text, metadata}` items, so Rasa and
`nlu.training_data.load` read it as an ordinary test set. This module also keeps the metadata
(source url, date, verbatim/edited, source type, story group, split) that the plain loader drops.

Split: every example is in the tuning half (`tune`) or the untouched half (`holdout`), decided once
by a stable hash of its source key (the story `group` where one story was quoted by several
articles, else the url), so one article or video never falls into both halves.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from nlu.training_data import Entity, Example, parse_annotated

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "tests" / "data" / "nlu_published.yml"
SPLITS = ("tune", "holdout")
Split = Literal["tune", "holdout"]


@dataclass(frozen=True)
class PublishedExample:
    text: str
    intent: str
    entities: tuple[Entity, ...]
    url: str
    date: str
    verbatim: bool
    split: str
    source_type: str = ""
    group: str = ""
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def source_key(self) -> str:
        return self.group or self.url

    def example(self) -> Example:
        return Example(self.text, self.intent, self.entities)


def split_of(source_key: str) -> Split:
    """The half a source belongs to: stable, independent of what else is in the corpus."""
    digest = hashlib.sha256(source_key.encode("utf-8")).digest()
    return "tune" if digest[0] % 2 == 0 else "holdout"


def load_published(path: Path = PUBLISHED, split: str | None = None) -> list[PublishedExample]:
    """All examples (or one half) with metadata, in file order."""
    if split is not None and split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    doc = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    out: list[PublishedExample] = []
    for block in doc.get("nlu", []) or []:
        intent = block.get("intent")
        if not intent or not isinstance(block.get("examples"), list):
            continue
        for item in block["examples"]:
            meta = dict(item.get("metadata") or {})
            text, ents = parse_annotated(str(item["text"]).strip())
            ex = PublishedExample(
                text=text,
                intent=str(intent),
                entities=ents,
                url=str(meta.get("url", "")),
                date=str(meta.get("date", "")),
                verbatim=bool(meta.get("verbatim", False)),
                split=str(meta.get("split", "")),
                source_type=str(meta.get("source_type", "")),
                group=str(meta.get("group", "")),
                meta=meta,
            )
            if split is None or ex.split == split:
                out.append(ex)
    return out


def load_examples(path: Path = PUBLISHED, split: str | None = None) -> list[Example]:
    """Plain examples (text, intent, entities) for `nlu.evaluate.evaluate`."""
    return [p.example() for p in load_published(path, split)]
