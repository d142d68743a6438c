"""Chat-style Indonesian normalisation: "sy gk blh kluar" -> "saya tidak boleh keluar".

Uses the colloquial-Indonesian lexicon shipped with indoNLP (Kamus Alay, MIT) plus project
overrides for migrant-work vocabulary and a single spelling for negation ("tidak"). The same
function runs at training and parse time, so the classifier sees one spelling per word.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from functools import lru_cache
from pathlib import Path


def _indonlp_slang() -> dict[str, str]:
    """indoNLP's SLANG_DATA, loaded from its module file.

    `import indoNLP.preprocessing` also loads its emoji tables (~35 MB of RSS); only the slang
    dictionary is needed, so its data module is executed on its own.
    """
    spec = importlib.util.find_spec("indoNLP")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("indoNLP is not installed (pip install indonlp)")
    path = Path(next(iter(spec.submodule_search_locations))) / "preprocessing" / "slang_data.py"
    module_spec = importlib.util.spec_from_file_location("_indonlp_slang_data", path)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return dict(module.SLANG_DATA)


SLANG_DATA = _indonlp_slang()

# Project overrides, "replacement: variants": words the general lexicon lacks or maps unhelpfully
# for this domain, and one spelling for negation.
_OVERRIDE_TABLE = """
    tidak: g ga gak gk ngga nggak ngak ngk enggak engga egak tdk tak ndak nda gx gax kagak kaga tida
    tidak mau: gamau gamao
    tidak bisa: gabisa gbs
    tidak usah: gausah gaus
    tidak apa apa: gpp gapapa
    belum: blm blum
    sudah: dah udh dh
    kerja: krj kerjo krja kja
    pekerjaan: kerjaan
    makan: mkn mkan maem
    kasih: kasi
    dikasih: dikasi dksh diksh
    boleh: blh bole
    bisa: bsa bs isa
    tolong: tlg tlng tolongin tulung toloong
    bantu: bntu bnt bantuin
    bantuan: bntuan
    pulang: plg plang
    berangkat: brgkt brangkat brkt
    lowongan kerja: loker lowker
    lowongan: lowongn
    negeri: negri
    luar negeri: ln
    paspor: pasport passport pspr pasprt paspot
    majikan: majkan mjikan majikn bos boss
    agen: agn agency agensi
    saya: sy sya
    aku: aq ak gw gue gua
    kamu: km kmu
    you: u
    dari: dr dri
    kemana: kmn kmana
    dimana: dmn dmna
    bagaimana: gmn gmna gimana bgmn
    keluar: kluar klwr
    keluarga: kluarga klrg
    sekarang: skrg skrng skg skrang
    terima kasih: mksh makasih makasi mkasih trimakasih terimakasih trmksh
    thanks: thx tq ty tks
    dengan: dgn
    sama: sm ama
    untuk: utk untk
    karena: krn krna karna soalnya
    pmi: tki tkw tkf
    hp: hp
    whatsapp: wa
    facebook: fb
    instagram: ig
    pt: pt
    juta: jt jeti
    ribu: rb
    jemput: jmpt jmput jempt
    tempat: tmpt
"""
OVERRIDES: dict[str, str] = {
    variant: replacement.strip()
    for line in _OVERRIDE_TABLE.strip().splitlines()
    for replacement, variants in [line.split(":", 1)]
    for variant in variants.split()
}
_LEXICON: dict[str, str] = {**SLANG_DATA, **OVERRIDES}
# Keys of the lexicon that must stay as they are: place abbreviations, domain words, and English
# words the colloquial lexicon reads as Indonesian chat ("in" -> "ini", "to" -> "tapi", "am" -> "sama").
for _keep in (
    "hk",
    "kk",
    "ksa",
    "uea",
    "korsel",
    "jaktim",
    "jaksel",
    "ntt",
    "ntb",
    "abk",
    "lpk",
    "ktp",
    "it",
    "am",
    "do",
    "may",
    "in",
    "to",
    "or",
    "so",
    "than",
    "make",
):
    _LEXICON.pop(_keep, None)

_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)
_REDUPLICATION = re.compile(r"^([^\W\d_]{2,})2$")  # anak2 -> anak anak
_ELONGATION = re.compile(r"([a-z])\1{2,}")  # tolooong -> tolong
_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+")


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def normalize_token(token: str) -> str:
    token = _ELONGATION.sub(r"\1", token)
    m = _REDUPLICATION.match(token)
    if m:
        base = _LEXICON.get(m.group(1), m.group(1))
        return f"{base} {base}"
    return _LEXICON.get(token, token)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens of the raw text (no normalisation)."""
    return _TOKEN.findall(strip_accents(text.lower()))


def normalize(text: str) -> str:
    """Lower-case, drop URLs and punctuation, expand chat spellings; returns space-joined words."""
    text = _URL.sub(" url ", text)
    return " ".join(normalize_token(t) for t in tokens(text))
