"""The emergency conversation: numbers for where the person is at once, then a memory of what they said.

The first danger message gets the full block (safety advice, numbers, case reference). After that the
flow listens: what the person says (country, town, who holds them, passport, battery or credit, a safe
time to call, their number) is remembered in the flow memory (`Memory.em`) and added to the case, and
follow-ups get short answers from that memory and from sourced content (content/faq.yml): telling the
story again gets an acknowledgement, not the whole block again."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from bot.knowledge.places import gazetteer
from bot.language import pick
from flows.actions import action
from flows.actions_case import EMERGENCY, announce_reference
from flows.runtime import ActionContext
from flows.schema import Text
from flows.texts import (
    INDONESIA,
    content,
    country_alias_in,
    emergency_lines,
    find_country,
    mission_contact_lines,
    no_local_police,
    place_summary,
    resolve_place,
)
from nlu.normalize import normalize
from nlu.safety import is_danger

FRESH = timedelta(hours=12)  # an emergency told again within this time is the same emergency

# -- safety block (first reply) -----------------------------------------------------------------

_SAFETY = Text(
    id="🆘 Anda tidak sendiri. Kalau dalam bahaya langsung, hubungi nomor di bawah sekarang. Kalau aman: simpan HP dan "
    "dokumen Anda, catat alamat tempat Anda, dan simpan bukti (foto, pesan).",
    en="🆘 You are not alone. If you are in immediate danger, call the numbers below now. If it is safe: keep your "
    "phone and documents with you, note the address where you are, and keep evidence (photos, messages).",
)
_ABROAD_POLICE = Text(
    id="Di luar negeri, Anda juga bisa menghubungi polisi setempat.",
    en="Abroad, you can also call the local police.",
)
_HANDOFF_DANGER = Text(
    id="🆘 Pesan Anda sudah ditandai DARURAT untuk petugas yang memegang chat ini. Kalau Anda dalam bahaya "
    "sekarang, jangan menunggu balasan: hubungi nomor ini.",
    en="🆘 Your message has been flagged as an EMERGENCY for the caseworker holding this chat. If you are in "
    "danger now, don't wait for a reply: call these numbers.",
)


def emergency_numbers(lang: str, country: str | None) -> str:
    """The numbers for where the person is. "Call the local police" is left out where content says to
    contact the Indonesian mission first (scam-compound countries)."""
    lines = emergency_lines(lang, country)
    if country and country != INDONESIA and not no_local_police(country):
        lines.insert(len(lines) - 1, _ABROAD_POLICE.get(lang))
    return "\n".join(lines)


def handoff_danger_reply(lang: str, country: str | None) -> str:
    """The bot's one reply while a caseworker holds the chat: danger was written."""
    return _HANDOFF_DANGER.get(lang) + "\n\n" + emergency_numbers(lang, country)


def _nearest_numbers(lang: str, country: str | None) -> str:
    """One or two lines: the first number to call where the person is (for short follow-ups)."""
    if country and country != INDONESIA:
        lines = mission_contact_lines(lang, country)
        if lines:
            return "\n".join(lines[:2])
        return emergency_lines(lang, country)[1]
    return pick({"id": "📞 Polisi 110 (gratis, 24 jam)", "en": "📞 Police 110 (free, 24 hours)"}, lang)


# -- what the person said ---------------------------------------------------------------------

_HOLDER = re.compile(
    r"\b(majikan|agen|agensi|agency|calo|sponsor|bos|boss|mandor|rentenir|suami|pacar|mami|germo|mucikari|"
    r"perusahaan|penjaga|satpam|tekong|sindikat|employer|agent|husband|boyfriend|guards?|company|"
    r"pemilik|owner|penyalur|pt)\b"
)
_HELD_VERB = re.compile(
    r"\b(d(?:i ?)?(?:kurung|sekap|kunci|tahan|jaga|awasi|kerangkeng)\w*|ngurung|nahan|jaga|locked|held|kept|"
    r"watched|guarded|won'?t let|tidak boleh|gak boleh|dilarang|ambil|sita|pegang|took|takes|keeps)\b"
)
_PASSPORT = re.compile(r"\b(paspor|pasport|passport|dokumen|documents?|ktp)\b")
_PASSPORT_HELD = re.compile(
    r"\b(d(?:i ?)?(?:tahan|ambil|sita|pegang|rampas|simpan|bawa)\w*|ditahan|took|taken|held|kept|keeps|confiscated|"
    r"(?:sama|di|ama|dipegang|pegang) (?:bos|boss|agen|majikan|calo|sponsor|perusahaan|pt|mereka))\b"
)
_PASSPORT_MINE = re.compile(
    r"\b((?:ada|masih) (?:di|sama|pada) (?:saya|aku)|saya pegang|aku pegang|(?:i|we) (?:still )?have|with me)\b"
)
_PASSPORT_LOST = re.compile(r"\b(hilang|lost|tidak ada|gak ada|ga ada)\b")
_BATTERY = re.compile(r"\b(baterai|batre|batrai|baterei|batere|battery|batt|lowbat|low bat|hp (?:mau|hampir) mati)\w*")
_PERCENT = re.compile(r"\b(\d{1,3}) ?(?:%|persen|percent)")
_CREDIT = re.compile(r"\b(pulsa|kuota|paket data|data|credit|internet|wifi|wi fi)\b")
_CREDIT_LOW = re.compile(r"\b(habis|tinggal|sedikit|tipis|tidak ada|gak ada|ga ada|mau habis|low|out of|no)\b")
_WIFI = re.compile(r"\b(wifi|wi fi)\b")
_TIME = re.compile(
    r"\b(?:jam|pukul|pkl|at|after|setelah|sesudah|habis|abis)\s*\d{1,2}(?:[.:]\d{2})?(?:\s*(?:pagi|siang|sore|"
    r"malam|wib|wita|wit|am|pm|waktu sini|waktu setempat))?"
    r"|\b\d{1,2}(?:[.:]\d{2})?\s*(?:am|pm)\b"
    r"|\b(?:malam ini|nanti malam|besok pagi|besok|pagi|siang|sore|malam|tonight|tomorrow|morning|evening|"
    r"night|kalau (?:bos|majikan|penjaga|mereka) (?:tidur|pergi|keluar)|when (?:they|he|she) (?:sleep|leave)s?)\b"
)
_TIME_CONTEXT = re.compile(
    r"\b(aman|bisa|boleh|hubungi|telp|telpon|telepon|tlp|ditelp|ditelpon|ditelepon|call|called|safe|contact|"
    r"chat|wa|balas|reply)\w*"
)
_NO_CALL = re.compile(
    r"\b(jangan|jgn|tidak bisa|gak bisa|ga bisa|tidak boleh|gak boleh) (?:di)?(?:telp|telpon|telepon|tlp|"
    r"hubungi|call)\w*|\b(?:don'?t|do not|can'?t|cannot) (?:call|phone)\b|\bchat (?:aja|saja|only)\b"
)
_PHONE = re.compile(r"(?<![\w+])(\+?\d[\d\s-]{7,16}\d)(?!\w)")


def _place_abroad(text: str) -> tuple[str | None, str | None]:
    """(country, the town/area named for it, if any): "kk park" -> (Myanmar, "kk park")."""
    hit = country_alias_in(text)
    if hit is None:
        return None, None
    country, alias = hit
    return country, (alias if alias != country.lower() else None)


def remember(ctx: ActionContext, text: str) -> dict[str, Any]:
    """Update the memory from `text`; returns only what was new (for the acknowledgement)."""
    mem: dict[str, Any] = dict(ctx.memory.em)
    new: dict[str, Any] = {}
    raw = text.lower()
    norm = normalize(text) or raw
    both = f"{raw} \n {norm}"

    country = find_country(text, ctx.turn.entities if ctx.turn.text == text else None)
    abroad, area = _place_abroad(text)
    if abroad:
        country = abroad
    if country and country != mem.get("country"):
        new["country"] = country
    place = area
    if not place and (country in (None, INDONESIA)):
        found = gazetteer().find_in_text(text)
        if found is not None:
            place = found.name
            country = country or INDONESIA
            if mem.get("country") is None:
                new["country"] = INDONESIA
    if place and place.title() != mem.get("place"):
        new["place"] = place.title()

    holder = _HOLDER.search(both)
    if holder and (_HELD_VERB.search(both) or _PASSPORT.search(both)) and holder.group(1) != mem.get("holder"):
        new["holder"] = holder.group(1)

    if _PASSPORT.search(both):
        status = None
        if _PASSPORT_MINE.search(both):
            status = "mine"
        elif _PASSPORT_HELD.search(both):
            status = "held"
        elif _PASSPORT_LOST.search(both):
            status = "lost"
        if status and status != mem.get("passport"):
            new["passport"] = status

    if _BATTERY.search(both):
        pct = _PERCENT.search(both)
        new["battery"] = f"{pct.group(1)}%" if pct else "low"
    if _CREDIT.search(both) and (_CREDIT_LOW.search(both) or _WIFI.search(both)):
        new["credit"] = "wifi" if _WIFI.search(both) and not _CREDIT_LOW.search(both) else "low"

    if _NO_CALL.search(both):
        new["contact"] = "chat_only"
    when = _TIME.search(raw) or _TIME.search(norm)
    if when and (_TIME_CONTEXT.search(both) or ctx.memory.em_asked_contact):
        new["safe_time"] = when.group(0).strip()
    phone = _PHONE.search(text)
    if phone and len(re.sub(r"\D", "", phone.group(1))) >= 8:
        ctx.services.save_profile(phone=phone.group(1).strip())
        new["phone_given"] = True
        new.setdefault("contact", mem.get("contact") or "phone")

    mem.update(new)
    mem["at"] = datetime.now().astimezone().isoformat()
    ctx.memory.em = mem
    if country:
        ctx.memory.country = country
    return new


_LABELS = {
    "country": {"id": "📍 Negara", "en": "📍 Country"},
    "place": {"id": "📍 Tempat", "en": "📍 Place"},
    "holder": {"id": "👤 Yang menahan", "en": "👤 Held by"},
    "passport": {"id": "🛂 Paspor", "en": "🛂 Passport"},
    "battery": {"id": "🔋 Baterai HP", "en": "🔋 Phone battery"},
    "credit": {"id": "📶 Pulsa/kuota", "en": "📶 Credit/data"},
    "safe_time": {"id": "🕘 Waktu aman dihubungi", "en": "🕘 Safe time to contact"},
    "contact": {"id": "💬 Cara menghubungi", "en": "💬 How to contact"},
    "phone_given": {"id": "📱 Nomor HP", "en": "📱 Phone number"},
}
_VALUES = {
    ("passport", "held"): {"id": "ditahan orang lain", "en": "held by someone else"},
    ("passport", "mine"): {"id": "Anda pegang sendiri", "en": "you have it"},
    ("passport", "lost"): {"id": "hilang", "en": "lost"},
    ("battery", "low"): {"id": "hampir habis", "en": "almost empty"},
    ("credit", "low"): {"id": "hampir habis", "en": "almost out"},
    ("credit", "wifi"): {"id": "pakai wifi", "en": "on wifi"},
    ("contact", "chat_only"): {"id": "chat saja, jangan ditelepon", "en": "chat only, no calls"},
    ("contact", "phone"): {"id": "boleh ditelepon", "en": "calls are fine"},
    ("phone_given", True): {"id": "sudah dicatat", "en": "noted"},
}


def memory_lines(lang: str, facts: dict[str, Any]) -> list[str]:
    out = []
    for key, labels in _LABELS.items():
        if key in facts:
            v = facts[key]
            value = _VALUES.get((key, v))
            shown = pick(value, lang) if value else str(v)
            out.append(f"{pick(labels, lang)}: {shown}")
    return out


def _case_details(mem: dict[str, Any]) -> dict[str, Any]:
    keep = ("country", "place", "holder", "passport", "battery", "credit", "safe_time", "contact")
    details = {f"emergency_{k}" if k not in ("country", "place") else k: mem[k] for k in keep if k in mem}
    if mem.get("country") == INDONESIA and mem.get("place"):
        where = resolve_place({"text": mem["place"]}) or {}
        if where.get("province"):
            details["province"] = where["province"]
    return details


def _is_fresh(mem: dict[str, Any] | None) -> bool:
    if not mem or "at" not in mem:
        return False
    try:
        return datetime.now().astimezone() - datetime.fromisoformat(str(mem["at"])) < FRESH
    except ValueError:
        return False


def _update_case(ctx: ActionContext, mem: dict[str, Any]) -> str:
    """Add what is known to the person's case; a new case (the old one was closed) is announced."""
    details = {"situation": "danger", **_case_details(mem)}
    ref = ctx.services.escalate(
        "emergency", EMERGENCY, f"danger reported · {place_summary(details)}", details
    )
    if mem.get("ref") and ref != mem.get("ref"):
        announce_reference(ctx, ref, EMERGENCY)
    mem["ref"] = ref
    ctx.memory.em = mem
    return ref


# -- follow-up questions ------------------------------------------------------------------------

_Q_POLICE = re.compile(r"\b(polisi|police|polis|cops?|aparat)\b")
_Q_ARREST = re.compile(
    r"\b(d(?:i ?)?tangk[ae]p\w*|tangk[ae]p|penjara|dipenjara|arrest\w*|jail|prison|dideportasi|deport\w*|"
    r"imigrasi|immigration|overstay|ilegal|illegal|visa)\b"
)
_Q_EMBASSY = re.compile(r"\b(kbri|kjri|kedutaan|kedubes|konsulat|embassy|consulate|perwakilan)\b")
_Q_WHAT_DO = re.compile(
    r"\b(apa|bisa|bantu|akan|nolong|menolong|tolong|ngapain|gimana|bagaimana|what|will|can|do|help)\b"
)
_Q_NUMBER = re.compile(r"\b(nomor|nomer|no|nmr|kontak|number|contact|telp|telpon|hotline|wa)\b")
_Q_WHEN = re.compile(
    r"\b(kapan|berapa lama|lama|when|how long)\b.*\b(petugas|dihubungi|dibalas|balas|ditolong|dijemput|reply|"
    r"contact|help|rescue|dibantu)\w*|\b(petugas|caseworker)\w*\b.*\b(kapan|mana|when|where)\b"
)
_Q_HUMAN = re.compile(
    r"\b(petugas|pendamping|pekerja sosial|manusia|orang(?:nya)?|person|human|caseworker|someone)\b"
)
_OWN_NUMBER = re.compile(r"\b(nomor|nomer|no|nmr|number|hp|wa)\s*(saya|sy|aku|ku|my)\b|\bmy (?:phone|number)\b")
_QUESTION = re.compile(r"\?|\b(apa|apakah|gimana|bagaimana|kapan|berapa|bisa|boleh|perlu|harus|should|can|"
                       r"will|what|how|when|do i|is it)\b")


def _faq(ctx: ActionContext, faq_id: str) -> str | None:
    entry = content().faq.get(faq_id)
    return entry.answer.get(ctx.lang) if entry else None


def answer_questions(ctx: ActionContext, text: str) -> list[str]:
    """Short answers to the fears people write in the middle of an emergency (at most two)."""
    low = f"{text.lower()} \n {normalize(text)}"
    mem = ctx.memory.em
    country = mem.get("country") or ctx.memory.country
    lang = ctx.lang
    asked = bool(_QUESTION.search(low))
    out: list[str] = []
    if _Q_POLICE.search(low) and (asked or "?" in text):
        if no_local_police(country):
            out.append(_faq(ctx, "local_police_scam_country") or "")
        elif country and country != INDONESIA:
            out.append(
                pick({
                    "id": "Kalau Anda dalam bahaya langsung, polisi setempat bisa dihubungi. Hubungi juga Perwakilan RI:",
                    "en": "If you are in immediate danger, you can call the local police. Contact the Indonesian mission too:",
                }, lang)
                + "\n"
                + _nearest_numbers(lang, country)
            )
        else:
            out.append(pick({"id": "Ya: Polisi 110, gratis 24 jam, diteruskan ke Polres terdekat.",
                        "en": "Yes: Police 110, free, 24 hours, passed to the nearest station."}, lang))
    if _Q_ARREST.search(low) and (asked or re.search(r"\b(takut|afraid|scared|worried|khawatir)\b", low)):
        out.append(_faq(ctx, "visa_arrest_fear") or "")
    own_number = bool(_OWN_NUMBER.search(low) or _PHONE.search(text))
    if _Q_EMBASSY.search(low):
        if _Q_NUMBER.search(low) and not own_number:
            out.append(_nearest_numbers(lang, country) if country else emergency_lines(lang, None)[1])
        elif _Q_WHAT_DO.search(low) and not out:
            out.append(_faq(ctx, "embassy_help") or "")
    elif _Q_NUMBER.search(low) and asked and not out and not own_number:
        out.append(_nearest_numbers(lang, country))
    if _Q_WHEN.search(low) or (_Q_HUMAN.search(low) and ctx.turn.intent == "request_human"):
        ref = mem.get("ref", "")
        when = pick({
            "id": f"Kasus *{ref}* sudah ditandai darurat; petugas akan menulis di chat ini secepatnya. Jangan menunggu "
            "kami kalau dalam bahaya: hubungi nomor di atas.",
            "en": f"Case *{ref}* is marked as an emergency; a caseworker will write in this chat as soon as they can. "
            "Don't wait for us if you are in danger: call the numbers above.",
        }, lang)
        if mem.get("safe_time"):
            when += pick({"id": f" Waktu aman yang Anda sebut: {mem['safe_time']}.",
                     "en": f" The safe time you gave: {mem['safe_time']}."}, lang)
        out.append(when)
    return [a for a in out if a][:2]


_NOTED = Text(id="📝 Sudah saya catat untuk petugas:", en="📝 Noted for the caseworker:")
_ACK_AGAIN = Text(
    id="Saya sudah mencatat ini dan petugas sudah diberi tahu (kasus *{ref}*). Anda tidak perlu mengulang cerita. "
    "Kalau dalam bahaya sekarang:",
    en="I have noted this and the caseworkers have been alerted (case *{ref}*). You don't need to tell it again. "
    "If you are in danger now:",
)
_ACK = Text(
    id="Terima kasih, sudah saya teruskan ke petugas (kasus *{ref}*). Tetap di tempat yang aman kalau bisa. Tulis saja "
    "kalau ada yang berubah atau ingin ditanyakan.",
    en="Thank you, I've passed it on to the caseworker (case *{ref}*). Stay somewhere safe if you can. Write any time "
    "if something changes or you have a question.",
)
_THANKS = Text(
    id="Sama-sama. Kami tetap di sini; petugas akan menulis di chat ini. Kalau bahaya, hubungi nomor di atas.",
    en="You're welcome. We are still here; a caseworker will write in this chat. If in danger, call the numbers above.",
)

_STILL_HERE = Text(
    id="Baik. Kami tetap di sini; petugas akan menulis di chat ini. Tulis kapan saja kalau ada yang berubah.",
    en="All right. We are still here; a caseworker will write in this chat. Write any time if something changes.",
)
# Questions that are not about the emergency leave the listening loop for the flow that answers them.
_OTHER_FLOWS = {
    "check_offer": "check_offer",
    "verify_agency": "verify_agency",
    "ask_safe_migration": "safe_migration",
    "ask_red_flags": "red_flags",
    "find_sentra": "find_sentra",
    "ask_aid": "aid",
    "report_trafficking": "report_trafficking",
}


def _say(ctx: ActionContext, text: str) -> None:
    ctx.say(text.replace("{ref}", str(ctx.memory.em.get("ref", ""))))


def _follow_up(ctx: ActionContext, text: str, *, retold: bool) -> None:
    """Remember, answer, acknowledge: one or two short messages."""
    before = ctx.memory.em.get("country")
    new = remember(ctx, text)
    mem = ctx.memory.em
    _update_case(ctx, mem)
    lang = ctx.lang
    answers = answer_questions(ctx, text)
    for a in answers:
        ctx.say(a)
    country = mem.get("country")
    if "country" in new and country != before:
        # A country learnt now: its numbers (compact), once.
        ctx.say(emergency_numbers(lang, country))
    facts = {k: v for k, v in new.items() if k != "country" or country == before}
    if facts and memory_lines(lang, facts):
        ctx.say(_NOTED.get(lang) + "\n" + "\n".join(memory_lines(lang, facts)))
    if answers or ("country" in new and country != before) or memory_lines(lang, facts):
        return
    if retold:
        _say(ctx, _ACK_AGAIN.get(lang) + "\n" + _nearest_numbers(lang, country))
    elif ctx.turn.intent in ("thanks", "goodbye"):
        ctx.say(_THANKS.get(lang))
    elif ctx.turn.intent in ("greet", "affirm", "deny"):
        ctx.say(_STILL_HERE.get(lang))
    elif ctx.turn.intent in _OTHER_FLOWS and ctx.turn.confidence >= 0.9 and len(text.split()) >= 3:
        ctx.goto_flow = _OTHER_FLOWS[ctx.turn.intent]  # a different question: its own flow answers it
    else:
        _say(ctx, _ACK.get(lang))


# -- actions ------------------------------------------------------------------------------------


@action("emergency_now", sensitive=True, reads=("em", "em_asked_contact", "country"), writes=("em", "country", "no_case"),
        flows=_OTHER_FLOWS.values())
def emergency_now(ctx: ActionContext) -> None:
    mem = ctx.memory.em
    if _is_fresh(mem) and (mem or {}).get("ref"):
        # The same emergency told again: a short acknowledgement, not the whole block.
        _follow_up(ctx, ctx.turn.text, retold=True)
        ctx.slots["em_next"] = "listen" if ctx.memory.em.get("country") else "where"
        return
    ctx.memory.em = {}
    ctx.slots.pop("em_next", None)  # a fresh emergency: no routing left from an earlier one
    if ctx.turn.text:
        remember(ctx, ctx.turn.text)
    mem = ctx.memory.em
    mem["told"] = bool(ctx.turn.text) and is_danger(ctx.turn.text)
    country = mem.get("country") or ctx.memory.country
    if country:
        ctx.memory.country = mem["country"] = country
    ctx.slots["country_known"] = bool(country)
    details = {"situation": "danger", **_case_details(mem)}
    ref = ctx.services.escalate(
        "emergency", EMERGENCY, f"danger reported · {country or 'country unknown'}", details
    )
    mem["ref"] = ref
    ctx.memory.em = mem
    ctx.say(_SAFETY.get(ctx.lang) + "\n\n" + emergency_numbers(ctx.lang, country))
    if ref:
        ctx.memory.no_case = False
        announce_reference(ctx, ref, EMERGENCY)
        return
    # "": no case was opened (a REST client past its cap on new emergencies). The numbers, and no
    # promise that a caseworker was alerted: the flow ends, or first asks where (for the embassy).
    ctx.memory.no_case = True
    if country:
        ctx.memory.no_case = False
        ctx.end = True
    else:
        ctx.slots["em_next"] = "where"


@action("emergency_where", sensitive=True, reads=("em", "em_asked_contact", "country", "no_case"),
        writes=("em", "country", "no_case"), flows=_OTHER_FLOWS.values())
def emergency_where(ctx: ActionContext) -> None:
    """The answer to "which country are you in?": whatever form it takes, never "not understood"."""
    where = ctx.slots.get("where") or {}
    lang = ctx.lang
    if "lat" in where:
        place = resolve_place(where) or {}
        mem = dict(ctx.memory.em)
        if place.get("country"):
            mem.update({"country": place["country"], "place": place.get("place")})
            ctx.memory.country = place["country"]
        ctx.memory.em = mem
        _update_case(ctx, mem)
        ctx.say(emergency_numbers(lang, place.get("country")))
        return
    if ctx.memory.no_case:  # no case: the embassy's numbers, then the flow ends
        ctx.memory.no_case = False
        country = find_country(str(where.get("text") or "")) or (resolve_place(where) or {}).get("country")
        ctx.say(emergency_numbers(lang, country))
        ctx.end = True
        return
    text = str(where.get("text") or "")
    before = ctx.memory.em.get("country")
    _follow_up(ctx, text, retold=False)
    mem = ctx.memory.em
    if mem.get("country") and mem.get("country") == before:
        ctx.say(emergency_numbers(lang, mem["country"]))
    elif not mem.get("country"):
        ctx.say(
            Text(
                id="Saya belum mengenali negaranya. Sementara itu: tombol darurat aplikasi Safe Travel menghubungkan "
                "ke KBRI/KJRI terdekat. Tulis nama negaranya kapan saja.",
                en="I didn't recognise the country. Meanwhile: the Safe Travel app's emergency button connects to the "
                "nearest Indonesian mission. Write the country's name any time.",
            )
        )


@action("emergency_details", sensitive=True, reads=("em", "em_asked_contact", "country"),
        writes=("em", "em_asked_contact", "country"), flows=_OTHER_FLOWS.values())
def emergency_details(ctx: ActionContext) -> None:
    """The answer to "tell us briefly what is happening and whether you can be contacted"."""
    ctx.memory.em_asked_contact = True
    text = str(ctx.slots.get("details") or ctx.turn.text)
    _follow_up(ctx, text, retold=is_danger(text) and bool(ctx.memory.em.get("told")))
    ctx.memory.em["told"] = True


@action("emergency_followup", sensitive=True, reads=("em", "em_asked_contact", "country"), writes=("em", "country"),
        flows=_OTHER_FLOWS.values())
def emergency_followup(ctx: ActionContext) -> None:
    text = str(ctx.slots.pop("more", "") or ctx.turn.text)
    _follow_up(ctx, text, retold=ctx.turn.intent == "emergency" or is_danger(text))
