"""Guess whether a message is Indonesian or English from common words (chat spellings included).

Short messages carry little signal, so the guess is `None` unless one side clearly wins; the
conversation then keeps its current language.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-zA-Z']+")

_EN = frozenset(
    """
    the a an is are am was were be been i i'm im me my mine you your yours he she it we they them this
    that these those what whats what's how why when where who which can could would should will do does
    did don't dont not no yes yeah please thanks thank hello hey good morning evening night help want
    need have has had get got job jobs work working worker offer agent agency company salary pay paid
    money fee fees visa passport contract employer boss home country go going back there here and or but
    with without from for to of in on at about by if than then just only also very really english speak
    talk person human someone somebody anyone bot robot real am is safe legal scam fake check tell show
    give send know understand sorry bye goodbye nearest office locked beaten
    """.split()
)

_ID = frozenset(
    """
    saya sy aku aq gw gue gua kamu anda km lu lo dia kami kita mereka ini itu yg yang dan atau tapi
    dengan tanpa dari untuk utk buat ke di pada dalam tentang oleh kalau kalo klo jika maka juga sangat
    banget bgt sekali cuma hanya apa apakah bagaimana gimana gmn gmna kenapa knp mengapa kapan dimana
    mana siapa berapa brp bisa bs dapat dpt mau mo ingin pengen pingin harus perlu tolong tlg mohon
    terima kasih makasih trims halo hai selamat pagi siang sore malam ya iya iyaa tidak tdk gak ga gk
    nggak enggak engga bukan belum blm sudah sdh udah udh sedang lagi lg kerja krj bekerja pekerjaan
    kerjaan gaji biaya bayar uang duit agen calo perusahaan pt paspor visa kontrak majikan pulang rumah
    negara luar negeri sana sini bantuan bantu tolongin orang manusia petugas bahasa indonesia dong deh
    sih nih kok kah lah nya aja saja juga jg mas mbak pak bu bapak ibu kak
    """.split()
)

# Words both languages share carry no signal.
_SHARED = _EN & _ID


def detect_language(text: str) -> str | None:
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return None
    en = sum(1 for w in words if w in _EN and w not in _SHARED)
    idn = sum(1 for w in words if w in _ID and w not in _SHARED)
    if en > idn and en >= 1 and en >= 0.3 * len(words):
        return "en"
    if idn > en and idn >= 1:
        return "id"
    return None
