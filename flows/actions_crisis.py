"""The self-harm / crisis path: a calm reply with crisis contacts from content/crisis.yml, the numbers of
the Indonesian mission where the person is abroad, and an urgent case (category `emergency`, the
summary and `situation: self_harm` say what kind)."""

from __future__ import annotations

from bot.knowledge.content import load_file
from bot.knowledge.models import CrisisFile
from bot.language import pick
from flows.actions import action
from flows.actions_case import EMERGENCY
from flows.runtime import ActionContext
from flows.schema import Text
from flows.texts import INDONESIA, _line, content, find_country, mission_lines

_CALM = Text(
    id="💛 Terima kasih sudah mau bercerita. Kedengarannya Anda sedang sangat berat. Anda tidak sendiri, "
    "dan ada orang terlatih yang siap mendengarkan.",
    en="💛 Thank you for telling me. It sounds like things are very hard right now. You are not alone, "
    "and there are trained people ready to listen.",
)
_ASK_SAFE = Text(
    id="Kalau mau, ceritakan apa yang terjadi. Apakah Anda sekarang di tempat yang aman?",
    en="If you like, tell me what is happening. Are you somewhere safe right now?",
)
_CASE = Text(
    id="Pekerja sosial kami sudah diberi tahu dan akan menulis di chat ini (kasus *{reference}*). "
    "Kalau mau, ceritakan apa yang terjadi. Apakah Anda sekarang di tempat yang aman?",
    en="Our social workers have been told and will write in this chat (case *{reference}*). "
    "If you like, tell me what is happening. Are you somewhere safe right now?",
)
_AGAIN = Text(
    id="💛 Saya masih di sini, dan pekerja sosial kami sudah diberi tahu (kasus *{reference}*).",
    en="💛 I'm still here, and our social workers know (case *{reference}*).",
)
_ABROAD_HEAD = {"id": "Perwakilan RI di {country}:", "en": "Indonesian mission in {country}:"}
_LINES_HEAD = {"id": "📞 Bisa dihubungi sekarang:", "en": "📞 You can reach now:"}


def crisis_content() -> CrisisFile:
    return load_file("crisis.yml", CrisisFile)  # cached per content directory


def crisis_lines(lang: str, country: str | None, brief: bool = False) -> list[str]:
    """The crisis contacts (each with the date of its source), and the mission numbers abroad."""
    c = crisis_content()
    lines = [pick(_LINES_HEAD, lang)]
    for h in c.lines[:1] if brief else c.lines:
        lines.append(_line(h.name.get(lang), list(h.contacts), None if brief else h.as_of, lang))
    if country and country != INDONESIA:
        lines.append(c.abroad.get(lang))
        hs = content().hotlines_for(country)
        missions = mission_lines(hs, lang)
        if missions:
            lines.append(pick(_ABROAD_HEAD, lang).replace("{country}", hs.country or str(country)))
            lines += missions[:3] if brief else missions
    else:
        lines.append(c.urgent_home.get(lang))
    return lines


def handoff_crisis_reply(lang: str, country: str | None) -> str:
    """The bot's one reply while a caseworker holds the chat and the person speaks of ending their life."""
    return "\n\n".join([_CALM.get(lang), "\n".join(crisis_lines(lang, country, brief=True))])


@action("crisis_now", sensitive=True, reads=("country", "crisis_ref"), writes=("country", "crisis_ref"))
def crisis_now(ctx: ActionContext) -> None:
    country = find_country(ctx.turn.text, ctx.turn.entities) or ctx.memory.country
    if country:
        ctx.memory.country = country
    details: dict[str, object] = {"situation": "self_harm"}
    if country:
        details["country"] = country
    summary = f"self-harm / suicide risk · {country or 'country unknown'}"
    ref = ctx.services.escalate("emergency", EMERGENCY, summary, details)
    ctx.slots["reference"] = ref
    if ctx.memory.crisis_ref == ref:  # said again in the same open case: a short answer
        ctx.say(_AGAIN)
        ctx.say("\n".join(crisis_lines(ctx.lang, country, brief=True)))
        return
    ctx.memory.crisis_ref = ref
    ctx.say(_CALM)
    ctx.say("\n".join(crisis_lines(ctx.lang, country)))
    # No case when the channel's cap refused one: never promise a caseworker who was not told.
    ctx.say(_CASE if ref else _ASK_SAFE)


@action("crisis_details", sensitive=True, reads=("country", "crisis_country"), writes=("country", "crisis_country"))
def crisis_details(ctx: ActionContext) -> None:
    country = find_country(str(ctx.slots.get("talk") or ""), ctx.turn.entities)
    details: dict[str, object] = {"situation": "self_harm", "details_given": True}
    if country and country != ctx.memory.country:
        ctx.memory.country = country
        details["country"] = country
    ctx.services.escalate("emergency", EMERGENCY, "self-harm / suicide risk", details)
    if country and country != INDONESIA and country != ctx.memory.crisis_country:
        ctx.memory.crisis_country = country
        hs = content().hotlines_for(country)
        missions = mission_lines(hs, ctx.lang)
        if missions:
            ctx.say(
                "\n".join([pick(_ABROAD_HEAD, ctx.lang).replace("{country}", hs.country or country), *missions])
            )
