"""Offer analyzer: finds the red flags of design section 4 in a job-offer text, with the words that triggered
each one, and rates the risk.

Explainable by construction: every flag comes from a lexicon rule (offer_lexicon.py) or one of four small
judgements made here (destination + job for scam_job_pattern and banned_placement, amount vs. plausible wage
for unrealistic_pay, stated age for underage). Rules see a normalised text (lower case, ASCII, chat
abbreviations expanded, common misspellings corrected); evidence is quoted from the original text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel
from rapidfuzz import fuzz, process

from bot.knowledge import offer_lexicon as lx
from bot.knowledge.content import Content, load_content, use_content_dir
from bot.knowledge.money import Money, find_money
from bot.knowledge.offer_learned import second_opinion
from bot.language import pick

Risk = Literal["high", "medium", "low"]


def risk_of(flag_ids: list[str], content: Content) -> Risk:
    """The one risk rule (design section 4), as content/red_flags.yml states it (`risk:` and each flag's
    `grave:`): a grave flag or `high_from` flags is high, `medium_from` flags medium, fewer low (which never
    means safe)."""
    rule = content.risk_rule
    flags = set(flag_ids)
    if any(content.red_flag(f).grave for f in flags) or len(flags) >= rule.high_from:
        return "high"
    return "medium" if len(flags) >= rule.medium_from else "low"


LOW_NOTE = {
    "id": "Tidak ada tanda bahaya yang ditemukan di teks ini. Itu TIDAK berarti tawaran ini aman: selalu cek dulu.",
    "en": "No warning sign was found in this text. That does NOT mean the offer is safe: always check it first.",
}


class FlagHit(BaseModel):
    id: str
    title: str
    evidence: list[str]
    grave: bool
    explanation: str
    advice: str
    source: list[str]
    learned: bool = False  # raised by the learned second opinion (offer_learned.py), quoting its clause


class OfferVerdict(BaseModel):
    risk: Risk
    flags: list[FlagHit]
    advice: list[str]

    @property
    def flag_ids(self) -> list[str]:
        return [f.id for f in self.flags]


# ---- normalisation -------------------------------------------------------------------------------------

TOKEN_RE = re.compile(r"[^\W_]+")
_SPLIT_NUM = re.compile(r"^(\d+)([a-z]+)$|^([a-z]+)(\d+)$")
_REDUP = re.compile(r"^([a-z]{3,})2$")  # "teman2" = "teman-teman"
# real words one letter away from a vocabulary word: never "corrected"
_NOT_TYPOS = frozenset({"menikah", "kontak", "pelatih", "pendaftar", "operasi", "deposito", "passports", "secrets",
                        "salaries", "contracts", "berangkatin", "customers", "operators"})  # fmt: skip
_KNOWN = frozenset(lx.CHAT.values()) | frozenset(lx.FUZZY_VOCAB) | _NOT_TYPOS


@dataclass(frozen=True, slots=True)
class Norm:
    text: str
    words: tuple[tuple[int, int, int, int], ...]  # norm start, norm end, original start, original end
    clauses: tuple[int, ...] = (0,)  # norm positions where a clause begins: a negation does not reach across
    lists: frozenset[int] = frozenset()  # clauses (by start) that hold a list: a negation before it covers it all


def _fold(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()


@lru_cache(maxsize=4096)
def _correct(tok: str) -> str:
    if len(tok) < 6 or tok.isdigit() or tok in _KNOWN:
        return tok
    hit = process.extractOne(tok, lx.FUZZY_VOCAB, scorer=fuzz.ratio, score_cutoff=85)
    # a typo keeps the word's length (+-1); "berangkatin" is a different word from "berangkat"
    return hit[0] if hit and abs(len(hit[0]) - len(tok)) <= 1 else tok


def _expand(tok: str) -> list[str]:
    if tok in lx.CHAT:
        return lx.CHAT[tok].split()
    m = _SPLIT_NUM.match(tok)
    if m:
        parts = [m[1], m[2]] if m[1] else [m[3], m[4]]
        return [w for p in parts for w in lx.CHAT.get(p, p).split()]
    m = _REDUP.match(tok)
    if m:
        return [lx.CHAT.get(m[1], m[1])]
    return [_correct(tok)]


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Normalised words with their original spans; a passive written apart ("di simpan") becomes one word."""
    out: list[tuple[str, int, int]] = []
    for m in TOKEN_RE.finditer(text):
        for w in _expand(_fold(m.group(0))):
            if not w:
                continue
            if out and out[-1][0] == "di" and w in lx.DI_PASSIVE_ROOTS:
                out[-1] = ("di" + w, out[-1][1], m.end())
                continue
            out.append((w, m.start(), m.end()))
    return out


_HARD_BREAK = frozenset(".!?;:\n•|")
_LIST_WORDS = frozenset({"atau", "ataupun", "maupun", "dan", "serta", "or", "and", "nor"})
# after "atau"/"dan" these open a new clause ("..., atau lewat pelabuhan resmi dengan paspor pelancong"), not an item
_CLAUSE_OPENERS = frozenset({"lewat", "melalui", "dengan", "ke", "di", "untuk", "pakai", "naik", "berangkat", "bisa",
                             "harus", "juga", "yang", "kalau", "jika", "tapi", "via", "through", "with", "by"})  # fmt: skip


def _breaks(text: str, tokens: list[tuple[str, int, int]]) -> tuple[list[bool], list[bool]]:
    """Whether a clause begins at each word: after a sentence mark, an emoji or other symbol, or a comma that
    does not go on into a list ("tiket free, paspor dipegang agen" is two clauses; "tidak ada biaya, potongan
    gaji atau jaminan" is one list under one negation)."""
    hard = [False] * len(tokens)
    comma = [False] * len(tokens)
    for i in range(1, len(tokens)):
        gap = text[tokens[i - 1][2] : tokens[i][1]]
        hard[i] = any(c in _HARD_BREAK or unicodedata.category(c) in ("So", "Sk", "Cs") for c in gap)
        comma[i] = "," in gap
    out = list(hard)
    in_list = [False] * len(tokens)  # a comma inside a list
    for i in range(1, len(tokens)):
        if comma[i] and not hard[i]:
            ahead = []
            for j in range(i, min(i + 4, len(tokens))):
                if j > i and (hard[j] or comma[j]):
                    break
                ahead.append(tokens[j][0])
            out[i] = not any(w in _LIST_WORDS and nxt not in _CLAUSE_OPENERS
                             for w, nxt in zip(ahead, [*ahead[1:], ""], strict=True))
            in_list[i] = not out[i]
    return out, in_list


def normalize(text: str) -> Norm:
    parts: list[str] = []
    words: list[tuple[int, int, int, int]] = []
    clauses = [0]
    lists: set[int] = set()
    pos = 0
    tokens = _tokens(text)
    for (w, start, end), brk, listed in zip(tokens, *_breaks(text, tokens), strict=True):
        if parts:
            pos += 1
        if brk:
            clauses.append(pos)
        if listed:
            lists.add(clauses[-1])
        parts.append(w)
        words.append((pos, pos + len(w), start, end))
        pos += len(w)
    return Norm(" ".join(parts), tuple(words), tuple(clauses), frozenset(lists))


def _evidence(norm: Norm, original: str, start: int, end: int) -> str:
    spans = [(os, oe) for ns, ne, os, oe in norm.words if ns < end and ne > start]
    if not spans:
        return original[start:end]
    return original[min(s for s, _ in spans) : max(e for _, e in spans)].strip()


_WARN_START = frozenset({"hati", "waspada", "waspadai", "jangan", "hindari", "awas", "beware", "avoid", "careful",
                         "never", "tolak", "laporkan", "ingat"})  # fmt: skip


_NOT_WARNING = frozenset({"khawatir", "takut", "ragu", "bingung", "lupa", "cemas", "worry", "hesitate"})
# what an offer promises rather than asks the worker to do: a sentence that warns about it ("Waspadai lowongan
# tanpa syarat apa pun", "Jangan mau pakai visa turis") describes the sign, it does not offer it
_DESCRIBED_SIGNS = frozenset({"skipped_requirements", "non_work_visa", "no_contract", "rushed_process",
                              "unrealistic_pay", "irregular_route"})  # fmt: skip


def _in_warning_sentence(norm: Norm, original: str, start: int) -> bool:
    """True when the match sits in a sentence that warns ("Hati-hati dengan ... calo ..."), not one that
    reassures ("Jangan khawatir, ...")."""
    orig = next((os for ns, ne, os, _ in norm.words if ne > start), len(original))
    sentence_start = max(original.rfind(c, 0, orig) for c in ".!?\n") + 1
    first = TOKEN_RE.findall(_fold(original[sentence_start:orig]))[:3]
    return any(w in _WARN_START for w in first[:2]) and not any(w in _NOT_WARNING for w in first)


# a sentence that states the rules ("can legally be charged 10%", "biaya maksimal") or frees the worker from
# paying ("does not have to pay for: ticket, visa, training fee") does not ask for money
_LIMIT_OR_FREE = re.compile(r"\b(?:legally|legal|allowed|permitted|diperbolehkan|diizinkan|maksimal|maksimum|maximum|"
                            r"at most|paling banyak|(?:does|do|did|need|will) not (?:\w+ ){0,2}(?:pay|be charged)|"
                            r"(?:don|doesn) t (?:\w+ ){0,2}pay|(?:tidak|tak|tidak perlu|tidak usah|bukan) (?:\w+ ){0,2}"
                            r"(?:membayar|bayar|dibebani|dipungut|dikenakan))\b")  # fmt: skip


def _in_limit_sentence(norm: Norm, original: str, start: int) -> bool:
    orig = next((os for ns, ne, os, _ in norm.words if ne > start), len(original))
    sentence_start = max(original.rfind(c, 0, orig) for c in ".!?\n") + 1
    return bool(_LIMIT_OR_FREE.search(normalize(original[sentence_start:orig]).text))


# a sentence saying the placement is closed ("Untuk job rumah tangga masih ditutup") does not offer it, unless it
# goes on to offer a way round ("memang dilarang, tapi lewat kami bisa")
_CLOSED = re.compile(r"\b(?:ditutup|dilarang|tidak dibuka|belum dibuka|tidak diterima|tidak menerima|moratorium|"
                     r"closed|banned|not allowed|tidak boleh)\b")
_BUT = re.compile(r"\b(?:tapi|tetapi|namun|but|asal|tetap bisa|bisa lewat)\b")


def _says_closed(norm: Norm, original: str, start: int) -> bool:
    orig = next((os for ns, ne, os, _ in norm.words if ne > start), len(original))
    begin = max(original.rfind(c, 0, orig) for c in ".!?\n") + 1
    ends = [i for i in (original.find(c, orig) for c in ".!?\n") if i >= 0]
    sentence = normalize(original[begin : min(ends) if ends else len(original)]).text
    return bool(_CLOSED.search(sentence)) and not _BUT.search(sentence)


def _preceded_by(norm: Norm, start: int, words: frozenset[str], window: int) -> bool:
    """A word of `words` among the `window` words before `start`. A negation stays in its clause; a warning
    ("hati-hati dengan calo, sponsor, ...") covers the list it opens, so WARN looks across commas and marks."""
    if not words or window <= 0:
        return False
    begin = 0 if words is lx.WARN else max(p for p in norm.clauses if p <= start)
    before = norm.text[begin:start].split()
    # "tidak ada biaya penempatan, potongan gaji atau uang jaminan": the negation opens the list and covers it
    return any(w in words for w in (before if begin in norm.lists else before[-window:]))


# ---- the analyzer --------------------------------------------------------------------------------------

_ALIAS_COUNTRY = {a: c for c, aliases in lx.COUNTRY_WORDS.items() for a in aliases}
_COUNTRY_RE = re.compile(  # one pass over the text; "bahasa arab" is a language, not a destination
    r"(?<!bahasa )\b("
    + "|".join(re.escape(a) for a in sorted(_ALIAS_COUNTRY, key=len, reverse=True))
    + r")\b"
)


def _countries(norm: Norm) -> list[tuple[int, str, int, int]]:
    seen: dict[str, tuple[int, str, int, int]] = {}
    for m in _COUNTRY_RE.finditer(norm.text):
        c = _ALIAS_COUNTRY[m[1]]
        seen.setdefault(c, (m.start(), c, m.start(), m.end()))
    return sorted(seen.values())


_JOB_RE = {cat: re.compile(rf"\b(?:{pat})\b") for pat, cat in lx.JOB_WORDS.items()}
_JOB_CONTEXT = re.compile(r"\b(?:kerja|bekerja|lowongan|job|jobs|hiring|dibutuhkan|dicari|gaji|salary|work|vacancy|"
                          r"posisi|position|rekrut|recruit|berangkat|tkw|tki|pmi)\b")  # fmt: skip
_LOCATIVE = frozenset({"di", "ke", "in", "to", "negara", "lokasi", "location", "penempatan", "tujuan"})
_SCAM_WORK = re.compile(r"\b(?:judi online|judol|scammer|online scam|scamming|penipuan online)\b")
# a chat handle as the contact ("Telegram @hrd_kh", "WA: @admin") is read on the original text: "@" is dropped
# by the normalisation
_HANDLE = re.compile(r"\b(?:telegram|tele|tg|whatsapp|wa|line|wechat|ig|instagram|tiktok|dm)\s*:?\s*@\w+", re.IGNORECASE)
_OFFICIAL = re.compile(r"\b(?:p3mi|disnaker|disnakertrans|ltsa|bp3mi|siskop2mi|kp2mi|bp2mi|sip3mi|g to g|"
                       r"pt [a-z]+|agency resmi|berizin|terdaftar)\b")  # fmt: skip
_AGE_RE = re.compile(r"\b(usia|umur|umurnya|usianya|age|aged|berusia|berumur|m|im|am|anak|adik|dek|adek|saya|aku)"
                     r" (?:[a-z]+ )?(\d{1,2})\b(?: (?:\d{1,2} )?(tahun|years|year|yo|thn))?")  # fmt: skip
# "girls 17 and above", "cewek 16 tahun ke atas": a youngest age named for the people sought
_AGE_FLOOR_RE = re.compile(r"\b(?:girls|boys|gadis|cewek|remaja|women|men) (\d{1,2}) (?:tahun |years |thn )?"
                           r"(?:and above|and over|ke atas|keatas|above|plus)\b")
_STRONG_AGE_CUES = frozenset({"usia", "umur", "umurnya", "usianya", "age", "aged", "berusia", "berumur", "m", "im",
                              "am"})  # fmt: skip
_FEE_AFTER = re.compile(r"^\W*(?:(?:\w+\W+){0,3}?(?:registration|fee|fees|deposit|pendaftaran|biaya|dp|training|"
                        r"administrasi|proses|jaminan)|(?:for|untuk|buat) (?:\w+\W+){0,2}?(?:visa|permit|ticket|"
                        r"tiket|processing|proses|paspor|passport|medical))\b", re.IGNORECASE)  # fmt: skip


class _Found:
    def __init__(self) -> None:
        self.evidence: dict[str, list[str]] = {}
        self.tags: dict[str, set[str]] = {}

    def add(self, flag: str, ev: str, tag: str = "") -> None:
        lst = self.evidence.setdefault(flag, [])
        low = ev.lower()
        if ev and not any(low in e.lower() for e in lst):  # keep the longest of overlapping quotes
            lst[:] = [e for e in lst if e.lower() not in low] + [ev]
        self.tags.setdefault(flag, set()).add(tag)

    def drop(self, flag: str) -> None:
        self.evidence.pop(flag, None)
        self.tags.pop(flag, None)


def _first_mentions(regexes: dict[str, re.Pattern[str]], norm: Norm, negators: frozenset[str] = frozenset(),
                    window: int = 0) -> list[tuple[int, str, int, int]]:  # fmt: skip
    found = []
    for key, rx in regexes.items():
        for m in rx.finditer(norm.text):
            if _preceded_by(norm, m.start(), negators, window):
                continue
            found.append((m.start(), key, m.start(), m.end()))
            break
    return sorted(found)


def _words_before(original: str, start: int, n: int) -> list[str]:
    return _fold(original[max(0, start - 60) : start]).split()[-n:]


def _money_role(before: list[str], after: str) -> str | None:
    """'salary', 'fee' or None: the nearest unambiguous cue word before the amount decides ("gaji 15jt",
    "biaya 5jt"); otherwise the words after it ("1100 USD/bulan", "USD 350 for visa processing")."""
    for w in reversed(before):
        if any(ch.isdigit() for ch in w):
            break  # the words before belong to the previous amount
        if w in lx.FEE_CUES and w not in lx.SALARY_CUES:
            return "fee"
        if w in lx.SALARY_CUES and w not in lx.FEE_CUES:
            return "salary"
    if lx.SALARY_AFTER.match(after):
        return "salary"
    if _FEE_AFTER.match(after):
        return "fee"
    return None


def _salaries(original: str) -> list[Money]:
    """Amounts promised as pay. A foreign-currency amount with no cue is read as pay (offers quote wages
    abroad in the local currency); a rupiah amount needs a cue."""
    out: list[Money] = []
    for money in find_money(original):
        before = [re.sub(r"\W", "", w) for w in _words_before(original, money.start, 6)]
        role = _money_role(before, original[money.end : money.end + 40])
        if role == "salary" or (role is None and money.currency != "IDR"):
            out.append(money)
    return out


def _detect(text: str) -> _Found:
    norm = normalize(text)
    found = _Found()
    for r in lx.RULES:
        for m in r.pattern.finditer(norm.text):
            if _preceded_by(norm, m.start(), r.negators, r.window):
                continue
            if r.cancel_after and r.cancel_after.match(norm.text[m.end() :]):
                continue
            if (r.negators is lx.WARN or r.flag in _DESCRIBED_SIGNS) and _in_warning_sentence(norm, text, m.start()):
                continue
            if r.flag == "upfront_fee" and _in_limit_sentence(norm, text, m.start()):
                continue
            found.add(r.flag, _evidence(norm, text, m.start(), m.end()), r.tag)

    countries = _countries(norm)
    jobs = _first_mentions(_JOB_RE, norm, lx.NEG, 2)
    country_names = [c for _, c, _, _ in countries]
    job_cats = {cat: (s, e) for _, cat, s, e in jobs}

    def ev(span: tuple[int, int]) -> str:
        return _evidence(norm, text, *span)

    # scam_job_pattern: office/online work in a scam hub, any job where there is no placement agreement
    for _, c, s, e in countries:
        if c in lx.SCAM_COUNTRIES and "office" in job_cats:
            found.add("scam_job_pattern", ev((s, e)))
            found.add("scam_job_pattern", ev(job_cats["office"]))
        elif c in lx.NO_AGREEMENT and (jobs or _JOB_CONTEXT.search(norm.text)):
            found.add("scam_job_pattern", ev((s, e)))
    scam = _SCAM_WORK.search(norm.text)
    if scam and _JOB_CONTEXT.search(norm.text) and not _preceded_by(norm, scam.start(), lx.WARN, 3):
        found.add("scam_job_pattern", ev((scam.start(), scam.end())))

    # banned_placement: domestic work in the Middle East (Kepmenaker 260/2015), SPSK pilot excepted
    me = [(s, e) for _, c, s, e in countries if c in lx.MIDDLE_EAST]
    if (me and "domestic" in job_cats and not re.search(r"\bspsk\b|satu kanal", norm.text)
            and not _says_closed(norm, text, job_cats["domestic"][0])):
        found.add("banned_placement", ev(job_cats["domestic"]))
        found.add("banned_placement", ev(me[0]))

    # unrealistic_pay: a promised wage above the plausible ceiling for the destination and job
    # the destination is the country named after "di/ke/in/to" ("restoran Jepang di Dubai" is in Dubai)
    located = [c for pos, c, _, _ in countries if _preceded_by(norm, pos, _LOCATIVE, 1)]
    dest = next((c for c in [*located, *country_names] if c in lx.PAY_CEILING_IDR), None)
    table = lx.PAY_CEILING_IDR[dest]
    cat = next((c for c in ("domestic", "office", "service", "manual", "fishing") if c in job_cats), "*")
    ceiling = table.get(cat, table["*"])
    for money in _salaries(text):
        if money.low_idr > ceiling or money.low_idr > 60e6:
            found.add("unrealistic_pay", money.text)

    # underage: a stated age under 18
    for m in _AGE_RE.finditer(norm.text):
        cue, age, unit = m[1], int(m[2]), m[3]
        if 10 <= age < 18 and (cue in _STRONG_AGE_CUES or unit):
            found.add("underage", ev((m.start(), m.end())))
    for m in _AGE_FLOOR_RE.finditer(norm.text):
        if 10 <= int(m[1]) < 18:
            found.add("underage", ev((m.start(), m.end())))

    for m in _HANDLE.finditer(text):
        found.add("unlicensed_recruiter", m.group(0), "contact")
    # contact-only recruiting is not a warning sign when an official channel is named in the post
    if found.tags.get("unlicensed_recruiter") == {"contact"} and _OFFICIAL.search(norm.text):
        found.drop("unlicensed_recruiter")
    # money to the family from an online "partner" is the romance lure, not a recruiter's debt
    if "romance_lure" in found.evidence and found.tags.get("debt_bondage") == {"family_cash"}:
        found.drop("debt_bondage")
    return found


def lexicon_evidence(text: str) -> dict[str, list[str]]:
    """What the lexicon and the rules alone find: flag -> quotes (the learned second opinion's labels)."""
    return _detect(text).evidence


def countries_in(text: str) -> list[str]:
    """The countries a text names, in order of first mention."""
    return [c for _, c, _, _ in _countries(normalize(text))]


def jobs_in(text: str) -> list[str]:
    """The job categories a text names (domestic, office, service, manual, fishing)."""
    return [cat for _, cat, _, _ in _first_mentions(_JOB_RE, normalize(text), lx.NEG, 2)]


def salaries_in(text: str) -> list[Money]:
    """The amounts a text promises as pay."""
    return _salaries(text)


def analyze_offer(text: str, lang: str = "id", content_dir: Path | None = None) -> OfferVerdict:
    """Public API: the red flags in `text`, the risk, and what to do (in `lang`, else its fallback)."""
    with use_content_dir(content_dir):  # texts in the languages of that directory
        return _analyze(text, lang, load_content(content_dir))


def _analyze(text: str, lang: str, content: Content) -> OfferVerdict:
    found = _detect(text or "")
    for fid, quote in second_opinion(lexicon_evidence).extra_flags(text or "", set(found.evidence)).items():
        found.add(fid, quote, "learned")
    flags = []
    for fid in content.red_flags:  # content's order; a flag content lacks is a `content check` error
        if fid not in found.evidence:
            continue
        rf = content.red_flag(fid)
        flags.append(
            FlagHit(
                id=fid,
                title=rf.title.get(lang),
                evidence=found.evidence[fid],
                grave=rf.grave,
                explanation=rf.why.get(lang),
                advice=rf.instead.get(lang),
                source=list(rf.source),
                learned=found.tags.get(fid) == {"learned"},
            )
        )
    risk = risk_of([f.id for f in flags], content)
    advice: list[str] = []
    if risk == "low":
        advice.append(pick(LOW_NOTE, lang))
    for f in flags:
        if f.advice not in advice:
            advice.append(f.advice)
    advice.append(
        content.safe_migration["check_agency"].text.get(lang)
    )  # always: how to verify the recruiter
    return OfferVerdict(risk=risk, flags=flags, advice=advice)
