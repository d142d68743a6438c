"""Direct answers to questions the bot used to miss (issue 20): the official numbers for a country,
the safe-migration topic a question is about ("umur 17 bs daftar?"), and an agency not found in
SISKOP2MI. Facts come from content/ (hotlines.yml, safe_migration.yml, questions.yml)."""

from __future__ import annotations

import re

from bot.knowledge.content import fold, load_file
from bot.knowledge.models import FaqEntry, FaqFile
from bot.language import pick
from flows.actions import action
from flows.runtime import ActionContext
from flows.schema import Text
from flows.texts import (
    INDONESIA,
    _line,
    content,
    fallback_hotlines,
    find_country,
    mission_lines,
    national_lines,
    resolve_place,
    sourced,
)

_NOTE = {
    "id": "Nomor bisa berubah; cek juga situs atau akun resmi perwakilan.",
    "en": "Numbers change; also check the mission's official site or account.",
}
_HEAD = {"id": "📞 Perwakilan RI untuk {country}:", "en": "📞 Indonesian mission for {country}:"}
_NATIONAL_NOTE = {
    "id": "Nomor bisa berubah; cek juga situs atau akun resmi layanan tersebut.",
    "en": "Numbers change; also check the service's official site or account.",
}
_NATIONAL_HEAD = {"id": "📞 Layanan resmi di Indonesia:", "en": "📞 Official services in Indonesia:"}
# A national service named in the question: answer with the national lines, no country needed.
_NATIONAL = re.compile(
    r"\b(kp2mi|bp2mi|bnp2tki|polisi|polri|110|kemensos|171|sapa|129|lpsk|148|pengaduan|aduan)\b"
)


def question_answers() -> dict[str, FaqEntry]:
    return {f.id: f for f in load_file("questions.yml", FaqFile).faq}  # the file is cached per directory


def country_numbers(lang: str, country: str) -> str:
    """The mission numbers for `country` (Safe Travel and the Kemlu line where none is verified)."""
    hs = content().hotlines_for(country)
    if not hs.missions:
        hs = hs.model_copy(update={"fallback": fallback_hotlines()})
    head = pick(_HEAD, lang).replace("{country}", hs.country or country)
    return "\n".join([head, *mission_lines(hs, lang), pick(_NOTE, lang)])


def _answer(ctx: ActionContext, country: str | None) -> bool:
    if country and country != INDONESIA:
        ctx.memory.country = country
        ctx.say(country_numbers(ctx.lang, country))
        return True
    if country == INDONESIA or _NATIONAL.search(fold(ctx.turn.text)):
        ctx.say(
            "\n".join(
                [pick(_NATIONAL_HEAD, ctx.lang), *national_lines(ctx.lang), pick(_NATIONAL_NOTE, ctx.lang)]
            )
        )
        return True
    return False


@action("hotline_answer", reads=("country",), writes=("country",))
def hotline_answer(ctx: ActionContext) -> None:
    """'nomor kbri malaysia' -> the numbers at once; 'nomor KBRI berapa?' -> the country asked first
    (unless the conversation already knows it)."""
    country = find_country(ctx.turn.text, ctx.turn.entities)
    if _answer(ctx, country or ctx.memory.country):
        ctx.end = True


@action("hotline_for_where", writes=("country",))
def hotline_for_where(ctx: ActionContext) -> None:
    where = ctx.slots.get("where") or {}
    resolved = resolve_place(where) or {}
    country = resolved.get("country") or find_country(str(where.get("text") or ""))
    if not _answer(ctx, country):
        ctx.say(
            Text(
                id="Maaf, saya tidak mengenali negara itu. Ini nomor yang berlaku di mana saja:",
                en="Sorry, I don't recognise that country. These numbers work anywhere:",
            )
        )
        fallback = [
            _line(h.name.get(ctx.lang), list(h.contacts), h.as_of, ctx.lang) for h in fallback_hotlines()
        ]
        ctx.say("\n".join([*fallback, pick(_NOTE, ctx.lang)]))


# -- safe migration: the topic a question is about --------------------------------------------

_TOPICS = [
    ("minimum_age", r"\b(umur|umurnya|usia|usianya|age|years? old|(baru|masih|i a?m) \d{1,2})\b"),
    ("no_fees", r"\b(biaya|bayar|ongkos|fee|fees|cost|costs|pay)\b"),
    ("documents", r"\b(dokumen|dokumennya|document|documents|paperwork|syarat2?|persyaratan|persyaratannya|"
                  r"syaratnya|requirements?|kontrak|contract|perjanjian kerja)\b"),
    ("work_visa", r"\b(visa)\b"),
    ("ltsa_services", r"\b(ltsa)\b"),
    ("check_agency", r"\b(p3mi|siskop2mi|agen resmi|cek agen|cek pt)\b"),
    ("report_abroad", r"\b(lapor diri)\b"),
]
_AGE = re.compile(
    r"\b(?:umur|usia|age|aged|i am|i'm|saya|sy|aku|baru)\s*(\d{1,2})\b|\b(\d{1,2}) ?(?:th|thn|tahun|years?)\b"
)
_UNDER = Text(
    id="Jadi di usia {age} tahun belum bisa mendaftar sebagai pekerja migran; tunggu sampai 18 tahun.",
    en="So at {age} you cannot register as a migrant worker yet; you need to be 18.",
)


def topic_in_text(text: str) -> str | None:
    t = fold(text)
    for topic, pattern in _TOPICS:
        if re.search(pattern, t) and topic in content().safe_migration:
            return topic
    return None


def under_age(text: str) -> int | None:
    """The age a person gives when it is under 18 ("umur 17 bs daftar?" -> 17)."""
    m = _AGE.search(fold(text))
    if not m:
        return None
    age = int(m.group(1) or m.group(2))
    return age if 10 <= age < 18 else None


def age_note(ctx: ActionContext) -> None:
    age = under_age(ctx.turn.text)
    if age is not None:
        ctx.say(_UNDER.get(ctx.lang).replace("{age}", str(age)))


# -- verify an agency: not found in SISKOP2MI ---------------------------------------------------

_NOT_FOUND = re.compile(
    r"\b(tidak|tdk|gak|gk|ga|nggak|ngga|enggak|engga|belum|blm|ndak|not|isn t|isnt|couldn t|cant|can t|cannot)\b"
    r"(?: \w+){0,3} (ada|terdaftar|ketemu|muncul|ditemukan|nemu|tercantum|found|listed|registered|find|there)\b"
)
_REGISTRY = re.compile(
    r"\b(siskop2mi|siskop|sisko|daftar|website|situs|web|bp2mi|kp2mi|list|listed|registered|resmi)\b"
)


def agency_not_found(text: str) -> bool:
    t = fold(text)
    return bool(_NOT_FOUND.search(t) and _REGISTRY.search(t))


def say_agency_not_found(ctx: ActionContext) -> None:
    f = question_answers()["agency_not_found"]
    ctx.say(sourced(f.answer.get(ctx.lang), list(f.source), f.reviewed, ctx.lang))
