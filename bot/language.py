"""The languages the bot speaks, as data: the single place that knows them.

content/languages.yml lists each language (its name, the words that ask for it, its greeting) and its
fallback chain; the `base` language answers whatever is not translated. `Text` is one message as a
mapping language -> string (`{id: ..., en: ...}` in YAML), and `pick` does the same for mappings written
in Python; both fall back along the chain. content/translations/<code>.yml translates texts that live in
Python by their base-language wording. So a language is added by editing content/ (and flows/*.yml) only. Which catalog: the content directory in force (SAHABAT_CONTENT_DIR, bot/knowledge/directory.py).

`detect_language` guesses Indonesian or English from common words (chat spellings included). Short
messages carry little signal, so the guess is `None` unless one side clearly wins; the conversation
then keeps its current language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, ClassVar, TypeGuard, TypeVar, cast

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.knowledge.directory import CONTENT_DIR, content_dir

FILE = "languages.yml"
TRANSLATIONS = "translations"  # translations/<code>.yml beside it
CODE_RE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")  # id, en, ms, pt-br
T = TypeVar("T")


class Language(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(min_length=1)
    # Where a missing text is looked up next, in order; the base language always comes last.
    fallback: tuple[str, ...] = ()
    # Words in a message that ask for this language ("ganti ke bahasa inggris").
    words: tuple[str, ...] = ()
    # What the terminal chat (`sahabat chat --lang`) sends first.
    greeting: str = Field(min_length=1)
    # Every text must have it: `sahabat content check` fails on a missing one. Leave it out while a
    # translation is in progress; its missing texts are then warnings and fall back along the chain.
    complete: bool = False


class Catalog(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    base: str
    languages: dict[str, Language]
    # translations/<code>.yml: texts written in Python (or anywhere) translated by their base-language
    # wording, gettext-style, so a language needs no Python change; a text's own `code:` key wins.
    translations: dict[str, dict[str, str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> Catalog:
        if self.base not in self.languages:
            raise ValueError(f"base language {self.base!r} is not listed")
        for code, lang in self.languages.items():
            if not CODE_RE.match(code):
                raise ValueError(f"language code {code!r} is not like 'id', 'en' or 'pt-br'")
            for other in lang.fallback:
                if other not in self.languages:
                    raise ValueError(f"{code}: fallback {other!r} is not listed")
        for code in self.translations:
            if code not in self.languages:
                raise ValueError(f"translations/{code}.yml: {code!r} is not listed")
        return self

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.languages)

    def required(self, lang: str) -> bool:
        """Whether a text missing in `lang` is an error (the base and complete languages) or a warning."""
        return lang == self.base or self.languages[lang].complete

    def known(self, lang: object) -> TypeGuard[str]:
        return isinstance(lang, str) and lang in self.languages

    @cached_property
    def _chains(self) -> dict[str, tuple[str, ...]]:  # asked on every text lookup
        return {
            code: tuple(dict.fromkeys((code, *lang.fallback, self.base))) for code, lang in self.languages.items()
        }

    def chain(self, lang: str | None) -> tuple[str, ...]:
        """Where a text for `lang` is looked up, in order; an unknown language reads the base."""
        return self._chains.get(lang, (self.base,)) if lang is not None else (self.base,)

    def language(self, lang: str | None) -> Language:
        """`lang`'s entry, or the base's for a language not listed."""
        return self.languages[self.chain(lang)[0]]

    def pick(self, texts: Mapping[str, T], lang: str | None) -> T:
        base = texts.get(self.base)
        for code in self.chain(lang):
            if code in texts:
                return texts[code]
            if isinstance(base, str) and code in self.translations:
                found = self.translations[code].get(base)
                if found is not None:
                    return cast(T, found)  # T is str: the base text is one
        raise KeyError(f"no text for {lang!r} nor its fallback {self.chain(lang)}")

    def toggle(self, lang: str) -> str:
        """"Other language, please" with no language named: the base's first companion from the base,
        the base from any other."""
        if lang != self.base:
            return self.base
        return next((c for c in self.languages if c != self.base), self.base)

    def named_in(self, text: str) -> str | None:
        """The language a message asks for by one of its words. Base last: a request that names two
        languages usually names the current one (most often the base) too."""
        low = text.lower()
        for code in reversed(self.codes):  # whole words: "english" is not in "englishman"
            words = self.languages[code].words
            if any(re.search(rf"(?<!\w){re.escape(w.lower())}(?:nya)?(?!\w)", low) for w in words):
                return code
        return None


@lru_cache(maxsize=16)
def _load(path: Path) -> Catalog:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(raw, dict):
        raw["translations"] = {
            t.stem: yaml.safe_load(t.read_text(encoding="utf-8")) or {}
            for t in sorted((path.parent / TRANSLATIONS).glob("*.yml"))
        }
    return Catalog.model_validate(raw)


def catalog(directory: Path | None = None) -> Catalog:
    """The catalog of `directory`, else of the content directory in force; a directory without its
    own languages.yml speaks the repository's languages."""
    return _catalog_of(directory or content_dir())


@lru_cache(maxsize=16)
def _catalog_of(directory: Path) -> Catalog:  # texts ask for it on every lookup: no file access then
    path = directory / FILE
    return _load(path if path.exists() else CONTENT_DIR / FILE)


def pick(texts: Mapping[str, T], lang: str | None) -> T:
    """`texts[lang]`, else the next language of its fallback chain that has one."""
    if lang in texts:  # the usual case, and the first of its chain
        return texts[lang]  # type: ignore[index]  # `lang in texts` rules out None
    return catalog().pick(texts, lang)


class Text(BaseModel):
    """One message as a mapping language -> string: `Text(id="Halo", en="Hello")` or `{id: ..., en: ...}`
    in YAML. Every language must be in the catalog and the base one present; others may be missing
    (`sahabat content check` lists them) and then fall back along the chain."""

    model_config = ConfigDict(extra="allow", frozen=True)
    min_chars: ClassVar[int] = 1
    max_chars: ClassVar[int | None] = None

    @model_validator(mode="before")
    @classmethod
    def _languages(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise ValueError("expected a mapping language -> text, e.g. {id: ..., en: ...}")
        cat = catalog()
        texts = {k: v for k, v in data.items() if k not in cls.model_fields}
        unknown = sorted(str(k) for k in texts if k not in cat.languages)
        if unknown:
            raise ValueError(f"unknown language {', '.join(unknown)} (languages.yml lists {', '.join(cat.codes)})")
        if cat.base not in texts:
            raise ValueError(f"no text in the base language {cat.base!r}")
        for k, v in texts.items():
            if not isinstance(v, str):
                raise ValueError(f"{k}: expected a string")
            if len(v) < cls.min_chars:
                raise ValueError(f"{k}: should have at least {cls.min_chars} character")
            if cls.max_chars is not None and len(v) > cls.max_chars:
                raise ValueError(f"{k}: should have at most {cls.max_chars} characters")
        return data

    def __init__(self, **texts: str) -> None:  # Text(id=..., en=...): the languages are extras
        super().__init__(**texts)

    def __hash__(self) -> int:  # pydantic's hashes declared fields only, and the languages are extras
        return hash(tuple(sorted((self.__pydantic_extra__ or {}).items())))

    def texts(self) -> dict[str, str]:
        """The translations written, by language."""
        return dict(self.__pydantic_extra__ or {})

    def get(self, lang: str | None = None) -> str:
        """The text in `lang`, else along its fallback chain (None: the base language)."""
        texts: dict[str, str] = self.__pydantic_extra__ or {}
        if lang in texts:  # the usual case, and the first of its chain: no catalog needed
            return texts[lang]
        return catalog().pick(texts, lang)


_WORD = re.compile(r"[a-zA-Z']+")

_EN = frozenset(
    """
    the a an is are am was were be been i i'm im me my mine you your yours he she it we they them this
    that these those what whats what's how why when where who which can could would should will do does
    did don't dont not no yes yeah please thanks thank hello hey good morning evening night help want
    need have has had get got job jobs work working worker offer agent agency company salary pay paid
    money fee fees visa passport contract employer boss home country go going back there here and or but
    with without from for to of in on at about by if than then just only also very really english speak
    talk person human someone somebody anyone bot robot real am is safe legal scam fake check tell show
    give send know understand sorry bye goodbye nearest office locked beaten
    """.split()
)

_ID = frozenset(
    """
    saya sy aku aq gw gue gua kamu anda km lu lo dia kami kita mereka ini itu yg yang dan atau tapi
    dengan tanpa dari untuk utk buat ke di pada dalam tentang oleh kalau kalo klo jika maka juga sangat
    banget bgt sekali cuma hanya apa apakah bagaimana gimana gmn gmna kenapa knp mengapa kapan dimana
    mana siapa berapa brp bisa bs dapat dpt mau mo ingin pengen pingin harus perlu tolong tlg mohon
    terima kasih makasih trims halo hai selamat pagi siang sore malam ya iya iyaa tidak tdk gak ga gk
    nggak enggak engga bukan belum blm sudah sdh udah udh sedang lagi lg kerja krj bekerja pekerjaan
    kerjaan gaji biaya bayar uang duit agen calo perusahaan pt paspor visa kontrak majikan pulang rumah
    negara luar negeri sana sini bantuan bantu tolongin orang manusia petugas bahasa indonesia dong deh
    sih nih kok kah lah nya aja saja juga jg mas mbak pak bu bapak ibu kak
    """.split()
)

# Words both languages share carry no signal.
_SHARED = _EN & _ID


DETECTED = ("id", "en")  # what `detect_language` can tell apart


def detect_language(text: str) -> str | None:
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return None
    en = sum(1 for w in words if w in _EN and w not in _SHARED)
    idn = sum(1 for w in words if w in _ID and w not in _SHARED)
    if en > idn and en >= 1 and en >= 0.3 * len(words):
        return "en"
    if idn > en and idn >= 1:
        return "id"
    return None
