"""Self-harm and suicide cues: messages that speak of ending one's own life reach `self_harm`.

Runs before the danger net of nlu.safety (see `apply_safety`): "mau bunuh diri" contains "mau bunuh",
which would otherwise read as a threat from others and get the trafficking/emergency template.
A threat *from others* ("mau dibunuh majikan", "they will kill me") has no self-harm cue and stays
`emergency`.

Patterns run on normalised text (nlu.normalize): "sy capek hidup, pgn mati aja" arrives here as
"saya capek hidup pengin mati saja". Policy: safety over cleverness. A message about someone else's
suicide ("teman saya mau bunuh diri") or a question about it gets the same calm reply with the crisis
contacts; only everyday uses of "mati" (a phone battery, a power cut, "mati gaya") are left out.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from nlu.base import FALLBACK
from nlu.normalize import normalize

SELF_HARM = "self_harm"

_WANT = r"(?:ingin|pengin|kepengin|mau|pengen|pingin|rasanya|rasa|lebih baik|mending|mendingan|biar|biarlah)"
_CUES = [
    # suicide named
    r"\bbunuh diri\b|\bbundir\b|\bmembunuh diri\b|\bngebunuh diri\b|\bbunuh dri\b",
    r"\b(?:mengakhiri|akhiri|mengakhirin|ngakhirin|menyudahi|nyudahin|udahin|sudahi) (?:hidup|nyawa)\w*",
    r"\bgantung diri\b|\bminum racun\b|\bminum (?:obat )?(?:serangga|nyamuk|baygon|pestisida)\b",
    r"\b(?:loncat|lompat|terjun|menjatuhkan diri) dari (?:lantai|gedung|jembatan|atap|tebing|balkon|apartemen)",
    r"\bmenabrakkan diri\b|\bmenenggelamkan diri\b",
    # wishing to die / not to live
    rf"\b{_WANT} (?:\w+ ){{0,2}}mati\b",
    r"\b(?:saya|aku|gue|gua) (?:mati saja|mati aja)\b|\bmati saja (?:saya|aku)\b",
    r"\b(?:capek|cape|lelah|bosan|muak|letih) (?:\w+ )?(?:hidup|dengan hidup)\b",
    r"\btidak (?:ingin|mau|pengin|sanggup|kuat|bisa) (?:\w+ )?hidup (?:lagi|lama)\b",
    r"\btidak (?:sanggup|kuat|ingin|mau|pengin) hidup\b",
    r"\b(?:tidak ada|tiada) (?:gunanya|artinya|alasan|alasan untuk|harapan untuk) (?:\w+ )?hidup\b",
    r"\bhidup (?:saya |aku )?(?:tidak ada|tidak|tak) (?:artinya|berarti|berguna|gunanya)\b",
    r"\b(?:menghilang|hilang|pergi) (?:saja |aja )?(?:selamanya|dari dunia)\b",
    r"\bmenyusul (?:almarhum|almarhumah|alm|ibu|bapak|ayah|mama|papa|suami|istri|anak)\w*",
    # self-injury
    r"\b(?:menyakiti|melukai|nyakitin|ngelukain|menyayat|nyayat|sayat|silet) (?:diri|tangan|nadi|pergelangan)\w*",
    r"\bpotong nadi\b|\biris nadi\b",
    # English
    r"\bkill(?:ing)? (?:myself|my self|meself)\b|\bsuicid\w*|\bself ?harm\w*",
    r"\bend (?:my|it) (?:life|all)\b|\bend it all\b|\btake my (?:own )?life\b",
    r"\b(?:want|wanna|going|ready|wish) (?:to )?die\b|\bwish i (?:was|were) dead\b|\bbetter off dead\b",
    r"\b(?:don'?t|do not|dont) want to (?:live|be alive|exist)\b|\bno reason to live\b",
    r"\b(?:hurt|harm|cut|cutting) myself\b|\btired of (?:living|life)\b|\bcan'?t go on\b",
]
_CUE_RE = re.compile("|".join(f"(?:{p})" for p in _CUES))
# "mati" that is not about dying: a phone or power going off, idioms.
_NOT_DYING = re.compile(
    r"\b(?:hp|handphone|ponsel|telepon|baterai|batre|batere|batrai|lampu|listrik|mesin|motor|mobil|wifi|"
    r"internet|sinyal|laptop|tv|kipas|ac|data|kuota)\b(?: \w+){0,3} (?:mau |akan |sudah |hampir )?mati\b"
    r"|\bmati (?:lampu|listrik|gaya|kutu|angin|rasa)\b|\bmau mati (?:kelaparan|kedinginan|kepanasan)\b"
)

_NAMED = re.compile(r"\bbunuh diri\b|\bbundir\b")


def is_self_harm(text: str) -> bool:
    """True when the raw message speaks of suicide, wanting to die, or hurting oneself."""
    norm = normalize(text)
    if not norm:
        return False
    m = _CUE_RE.search(norm)
    if m is None:
        return False
    # "hp mau mati": a phone, unless suicide is named as well
    return not ("mati" in m.group(0) and _NOT_DYING.search(norm) and not _NAMED.search(norm))


def apply_crisis(result: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """(result, decided): `self_harm` forced where a cue is found or a fallback's best guess is
    `self_harm` (decided: the danger net must not override it); the classifier's `self_harm` taken back
    where "mati" is about a phone or the power. The input is copied, never changed.

    The classifier's own `self_harm` without a cue is not decided: danger words from others
    ("mau dibunuh majikan") still make it `emergency`."""
    text = str(result.get("text") or "")
    intent = (result.get("intent") or {}).get("name")
    ranking = [r for r in result.get("intent_ranking") or [] if r.get("name") != FALLBACK]
    cue = is_self_harm(text)
    not_dying = not cue and _NOT_DYING.search(normalize(text)) is not None
    if intent == SELF_HARM and not_dying:
        return _demote(result, ranking), False  # "hp saya mau mati": the phone, not the person
    rescue = intent == FALLBACK and bool(ranking) and ranking[0]["name"] == SELF_HARM and not not_dying
    if not (cue or rescue):
        return result, False
    out = copy.deepcopy(result)
    model_conf = next((float(r["confidence"]) for r in ranking if r["name"] == SELF_HARM), 0.0)
    confidence = 1.0 if cue else model_conf
    out["intent"] = {"name": SELF_HARM, "confidence": confidence}
    out["intent_ranking"] = [{"name": SELF_HARM, "confidence": confidence}] + [
        r for r in ranking if r["name"] != SELF_HARM
    ]
    return out, True


def _demote(result: dict[str, Any], ranking: list[dict[str, Any]]) -> dict[str, Any]:
    """The classifier's `self_harm` taken back: a fallback, the rest of the ranking kept."""
    out = copy.deepcopy(result)
    rest = [r for r in ranking if r["name"] != SELF_HARM]
    top = float(rest[0]["confidence"]) if rest else 0.0
    out["intent"] = {"name": FALLBACK, "confidence": top}  # the classifier's first choice was wrong
    out["intent_ranking"] = rest
    return out
