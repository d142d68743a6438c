"""Is this an offer? What a text tells about a job offer (job, place, pay, conditions, recruiter), and whether
that is enough for a verdict.

A request to check ("tlg dicek ya aman gk"), a question or a story carries none or one of these and gets no
risk level: "low" read off a request would reassure someone about an offer nobody has seen (issue 19).
Context cues (the recruiter is a neighbour, "others went and it was fine") are read here too, so a follow-up
can be told apart from a new offer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.knowledge import offer_lexicon as lx
from bot.knowledge.offers import OfferVerdict, analyze_offer, countries_in, normalize, salaries_in

FIELDS = ("job", "place", "pay", "conditions", "recruiter")

_JOB = re.compile(r"\b(?:" + "|".join(lx.JOB_WORDS) + r"|lowongan|dibutuhkan|dicari|hiring|vacancy|job order|"
                  r"posisi|position|kerja (?:di|ke|sebagai|jadi|jd)|bekerja (?:di|ke|sebagai)|jadi (?:pelayan|"
                  r"perawat|sopir|operator|buruh))\b")  # fmt: skip
_PAY = re.compile(r"\b(?:gaji|gajinya|salary|upah|digaji|bergaji|wage|bayaran|penghasilan)\b")
_CONDITIONS = re.compile(r"\b(?:visa(?:nya)?|kontrak(?:nya)?|perjanjian kerja|contract|biaya|bayar|fee|tiket|ticket|mess|asrama|"
                         r"syarat|persyaratan|requirement|requirements|jam kerja|libur|cuti|lembur|overtime|"
                         r"pelatihan|training|medical|medikal|paspor|passport|dp|potongan|dipotong|usia|umur|"
                         r"ijazah|pengalaman|experience|ditanggung|gratis|free|berangkat (?:\w+ ){0,2}(?:minggu|"
                         r"bulan|hari|tanggal|besok))\b")  # fmt: skip
_RECRUITER = re.compile(r"\b(?:pt [a-z]+|p3mi|sip3mi|agen|agency|agensi|perusahaan|company|sponsor|calo|tekong|"
                        r"perekrut|recruiter|disnaker|ltsa|bp3mi|kp2mi|bp2mi|hubungi|hub|kontak|contact|minat|"
                        r"inbox|japri|dm|tetangga|saudara|kenalan|kerabat|pak haji|bu haji|majikan|bos|"
                        r"(?:0 ?8|62 ?8)\d+)\b")  # fmt: skip

# A follow-up about the same offer: who recruits and what others said.
_RELATION = re.compile(r"\b(?:tetangga|saudara|kerabat|keluarga|om|tante|paman|bibi|teman|kenalan|pak haji|"
                       r"bu haji|haji|ustad|ustadz|orang kampung|orang desa|pak rt|pak kades|lewat dia|"
                       r"sama dia|orangnya|cousin|uncle|aunt|neighbour|neighbor|relative|friend)\b")  # fmt: skip
REASSURANCE = re.compile(r"\b(?:(?:sudah|banyak|bnyk) (?:\w+ ){0,3}(?:berangkat|kerja|pergi|lewat)|katanya aman|"
                         r"aman aman|aman aja|aman saja|dijamin aman|pasti aman|orang(?:nya)? baik|bisa dipercaya|"
                         r"terpercaya|(?:tetangga|saudara|keluarga|teman) (?:saya |sy |aku )?sendiri|"
                         r"sudah kenal|kenal (?:lama|baik)|tidak mungkin (?:bohong|nipu|menipu)|pak haji|bu haji|"
                         r"haji|many (?:\w+ ){0,3}(?:went|gone|left|go)|it was fine|(?:is|it s|was) safe|"
                         r"(?:trust|trusted|know) (?:him|her|them))\b")  # fmt: skip
_COMPLAINT = re.compile(r"\b(?:kok (?:\w+ )?(?:ditanya|nanya|tanya)|(?:sudah|kan) (?:\w+ ){0,2}(?:kirim|kasih|"
                        r"tempel|share|paste)|di ?atas|tadi (?:sudah|kan)|already sent|i sent)\b")  # fmt: skip
_ANOTHER = re.compile(r"\b(?:(?:lowongan|tawaran|loker|offer|job)(?: \w+)? (?:lain|lainnya|baru|lagi)|yang lain|satu lagi|"
                      r"another|other one|new one|different one)\b")  # fmt: skip
_STOP = re.compile(
    r"^\W*(?:stop|berhenti|sudah|cukup|tidak jadi|batal|lewati|skip|nanti saja|nanti aja)\W*$|"
    r"\b(?:tidak jadi|berhenti|batal|stop)\b"
)


@dataclass(frozen=True, slots=True)
class Reading:
    """What a text holds: the offer fields present, context cues, and the analyzer's verdict."""

    present: frozenset[str]
    verdict: OfferVerdict
    words: int

    @property
    def missing(self) -> list[str]:
        return [f for f in FIELDS if f not in self.present]

    @property
    def judgeable(self) -> bool:
        """Enough to give a risk level: warning signs with something of an offer around them, or, for
        "low", most of an offer (a job or a place, and more)."""
        n, flags = len(self.present), self.verdict.flags
        if flags:
            return n >= 2 or (n == 1 and (len(flags) >= 2 or any(f.grave for f in flags)))
        return n >= 3 and bool(self.present & {"job", "place"})


def offer_fields(text: str) -> frozenset[str]:
    norm = normalize(text).text
    found = set()
    if _JOB.search(norm):
        found.add("job")
    if countries_in(text):
        found.add("place")
    if salaries_in(text) or _PAY.search(norm):
        found.add("pay")
    if _CONDITIONS.search(norm):
        found.add("conditions")
    if _RECRUITER.search(norm):
        found.add("recruiter")
    return frozenset(found)


def read_offer(text: str, lang: str = "id") -> Reading:
    return Reading(offer_fields(text), analyze_offer(text, lang), len(text.split()))


def is_context(text: str) -> bool:
    """A follow-up that says who recruits or what others said ("bu yati tetangga sy sendiri")."""
    norm = normalize(text).text
    return bool(_RELATION.search(norm) or REASSURANCE.search(norm))


def reassures(text: str) -> bool:
    return bool(REASSURANCE.search(normalize(text).text))


def is_complaint(text: str) -> bool:
    """ "kok ditanya2, sy kan udh kirim": the person says they already sent the offer."""
    return bool(_COMPLAINT.search(normalize(text).text))


def asks_another(text: str) -> bool:
    """ "mau cek lowongan lain": a new check, not more about the last offer."""
    return bool(_ANOTHER.search(normalize(text).text))


def wants_to_stop(text: str) -> bool:
    """ "stop", "gak jadi", "udah ah": leave the check (a short message only)."""
    return len(text.split()) <= 6 and bool(_STOP.search(normalize(text).text))
