"""Stories and thanks in real messages, read on any backend's result (issue 22).

Real messages from survivors and relatives are often accounts ("Awalnya anak saya sempat kerja di
pabrik...", "Ibu pergi ke Hongkong waktu saya usia 4 tahun"): no question is asked, but their words
(wages, contracts, job adverts) are those of information questions, so the classifier reads them as
`check_offer` or `ask_safe_migration`. A story told by someone about themselves or a relative is a
request for help or a report, not a request for information.

`apply_readings(result)` works on a Rasa-shaped parse result of either backend, before the safety
net (`nlu.safety.apply_safety`), which still has the last word:
- a story (`is_story`) read as an information question is re-ranked to the higher of `request_help`
  and `report_trafficking` (it takes the information intent's confidence; the ranking is kept);
- a finished story closed by thanks for help already given ("Terima kasih KBRI sudah bantu saya",
  "... kepada Pak Gubernur yang membantu istri saya pulang"), read as an emergency while nothing in
  it signals danger, is `thanks`. Thanks in advance ("terima kasih atas bantuannya", "... yang sudah
  mau membantu") closes many pleas and is not this.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from nlu.base import FALLBACK
from nlu.normalize import normalize
from nlu.safety import EMERGENCY, danger_level, sentences

INFO = frozenset({"check_offer", "ask_safe_migration", "ask_red_flags", "verify_agency", "ask_aid"})
STORY_INTENTS = ("request_help", "report_trafficking")
THANKS = "thanks"
GRATITUDE = re.compile(
    r"\bterima kasih\b(?: \w+){0,12}? (?:(?:yang )?(?:sudah|telah|tlh|udah) (?:(?!mau |akan |bersedia )\w+ )?|yang )"
    r"(?:bantu|membantu|menolong|nolong|memulangkan|menyelamatkan|membebaskan|menjemput|mengevakuasi)\b"
)

MIN_CHARS = 40  # shorter messages are rarely a story
# A question: a question mark, a question word, "mau tanya", or a trailing "... ga?" / "... bisa?".
_QUESTION = re.compile(
    r"\?|\b(?:apa|apakah|bagaimana|gimana|gmn|bisakah|bolehkah|berapa|kapan|dimana|di mana|kemana|ke mana|"
    r"mengapa|kenapa|benarkah|mau tanya|ingin tanya|tanya|cara|caranya|cek|tolong cek|info)\b"
    r"|\b(?:ga|gak|nggak|ngga|enggak|tidak|kah|ya|bisa|boleh)\s*$|^(?:bisa|boleh|kalau|kalo|jika|misal)\b"
)
# Somebody in the story: the writer, a group, a relative or a third person.
_WHO = re.compile(
    r"\b(?:saya|aku|kami|kita|dia|mereka|beliau|ibu|bapak|ayah|mama|papa|anak|istri|suami|adik|kakak|abang|"
    r"saudara|keponakan|ponakan|paman|bibi|korban)\b|\b(?:anak|istri|suami|ibu|adik|kakak|mama|abang)ku\b"
)
# Told as past events: what happened first, since when, what turned out.
_STORY = re.compile(
    # "dulu" as "back then" leads a clause or names who ("dulu saya kerja", "saya dulu"); after a
    # verb it means "first" ("harus bayar 30 juta dulu"), no story
    r"(?:^|\b(?:saya|aku|kami|kita|dia|mereka|ibu|anak|suami|istri|itu|waktu|sejak|yang) )(?:dulu|dahulu)\b"
    r"|\b(?:dulu|dahulu) (?:saya|aku|kami|kita|dia|mereka|waktu|pernah|sempat|kerja|bekerja|berangkat)\b"
    r"|\b(?:sempat|awalnya|pertama kali|waktu itu|saat itu|pada saat itu|setelah|sesudah|ketika|"
    r"sejak|selama|semasa|sewaktu|ternyata|pernah|tahun lalu|bulan lalu|sudah berangkat|telah berangkat|"
    r"berangkat (?:tahun|bulan|sejak|pada|dari|lewat|melalui)|sepulang|setibanya|sesampainya)\b"
)


# A plan told as a statement is a question in all but form: "Saya sudah pernah kerja di Taiwan dan ingin
# berangkat lagi ke Jepang lewat jalur resmi".
_PLAN = re.compile(
    r"\b(?:ingin|mau|akan|berencana|rencana|pengen|pengin|kepingin)(?: \w+)? (?:kerja|bekerja|berangkat|daftar|mendaftar|"
    r"melamar|ke luar negeri)\b"
)


def is_story(text: str) -> bool:
    """A message that tells what happened to the writer or someone close, and asks nothing."""
    if len(text) < MIN_CHARS or _QUESTION.search(text.lower()):
        return False
    norm = normalize(text)
    if _QUESTION.search(norm) or _PLAN.search(norm):
        return False
    return bool(_WHO.search(norm) and _STORY.search(norm))


# A plea or wish to go home still standing: then the thanks opens or closes a plea ("Terima kasih kak yang
# sudah membantu selama ini. Saya ingin pulang, majikan tidak baik."), not a story that is over.
_PLEA = re.compile(
    r"\b(?:tolong|tolongin|mohon|memohon|minta|meminta|selamatkan|jemput|pulangkan|help|(?:ingin|mau|pengen|pengin) "
    r"pulang|bantu (?:saya|aku|kami))\b"
)
_PAST = re.compile(r"\b(?:dulu|dahulu|pernah|waktu itu|saat itu|sempat)\b")


def thanks_for_help_given(text: str) -> bool:
    """A sentence thanks someone for help already given (GRATITUDE), and no plea stands in the others
    (a plea told as past, "sejak dulu saya ingin pulang", does not count)."""
    parts = [normalize(part) for part in sentences(text)]
    if not any(GRATITUDE.search(part) for part in parts):
        return False
    rest = [part for part in parts if not GRATITUDE.search(part)]
    return not any(_PLEA.search(part) and not _PAST.search(part) for part in rest)


def apply_readings(result: dict[str, Any]) -> dict[str, Any]:
    """A copy of a Rasa-shaped parse result with the story and thanks readings applied (module doc)."""
    text = str(result.get("text") or "")
    ranking = [r for r in result.get("intent_ranking") or [] if r.get("name") != FALLBACK]
    if not ranking:
        return result
    top = ranking[0]["name"]
    if top == EMERGENCY and thanks_for_help_given(text) and danger_level(text) == "none":
        return _on_top(result, THANKS, 1.0)  # a rule's verdict, as the safety net gives emergency 1.0
    intent = (result.get("intent") or {}).get("name")
    if intent in INFO and is_story(text):
        stories = [r for r in ranking if r["name"] in STORY_INTENTS]
        if stories:
            return _on_top(result, stories[0]["name"], float(result["intent"]["confidence"]))
    return result


def _on_top(result: dict[str, Any], name: str, confidence: float) -> dict[str, Any]:
    out = copy.deepcopy(result)
    ranked = [r for r in out.get("intent_ranking") or [] if r.get("name") not in (FALLBACK, name)]
    out["intent"] = {"name": name, "confidence": confidence}
    out["intent_ranking"] = [{"name": name, "confidence": confidence}, *ranked]
    return out
