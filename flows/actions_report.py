"""Reports about someone else (a missing daughter, a recruiter): the story is told once.

The first message usually holds the whole story. It is kept in the flow (and, until consent, in the
conversation state only: bot/turn/privacy.hold_unsaved), the questions skip what it already says, questions
in it are answered from content/faq.yml at once, and anything written after the report is made is
added to the same case with a short acknowledgement instead of starting the questions again."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from bot.knowledge.places import gazetteer
from flows.actions import action
from flows.runtime import ActionContext
from flows.schema import Text
from flows.texts import content, find_country, hotline_lines
from nlu.normalize import normalize

FRESH = timedelta(hours=12)
STORY_WORDS = 8  # a first message this long is the story, not just "I want to report"

_WHO = re.compile(
    r"\b(?:pt\.?|cv\.?|perusahaan|agen|agensi|yayasan|lpk)\s+[a-z0-9][\w.&-]*(?:\s+(?!yang|yg|di|ke|dan|itu)[a-z0-9][\w.&-]*){0,3}"
    r"|\b(?:pak|bu|ibu|bapak|mas|mbak|bang|kak|om|tante|mr|mrs|ms)\.?\s+[a-z][a-z'-]{2,}"
    r"|@\w{3,}|\bakun\s+(?:fb|facebook|ig|instagram|tiktok|wa)?\s*[\w.]{3,}",
    re.I,
)
_FIND = re.compile(
    r"\b(cari|mencari|nyari|carikan|temukan|menemukan|lacak|melacak|hilang|ilang|gk ada kabar|tidak ada kabar|"
    r"belum ada kabar|putus kontak|tidak bisa dihubungi|gak bisa dihubungi|gk bisa dihubungi|find|missing|locate|"
    r"trace|no news|lost contact)\b"
)
_COMPLAIN = re.compile(
    r"\b(kp2mi|bp2mi|bnp2tki|mengadu|ngadu|pengaduan|aduan|adukan|complain\w*|lapor ke (?:mana|siapa)|"
    r"melapor ke (?:mana|siapa)|report (?:it )?to (?:whom|who|where))\b"
)
_ASKS = re.compile(r"\?|\b(gimana|gmn|bagaimana|bgmn|caranya|cara|harus|kemana|ke mana|apa|bisa|how|where|what|can)\b")


def _fresh(at: object) -> bool:
    try:
        return datetime.now().astimezone() - datetime.fromisoformat(str(at)) < FRESH
    except ValueError:
        return False


def family_answers(ctx: ActionContext, text: str) -> list[str]:
    """Sourced answers to what families ask: how to find someone abroad, where to complain."""
    if not text:
        return []
    low = f"{text.lower()} \n {normalize(text)}"
    if not _ASKS.search(low):
        return []
    faq = content().faq
    out = []
    if _FIND.search(low):
        out.append(faq["family_find_abroad"].answer.get(ctx.lang))
    if _COMPLAIN.search(low):
        out.append(faq["family_kp2mi_complaint"].answer.get(ctx.lang))
    return out


def _take_story(ctx: ActionContext, text: str) -> None:
    """Fill what the story already says: what happened, where, who."""
    if len(text.split()) >= STORY_WORDS and "what" not in ctx.slots:
        ctx.slots["what"] = text
    if "where" not in ctx.slots:
        country = find_country(text, ctx.turn.entities if ctx.turn.text == text else None)
        if country:
            ctx.slots["where"] = {"text": country}
        else:
            place = gazetteer().find_in_text(text)
            if place is not None:
                ctx.slots["where"] = {"text": place.name}
    if "who" not in ctx.slots:
        m = _WHO.search(text)
        if m:
            ctx.slots["who"] = m.group(0).strip()


_ADDED = Text(
    id="📝 Sudah saya tambahkan ke laporan *{reference}*. Anda tidak perlu mengulang cerita; petugas akan membacanya.",
    en="📝 Added to report *{reference}*. You don't need to tell it again; the caseworker will read it.",
)


def _add_to_report(ctx: ActionContext, text: str) -> None:
    made = dict(ctx.memory.report)
    if text:
        made["added"] = [*(made.get("added") or []), text[:2000]][-10:]
        ctx.memory.report = made
        ctx.services.escalate("report", 2, "report · more from the reporter", {"reporter_added": made["added"]})
    ctx.say(_ADDED, sensitive=True)


@action("report_start", reads=("report",), writes=("report", "consent"))
def report_start(ctx: ActionContext) -> None:
    text = ctx.turn.text or ""
    for answer in family_answers(ctx, text):  # a question gets its answer first
        ctx.say(answer)
    made = ctx.memory.report
    if made.get("ref") and _fresh(made.get("at")):
        # The report exists: what is written now joins it (one case), no questions again.
        ctx.slots["reference"] = made["ref"]
        _add_to_report(ctx, text)
        ctx.end = True
        return
    _take_story(ctx, text)
    ctx.memory.consent = ctx.services.has_consent()


@action("report_next", reads=("asked_report",), writes=("asked_report",))
def report_next(ctx: ActionContext) -> None:
    """Which question is still open (the story may have answered them all)."""
    answered = ctx.turn.text or ""
    if ctx.state.step is None and answered and ctx.memory.asked_report:
        for answer in family_answers(ctx, answered):
            ctx.say(answer)
    ctx.memory.asked_report = True
    if isinstance(ctx.slots.get("what"), str):
        _take_story(ctx, ctx.slots["what"])
    need = next((k for k in ("what", "where", "who") if k not in ctx.slots), None)
    ctx.slots["need"] = need or "none"


@action("report_declined")
def report_declined(ctx: ActionContext) -> None:
    for key in ("what", "where", "who"):
        ctx.slots.pop(key, None)
    ctx.say(
        Text(
            id="Baik, laporan Anda tidak disimpan. Anda bisa melapor langsung ke layanan ini:",
            en="All right, your report has not been stored. You can report directly to these services:",
        )
    )
    ctx.say("\n".join(hotline_lines(ctx.lang, brief=True)))


def remember_report(ctx: ActionContext, reference: str) -> None:
    ctx.memory.report = {"ref": reference, "at": datetime.now().astimezone().isoformat()}
    ctx.memory.asked_report = False


_SMALLTALK = ("greet", "thanks", "goodbye", "affirm", "deny")
_OTHER_FLOWS = {
    "check_offer": "check_offer",
    "verify_agency": "verify_agency",
    "ask_safe_migration": "safe_migration",
    "ask_red_flags": "red_flags",
    "find_sentra": "find_sentra",
    "ask_aid": "aid",
    "request_help": "intake",
}
_WELCOME = Text(
    id="Sama-sama. Laporan *{reference}* sudah di tangan petugas. Ketik *menu* untuk pilihan lain.",
    en="You're welcome. Report *{reference}* is with the caseworkers. Type *menu* for other options.",
)


@action("report_more", flows=_OTHER_FLOWS.values(), reads=("report",), writes=("report",))
def report_more(ctx: ActionContext) -> None:
    """What a reporter writes after the report: answered, or added to it; never the questions again."""
    text = str(ctx.slots.pop("more", "") or ctx.turn.text)
    made = ctx.memory.report
    ctx.slots["reference"] = made.get("ref", "")
    answers = family_answers(ctx, text)
    for answer in answers:
        ctx.say(answer)
    if answers:
        return
    if ctx.turn.intent in _SMALLTALK and len(text.split()) <= 4:
        ctx.say(_WELCOME)
        ctx.end = True
        return
    if ctx.turn.intent in _OTHER_FLOWS and ctx.turn.confidence >= 0.9 and len(text.split()) >= 3:
        ctx.goto_flow = _OTHER_FLOWS[ctx.turn.intent]
        return
    _add_to_report(ctx, text)
