"""Actions that answer from content/: red flags, safe migration, aid, sentra (emergencies: actions_emergency)."""

from __future__ import annotations

import re

from bot.knowledge.sentra import nearest_sentra, referral_text
from bot.language import pick
from bot.messages import Pin
from flows.actions import action
from flows.choices import choice_source
from flows.runtime import ActionContext
from flows.schema import Choice, Text
from flows.texts import (
    INDONESIA,
    content,
    fallback_hotlines,
    mission_lines,
    pack,
    place_summary,
    resolve_place,
    sourced,
)

# -- red flags and "what is TPPO" -------------------------------------------------------------


@choice_source("red_flags")
def red_flag_choices(lang: str) -> list[Choice]:
    """The overview's signs first (a list shows its first ten; the rest are found by name)."""
    flags = content().red_flags
    order = [*content().red_flag_overview, *(k for k in flags if k not in content().red_flag_overview)]
    return [
        Choice(value=k, title=flags[k].title, short=flags[k].short, keywords=[k.replace("_", " ")])
        for k in order
    ]


_WHAT_IS = re.compile(
    r"\b(apa\s*(itu|sih|yg|yang)?|arti(nya)?|maksud|pengertian|what\s+is|what's|meaning)\b", re.I
)
_TPPO = re.compile(r"\b(tppo|trafficking|perdagangan\s+(orang|manusia)|human\s+trafficking)\b", re.I)
_SIGNS_HEAD = Text(
    id="⚠️ *Tanda bahaya utama tawaran kerja ke luar negeri:*",
    en="⚠️ *The main warning signs of a job offer abroad:*",
)
_SIGNS_FOOT = Text(
    id="Satu tanda saja sudah alasan untuk berhenti dan mengecek dulu. Pilih satu untuk penjelasan dan sumbernya:",
    en="One sign alone is reason to stop and check first. Choose one for the explanation and its source:",
)


@action("red_flags_overview")
def red_flags_overview(ctx: ActionContext) -> None:
    """The answer first: the most important signs in one short message, then the list for details."""
    lang = ctx.lang
    text = ctx.turn.text
    if _TPPO.search(text) and _WHAT_IS.search(text):
        faq = content().faq["what_is_tppo"]
        ctx.say(sourced(faq.answer.get(lang), list(faq.source), faq.reviewed, lang))
    flags = content().red_flags
    signs = [f"• {flags[k].title.get(lang)}" for k in content().red_flag_overview]
    ctx.say("\n".join([_SIGNS_HEAD.get(lang), *signs, "", _SIGNS_FOOT.get(lang)]))


@action("red_flag_detail")
def red_flag_detail(ctx: ActionContext) -> None:
    f = content().red_flags.get(str(ctx.slots.get("flag")))
    if f is None:
        return
    lang = ctx.lang
    body = f"*{f.title.get(lang)}*\n{f.why.get(lang)}\n\n✅ {f.instead.get(lang)}"
    ctx.say(sourced(body, list(f.source), f.reviewed, lang))
    ctx.say(Text(id="Pilih tanda lain, atau ketik *menu*.", en="Choose another sign, or type *menu*."))


# -- safe migration ---------------------------------------------------------------------------


@choice_source("safe_migration")
def safe_migration_choices(lang: str) -> list[Choice]:
    return [
        Choice(value=t.id, title=t.title, short=t.short, keywords=[t.id.replace("_", " ")])
        for t in content().safe_migration.values()
    ]


def say_topic(ctx: ActionContext, topic_id: str) -> bool:
    """One safe-migration topic as one message, with its source; False if there is no such topic."""
    topic = content().safe_migration.get(topic_id)
    if topic is None:
        return False
    body = f"*{topic.title.get(ctx.lang)}*\n{topic.text.get(ctx.lang)}"
    ctx.say(sourced(body, list(topic.source), topic.reviewed, ctx.lang))
    return True


_NO_COUNTRY_RULES = Text(
    id="Untuk {country}, kami belum punya syarat khusus yang bersumber; tanyakan ke LTSA/Disnaker atau BP3MI setempat.",
    en="For {country} we have no sourced country-specific requirements yet; ask your LTSA/Disnaker or BP3MI.",
)


@action("safe_migration_overview")
def safe_migration_overview(ctx: ActionContext) -> None:
    """The topic the question is about ("syarat dokumen ke Hongkong?": the documents), said plainly
    where content has nothing specific to the country named; then the other topics as a list."""
    from flows.actions_questions import age_note, topic_in_text
    from flows.texts import find_country

    topic = (topic_in_text(ctx.turn.text) if ctx.turn.text else None) or "legal_path"
    say_topic(ctx, topic)
    if topic == "minimum_age":
        age_note(ctx)
    country = find_country(ctx.turn.text, ctx.turn.entities) if ctx.turn.text else None
    more = Text(id="Mau tahu lebih lanjut? Pilih topik:", en="Want to know more? Choose a topic:").get(ctx.lang)
    if country and country != INDONESIA and topic in ("documents", "legal_path", "minimum_age"):
        more = _NO_COUNTRY_RULES.get(ctx.lang).replace("{country}", country) + "\n\n" + more
    ctx.say(more)
    ctx.slots["topic"] = topic  # the list that follows leaves out what was just said


@action("safe_migration_detail")
def safe_migration_detail(ctx: ActionContext) -> None:
    if not say_topic(ctx, str(ctx.slots.get("topic"))):
        return
    ctx.say(Text(id="Pilih topik lain, atau ketik *menu*.", en="Choose another topic, or type *menu*."))


# -- aid navigator ----------------------------------------------------------------------------

_NO_SERVICE = Text(
    id="📄 Untuk dokumen yang hilang, kami belum punya informasi layanan yang bersumber. Pekerja sosial bisa membantu mencari jalurnya.",
    en="📄 For lost documents we have no sourced service information yet. A social worker can help find the way.",
)


_AID_HEAD = Text(
    id="🤝 Layanan untuk pekerja migran yang sudah pulang, deportan, dan korban TPPO:",
    en="🤝 Services for migrant workers who came home, deportees and trafficking (TPPO) survivors:",
)


@action("aid_overview")
def aid_overview(ctx: ActionContext) -> None:
    """The answer first: what exists, in one short list; the needs question follows (its details and
    sources come with the services that match)."""
    titles = dict.fromkeys(s.title.get(ctx.lang) for s in content().aid.services)
    ctx.say("\n".join([_AID_HEAD.get(ctx.lang), *(f"• {t}" for t in titles)]))


@action("aid_for_needs")
def aid_for_needs(ctx: ActionContext) -> None:
    c = content()
    lang = ctx.lang
    needs = list(ctx.slots.get("needs") or [])
    seen: set[str] = set()
    lines: list[str] = []
    for need in needs:
        services = c.aid_services(need)
        if not services and need == "documents":
            ctx.say(_NO_SERVICE)
        for s in services:
            if s.id in seen:
                continue
            seen.add(s.id)
            lines.append(f"• *{s.title.get(lang)}*: {s.what.get(lang)}\n  👤 {s.who.get(lang)}")
    if lines:
        head = pick({"id": "Layanan yang sesuai:", "en": "Services that match:"}, lang)
        lines[0] = head + "\n" + lines[0]
        for message in pack(lines):
            ctx.say(message)
    ctx.say(f"ℹ️ {c.aid.caveat.get(lang)}\n\n📍 {c.aid.how_to_reach.get(lang)}")


# -- nearest sentra ---------------------------------------------------------------------------

_HANDLES_LABEL = {"id": "Menangani", "en": "Handles"}
_HANDLES = {
    "trafficking_victims": {"id": "korban perdagangan orang", "en": "trafficking victims"},
    "trafficking_women": {"id": "perempuan korban perdagangan orang", "en": "women trafficking victims"},
    "trafficking_children": {"id": "anak korban perdagangan orang", "en": "child trafficking victims"},
    "deportees": {"id": "deportan / PMI bermasalah", "en": "deportees / migrant workers in trouble"},
    "online_scam": {"id": "korban online scam", "en": "online-scam victims"},
    "violence": {"id": "korban kekerasan", "en": "victims of violence"},
    "multi_service": {"id": "layanan multifungsi", "en": "multi-service"},
}


@action("place_in_message", jumps=("answer",), reads=("place_given",), writes=("place_given",))
def place_in_message(ctx: ActionContext) -> None:
    """Skip the question when the request already names a place ("sentra terdekat dari Kupang")."""
    from bot.knowledge.places import gazetteer

    given, ctx.memory.place_given = ctx.memory.place_given, None
    if given:
        ctx.slots["place"] = given
        ctx.goto = "answer"
        return
    place = ctx.turn.entity("location")
    named = gazetteer().lookup(place) if place else None
    # The whole message knows more than the entity: "kec. tanjung bumi bangkalan" is a district of the
    # regency the NLU entity names.
    found = gazetteer().find_in_text(ctx.turn.text) if ctx.turn.text else None
    if found is None or (named is not None and found.province != named.province):
        found = named
    if found is not None:
        ctx.slots["place"] = {"text": found.name}
        ctx.goto = "answer"


_ABROAD = Text(
    id="📍 Lokasi Anda di luar Indonesia ({place}, {country}). Sentra Kemensos ada di Indonesia; di sana yang bisa "
    "membantu adalah Perwakilan RI:",
    en="📍 Your location is outside Indonesia ({place}, {country}). Kemensos sentra are in Indonesia; there, the "
    "Indonesian mission can help:",
)


def _abroad_text(lang: str, country: str, place: str) -> str:
    head = _ABROAD.get(lang).replace("{place}", place or country).replace("{country}", country)
    hs = content().hotlines_for(country)
    if not hs.missions:  # no verified mission number: the Safe Travel app and the Kemlu line
        hs = hs.model_copy(update={"fallback": fallback_hotlines()})
    return "\n".join([head, *mission_lines(hs, lang)])


@action("nearest_sentra", jumps=("ask_place",), writes=("last_place_flow",))
def nearest_sentra_action(ctx: ActionContext) -> None:
    lang = ctx.lang
    where = resolve_place(ctx.slots.get("place"))
    ctx.memory.last_place_flow = "find_sentra"
    if not where or "lat" not in where:
        typed = (ctx.slots.get("place") or {}).get("text", "")
        ctx.say(
            Text(
                id='Maaf, saya tidak menemukan tempat "{typed}". Coba ketik nama kabupaten/kota atau provinsi, atau bagikan lokasi.',
                en='Sorry, I could not find the place "{typed}". Try the regency/city or province name, or share your location.',
            )
            .get(lang)
            .replace("{typed}", typed[:60])
        )
        ctx.say(referral_text(lang))
        ctx.goto = "ask_place"
        return
    if where.get("country") not in (None, INDONESIA):  # a pin abroad: the mission there, not a sentra
        ctx.say(_abroad_text(ctx.lang, str(where["country"]), str(where.get("place") or "")))
        return
    hits = nearest_sentra(float(where["lat"]), float(where["lon"]), 3)
    head = {
        "id": "📍 Sentra/RPTC Kemensos terdekat dari {p}:",
        "en": "📍 Nearest Kemensos sentra/RPTC to {p}:",
    }
    lines = [pick(head, lang).replace("{p}", place_summary(where))]
    for i, h in enumerate(hits, 1):
        handles = ", ".join(pick(_HANDLES[x], lang) for x in h.handles if x in _HANDLES)
        lines.append(f"{i}. *{h.name}* — {h.city}, {h.province} (± {h.distance_km:.0f} km)")
        if handles:
            lines.append(f"   {pick(_HANDLES_LABEL, lang)}: {handles}")
        if h.address:
            lines.append(f"   {h.address}")
    lines.append(
        pick({
            "id": "Jarak dihitung kasar dari titik pusat kota; sentra tidak selalu menerima langsung.",
            "en": "Distances are rough, from town centres; a sentra may not accept walk-ins.",
        }, lang)
    )
    # A map pin only for a geocoded address: a town centre pinned as the sentra would mislead.
    near = hits[0] if hits and hits[0].coordinates == "geocoded_address" else None
    ctx.say("\n".join(lines), pin=Pin(near.lat, near.lon, near.name) if near else None)
    ctx.say(referral_text(lang))
