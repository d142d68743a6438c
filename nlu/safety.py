"""Keyword/regex safety net: messages that signal danger reach `emergency` whatever the classifier says.

Works on any backend's Rasa-shaped parse result (`apply_safety`) and on raw text (`is_danger`).
Patterns run on normalised text (nlu.normalize), so "sy dkurung gk blh kluar" matches like
"saya dikurung tidak boleh keluar".

Policy (safety over cleverness):
- STRONG signals (locked in, beaten, threatened, forced, not fed, sold, hiding, "tolong!" alone...)
  force `emergency`, unless the message is a general question with nobody in it ("apa itu kerja
  paksa?") *and* the classifier reads it as an information question, or it clearly speaks of the
  past from safety ("dulu pernah dipukul, sekarang sudah pulang").
- WEAK signals (passport/phone held, not allowed out) force `emergency` unless the message is a
  general question with nobody in it ("apakah majikan boleh menyimpan paspor pekerja?").
- A fallback whose best guess is `emergency` becomes `emergency`.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from nlu.base import FALLBACK
from nlu.crisis import apply_crisis
from nlu.normalize import normalize

EMERGENCY = "emergency"
INFO_INTENTS = frozenset({"ask_red_flags", "ask_aid", "ask_safe_migration", "verify_agency", "check_offer"})

_DI = r"d(?:i ?)?"  # passive prefix, also written apart ("di kurung") or clipped ("dkurung")
_WHO = (
    r"(?:saya|aku|kami|kita|dia|mereka|adik|adek|kakak|anak|istri|suami|ibu|bapak|ayah|"
    r"teman|keluarga|saudara|sepupu|ponakan|keponakan|tetangga|cewek|cowok)"
)

_STRONG = [
    # locked in, held captive, kidnapped
    rf"\b{_DI}(?:kurung|sekap|kerangkeng|sandera|culik|tawan|penjara)\w*",
    r"\b(?:mengurung|ngurung|menyekap|nyekap|menyandera|menculik|mengunci)\b",
    rf"\b{_WHO}\b(?: \w+){{0,3}} {_DI}kunci\w*",
    rf"\b{_DI}kunci\w* (?:di|dalam|dari luar)\b",
    # violence, sexual violence
    rf"\b{_DI}(?:pukul|siksa|aniaya|tampar|tendang|setrum|cekik|tusuk|gebuk|hajar|injak|jambak|perkosa|"
    r"lecehkan|keroyok|bacok|sundut|cambuk|sabet)\w*",
    r"\b(?:mukul|mukulin|pukulin|pukuli|memukul|memukuli|menyiksa|nyiksa|siksain|menganiaya|menampar|nampar|"
    r"nabok|nendang|menendang|memperkosa|perkosa|menyetrum|nyetrum|menghajar|gebukin|melecehkan|lecehin|"
    r"lecehkan|siksa)\b",
    rf"\b{_DI}siram\w* air (?:panas|keras)",
    # threats to life or family
    rf"\b{_DI}ancam\w*",
    r"\b(?:mengancam|ngancam|ngancem)\b",
    rf"\b(?:mau|akan|mau di|bakal) ?{_DI}bunuh\b|\btakut {_DI}bunuh\b",
    r"\b(?:bunuh|membunuh|habisi|menghabisi) (?:saya|aku|kami|dia|anak|adik|istri|suami|keluarga)\b",
    # forced labour / forced sex work
    rf"\b{_DI}paksa\w*",
    rf"\b(?:memaksa|maksa) {_WHO}\b",
    # not fed
    r"\btidak (?:pernah )?(?:d(?:i ?)?)?(?:kasih|beri|berikan|bagi|kasi|kirim)(?: \w+)? makan",
    r"\btidak (?:boleh|bisa) makan\b",
    r"\b(?:tidak|belum) makan (?:sudah |selama )?(?:\d+|dua|tiga|empat|lima|berhari|seharian)",
    r"\b(?:\d+|dua|tiga|empat|lima|berhari hari) hari (?:tidak|belum) (?:d(?:i ?)?kasih )?makan\b",
    # sold, trafficked right now
    rf"\b{_DI}jual (?:ke|kepada|sama|lagi)\b",
    rf"\b(?:menjual|jual) {_WHO}\b",
    # escaping / hiding / being chased
    r"\b(?:kabur|lari|melarikan diri) dari (?:majikan|agen|penampungan|mess|rumah|tempat|perusahaan|bos)",
    r"\b(?:sembunyi|bersembunyi|ngumpet)\b",
    rf"\b{_DI}kejar\w*",
    rf"\bmau kabur\b.*\b{_DI}jaga\b",
    # explicit alarm
    r"\bdarurat\b",
    r"\bterjebak\b|\bdisandera\b|\btebusan\b",
    r"\bbahaya tolong\b|\btolong bahaya\b",
    r"\bsos\b",
    r"\bdalam bahaya\b",
    r"\bselamatkan (?:saya|aku|kami)\b",
    r"\bjemput (?:saya|aku|kami)\b.*\bcepat|\btolong jemput\b",
    # English
    r"\block(?:ed)? (?:me |us |her |him )?(?:in|up)\b|\blocked (?:me|us|her|him)\b",
    r"\b(?:beat|beats|beating|beaten|hit|hits|hitting|hurt|hurts|hurting|abuse|abuses|abused|abusing|"
    r"rape|rapes|raped|raping|torture|tortured|tortures|kick|kicked|slap|slapped|punch|punched)"
    r" (?:me|us|her|him|them|my)\b",
    r"\b(?:beaten|raped|tortured|kidnapped|kidnaped|abducted|abused)\b",
    r"\blocks (?:me|us|her|him) (?:in|up)\b",
    r"\btrapped\b",
    r"\bheld (?:captive|hostage|against)\b|\bagainst (?:my|her|his|our) will\b",
    r"\b(?:threaten|threatened|threatens|threatening)\b",
    r"\bforced to\b",
    r"\bkill (?:me|us|her|him)\b",
    r"\b(?:don't|dont|do not|doesn't|won't|wont|never) (?:feed|give (?:me|us) (?:food|anything to eat))\b",
    r"\bhaven't eaten\b|\bhavent eaten\b|\bno food for\b",
    r"\bin danger\b|\bsave me\b|\brescue (?:me|us)\b|\bemergency\b|\burgent help\b",
    r"\bhiding\b",
]
_WEAK = [
    # identity documents or phone held / taken
    rf"\bpaspor\w*(?: \w+){{0,3}} (?:mau |masih |sedang |lagi )?{_DI}(?:tahan|ambil|sita|rampas|simpan|pegang|bawa)\w*",
    r"\b(?:menahan|nahan|tahan|ambil|mengambil|menyita|sita|pegang|memegang|menyimpan|simpan|ngambil|"
    r"rampas|merampas)\b(?: \w+){0,2} paspor\b",
    rf"\b(?:hp|handphone|ponsel|telepon)\b(?: \w+){{0,2}} (?:mau |sudah )?{_DI}(?:sita|ambil|rampas|tahan)\w*",
    r"\b(?:took|take|taken|keep|keeps|kept|holding|hold|holds|confiscated|confiscate) (?:my|our|her|his) "
    r"(?:paspor|phone|documents|id)\b",
    r"\bpaspor (?:was |is |has been )?(?:taken|confiscated|held|kept)\b",
    r"\b(?:won't|wont|doesn't|does not|will not|refuses to) (?:give|return) (?:me |us )?(?:back )?(?:my|our|her|his) paspor",
    # not allowed out / home
    r"\btidak (?:boleh|bisa|diizinkan|diijinkan|diizinin|diijinin|dibolehkan|dibolehin|diperbolehkan|"
    r"dibiarkan|dikasih) "
    r"(?:keluar|kabur|pergi|kemana|kemana mana|pulang|lari)\b",
    r"\bdilarang (?:keluar|pulang|pergi)\b",
    r"\btidak (?:mengizinkan|mengijinkan|membolehkan|izinkan|ngizinin|ngebolehin|kasih) (?:saya|aku|kami|dia)"
    r" (?:keluar|pulang|pergi)\b",
    r"\b(?:won't|wont|will not|don't|dont|do not|doesn't|does not) let (?:me|us|her|him) (?:leave|go|out)\b",
    r"\bnot allowed to (?:leave|go out|go home|go)\b|\bcan't leave\b|\bcannot leave\b",
    r"\bbeing held\b",
]
# Whole message is a bare cry for help: "tolong!!", "help me", "tolong saya cepat".
_BARE_CRY = re.compile(
    r"^(?:tolong|tulung|sos)(?: (?:saya|aku|kami|please|pls|cepat|segera|tolong))*$"
    r"|^(?:please |pls |plis )?help(?: (?:me|us))(?: (?:please|pls|now|quick|cepat|tolong))*$"
    r"|^(?:please|pls|plis) help(?: (?:please|pls|now))*$"
)
# Harmless uses of danger words, blanked out before matching ("akun facebook saya dikunci").
_HARMLESS = re.compile(
    r"\b(?:akun|account|rekening|atm|kartu|sim|email|whatsapp|facebook|instagram|tiktok|hp|handphone|"
    r"aplikasi|layar)\b(?: \w+){0,2} (?:d(?:i ?)?kunci|terkunci|ke ?blokir|diblokir)\w*"
)
_STRONG_RE = re.compile("|".join(f"(?:{p})" for p in _STRONG))
_WEAK_RE = re.compile("|".join(f"(?:{p})" for p in _WEAK))
# Somebody concrete is in the message (first person or a relative): then it is not a general question.
_PERSONAL = re.compile(
    r"\b(?:saya|aku|kami|kita|dia|adik|adek|kakak|anak|istri|suami|ibu|bapak|ayah|teman|keluarga|"
    r"saudara|sepupu|keponakan|ponakan|tetangga|i|i'm|im|me|my|we|us|our)\b"
    r"|\b(?:paspor|hp|gaji|majikan|suami|istri|anak|adik|kakak|ibu|badan|keluarga|dokumen|ktp)ku\b"
)
_QUESTION = re.compile(
    r"\?|\b(?:bener|benar|aman|wajar|normal|boleh) (?:gak|tidak|nggak|ga|kah|ya)\b"
    r"|^(?:apa|apakah|bolehkah|kenapa|mengapa|bagaimana|gimana|bagaimanakah|benarkah|kalau|jika|misal|"
    r"what|why|how|can|is|are|does|do)\b|\b(?:hukum|hukumnya|aturan|aturannya|boleh tidak|legal|"
    r"dilarang tidak|boleh gak)\b"
)
_PAST_SAFE = re.compile(
    r"\b(?:dulu|dahulu|pernah|waktu itu|dulunya|sudah (?:pulang|kembali|bebas|aman|selamat|di rumah|"
    r"di indonesia|di indo|di kampung|keluar dari)|baru (?:pulang|dipulangkan)|dipulangkan|dideportasi|"
    r"setelah pulang|sepulang|used to|back home|was deported)\b"
)
_PRESENT = re.compile(
    r"\b(?:masih|sedang|still|right now|now)\b|\bsekarang\b(?! (?:sudah|di rumah|di indonesia|aman|selamat))"
)


def danger_level(text: str) -> str:
    """'strong', 'weak' or 'none' for the raw message text."""
    norm = normalize(text)
    if not norm:
        return "none"
    if _BARE_CRY.match(norm):
        return "strong"
    norm = _HARMLESS.sub(" ", norm)
    strong = _STRONG_RE.search(norm) is not None
    weak = not strong and _WEAK_RE.search(norm) is not None
    if not (strong or weak):
        return "none"
    if _PAST_SAFE.search(norm) and not _PRESENT.search(norm):
        return "none"
    return "strong" if strong else "weak"


def is_general_question(text: str) -> bool:
    """A question about rules or risks with nobody in it: 'apakah agen boleh menahan paspor?'."""
    norm = normalize(text)
    return bool(_QUESTION.search(text.lower()) or _QUESTION.search(norm)) and not _PERSONAL.search(norm)


def is_danger(text: str) -> bool:
    level = danger_level(text)
    return level == "strong" or (level == "weak" and not is_general_question(text))


def apply_safety(result: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of a Rasa-shaped parse result with `emergency` forced where danger is signalled."""
    result, crisis = apply_crisis(result)  # self-harm first: "mau bunuh diri" is no threat from others
    if crisis:
        return result
    text = str(result.get("text") or "")
    intent = (result.get("intent") or {}).get("name")
    ranking = [r for r in result.get("intent_ranking") or [] if r.get("name") != FALLBACK]
    top = ranking[0]["name"] if ranking else intent
    level = danger_level(text)
    general = level != "none" and is_general_question(text)
    force = (level == "strong" and not (general and top in INFO_INTENTS)) or (level == "weak" and not general)
    rescue = intent == FALLBACK and top == EMERGENCY
    if intent == EMERGENCY or not (force or rescue):
        return result
    out = copy.deepcopy(result)
    ranked = [r for r in out.get("intent_ranking") or [] if r.get("name") != FALLBACK]
    model_conf = next((float(r["confidence"]) for r in ranked if r["name"] == EMERGENCY), 0.0)
    confidence = 1.0 if force else model_conf
    out["intent"] = {"name": EMERGENCY, "confidence": confidence}
    out["intent_ranking"] = [{"name": EMERGENCY, "confidence": confidence}] + [
        r for r in ranked if r["name"] != EMERGENCY
    ]
    return out
