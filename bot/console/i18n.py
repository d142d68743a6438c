"""The console's two languages: Indonesian (the default) and English, chosen per browser by a cookie.

A label is written once as a pair: `Bi("Sedang bertugas", "On shift")` in Python (a `str` whose
value is the Indonesian text, so logs and audit reasons stay as they were), `t("…", "…")` in a
template. `pick` turns either into the text of the request's language."""

from __future__ import annotations

from typing import Literal

from fastapi import Request

Lang = Literal["id", "en"]
LANG_COOKIE = "sm_lang"
DEFAULT: Lang = "id"


class Bi(str):
    """Indonesian text (the string itself) with its English twin in `en`."""

    en: str

    def __new__(cls, id_text: str, en: str) -> Bi:
        obj = super().__new__(cls, id_text)
        obj.en = en
        return obj


def pick(text: str, lang: Lang) -> str:
    """The text in `lang`: a `Bi` gives its English twin for "en"; any other string is shown as is."""
    if lang == "en" and isinstance(text, Bi):
        return text.en
    return str(text)


def message(exc: BaseException) -> str:
    """An exception's message with its `Bi` kept (`str(exc)` would drop the English twin)."""
    first = exc.args[0] if exc.args else ""
    return first if isinstance(first, str) else str(first)


def parse(value: str | None) -> Lang:
    return "en" if value == "en" else DEFAULT


def lang_of(request: Request) -> Lang:
    return parse(request.cookies.get(LANG_COOKIE))
