"""Turn a person's reply into a slot value for the question that is pending."""

from __future__ import annotations

import re
from typing import Any

from rapidfuzz import fuzz

from flows.runtime import Turn
from flows.schema import Ask, Choice

_YES = {
    "ya",
    "iya",
    "iyaa",
    "y",
    "yes",
    "yup",
    "yep",
    "ok",
    "oke",
    "okay",
    "baik",
    "boleh",
    "setuju",
    "betul",
    "benar",
    "bener",
    "sure",
    "agree",
    "mau",
    "lanjut",
    "1",
}
_NO = {
    "tidak",
    "tdk",
    "gak",
    "ga",
    "gk",
    "nggak",
    "enggak",
    "engga",
    "no",
    "n",
    "nope",
    "bukan",
    "jangan",
    "tidak mau",
    "gak mau",
    "ga mau",
    "tolak",
    "2",
}
_NUMBERS = re.compile(r"\d+")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text.lower())).strip()


def yes_no(turn: Turn) -> bool | None:
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


def _match_choice(text: str, choices: list[Choice]) -> list[Choice]:
    t = _norm(text)
    if not t:
        return []
    nums = [int(n) for n in _NUMBERS.findall(t)]
    if nums and all(1 <= n <= len(choices) for n in nums) and len(t.replace(" ", "")) <= 3 * len(nums) + 4:
        return [choices[n - 1] for n in dict.fromkeys(nums)]
    found: list[Choice] = []
    words = set(t.split())
    for c in choices:
        names = [c.value.replace("_", " "), c.title.id.lower(), c.title.en.lower(), *c.keywords]
        for name in names:
            n = _norm(name)
            if not n:
                continue
            hit = (
                n in words
                if " " not in n and len(n) <= 4
                else (n in t or fuzz.partial_ratio(n, t) >= 88 if len(n) >= 5 else False)
            )
            if hit:
                found.append(c)
                break
    return found


def consume(ask: Ask, turn: Turn) -> tuple[bool, Any]:
    """(understood, value) for the pending question."""
    if ask.expect == "yes_no":
        v = yes_no(turn)
        return v is not None, v
    if ask.expect in ("choice", "multi_choice"):
        if turn.value is not None:
            vals = [c.value for c in ask.choices if c.value == turn.value]
            if vals:
                return True, vals if ask.expect == "multi_choice" else vals[0]
        hits = _match_choice(turn.text, ask.choices)
        if not hits:
            return False, None
        return True, [c.value for c in hits] if ask.expect == "multi_choice" else hits[0].value
    if ask.expect in ("location", "place"):
        if turn.location is not None:
            return True, {"lat": turn.location.lat, "lon": turn.location.lon}
        text = turn.text.strip()
        return (True, {"text": text}) if text else (False, None)
    text = turn.text.strip()
    return (True, text) if text else (False, None)
