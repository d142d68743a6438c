"""`sahabat content check`: schema, sources, dates, translations and the "no unverified fact" rules.

Translations: every text (`{id: ..., en: ...}` in content/*.yml and flows/*.yml) must have the base
language and each language marked `complete` in languages.yml; a missing one of any other language is
a warning, listed per language (`missing_translations`), and the bot falls back along its chain.

Every problem names the file and the entry, so whoever edits content/ can find it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from bot.knowledge.directory import use_content_dir
from bot.knowledge.flag_ids import code_flag_uses, flag_id_problems
from bot.knowledge.models import FILE_MODELS, PROJECT_RE, RED_FLAG_IDS, URL_RE
from bot.language import FILE as LANGUAGES_FILE
from bot.language import catalog

CODE_ROOT = Path(__file__).resolve().parents[2]
FLOWS_DIR = CODE_ROOT / "flows"
MAX_MESSAGE_CHARS = 1600  # Twilio/WhatsApp limit for one message

# Phone numbers marked [V] in content-facts.md section 1 (as written there). Nothing else may be shown:
# older numbers, [S] numbers (e.g. Kemnaker 1500630) and every sentra number are excluded on purpose.
VERIFIED_NUMBERS = (
    "110", "129", "021-129", "08111-129-129", "171", "021-171", "148",
    "0800-1000", "+62 21 29244800", "0811-8080-141",
    "(021) 29681560", "(021) 29681551", "0857-700-100-48",
    "+62 812 9007 0027",
    "+60 17-668 8032",
    "+966 56 917 3990", "+966 56 909 4526", "+966 50 360 9667",
    "+65 9295 3964",
    "+852 6773 0466", "+852 6894 2799", "+852 5294 4184", "999", "+853 6273 6655",
    "+886 2875 26170", "1955",
    "+855 12 813 282", "+855 61 844 661",
    "+95 9 503 7055",
    "+965 9720 6060", "+973 3879 1650", "+974 3332 2875", "+962 779150407", "+20 1022229989",
    "+98 9024668889",
)  # fmt: skip
# Mental-health crisis lines (content/crisis.yml), not in content-facts.md: each is cited there with its
# source (Kemenkes pages and national news, 2016-2025) and a review date.
CRISIS_NUMBERS = ("119", "119 ext. 8")
# Secondary sources ([S] in content-facts.md): hints only, never a citation for a stated fact.
UNVERIFIED_SOURCE_HOSTS = ("github.com", "githubusercontent.com", "pjtki-pptkis.com")

PHONE_IN_TEXT = re.compile(r"(?<![\w.,/])(?:\+|\(0\d{1,3}\)\s?)?\d[\d\s\-]{4,}\d(?!\w)(?![.,/]\d)")
YEAR_RANGE = re.compile(r"^(19|20)\d\d\s?-\s?(19|20)\d\d$")
ID_KEY = "id"  # an entry's identifier; the same key is also Indonesian's language code in a text
NOT_TEXT_KEYS = {"source", "address_source", "reviewed", "as_of", "kind", "lat", "lon"}


def norm_number(s: str) -> str:
    digits = re.sub(r"\D", "", s)
    if digits.startswith("00"):
        return digits[2:]
    if digits.startswith("0"):
        return "62" + digits[1:]
    return digits


ALLOWED = frozenset(norm_number(n) for n in VERIFIED_NUMBERS + CRISIS_NUMBERS)


def phone_like(text: str) -> Iterator[str]:
    for m in PHONE_IN_TEXT.finditer(text):
        s = m.group(0).strip()
        if sum(c.isdigit() for c in s) >= 6 and not YEAR_RANGE.match(s):
            yield s


# ---- entries: (label, raw dict) for every item the bot may show ---------------------------------------


def _entries(fname: str, raw: dict[str, Any]) -> Iterator[tuple[str, object]]:
    def items(key: str) -> Iterator[tuple[str, object]]:
        for i, e in enumerate(raw.get(key) or []):
            name = e.get("id", f"#{i}") if isinstance(e, dict) else f"#{i}"
            yield f"{key}[{name}]", e

    if fname == "red_flags.yml":
        yield from items("red_flags")
    elif fname == "aid.yml":
        yield "caveat", raw.get("caveat")
        yield "how_to_reach", raw.get("how_to_reach")
        yield from items("services")
    elif fname == "hotlines.yml":
        yield from items("national")
        yield from items("fallback")
        for country, e in (raw.get("countries") or {}).items():
            yield f"countries[{country}]", e
    elif fname == "sentra.yml":
        yield from items("sentra")
        yield "referral", raw.get("referral")
    elif fname == "safe_migration.yml":
        yield from items("topics")
    elif fname in ("faq.yml", "questions.yml"):
        yield from items("faq")
    elif fname == "crisis.yml":
        yield "urgent_home", raw.get("urgent_home")
        yield "abroad", raw.get("abroad")
        yield from items("lines")


def _entry_label(fname: str, raw: object, loc: tuple[int | str, ...]) -> str:
    """Turn a pydantic error location into 'services[debt]'-style entry names."""
    if not loc:
        return "(file)"
    head = loc[0]
    if len(loc) > 1 and isinstance(raw, dict):
        container = raw.get(head)
        key = loc[1]
        if isinstance(container, list) and isinstance(key, int) and key < len(container):
            e = container[key]
            return f"{head}[{e.get('id', f'#{key}') if isinstance(e, dict) else f'#{key}'}]"
        if isinstance(container, dict):
            return f"{head}[{key}]"
    return str(head)


def _strings(node: object, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k in NOT_TEXT_KEYS or (k == ID_KEY and not _other_languages(node)):  # an identifier, not a text
                continue
            yield from _strings(v, f"{path}.{k}" if path else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _strings(v, f"{path}[{i}]")
    elif isinstance(node, str):
        yield path, node


def _other_languages(node: dict[str, object]) -> bool:
    return any(k != ID_KEY and catalog().known(k) for k in node)


def _is_text(node: dict[str, object]) -> bool:
    """A `{lang: text}` mapping (a source and review date may sit beside the languages)."""
    keys = [k for k in node if k not in NOT_TEXT_KEYS]
    cat = catalog()
    return bool(keys) and all(cat.known(k) and isinstance(node[k], str) for k in keys)


def _texts(node: object, path: str = "") -> Iterator[tuple[str, dict[str, object]]]:
    """(where, mapping) for every text in a YAML tree; list items are named by their `id`."""
    if isinstance(node, dict):
        if _is_text(node):
            yield path, node
            return
        for k, v in node.items():
            yield from _texts(v, f"{path}.{k}" if path else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            name = v.get("id") if isinstance(v, dict) and not _is_text(v) else None
            yield from _texts(v, f"{path}[{name if isinstance(name, str) else f'#{i}'}]")


def _yaml_files(directory: Path, flows_dir: Path) -> Iterator[tuple[str, object]]:
    for d, prefix in ((directory, ""), (flows_dir, "flows/")):
        for path in sorted(d.glob("*.yml")):
            if path.name == LANGUAGES_FILE:
                continue
            try:
                yield prefix + path.name, yaml.safe_load(path.read_text(encoding="utf-8"))
            except yaml.YAMLError:
                continue  # reported by the file's own check


def missing_translations(directory: Path, flows_dir: Path = FLOWS_DIR) -> dict[str, list[str]]:
    """For each language of `directory`'s catalog, the texts (content and flows) without it:
    "file: where". A text falls back along the language's chain, so these are warnings unless the
    language is the base or marked complete (then `check_content` reports them as problems)."""
    with use_content_dir(directory):
        cat = catalog()
        out: dict[str, list[str]] = {code: [] for code in cat.codes}
        for fname, raw in _yaml_files(directory, flows_dir):
            for where, text in _texts(raw):
                base = text.get(cat.base)
                for code in cat.codes:
                    if not text.get(code) and not (isinstance(base, str) and base in cat.translations.get(code, {})):
                        out[code].append(f"{fname}: {where}" if where else fname)
    return out


def _translation_problems(directory: Path, flows_dir: Path) -> list[str]:
    cat = catalog(directory)
    return [
        f"{where}: no {code} text ({cat.languages[code].name})"
        for code, missing in missing_translations(directory, flows_dir).items()
        if cat.required(code)
        for where in missing
    ]


def _sources(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("source", "address_source"):
                yield from ([v] if isinstance(v, str) else [s for s in v or [] if isinstance(s, str)])
            else:
                yield from _sources(v)
    elif isinstance(node, list):
        for v in node:
            yield from _sources(v)


def _contacts(node: object) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if "kind" in node and "value" in node:
            yield node
        for v in node.values():
            yield from _contacts(v)
    elif isinstance(node, list):
        for v in node:
            yield from _contacts(v)


def _rule_problems(fname: str, raw: dict[str, Any]) -> Iterator[str]:
    seen: set[str] = set()
    for label, entry in _entries(fname, raw):
        where = f"{fname}: {label}"
        if entry is None:
            yield f"{where}: missing"
            continue
        if isinstance(entry, dict) and "id" in entry:
            if entry["id"] in seen:
                yield f"{where}: duplicate id"
            seen.add(entry["id"])
        for path, text in _strings(entry):
            if len(text) > MAX_MESSAGE_CHARS:
                yield f"{where}: {path} has {len(text)} characters (max {MAX_MESSAGE_CHARS} per chat message)"
            for number in phone_like(text):
                if fname == "sentra.yml" and label.startswith("sentra["):
                    yield f"{where}: {path}: phone number {number!r}: no sentra number is verified"
                elif norm_number(number) not in ALLOWED:
                    yield f"{where}: {path}: phone number {number!r} is not a verified [V] number"
        for c in _contacts(entry):
            if c.get("kind") in ("phone", "whatsapp") and norm_number(str(c["value"])) not in ALLOWED:
                yield f"{where}: contact {c['value']!r} is not a verified [V] number"
        for src in _sources(entry):
            if any(h in src for h in UNVERIFIED_SOURCE_HOSTS):
                yield f"{where}: source {src!r} is a secondary [S] source, not a citation"
            about_bot = isinstance(entry, dict) and entry.get("about_bot")  # only dicts hold sources
            if src.startswith("project:") and not (fname in ("faq.yml", "questions.yml") and about_bot):
                yield f"{where}: 'project:' sources are only for faq entries about the bot itself"
        if fname == "sentra.yml" and isinstance(entry, dict):
            if entry.get("address") and not entry.get("address_source"):
                yield f"{where}: address without address_source (unsourced addresses are not allowed)"
            if any(k in entry for k in ("phone", "telephone", "whatsapp")):
                yield f"{where}: sentra phone numbers are not verified and may not be stored"
        if (
            fname == "hotlines.yml"
            and label.startswith("countries[")
            and isinstance(entry, dict)
            and entry.get("note")
            and not (entry.get("source") and entry.get("reviewed"))
        ):
            yield f"{where}: a country note needs source and reviewed"
    if fname == "red_flags.yml":
        ids = [e.get("id") for e in raw.get("red_flags") or [] if isinstance(e, dict)]
        for missing in sorted(set(RED_FLAG_IDS) - set(ids)):
            yield f"{fname}: red_flags[{missing}]: missing (the 16 ids of design section 4 are required)"


def check_file(path: Path, model: type[BaseModel]) -> list[str]:
    fname = path.name
    if not path.exists():
        return [f"{fname}: file missing"]
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        return [f"{fname}: not valid YAML: {exc}".splitlines()[0]]
    if not isinstance(raw, dict):
        return [f"{fname}: expected a mapping at the top level"]
    problems: list[str] = []
    try:
        model.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            field = ".".join(str(p) for p in loc[2:]) or ".".join(str(p) for p in loc)
            problems.append(f"{fname}: {_entry_label(fname, raw, loc)}: {field}: {err['msg']}")
    problems.extend(_rule_problems(fname, raw))
    return problems


def check_other_file(path: Path) -> list[str]:
    """Files other helpers add to content/ (e.g. canned.yml): no schema here, but the same number, date and
    source rules apply to every entry."""
    fname = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        return [f"{fname}: not valid YAML: {exc}".splitlines()[0]]
    problems: list[str] = []
    entries: list[tuple[str, object]] = []
    if isinstance(raw, dict):
        for key, val in raw.items():
            if isinstance(val, list):
                entries += [(f"{key}[{e.get('id', f'#{i}') if isinstance(e, dict) else f'#{i}'}]", e)
                            for i, e in enumerate(val)]  # fmt: skip
            else:
                entries.append((str(key), val))
    for label, entry in entries:
        where = f"{fname}: {label}"
        for path_, text in _strings(entry):
            for number in phone_like(text):
                if norm_number(number) not in ALLOWED:
                    problems.append(f"{where}: {path_}: phone number {number!r} is not a verified [V] number")
        for src in _sources(entry):
            if not (URL_RE.match(src) or PROJECT_RE.match(src)):
                problems.append(f"{where}: source is not a URL: {src!r}")
        if isinstance(entry, dict) and "reviewed" in entry:
            try:
                _check_date(entry["reviewed"])
            except ValueError as exc:
                problems.append(f"{where}: reviewed: {exc}")
    return problems


def _check_date(value: object) -> None:
    d = value if isinstance(value, date) else date.fromisoformat(str(value))
    if d > date.today():
        raise ValueError(f"date {d.isoformat()} is in the future")


def check_content(directory: Path, flows_dir: Path = FLOWS_DIR, code_root: Path = CODE_ROOT) -> list[str]:
    """All problems in `directory` (empty list = content is fine), texts of `flows_dir` missing a required
    language, and red-flag ids the analyzer, lexicon or flows under `code_root` name that content lacks (or
    content flags no analyzer rule raises)."""
    from bot.console.canned import CannedFile  # the console's canned replies are content too

    try:
        catalog(directory)
    except (ValidationError, yaml.YAMLError) as exc:
        return [f"{LANGUAGES_FILE}: {str(exc).splitlines()[0]}: {exc}".replace("\n", " ")[:300]]
    models: dict[str, type[BaseModel]] = {**FILE_MODELS, "canned.yml": CannedFile}
    problems: list[str] = []
    with use_content_dir(directory):  # texts are checked against this directory's languages
        for fname, model in models.items():
            problems.extend(check_file(directory / fname, model))
        for path in sorted(directory.glob("*.yml")):
            if path.name not in models and path.name != LANGUAGES_FILE:
                problems.extend(check_other_file(path))
        problems.extend(_check_quick_exit(directory))
        problems.extend(_flag_id_problems(directory, code_root))
        if not problems:  # the menus content feeds (red flags, topics) fit a phone's list
            problems.extend(widget_problems(flows_dir))
    problems.extend(p for p in _translation_problems(directory, flows_dir) if p not in problems)
    problems.extend(_check_translation_files(directory))
    return problems


def _flag_id_problems(directory: Path, code_root: Path) -> list[str]:
    path = directory / "red_flags.yml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return []  # reported by check_file
    entries = raw.get("red_flags") if isinstance(raw, dict) else None
    ids = {e["id"] for e in entries or [] if isinstance(e, dict) and isinstance(e.get("id"), str)}
    return flag_id_problems(ids, code_flag_uses(code_root))


def widget_problems(flows_dir: Path = FLOWS_DIR) -> list[str]:
    """Every step's choices, including those a content file feeds (red flags, safe-migration topics),
    checked against the channels' limits in every language (flows/widgets.py). Static menus are also
    checked when flows load; the lists built from content only here, with the content loaded."""
    from flows import widgets
    from flows.registry import CONTRACTS, DYNAMIC_CHOICES
    from flows.schema import FlowError, load_flows, step_titles

    try:
        flows = load_flows(flows_dir, CONTRACTS, set(DYNAMIC_CHOICES))
    except FlowError as exc:
        return [f"flows/{exc}"]
    problems: list[str] = []
    for name, flow in flows.flows.items():
        for sid, step in flow.steps.items():
            src = step.ask.choices_from if step.ask else None
            if src not in DYNAMIC_CHOICES:
                continue
            for lang in catalog().codes:
                choices = DYNAMIC_CHOICES[src](lang)
                others = len(step.buttons) + (len(flows.menus[step.menu]) if step.menu else 0)
                titles = step_titles(step, flows.menus, flows.choice_sets, flows.messages,
                                     dynamic=choices[: widgets.MAX_LIST_ITEMS - others]).get(lang, [])
                long = [c.label.get(lang) for c in choices if len(c.label.get(lang)) > widgets.MAX_LIST_TITLE]
                found = widgets.problems(titles) + [
                    f"list item title {t!r} has {len(t)} characters (at most {widgets.MAX_LIST_TITLE}): "
                    "give it a `short:` title" for t in long if t not in titles
                ]
                problems += [f"flows/{name}.yml: step {sid!r} ({lang}, from {src}): {p}" for p in found]
    return problems


def _check_translation_files(directory: Path) -> list[str]:
    """translations/<code>.yml: the same verified-number rule as every other text."""
    problems = []
    for code, texts in catalog(directory).translations.items():
        for source, text in texts.items():
            for number in phone_like(text):
                if norm_number(number) not in ALLOWED:
                    problems.append(f"translations/{code}.yml: {source[:40]!r}: phone number {number!r} is not a "
                                    "verified [V] number")  # fmt: skip
    return problems


def _check_quick_exit(directory: Path) -> list[str]:
    """The quick-exit words (bot/quick_exit.py) are read at start-up: a broken list must fail here first."""
    from bot.quick_exit import FILE, QuickExitFile

    path = directory / FILE
    if not path.exists():
        return [f"{FILE}: file missing"]
    try:
        QuickExitFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (ValidationError, yaml.YAMLError) as exc:
        return [f"{FILE}: {str(exc).splitlines()[0]}: {exc}".replace("\n", " ")[:300]]
    return []
