"""Turn a person's reply into a slot value for the question that is pending."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from bot.knowledge.places import find_place_in_text
from flows.runtime import Turn
from flows.schema import Ask, Choice

_YES = set(
    "ya iya iyaa iyah y yes yup yep yeah ok oke okay baik boleh setuju betul benar bener sure agree mau lanjut sip 1".split()
)
_NO = set("tidak tdk gak ga gk nggak enggak engga ndak no n nope bukan jangan belum blm tolak 2".split()) | {
    "tidak mau",
    "gak mau",
    "ga mau",
}
_NUMBERS = re.compile(r"\d+")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text.lower())).strip()


_UNKNOWN = re.compile(
    r"\b(tidak|gak|ga|gk|nggak|enggak|belum|kurang)\s+(tahu|tau|yakin|jelas|paham)\b|"
    r"\b(don'?t|do not|not)\s+(know|sure)\b|\bentah\b|\bmungkin\b|\bmaybe\b"
)


def yes_no(turn: Turn) -> bool | str | None:
    """True, False, "unknown" (the person does not know), or None (not an answer)."""
    if turn.value == "unknown" or _UNKNOWN.search(turn.text.lower()):
        return "unknown"
    if turn.intent == "affirm" and (turn.from_button or turn.confidence >= 0.5):
        return True
    if turn.intent == "deny" and (turn.from_button or turn.confidence >= 0.5):
        return False
    t = _norm(turn.text)
    if t in _YES or t.split(" ")[0] in _YES - {"1", "mau"}:
        return True
    if t in _NO or t.split(" ")[0] in _NO - {"2"}:
        return False
    return None


# Indonesian clitics and particles a typed answer may carry ("hutangnya", "pulanglah").
_SUFFIX = r"(?:nya|ku|mu|lah|kah|pun)?"


@lru_cache(maxsize=4096)
def _name_pattern(name: str) -> tuple[str, re.Pattern[str] | None, bool]:
    """(normalised name, whole-word pattern, typo window allowed) for a choice name: built once, as
    every typed answer is checked against every choice's names."""
    stem = name.endswith("*")
    n = _norm(name.rstrip("*"))
    if not n:
        return n, None, False
    tail = r"\w*" if stem else _SUFFIX
    return n, re.compile(rf"(?<!\w){re.escape(n)}{tail}(?!\w)"), not stem and len(n) >= 5


def name_matches(name: str, text: str) -> bool:
    """Whether a choice's name or keyword occurs in `text` (both normalised) as whole words: "daftar"
    is not in "pendaftaran". A keyword ending in "*" is a declared stem ("obat*": obatnya, obat-obatan).
    Names of five letters or more also match a word window with a small typo ("kesehtan")."""
    n, pattern, fuzzy = _name_pattern(name)
    if pattern is None:
        return False
    if pattern.search(text):
        return True
    if not fuzzy:
        return False
    width = len(n.split())
    words = text.split()
    return any(
        fuzz.ratio(n, " ".join(words[i : i + width])) >= 88 for i in range(max(len(words) - width + 1, 0))
    )


def _match_choice(text: str, choices: list[Choice], shown: int | None = None) -> list[Choice]:
    """The choices a typed answer names: by number (counting the `shown` first ones, as listed), by
    title or by keyword."""
    t = _norm(text)
    if not t:
        return []
    nums = [int(n) for n in _NUMBERS.findall(t)]
    listed = len(choices) if shown is None else min(shown, len(choices))
    if nums and all(1 <= n <= listed for n in nums) and len(t.replace(" ", "")) <= 3 * len(nums) + 4:
        return [choices[n - 1] for n in dict.fromkeys(nums)]
    found: list[Choice] = []
    for c in choices:
        names = [
            c.value.replace("_", " "),
            *(x.lower() for x in c.title.texts().values()),
            *(x.lower() for x in (c.short.texts().values() if c.short else [])),
            *c.keywords,
        ]
        if any(name_matches(name, t) for name in names):
            found.append(c)
    return found


def consume(ask: Ask, turn: Turn, choices: list[Choice], shown: int | None = None) -> tuple[bool, Any]:
    """(understood, value) for the pending question (`choices` in the order listed, `shown` of them)."""
    if ask.expect == "yes_no":
        v = yes_no(turn)
        return v is not None, v
    if ask.expect in ("choice", "multi_choice"):
        if turn.value is not None:
            vals = [c.value for c in choices if c.value == turn.value]
            if vals:
                return True, vals if ask.expect == "multi_choice" else vals[0]
        hits = _match_choice(turn.text, choices, shown)
        if not hits:
            return False, None
        return True, [c.value for c in hits] if ask.expect == "multi_choice" else hits[0].value
    if ask.expect == "location":
        if turn.location is not None:
            return True, {"lat": turn.location.lat, "lon": turn.location.lon}
        text = turn.text.strip()
        return (True, {"text": text}) if text else (False, None)
    text = turn.text.strip()
    return (True, text) if text else (False, None)


def choice_payload(value: str) -> str:
    return f'/choose{{"value": "{value}"}}'


_CORRECTION = re.compile(
    r"^\s*(bukan|salah|eh|maaf|koreksi|ralat|maksud\s*(saya|sy|aku|nya)|no|sorry|i mean|correction)\b[\s,.!:-]*",
    re.I,
)
_PLACE_AFTER = re.compile(r"\b(?:di|dari|in|at|from|ke)\s+(?P<place>[\w .'-]{2,60})$", re.I)


def correction_place(turn: Turn) -> str | None:
    """The place in a correction such as "bukan, saya di Bima" / "no, I'm in Kupang", else None."""
    if turn.from_button:
        return None
    m = _CORRECTION.match(turn.text)
    if not m:
        return None
    rest = turn.text[m.end() :].strip()
    if turn.entity("location") and find_place_in_text(rest) is not None:
        return rest  # the whole phrase: "kec. tanjung bumi bangkalan", not only the regency entity
    located = turn.entity("location") or turn.entity("country")
    if located:
        return located
    m2 = _PLACE_AFTER.search(rest)
    return m2.group("place").strip(" .!") if m2 else None
