"""Check-an-offer actions: the analyzer's verdict for pasted text, and the checklist's verdict."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from bot.knowledge.offers import countries_in, jobs_in, risk_of
from bot.language import pick
from flows.actions import action
from flows.runtime import ActionContext
from flows.schema import Text
from flows.texts import content, pack

RISK = {
    "high": Text(id="🔴 Risiko: TINGGI", en="🔴 Risk: HIGH"),
    "medium": Text(id="🟠 Risiko: SEDANG", en="🟠 Risk: MEDIUM"),
    "low": Text(id="🟢 Risiko: RENDAH", en="🟢 Risk: LOW"),
}
_LOW_MEANS = Text(
    id="Rendah artinya saya tidak menemukan tanda bahaya di teks ini, *bukan* berarti tawarannya pasti aman.",
    en="Low means I found no warning sign in this text; it does *not* mean the offer is safe.",
)
_FOUND = Text(id="Tanda bahaya yang saya temukan:", en="Warning signs I found:")
_VERIFY = Text(
    id="🔎 Cara memastikan: cek nama perusahaan (P3MI) dan lowongannya di SISKOP2MI (siskop2mi.bp2mi.go.id), "
    "tanyakan ke Disnaker/LTSA atau BP3MI setempat, dan jangan bayar apa pun sebelum semuanya jelas.",
    en="🔎 How to verify: look up the company (P3MI) and the job order in SISKOP2MI (siskop2mi.bp2mi.go.id), ask "
    "your local labour office (Disnaker/LTSA) or BP3MI, and pay nothing until everything is clear.",
)


_SOURCES = Text(id="sumber", en="sources")


def _hosts(sources: list[str], n: int = 2) -> list[str]:
    """The first `n` sources as short site names ("kompas.com"), so a phone screen stays readable."""
    hosts = [urlsplit(u).hostname or u for u in sources]
    return list(dict.fromkeys(h.removeprefix("www.").removeprefix("amp.") for h in hosts))[:n]


def say_verdict(
    ctx: ActionContext, method: str, risk: str, flags: list[dict[str, Any]], advice: list[str]
) -> None:
    ctx.services.record_offer_check(method, risk, [f["id"] for f in flags])  # for the statistics
    lang = ctx.lang
    c = content()
    parts = [f"*{RISK[risk].get(lang)}*"]
    if flags:
        parts.append(_FOUND.get(lang))
        for f in flags:
            rf = c.red_flags.get(f["id"])
            title = rf.title.get(lang) if rf else f.get("title", f["id"])
            line = f"⚠️ *{title}*"
            evidence = f.get("evidence") or []
            quotes = [evidence] if isinstance(evidence, str) else list(evidence)
            if quotes:
                line += " — " + ", ".join(f"“{q}”" for q in quotes[:3])
            if rf:  # why it matters (with its sources) and the one next step for this sign
                line += f"\n{rf.why.get(lang)} ({_SOURCES.get(lang)}: {', '.join(_hosts(rf.source))})"
                line += f"\n👉 {rf.instead.get(lang)}"
            parts.append(line)
    else:
        parts.append(_LOW_MEANS.get(lang))
    for message in pack(parts):  # several flags: one phone-sized message each batch
        ctx.say(message)
    shown = {rf.instead.get(lang) for f in flags if (rf := c.red_flags.get(f["id"]))}
    tips = [a for a in advice if a and a not in shown]  # each flag's next step is said under it
    if not any("siskop2mi" in a.lower() for a in tips):  # how to verify the recruiter is always said
        tips.append(_VERIFY.get(lang))
    ctx.say("\n".join(f"• {a}" for a in tips))


KEEP_FOR = timedelta(hours=2)
# A word for each job category, so the facts kept of an offer read back as text ("PRT di Arab Saudi").
_JOB_WORD = {"domestic": "PRT", "office": "admin", "service": "pelayan", "manual": "pabrik", "fishing": "ABK"}


def remember_offer(ctx: ActionContext, text: str, flags: list[str], risk: str) -> None:
    """What was judged, so what the person adds next is read with it (flows/actions_offer_talk.py). Not the
    text itself (message text is kept only with consent): its flags, countries and kinds of job."""
    ctx.memory.offer = {
        "flags": flags,
        "risk": risk,
        "countries": countries_in(text),
        "jobs": jobs_in(text),
        "at": datetime.now(UTC).isoformat(),
    }


def last_offer(ctx: ActionContext) -> dict[str, Any] | None:
    """The offer judged in the last two hours, if any; an older one is forgotten."""
    offer = ctx.memory.offer
    try:
        fresh = datetime.now(UTC) - datetime.fromisoformat(str(offer.get("at"))) < KEEP_FOR
    except ValueError:
        fresh = False
    if offer and not fresh:
        ctx.memory.offer = {}
    return offer if offer and fresh else None


def offer_facts(offer: dict[str, Any]) -> str:
    """The kept facts of an offer as words the analyzer reads ("PRT di Arab Saudi")."""
    jobs = [_JOB_WORD[j] for j in offer.get("jobs") or [] if j in _JOB_WORD]
    return " ".join([*jobs, *(f"di {c}" for c in offer.get("countries") or [])])


# Checklist slot -> (red flag, the answer that raises it)
_CHECKLIST = {
    "upfront_fee": ("upfront_fee", True),
    "non_work_visa": ("non_work_visa", True),
    "has_contract": ("no_contract", False),
    "licensed": ("unlicensed_recruiter", False),
    "rushed_process": ("rushed_process", True),
    "skipped_requirements": ("skipped_requirements", True),
    "document_retention": ("document_retention", True),
    "scam_job_pattern": ("scam_job_pattern", True),
    "secrecy": ("secrecy", True),
}
_UNKNOWN = Text(
    id='Belum jelas ({n} jawaban "tidak tahu"): tanyakan hal itu ke perekrut secara tertulis, dan cek ke Disnaker/BP3MI sebelum membayar atau berangkat.',
    en='Unclear ({n} "don\'t know" answers): ask the recruiter about these in writing, and check with the labour office/BP3MI before paying or leaving.',
)
_ANSWER = {"id": "jawaban Anda", "en": "your answer"}


@action("checklist_verdict", writes=("offer",))
def checklist_verdict(ctx: ActionContext) -> None:
    flags = []
    unknown = 0
    for slot, (flag, raising) in _CHECKLIST.items():
        answer = ctx.slots.get(slot)
        if answer == "unknown":
            unknown += 1
        elif answer is raising:
            flags.append({"id": flag, "evidence": pick(_ANSWER, ctx.lang)})
    advice = [_UNKNOWN.get(ctx.lang).replace("{n}", str(unknown))] if unknown else []
    risk = risk_of([f["id"] for f in flags], content())
    say_verdict(ctx, "checklist", risk, flags, advice)
    remember_offer(ctx, "", [f["id"] for f in flags], risk)


# -- verify an agency -------------------------------------------------------------------------

_PT = re.compile(
    r"\b(?:PT|P\.T\.|perusahaan|company|agen|agency|p3mi)\.?\s+(?P<name>[\w&.'-]+(?:\s+[\w&.'-]+){0,5})", re.I
)
_STOP = re.compile(
    r"\s+(resmi|itu|ini|terdaftar|legal|apa|apakah|gak|nggak|ga|tidak|is|licensed|registered)\b.*$", re.I
)


def company_in(text: str) -> str | None:
    m = _PT.search(text)
    if not m:
        return None
    name = _STOP.sub("", m.group("name")).strip(" ?.!,")
    return name if len(name) >= 3 else None


@action("agency_in_message", jumps=("after", "lookup"), reads=("shown_how_to_check_agency",),
        writes=("shown_how_to_check_agency",))
def agency_in_message(ctx: ActionContext) -> None:
    from flows.actions_questions import agency_not_found, say_agency_not_found

    if not ctx.turn.from_button and agency_not_found(ctx.turn.text):  # "nama PT gk ada di siskop2mi"
        say_agency_not_found(ctx)
        ctx.goto = "after"
        return
    name = company_in(ctx.turn.text) if not ctx.turn.from_button else None
    if name:
        ctx.slots["agency_name"] = name
        agency_how_to_check(ctx)
        ctx.goto = "lookup"


@action("agency_how_to_check", jumps=("after",), reads=("shown_how_to_check_agency",),
        writes=("shown_how_to_check_agency",))
def agency_how_to_check(ctx: ActionContext) -> None:
    if ctx.memory.shown_how_to_check_agency:
        return
    from flows.actions_info import say_topic

    say_topic(ctx, "check_agency")
    ctx.memory.shown_how_to_check_agency = True
    if ctx.services.agency_list_date() is None:
        ctx.goto = "after"
    elif "agency_name" not in ctx.slots:
        ctx.say(
            Text(
                id="Ketik nama perusahaan (PT) yang ingin dicek; saya cocokkan dengan daftar P3MI yang kami punya.",
                en="Type the company (PT) name to check; I'll match it against our list of licensed agencies.",
            )
        )


@action("agency_lookup", writes=("shown_how_to_check_agency",))
def agency_lookup(ctx: ActionContext) -> None:
    ctx.memory.shown_how_to_check_agency = False
    name = str(ctx.slots.get("agency_name") or "")
    matches, list_date = ctx.services.find_agency(name)
    lang = ctx.lang
    if list_date is None:
        return
    when = list_date.isoformat()
    if not matches:
        ctx.say(
            Text(
                id='❗ "{name}" tidak saya temukan di daftar P3MI kami (daftar per {date}). Ini belum tentu ilegal, '
                "tetapi pastikan lewat SISKOP2MI atau Disnaker/BP3MI sebelum membayar atau menyerahkan dokumen.",
                en='❗ I could not find "{name}" in our list of licensed agencies (list of {date}). That doesn\'t prove '
                "it is illegal, but check SISKOP2MI or the labour office/BP3MI before paying or handing over documents.",
            )
            .get(lang)
            .replace("{name}", name[:80])
            .replace("{date}", when)
        )
        return
    head = {
        "id": "Mirip dengan nama di daftar P3MI kami (per {date}):",
        "en": "Close to names in our licensed-agency list (as of {date}):",
    }
    lines = [pick(head, lang).replace("{date}", when)]
    for m in matches:
        extra = ", ".join(x for x in (m.license_no, m.city) if x)
        lines.append(f"• {m.name}" + (f" ({extra})" if extra else ""))
    lines.append(
        pick({
            "id": "Pastikan namanya persis sama dan cek lowongannya di SISKOP2MI: penipu sering memakai nama mirip.",
            "en": "Make sure the name is exactly the same and check the job order in SISKOP2MI: scammers often use similar names.",
        }, lang)
    )
    ctx.say("\n".join(lines))
