"""Render content/ (hotlines, places) into chat text. Facts come from content/, never from here."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from bot.knowledge.content import Content, HotlineSet, fold, load_content
from bot.knowledge.models import Contact, Hotline
from bot.knowledge.places import gazetteer, locate_place
from bot.knowledge.world import nearest_town

INDONESIA = "Indonesia"
_INDONESIA_WORDS = {"indonesia", "indo", "tanah air", "kampung", "rumah"}


def content() -> Content:
    return load_content()  # the turn's content directory (SAHABAT_CONTENT_DIR)


def _country_aliases() -> list[tuple[str, str]]:
    return _aliases_of(content())


@lru_cache(maxsize=8)
def _aliases_of(c: Content) -> list[tuple[str, str]]:
    """(folded alias, canonical name), longest first so "arab saudi" wins over "arab"."""
    pairs = []
    for name, entry in c.hotlines.countries.items():
        for alias in {name, *entry.aliases}:
            key = fold(alias)
            if len(key) >= 3:  # two-letter codes ("my", "hk") are too ambiguous inside sentences
                pairs.append((key, name))
    return sorted(pairs, key=lambda p: -len(p[0]))


def find_country(text: str, entities: list[dict[str, Any]] | None = None) -> str | None:
    """A destination country named in the text (NLU entity first), or "Indonesia", or None."""
    c = content()
    for e in entities or []:
        if e.get("entity") == "country":
            name = c.canonical_country(str(e.get("value")))
            if name:
                return name
            if fold(str(e.get("value"))) in _INDONESIA_WORDS:
                return INDONESIA
    folded = f" {fold(text)} "
    for key, name in _country_aliases():
        if f" {key} " in folded:
            return name
    if re.search(r"\bindonesia\b|\bindo\b", folded):
        return INDONESIA
    return None


def resolve_place(where: Any) -> dict[str, Any] | None:
    """A `location` answer ({"text"} or {"lat","lon"}) -> {place, province, country, lat, lon}."""
    if not isinstance(where, dict):
        return None
    if "lat" in where:
        lat, lon = float(where["lat"]), float(where["lon"])
        near, km = gazetteer().nearest(lat, lon)
        town = nearest_town(lat, lon) if km > 20 else None  # close to an Indonesian place: no lookup
        if town is not None and town.country_code != "ID" and town.distance_km < 300:
            country: str | None = content().canonical_country(town.country) or town.country
            return {"place": town.city, "country": country, "lat": lat, "lon": lon}
        if km > 150:
            return {"lat": lat, "lon": lon}  # at sea, or far from any town
        out = {"place": near.name, "province": near.province, "country": INDONESIA, "lat": lat, "lon": lon}
        if near.regency and near.regency != near.name:
            out["regency"] = near.regency
        return out
    text = str(where.get("text") or "")
    country = find_country(text)
    if country and country != INDONESIA:
        return {"place": country, "country": country}
    p = locate_place(text)
    if p is not None:
        out = {"place": p.name, "province": p.province, "country": INDONESIA, "lat": p.lat, "lon": p.lon}
        if p.regency and p.regency != p.name:  # a district: its regency too ("Tanjungbumi, Kab. Bangkalan")
            out["regency"] = p.regency
        return out
    return {"country": INDONESIA} if country == INDONESIA else None


def place_summary(details: dict[str, Any]) -> str:
    return (
        ", ".join(str(details[k]) for k in ("place", "regency", "province", "country") if details.get(k))
        or "place unknown"
    )


# -- hotlines ---------------------------------------------------------------------------------

_DATE = {"id": "data {as_of}", "en": "as of {as_of}"}


def _contact(c: Contact, lang: str) -> str:
    return f"{c.value} ({c.label.get(lang)})"


def _line(name: str, contacts: list[Contact], as_of: str | None, lang: str) -> str:
    dated = f"; {_DATE[lang if lang == 'en' else 'id'].format(as_of=as_of)}" if as_of else ""
    return f"• {name}: " + ", ".join(_contact(c, lang) for c in contacts) + dated


def mission_lines(hs: HotlineSet, lang: str) -> list[str]:
    lines = [_line(m.name.get(lang), list(m.contacts), m.as_of, lang) for m in hs.missions]
    lines += [_line(h.name.get(lang), list(h.contacts), h.as_of, lang) for h in hs.fallback]
    if hs.note is not None:
        lines.append(f"ℹ️ {hs.note.get(lang)}")
    return lines


_NATIONAL_BRIEF = ("polri", "sapa129", "kp2mi", "kemensos", "lpsk")


def national_lines(lang: str, brief: bool = False) -> list[str]:
    c = content()
    out = []
    for h in c.hotlines.national:
        if brief and h.id not in _NATIONAL_BRIEF:
            continue
        contacts = [x for x in h.contacts if x.kind in ("phone", "whatsapp")][: 2 if brief else None]
        if contacts:
            out.append(_line(h.name.get(lang), contacts, None if brief else h.as_of, lang))
    return out


def fallback_hotlines() -> list[Hotline]:
    return list(content().hotlines.fallback)


def hotline_lines(
    lang: str, country: str | None = None, brief: bool = False, emergency: bool = False
) -> list[str]:
    """National numbers, plus the missions for `country` abroad. In an emergency abroad the Safe Travel
    app and the Kemlu line are always added, even where a mission number is known."""
    head = {"id": "📞 Layanan yang bisa dihubungi:", "en": "📞 Services you can contact:"}[_l(lang)]
    lines = [head]
    if country and country != INDONESIA:
        hs = content().hotlines_for(country)
        if emergency and not hs.fallback:
            hs = hs.model_copy(update={"fallback": fallback_hotlines()})
        lines += mission_lines(hs, lang)
        lines.append({"id": "Di Indonesia:", "en": "In Indonesia:"}[_l(lang)])
    lines += national_lines(lang, brief=True if country and country != INDONESIA else brief)
    lines.append(
        {
            "id": "Nomor bisa berubah; cek juga situs atau akun resmi layanan tersebut.",
            "en": "Numbers can change; also check the service's official site or account.",
        }[_l(lang)]
    )
    return lines


def _l(lang: str) -> str:
    return "en" if lang == "en" else "id"


_SOURCE = {"id": "Sumber", "en": "Source"}
_REVIEWED = {"id": "ditinjau", "en": "reviewed"}


def sourced(text: str, sources: list[str], reviewed: object, lang: str) -> str:
    """A content answer with its first source and review date (every fact is sourced)."""
    return f"{text}\n\n📚 {_SOURCE[_l(lang)]}: {sources[0]} ({_REVIEWED[_l(lang)]} {reviewed})"


def no_local_police(country: str | None) -> bool:
    """Where content advises contacting the Indonesian mission rather than the local police."""
    entry = content().faq.get("local_police_scam_country")
    return bool(country and entry is not None and country in entry.countries)


# -- emergency numbers: short enough to read on a phone in a hurry -----------------------------

_CALLABLE = ("phone", "whatsapp")
_FROM_HOME = {"polri": 1, "kp2mi": 2, "sapa129": 1}  # the national lines a family at home needs first


def _callable_line(name: str, contacts: list[Contact], as_of: str | None, lang: str) -> str:
    """Phone and WhatsApp contacts only (an app, web or email contact where there is no number)."""
    numbers = [c for c in contacts if c.kind in _CALLABLE] or list(contacts[:1])
    return _line(name, numbers, as_of, lang)


def emergency_lines(lang: str, country: str | None) -> list[str]:
    """The numbers for someone in danger: abroad the mission, the Safe Travel panic button and the Kemlu
    hotline first, then the few lines a family in Indonesia can call; at home the national lines."""
    lang = _l(lang)
    head = {"id": "📞 Hubungi:", "en": "📞 Call:"}[lang]
    lines = [head]
    if country and country != INDONESIA:
        hs = content().hotlines_for(country)
        lines += [_callable_line(m.name.get(lang), list(m.contacts), m.as_of, lang) for m in hs.missions]
        if not hs.missions and hs.note is not None:
            lines.append(f"ℹ️ {hs.note.get(lang)}")
        for h in fallback_hotlines():
            if h.id == "safe_travel":
                app = next((c for c in h.contacts if c.kind == "app"), h.contacts[0])
                lines.append(f"• {h.name.get(lang)}: {app.label.get(lang)}")
            else:
                lines.append(_callable_line(h.name.get(lang), list(h.contacts), h.as_of, lang))
        home = []
        for h in content().hotlines.national:
            if h.id in _FROM_HOME:
                numbers = [c for c in h.contacts if c.kind in _CALLABLE][: _FROM_HOME[h.id]]
                name = h.name.get(lang).split(" (")[0]
                values = [c.value for c in numbers if c.value not in name]
                home.append(" ".join([name, ", ".join(values)]).strip())
        lines.append({"id": "Keluarga di Indonesia: ", "en": "Family in Indonesia: "}[lang] + " · ".join(home))
    else:
        lines += national_lines(lang, brief=True)
    lines.append(
        {
            "id": "Nomor bisa berubah; cek juga situs atau akun resmi layanan tersebut.",
            "en": "Numbers can change; also check the service's official site or account.",
        }[lang]
    )
    return lines


SHORT_REPLY = 900  # characters: one phone screen or so; longer answers go out as several messages


def pack(parts: list[str], limit: int = SHORT_REPLY, sep: str = "\n\n") -> list[str]:
    """Paragraphs packed into as few messages as fit within `limit` each (a paragraph is never cut)."""
    out: list[str] = []
    for part in parts:
        if out and len(out[-1]) + len(sep) + len(part) <= limit:
            out[-1] += sep + part
        else:
            out.append(part)
    return out


def country_alias_in(text: str) -> tuple[str, str] | None:
    """(country, the alias written) for a country or one of its towns named in the text."""
    folded = f" {fold(text)} "
    for key, name in _country_aliases():
        if f" {key} " in folded:
            return name, key
    return None


def mission_contact_lines(lang: str, country: str) -> list[str]:
    """The mission's callable numbers for `country`, one line per mission (empty when none is verified)."""
    hs = content().hotlines_for(country)
    return [_callable_line(m.name.get(_l(lang)), list(m.contacts), m.as_of, _l(lang)) for m in hs.missions]
