"""Read Rasa 3.x NLU YAML (intents with entity annotations, synonyms, lookups, regexes).

Only the NLU part of Rasa's format is read; stories/rules/responses in the same file are ignored.
Annotations supported: `[HK](country)`, `[HK](country:Hong Kong)` (Rasa 2 style) and
`[hongkong]{"entity": "country", "value": "Hong Kong"}`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_ANNOTATION = re.compile(r"\[(?P<text>[^\]]+)\](?:\((?P<short>[^)]+)\)|(?P<json>\{[^}]*\}))")
YAML_SUFFIXES = (".yml", ".yaml")


@dataclass(frozen=True)
class Entity:
    entity: str
    value: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    entities: tuple[Entity, ...] = ()


@dataclass
class TrainingData:
    examples: list[Example] = field(default_factory=list)
    synonyms: dict[str, str] = field(default_factory=dict)  # lower-cased variant -> canonical value
    lookups: dict[str, list[str]] = field(default_factory=dict)  # lookup name -> entries
    regexes: dict[str, list[str]] = field(default_factory=dict)  # regex name -> patterns

    @property
    def intents(self) -> list[str]:
        return sorted({e.intent for e in self.examples})


def parse_annotated(raw: str) -> tuple[str, tuple[Entity, ...]]:
    """Strip Rasa entity markup from one example; return plain text and its entities."""
    text_parts: list[str] = []
    entities: list[Entity] = []
    pos = 0
    length = 0
    for m in _ANNOTATION.finditer(raw):
        before = raw[pos : m.start()]
        text_parts.append(before)
        length += len(before)
        surface = m.group("text")
        name, value = _annotation_target(m.group("short"), m.group("json"), surface)
        if name:
            entities.append(Entity(name, value, length, length + len(surface), surface))
        text_parts.append(surface)
        length += len(surface)
        pos = m.end()
    text_parts.append(raw[pos:])
    return "".join(text_parts), tuple(entities)


def _annotation_target(short: str | None, js: str | None, surface: str) -> tuple[str, str]:
    if js is not None:
        try:
            spec: dict[str, Any] = json.loads(js)
        except json.JSONDecodeError:
            return "", surface
        return str(spec.get("entity", "")), str(spec.get("value", surface))
    assert short is not None
    name, _, value = short.partition(":")
    return name.strip(), (value.strip() or surface)


def _example_lines(block: Any) -> Iterable[str]:
    """Rasa stores examples as a '- line' block string, or as a list of {text: ...} items."""
    if isinstance(block, str):
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("- "):
                yield line[2:].strip()
            elif line == "-":
                continue
    elif isinstance(block, list):
        for item in block:
            if isinstance(item, dict) and "text" in item:
                yield str(item["text"]).strip()
            elif isinstance(item, str):
                yield item.strip()


def data_files(paths: Iterable[Path]) -> list[Path]:
    """Expand directories into their YAML files (recursive, sorted for stable hashing)."""
    files: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.suffix in YAML_SUFFIXES and f.is_file()))
        elif p.is_file():
            files.append(p)
        else:
            raise FileNotFoundError(p)
    return files


def data_hash(paths: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for f in data_files(paths):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def load(paths: Iterable[Path] | Path) -> TrainingData:
    if isinstance(paths, (str, Path)):
        paths = [Path(paths)]
    data = TrainingData()
    for f in data_files(paths):
        doc = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
        for item in doc.get("nlu", []) or []:
            _add_item(data, item)
    return data


def _add_item(data: TrainingData, item: dict[str, Any]) -> None:
    lines = list(_example_lines(item.get("examples", "")))
    if "intent" in item:
        intent = str(item["intent"])
        for raw in lines:
            text, ents = parse_annotated(raw)
            if text.strip():
                data.examples.append(Example(text, intent, ents))
                for e in ents:
                    if e.value != e.text:
                        data.synonyms.setdefault(e.text.lower(), e.value)
    elif "synonym" in item:
        canonical = str(item["synonym"])
        for variant in lines:
            data.synonyms[variant.lower()] = canonical
    elif "lookup" in item:
        data.lookups.setdefault(str(item["lookup"]), []).extend(lines)
    elif "regex" in item:
        data.regexes.setdefault(str(item["regex"]), []).extend(lines)
