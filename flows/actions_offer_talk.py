"""The offer check as a conversation (issue 19): no verdict for what is not an offer, more facts merged into
the last verdict, a pasted offer or a complaint understood at any checklist question."""

from __future__ import annotations

from typing import Any

from bot.knowledge.offer_gate import (
    Reading,
    asks_another,
    is_complaint,
    is_context,
    read_offer,
    reassures,
    wants_to_stop,
)
from bot.knowledge.offers import analyze_offer, countries_in, risk_of
from flows.actions import action
from flows.actions_offer import RISK, last_offer, offer_facts, remember_offer, say_verdict
from flows.actions_questions import question_answers
from flows.answers import yes_no
from flows.runtime import ActionContext
from flows.schema import Text
from flows.texts import content, sourced

MAX_OFFER = 4000  # characters of an offer sent in parts, read together

# -- not (yet) an offer ---------------------------------------------------------------------------------

_FIELD_NAMES = {
    "job": {"id": "pekerjaannya", "en": "the job"},
    "place": {"id": "negara atau tempat kerjanya", "en": "the country or place"},
    "pay": {"id": "gajinya", "en": "the pay"},
    "conditions": {"id": "syaratnya (visa, kontrak, biaya)", "en": "the terms (visa, contract, fees)"},
    "recruiter": {"id": "siapa yang merekrut (PT atau agen)", "en": "who recruits you (company or agent)"},
}
_PASTE = Text(
    id="Sepertinya ini belum teks tawarannya, jadi belum bisa saya nilai. Tempel atau teruskan (forward) pesan "
    "tawarannya di sini, lengkap apa adanya (tanpa nama dan nomor HP Anda sendiri). Kalau tidak punya teksnya, "
    "jawab 9 pertanyaan singkat.",
    en="This does not look like the offer itself yet, so I can't judge it. Paste or forward the offer message "
    "here, whole and as it is (leave out your own name and number). No text? Answer 9 short questions.",
)
_MISSING = Text(
    id="Saya belum bisa menilai tawaran ini: saya belum melihat {missing}. Bisa kirim pesan tawarannya yang "
    "lengkap? Atau jawab 9 pertanyaan singkat.",
    en="I can't judge this offer yet: I can't see {missing}. Can you send the whole offer message? Or answer "
    "9 short questions.",
)
_SEEN = Text(id="Yang sudah terlihat:", en="What I can already see:")


def _names(fields: list[str], lang: str) -> str:
    words = [Text(**_FIELD_NAMES[f]).get(lang) for f in fields]
    joiner = " atau " if lang == "id" else " or "
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + joiner + words[-1]


def say_not_yet(ctx: ActionContext, reading: Reading) -> None:
    """No risk level: what to send instead, and any warning sign already seen."""
    if len(reading.present) <= 1 and not reading.verdict.flags:  # a request or a question, not the offer
        ctx.say(_PASTE)
        return
    text = _MISSING.get(ctx.lang).replace("{missing}", _names(reading.missing, ctx.lang))
    if reading.verdict.flags:
        text += "\n" + _SEEN.get(ctx.lang) + "\n" + "\n".join(f"⚠️ {f.title}" for f in reading.verdict.flags)
    ctx.say(text)


@action("analyse_offer", jumps=("need_more",), writes=("offer",))
def analyse_offer(ctx: ActionContext) -> None:
    text = str(ctx.slots.get("offer_text") or "")
    reading = read_offer(text, ctx.lang)
    if not reading.judgeable:
        say_not_yet(ctx, reading)
        ctx.goto = "need_more"
        return
    verdict = reading.verdict
    say_verdict(ctx, "text", verdict.risk, [f.model_dump() for f in verdict.flags], list(verdict.advice))
    remember_offer(ctx, text, verdict.flag_ids, verdict.risk)
    ctx.slots.pop("offer_text", None)  # the flow waits for more: keep no message text in its state


_STOPPED = Text(id="Baik, pemeriksaannya saya hentikan.", en="All right, I've stopped the check.")


@action("add_offer_text", jumps=("need_more",), flows=("welcome",))
def add_offer_text(ctx: ActionContext) -> None:
    """What the person sends after "please paste the offer": more of it (read together), "stop", or a complaint."""
    add = str(ctx.slots.pop("offer_add", "") or "")
    before = str(ctx.slots.get("offer_text") or "")
    if wants_to_stop(add):
        ctx.say(_STOPPED)
        ctx.goto_flow = "welcome"
        return
    if is_complaint(add) and not read_offer(add).judgeable:
        say_not_yet(ctx, read_offer(before))  # what was sent was read: say what it lacks
        ctx.goto = "need_more"
        return
    ctx.slots["offer_text"] = f"{before}\n{add}".strip()[-MAX_OFFER:]


@action("pasted_not_chosen", jumps=("analyse",))
def pasted_not_chosen(ctx: ActionContext) -> None:
    """A pasted offer holding a word of the checklist choice ("pendaftaran") is the offer, not that choice."""
    if not ctx.turn.from_button and len(ctx.turn.text.split()) >= 6:
        ctx.slots["offer_text"] = ctx.turn.text
        ctx.goto = "analyse"


@action("offer_in_message", jumps=("analyse", "after"), reads=("offer",), writes=("offer",))
def offer_in_message(ctx: ActionContext) -> None:
    """The first message may hold the offer (12+ words, or enough of one): analyse it straight away. Soon after
    a verdict it may instead say more about that offer ("katanya visanya diurus di sana"): the verdict changes."""
    if ctx.turn.from_button or not ctx.turn.text:
        return
    text = ctx.turn.text
    reading = read_offer(text, ctx.lang)
    before = last_offer(ctx)
    if before is not None and not _new_offer(text, reading, before) and _about_offer(text, reading):
        say_update(ctx, before, text)
        ctx.goto = "after"
    elif len(text.split()) >= 12 or reading.judgeable:
        ctx.slots["offer_text"] = text
        ctx.goto = "analyse"


# -- the checklist: a pasted offer, a complaint or "stop" at any question -----------------------------

QUESTION_STEPS = {
    "upfront_fee": "q_fee", "non_work_visa": "q_visa", "has_contract": "q_contract", "licensed": "q_licensed",
    "rushed_process": "q_rushed", "skipped_requirements": "q_skipped", "document_retention": "q_documents",
    "scam_job_pattern": "q_scam", "secrecy": "q_secret",
}  # fmt: skip
_NOT_RECEIVED = Text(
    id="Maaf! Teks lowongannya belum sampai ke saya sebagai tawaran. Tempel sekali lagi di sini, saya periksa "
    "langsung. Atau lanjut jawab pertanyaan ini:",
    en="Sorry! The offer text hasn't reached me as an offer. Paste it here once more and I'll check it right "
    "away. Or go on with this question:",
)
_YES_NO_OR_PASTE = Text(
    id="Kalau punya teks tawarannya, tempel saja di sini. Kalau tidak, jawab Ya, Tidak, atau Tidak tahu:",
    en="If you have the offer text, just paste it here. If not, answer Yes, No or Don't know:",
)


@action("checklist_aside", jumps=("analyse", *QUESTION_STEPS.values()), flows=("welcome",))
def checklist_aside(ctx: ActionContext) -> None:
    slot = next((s for s in QUESTION_STEPS if ctx.slots.get(s) == "aside"), "upfront_fee")
    ctx.slots.pop(slot, None)
    text = str(ctx.slots.pop("aside_text", "") or "")
    if wants_to_stop(text):
        ctx.say(_STOPPED)
        ctx.goto_flow = "welcome"
        return
    reading = read_offer(text, ctx.lang)
    if reading.verdict.flags or len(reading.present) >= 2:  # the offer itself: the checklist is left
        ctx.slots["offer_text"] = text
        ctx.goto = "analyse"
        return
    ctx.say(_NOT_RECEIVED if is_complaint(text) else _YES_NO_OR_PASTE)
    ctx.goto = QUESTION_STEPS[slot]


# -- after a verdict: more facts about the same offer -------------------------------------------------

_UPDATE = Text(id="Dengan keterangan tambahan ini:", en="With what you have added:")
_WAS = Text(id="(sebelumnya {risk})", en="(before: {risk})")
_SAME = Text(
    id="Keterangan ini tidak menghapus tanda bahaya yang sudah ditemukan: semuanya tetap berlaku.",
    en="This does not remove the warning signs already found: they all still stand.",
)
_NEW = Text(id="Tanda bahaya baru:", en="New warning signs:")
# Where a clear other request goes from the question after a verdict (the triggers of those flows).
REROUTE = {
    "report_trafficking": "report_trafficking", "request_human": "request_human", "request_help": "intake",
    "verify_agency": "verify_agency", "ask_safe_migration": "safe_migration", "ask_red_flags": "red_flags",
    "ask_hotline": "hotline", "find_sentra": "find_sentra", "ask_aid": "aid", "thanks": "thanks",
    "goodbye": "goodbye", "greet": "welcome", "menu": "welcome", "out_of_scope": "out_of_scope",
    "bot_challenge": "bot_challenge", "emergency": "emergency", "self_harm": "crisis",
}  # fmt: skip


def say_update(ctx: ActionContext, before: dict[str, Any], added: str) -> None:
    """The changed verdict and why: what was added, read with the facts of the offer; flags found stay found."""
    lang = ctx.lang
    verdict = analyze_offer(f"{offer_facts(before)}\n{added}".strip(), lang)
    old = [str(f) for f in before.get("flags") or []]
    new = [f for f in verdict.flags if f.id not in old]
    flags = old + [f.id for f in new]
    risk = risk_of(flags, content())
    head = f"{_UPDATE.get(lang)} *{RISK[risk].get(lang)}*"
    if before.get("risk") in RISK and before.get("risk") != risk:
        head += " " + _WAS.get(lang).replace("{risk}", RISK[str(before["risk"])].get(lang))
    lines = [head]
    if new:
        lines.append(_NEW.get(lang))
        c = content()
        for f in new:
            quotes = ", ".join(f"“{q}”" for q in f.evidence[:2])
            lines.append(
                f"⚠️ *{f.title}*" + (f" — {quotes}" if quotes else "") + f"\n{c.red_flags[f.id].why.get(lang)}"
            )
    else:
        lines.append(_SAME.get(lang))
    ctx.say("\n".join(lines))
    if reassures(added):  # "sudah banyak yang berangkat", "katanya aman": why that is no evidence
        faq = question_answers()["offer_reassurance"]
        ctx.say(sourced(faq.answer.get(lang), list(faq.source), faq.reviewed, lang))
    remember_offer(ctx, f"{offer_facts(before)}\n{added}", flags, risk)  # the facts of both, flags of both


def _new_offer(text: str, reading: Reading, before: dict[str, Any]) -> bool:
    """A whole other offer (its own verdict), not more about the last one: most of an offer, in a country the
    last one did not name."""
    if not reading.judgeable or (len(reading.present) < 4 and reading.words < 20):
        return False
    return not set(before.get("countries") or []) & set(countries_in(text))


def _about_offer(text: str, reading: Reading) -> bool:
    """More about the last offer: a warning sign, who recruits, what others said, or one of its terms."""
    if asks_another(text):
        return False
    return bool(reading.verdict.flags or is_context(text) or reading.present - {"job"})


@action(
    "offer_more",
    jumps=("after", "analyse"),
    flows=tuple(sorted(set(REROUTE.values()) | {"fallback", "check_offer"})),
    reads=("offer",),
    writes=("offer",),
)
def offer_more(ctx: ActionContext) -> None:
    text = str(ctx.slots.pop("more_text", "") or "")
    before = last_offer(ctx)
    if len(text.split()) <= 3 and yes_no(ctx.turn) in (True, False):  # "ya" to "report this recruiter?"
        ctx.goto_flow = "report_trafficking" if yes_no(ctx.turn) is True else "welcome"
        return
    reading = read_offer(text, ctx.lang)
    if asks_another(text) and not reading.judgeable:  # "mau cek lowongan lain"
        ctx.goto_flow = "check_offer"
        return
    if before is None or _new_offer(text, reading, before):
        if reading.judgeable:
            ctx.slots["offer_text"] = text
            ctx.goto = "analyse"
            return
    elif _about_offer(text, reading):
        say_update(ctx, before, text)
        ctx.goto = "after"
        return
    ctx.goto_flow = REROUTE.get(ctx.turn.intent, "fallback")
