"""Whether a message tells a story rather than asks a question (issue 22).

Real messages from survivors and relatives are often accounts ("Awalnya anak saya sempat kerja di
pabrik...", "Ibu pergi ke Hongkong waktu saya usia 4 tahun"): no question is asked, but their words
(wages, contracts, job adverts) are those of information questions, so the classifier reads them as
`check_offer` or `ask_safe_migration`. A story told by someone about themselves or a relative is a
request for help or a report, not a request for information.
"""

from __future__ import annotations

import re

from nlu.normalize import normalize

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
    r"\b(?:sempat|awalnya|pertama kali|dulu|dahulu|waktu itu|saat itu|pada saat itu|setelah|sesudah|ketika|"
    r"sejak|selama|semasa|sewaktu|ternyata|pernah|tahun lalu|bulan lalu|sudah berangkat|telah berangkat|"
    r"berangkat (?:tahun|bulan|sejak|pada|dari|lewat|melalui)|sepulang|setibanya|sesampainya)\b"
)


def is_story(text: str) -> bool:
    """A message that tells what happened to the writer or someone close, and asks nothing."""
    if len(text) < MIN_CHARS or _QUESTION.search(text.lower()):
        return False
    norm = normalize(text)
    if _QUESTION.search(norm):
        return False
    return bool(_WHO.search(norm) and _STORY.search(norm))
