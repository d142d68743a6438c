"""Speech-recognition slips mended before the words reach the NLU and the offer analyzer: words glued
together ("jadikamboja"), split ("kam boja"), and phonetic spellings of countries ("malaisia"). Only
words of this domain are mended; place names inside Indonesia already get the gazetteer's own
fuzzy match (bot/knowledge/places.py)."""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process

from bot.knowledge.content import Content, fold, load_content

# Words a transcript must get right; Whisper's prompt (whisper.py) names them too.
DOMAIN = (
    "paspor", "majikan", "agen", "sponsor", "calo", "sentra", "kemensos", "bp3mi", "kp2mi", "p3mi",
    "disnaker", "visa", "gaji", "kontrak", "perekrut", "lowongan",
)
# Short words Whisper glues to the next one ("dikamboja", "kemalaysia", "jadikamboja").
_GLUED = ("di", "ke", "dari", "jadi", "kerja", "ikut", "mau", "ada")
_WORD = re.compile(r"\w+", re.U)
_FUZZY_MIN = 87  # a ratio: "malaisia" (87.5) and "kambodja" (93) pass, "pemenang"/"penang" (85.7) not


@lru_cache(maxsize=4)
def _vocabulary(c: Content) -> tuple[dict[str, str], tuple[str, ...]]:
    """(every known word, and its form without spaces -> how it is written), and the country words for
    fuzzy matching."""
    known: dict[str, str] = {w: w for w in DOMAIN}
    countries: list[str] = []
    for name, entry in c.hotlines.countries.items():
        for alias in sorted({name, *entry.aliases}):
            key = fold(alias)
            squashed = key.replace(" ", "")
            if len(squashed) >= 5:
                if squashed not in known or " " not in key:  # "hongkong" stays; "arabsaudi" is "arab saudi"
                    known[squashed] = key
                known[key] = key  # "hong kong" written apart is already right
                if " " not in key:
                    countries.append(key)
    return known, tuple(sorted(set(countries)))


def _mend(word: str, known: dict[str, str], countries: tuple[str, ...]) -> str | None:
    if word in known:  # "arabsaudi" -> "arab saudi"
        return known[word] if known[word] != word else None
    if len(word) < 5:
        return None
    for prefix in _GLUED:
        rest = word[len(prefix):]
        if not word.startswith(prefix) or len(rest) < 5:
            continue
        # Countries only: "digaji" is a word ("is paid"), "dikamboja" is two.
        country = known[rest] if rest in known and rest not in DOMAIN else _sounds_like(rest, countries)
        if country is not None:
            return f"{prefix} {country}"
    return _sounds_like(word, countries)


def _sounds_like(word: str, countries: tuple[str, ...]) -> str | None:
    # A phonetic spelling keeps its first sound: "pemenang" is not "penang".
    same_start = tuple(w for w in countries if w[0] == word[0])
    hit = process.extractOne(word, same_start, scorer=fuzz.ratio, score_cutoff=_FUZZY_MIN)
    return str(hit[0]) if hit else None


def respell(text: str) -> str:
    known, countries = _vocabulary(load_content())  # the content of this turn's SAHABAT_CONTENT_DIR
    words = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text)]
    out: list[str] = []
    pos, i = 0, 0
    while i < len(words):
        start, end, word = words[i]
        if i + 1 < len(words) and word not in known and words[i + 1][2] not in known:
            joined = word + words[i + 1][2]  # "kam boja", "ma laysia"
            spaced = f"{word} {words[i + 1][2]}"
            if joined in known and spaced not in known and text[end : words[i + 1][0]].isspace():
                out += [text[pos:start], known[joined]]
                pos, i = words[i + 1][1], i + 2
                continue
        mended = _mend(word, known, countries)
        if mended is not None:
            out += [text[pos:start], mended]
            pos = end
        i += 1
    out.append(text[pos:])
    return "".join(out)
