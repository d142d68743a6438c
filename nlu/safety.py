"""Safety net: messages that signal danger reach `emergency` whatever the classifier says.

Works on any backend's Rasa-shaped parse result (`apply_safety`) and on raw text of any length
(`is_danger`, `danger_level`: the engine may call them on a message too long to classify).
Patterns run on normalised text (nlu.normalize), so "sy dkurung gk blh kluar" matches like
"saya dikurung tidak boleh keluar".

Real pleas are long: a religious greeting, a name, a home town, then the situation, often without
any alarm word ("pintu dikunci 24 jam", "dijaga ketat", "pendarahan tiga bulan tanpa obat",
"mohon pemerintah segera mengevakuasi kami"). So the text is read sentence by sentence and clause
by clause, and besides the alarm words (STRONG, WEAK) a condition layer scores situations:
confinement, guarding, threats, wanting to be evacuated or fetched, escape, untreated illness
(grave, 2 points each), no pay for months, no rest (1), and softer cues - a plea ("tolong saya",
"mohon bantuan"), wanting to go home, illness, an appeal to the government (0.5). Two points, or
three different soft cues, make the message as dangerous as an alarm word.

Policy (safety over cleverness):
- STRONG signals (locked in, beaten, threatened, forced, not fed, sold, hiding, "tolong!" alone)
  force `emergency`, unless the message is a general question with nobody in it ("apa itu kerja
  paksa?") *and* the classifier reads it as an information question.
- WEAK signals (passport/phone held, not allowed out) and grave situations force `emergency`
  unless the message is a general question with nobody in it ("apakah majikan boleh menyimpan
  paspor pekerja?", "bagaimana proses evakuasi WNI?").
- A clause that speaks of the past ("dulu pernah dipukul") counts for nothing unless it also says
  it is still going on; in a message that says the writer is safe now ("sekarang sudah pulang")
  only clauses that say something is still going on ("masih diancam") count.
- A fallback whose best guess is `emergency` becomes `emergency`.
"""

from __future__ import annotations

import bisect
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
_ME = r"(?:saya|aku|kami|kita|kami semua|adik|anak|istri|suami|kakak|dia|mereka)"
# Whom a plea to be rescued or brought home may name: the writer, or a relative the writer speaks for
# ("pulangkan ibu saya", "kami minta anak kami segera dipulangkan"): design.md counts a relative's plea
# for someone held as an emergency. A body to bring home is kept out by _DECEASED.
_KIN = (
    r"(?:saya|aku|kami|kita|kami semua|dia|mereka|(?:adik|adek|anak|istri|suami|kakak|ibu|bapak|ayah|mama|mamak|papa|"
    r"abang|saudara|sodara|keponakan|ponakan|cucu|putri|putra|paman|bibi|menantu)(?: (?:saya|kami|kita|aku|kandung))?)"
)
# Words that may stand between a plea and its verb: "mohon dengan sangat agar kami segera dipulangkan".
_FILL = r"(?:untuk|agar|supaya|segera|bisa|dapat|dengan|sangat|hormat|kami|saya|aku|kita|secepatnya|cepat|dibantu)"
# ... and, before a passive verb, the relative it names: "meminta anak saya segera dipulangkan"
_FILL_KIN = (
    r"(?:untuk|agar|supaya|segera|bisa|dapat|dengan|sangat|hormat|kami|saya|aku|kita|secepatnya|cepat|dibantu|"
    r"adik|adek|anak|istri|suami|kakak|ibu|bapak|ayah|mama|papa|abang|saudara|keponakan|ponakan|putri|putra)"
)
_NUM = r"(?:\d+|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|beberapa|berbulan bulan|berbulan)"

_STRONG = [
    # locked in, held captive, kidnapped
    rf"\b{_DI}(?:kurung|sekap|kerangkeng|sandera|culik|tawan|penjara)\w*",
    r"\b(?:penyekapan|sekapan|penyanderaan|penculikan)\b",
    r"\b(?:mengurung|ngurung|menyekap|nyekap|menyandera|menculik|mengunci)\b",
    rf"\b{_WHO}\b(?: \w+){{0,3}} {_DI}kunci\w*",
    rf"\b{_DI}kunci\w* (?:di|dalam|dari luar)\b",
    # violence, sexual violence
    rf"\b{_DI}(?:pukul|siksa|aniaya|tampar|tendang|setrum|cekik|tusuk|gebuk|hajar|injak|jambak|perkosa|"
    r"lecehkan|keroyok|bacok|sundut|cambuk|sabet)\w*",
    r"\b(?:mukul|mukulin|pukulin|pukuli|memukul|memukuli|menyiksa|nyiksa|siksain|menganiaya|menampar|nampar|"
    r"nabok|nendang|menendang|memperkosa|perkosa|menyetrum|nyetrum|menghajar|gebukin|melecehkan|lecehin|"
    r"lecehkan|siksa)\b",
    rf"\b{_DI}siram\w* (?:pakai |dengan )?(?:air )?(?:panas|keras|dingin|es|cabai|kalau|kalo|jika|oleh|sama)\b",
    # threats to life or family
    rf"\b{_DI}ancam\w*",
    r"\b(?:mengancam|ngancam|ngancem)\b",
    rf"\b(?:mau|akan|mau di|bakal) ?{_DI}bunuh\b|\btakut {_DI}bunuh\b",
    r"\b(?:bunuh|membunuh|habisi|menghabisi) (?:saya|aku|kami|dia|anak|adik|istri|suami|keluarga)\b",
    # forced labour / forced sex work
    rf"\b{_DI}paksa\w*+(?! (?:untuk )?pulang)",  # forced home early is a grievance, not danger
    rf"\b(?:memaksa|maksa) {_WHO}\b(?! (?:untuk )?pulang)",
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
    r"\block(?:ed)? (?:me |us |her |him |them )?(?:in|up|inside)\b|\blocked (?:me|us|her|him|them)\b",
    r"\b(?:beat|beats|beating|beaten|hit|hits|hitting|hurt|hurts|hurting|abuse|abuses|abused|abusing|"
    r"rape|rapes|raped|raping|torture|tortured|tortures|kick|kicked|slap|slapped|punch|punched)"
    r" (?:me|us|her|him|them|my)\b",
    r"\b(?:beaten|raped|tortured|kidnapped|kidnaped|abducted|abused)\b",
    r"\blocks (?:me|us|her|him) (?:in|up)\b",
    r"\btrapped\b",
    r"\bheld (?:captive|hostage|against)\b|\bagainst (?:my|her|his|our) will\b",
    r"\b(?:threaten|threatened|threatens|threatening)\b",
    r"\bforced to\b",
    r"\b(?:kill|shoot) (?:me|us|her|him|them)\b",
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
    rf"\b(?:hp|handphone|ponsel|telepon)\b(?: \w+){{0,2}} (?:mau |sudah )?{_DI}(?:sita|ambil|rampas|tahan|kumpulkan)\w*",
    r"\b(?:took|take|taken|keep|keeps|kept|holding|hold|holds|confiscated|confiscate) (?:my|our|her|his) "
    r"(?:paspor|phone|documents|id)\b",
    r"\bpaspor (?:was |is |has been )?(?:taken|confiscated|held|kept)\b",
    r"\b(?:won't|wont|doesn't|does not|will not|refuses to) (?:give|return) (?:me |us )?(?:back )?(?:my|our|her|his) paspor",
    # not allowed out / home
    r"\btidak (?:boleh|bisa|diizinkan|diijinkan|diizinin|diijinin|dibolehkan|dibolehin|diperbolehkan|"
    r"dibiarkan|dikasih) "
    r"(?:keluar|kabur|pergi|kemana|kemana mana|ke mana mana|pulang|lari|balik)\b",
    r"\bdilarang (?:keluar|pulang|pergi)\b",
    # cut off from family: "dilarang menelpon keluarga", "tidak boleh menghubungi siapa pun"
    r"\b(?:dilarang|tidak (?:boleh|diizinkan|diijinkan|dibolehkan|dikasih)) (?:menelepon|menelpon|nelpon|telepon|telpon|"
    r"menghubungi|hubungi|kontak|berkomunikasi|pegang hp|memegang hp|pakai hp|memakai hp)\b",
    # going home or leaving only against a penalty: "mau pulang harus bayar dulu biaya agen 30 juta"
    r"\b(?:pulang|keluar|berhenti|pindah)\b(?: \w+){0,6} (?:harus |wajib |disuruh |diminta )?(?:bayar|membayar|mengganti|"
    r"melunasi|menebus|tebus)(?: \w+){0,2} (?:ganti rugi|denda|tebusan|biaya agen|penalti|kompensasi|utang|hutang)\b"
    r"|\b(?:pulang|keluar|berhenti|pindah)\b(?: \w+){0,6} (?:harus|wajib|disuruh|diminta) (?:bayar|membayar|menebus|tebus|"
    r"mengganti)\b(?! (?:sendiri|tiket|ongkos|pajak|biaya (?:paspor|visa)))",
    r"\b(?:have to|must|need to|ordered to|told to) pay\b(?: \w+){0,5} (?:(?:if (?:i|we) want to|before (?:i|we) (?:can )?)"
    r" (?:leave|quit|go home|go back)|to (?:leave|quit))\b",
    # debt bondage: "kami harus bekerja sampai utang kami lunas"
    r"\b(?:kerja|bekerja|dipekerjakan)\w*(?: \w+){0,3} (?:sampai|hingga|untuk melunasi|untuk membayar) (?:\w+ ){0,2}"
    r"(?:utang|hutang)\w*",
    # held until a "fine" or a debt is paid: "baru boleh pulang kalau bayar ganti rugi"
    r"\bsebelum (?:\w+ ){0,2}(?:boleh|bisa|diizinkan|dibolehkan) (?:pulang|keluar|pergi|berhenti)\b"
    r"|\btidak (?:boleh|bisa|diizinkan) (?:pulang|keluar|berhenti)\b(?: \w+){0,2} (?:sebelum|kalau belum) "
    r"(?:\w+ )?(?:lunas|bayar|membayar)",
    r"\btidak (?:pernah )?(?:mengizinkan|mengijinkan|membolehkan|izinkan|ngizinin|ngebolehin|kasih|perbolehkan|memperbolehkan) "
    r"(?:(?:saya|aku|kami|dia|mereka|istri saya|anak saya|suami saya|ibu saya|adik saya|kakak saya|nya) )?"
    r"(?:keluar|pulang|pergi)\b",
    r"\b(?:pulang|keluar)\b(?: \w+){0,4} (?:tapi |tetapi |namun )?(?:\w+ )?(?:tidak|belum) (?:di ?)?(?:izinkan|izinin|"
    r"ngizinin|mengizinkan|mengijinkan|zinkan|dizinkan|ijinkan|bolehkan|bolehin|membolehkan|perbolehkan|memperbolehkan|"
    r"kasih)\b|\b(?:keluar|pulang|pergi|mengungsi|kabur)\b(?: \w+){0,3} dilarang\b",
    r"\b(?:won't|wont|will not|don't|dont|do not|doesn't|does not) let (?:me|us|her|him) (?:leave|go|out)\b",
    r"\bnot allowed to (?:leave|go out|go home|go)\b|\bcan't leave\b|\bcannot leave\b",
    r"\bbeing held\b",
]
# Situations that are dangerous without an alarm word, by kind: (points, anchors, patterns).
# Grave kinds score 2 (one is enough), others 1, soft cues 0.5 (see danger_level). Anchors keep
# the hot path fast: a kind's patterns run only on a sentence that contains one of its anchors
# (substrings of the normalised text padded with spaces, "_" for a space: "_jam_" is a word);
# every pattern needs one of its kind's anchors (tests/nlu/test_safety.py checks they agree).
_CONDITIONS: dict[str, tuple[float, str, list[str]]] = {
    "confined": (2.0, "kunci gembok keluar tahan kurung nahan turun darat sandar rapat lock never", [
        rf"\b{_DI}gembok\w*|\bmenggembok\b",
        rf"\b{_DI}kunci\w*(?: \w+){{0,3}} (?:24 jam|dua puluh empat jam|sepanjang hari|siang malam|"
        r"siang dan malam|setiap saat|setiap hari|terus|selalu|dari luar|semua|rapat)",
        rf"\b(?:selalu|terus|24 jam|setiap hari|tiap hari) (?:\w+ )?{_DI}kunci\w*",
        r"\bterkunci (?:di|dalam|dari luar|24 jam|terus)\b",
        r"\btidak (?:pernah|sekalipun) (?:boleh |bisa |diizinkan |dibolehkan |dikasih )?keluar\b",
        rf"\b{_ME}(?: \w+){{0,2}} {_DI}tahan (?:di|oleh|sama|dalam)\b",
        rf"\b{_ME}(?: \w+){{0,2}} {_DI}kurung",
        rf"\b(?:menahan|nahan|menahan nahan) {_ME}\b|\b(?:masih|tetap|terus) (?:me)?nahan\b",
        r"\btidak (?:bisa|boleh|pernah|diizinkan|dibolehkan) (?:turun ke (?:darat|daratan)|turun dari kapal|mendarat|"
        r"ke darat|bersandar|merapat)\b",
        r"\b(?:tidak|belum|tak) (?:mau |pernah |juga )?(?:menurunkan|mengizinkan) (?:\w+ ){0,2}"
        r"(?:ke darat|ke daratan|ke pelabuhan|turun ke darat)\b",
        r"\b(?:locked|locks) (?:\w+ )?(?:24 hours|all day|day and night|from (?:the )?outside)\b",
        r"\bnever (?:allowed|let) (?:\w+ )?(?:out|outside|to leave|to go out)\b",
    ]),
    "guarded": (2.0, "jaga senjata awas kabur lari lolos keluar guard escape no_way", [
        r"\bpenjaga\w* (?:\w+ ){0,4}(?:siang malam|24 jam|setiap saat|di pintu|di gerbang|di depan)\b"
        r"|\btidak ada (?:yang|orang yang) (?:bisa|boleh|berani) keluar\b",
        rf"\b{_DI}jaga\w*(?: \w+){{0,2}} (?:ketat|sangat ketat|24 jam|terus|siang malam|oleh orang|orang bersenjata|"
        r"penjaga|satpam|preman|tentara|militer|bersenjata)",
        r"\bpenjagaan\w*(?: \w+){0,2} ketat\b|\b(?:penjaga|satpam|preman|orang) bersenjata\b",
        r"\b(?:tentara|penjaga|satpam|preman|orang bersenjata|polisi|militer) (?:yang )?(?:selalu |terus )?"
        r"(?:berjaga|menjaga|jaga)\b",
        rf"\b{_DI}awasi\w*(?: \w+){{0,2}} (?:ketat|terus|24 jam|setiap saat|siang malam)",
        r"\b(?:sulit|susah|sukar|tidak bisa|tidak mungkin|tidak dapat|tidak ada jalan) (?:untuk )?(?:kabur|"
        r"melarikan diri|meloloskan diri|lolos)\b",
        r"\b(?:heavily |closely )?guarded\b|\barmed guards?\b|\bcan(?:no|')?t escape\b|\bno way (?:out|to escape)\b",
    ]),
    "threat": (2.0, "mutilasi potong patah organ pulang mulang lepas bebas takut teror never", [
        r"\bmutilasi\w*|\bmemutilasi\b",
        rf"\b{_DI}potong (?:jari|tangan|kaki|telinga|lidah)\w*|\b(?:ambil|jual|diambil|dijual) organ\w*",
        rf"\b(?:jari|tangan|kaki|telinga|lidah|kepala)\w*(?: \w+){{0,3}} (?:akan |mau |bakal )?{_DI}(?:potong|patahkan)",
        r"\btidak akan (?:pernah )?(?:d(?:i ?)?(?:pulangkan|lepas|lepaskan|bebaskan)|bisa pulang|boleh pulang|"
        r"(?:di ?)?biarkan pulang|(?:di ?)?(?:kasih|kasi|izinkan|bolehkan) pulang)\b",
        r"\btidak (?:bisa|boleh) pulang (?:selamanya|seumur hidup|sampai kapanpun|sampai kapan pun)\b",
        r"\b(?:tidak|belum) (?:mau|bersedia|juga|pernah) (?:memulangkan|mulangin|mulangkan|pulangin|melepaskan|"
        r"ngelepasin|membebaskan|membiarkan \w+ pulang)\b",
        r"\b(?:menakut nakuti|menakuti|meneror)\b",
        r"\bnever (?:be )?(?:sent|let|allowed) (?:\w+ )?home\b|\bsell (?:our|my|your) organs\b",
    ]),
    "rescue": (2.0, "evakuasi evacuat pulang mulang bebas keluar selamat nyelamat lepas jemput kembali mbali _home _out rescue get_us get_me", [
        r"\b(?:d(?:i ?)?|meng|ter)?evakuasi\w*|\bevacuat\w*",
        rf"\b(?:pulangkan|bebaskan|keluarkan|selamatkan|lepaskan|jemput|jemputlah|pulangkanlah|kembalikan) {_KIN}\b",
        # the me- forms only as a plea: "mohon segera menjemput kami", not "agensi mau memulangkan saya"
        rf"\b(?:mohon|memohon|tolong|bantu|membantu|agar|supaya|untuk|segera|bisa|dapat|harap|berharap|meminta)"
        rf"(?: {_FILL}){{0,4}} (?:menjemput|memulangkan|membebaskan|mengeluarkan|menyelamatkan|mengembalikan) {_KIN}\b",
        rf"\b(?:minta|meminta|mohon|ingin|mau|pengin|pengen|segera|harap|tolong|tunggu)(?: {_FILL_KIN}){{0,4}} (?:{_DI}jemput|"
        rf"{_DI}pulangkan|{_DI}bebaskan|{_DI}keluarkan|{_DI}selamatkan|{_DI}bawa pulang)\b",
        r"\b(?:bring|take|get|send) (?:us|me) (?:home|out)\b|\brescue (?:us|me|them|her|him)\b"
        r"|\bcome (?:and )?get (?:us|me)\b",
    ]),
    "escape": (2.0, "kabur lari escape run_away ran_away", [
        rf"\b{_ME}(?: \w+){{0,3}} (?:mau|ingin|pengin|pengen|berencana|sudah|berhasil|terpaksa|akhirnya|"
        r"sempat|mencoba|coba) (?:untuk )?(?:kabur|melarikan diri|lari)\b",
        r"\b(?:escaped|run away|ran away|want to escape|trying to escape)\b",
    ]),
    "untreated": (2.0, "obat rawat dokter sakit klinik _rs_ periksa darah medic treatment doctor hospital bengkak luka hamil lumpuh demam", [
        r"\b(?:tidak|belum|tak|tidak pernah|tanpa) (?:d(?:i ?)?(?:obati|rawat|bawa ke (?:dokter|rumah sakit|klinik|rs)|"
        r"antar ke (?:dokter|rumah sakit|klinik|rs)|periksakan)|(?:di ?)?(?:kasih|beri|berikan|kasi) obat|"
        r"boleh (?:ke dokter|berobat|ke rumah sakit))\b",
        r"\b(?:tanpa|tidak ada|tidak dapat|tidak mendapat) (?:obat|pengobatan|perawatan)\b",
        r"\btidak (?:mau |mengizinkan |boleh |pernah )?(?:di ?)?(?:antar|bawa|membawa|mengantar|mengantarkan)\w* "
        r"(?:saya |aku |kami |dia )?(?:ke (?:dokter|rumah sakit|klinik|rs)|berobat)\b",
        rf"\b(?:pendarahan|perdarahan|berdarah)\w*(?: \w+){{0,3}} {_NUM} (?:bulan|minggu)",
        r"\b(?:disuruh|dipaksa|harus|menyuruh (?:saya|aku|kami|dia)|memaksa (?:saya|aku|kami|dia)) (?:tetap |terus )?"
        r"(?:kerja|bekerja)\w*(?: \w+){0,4} (?:padahal|walaupun|meskipun|walau|"
        r"sedang|lagi|dalam keadaan) (?:\w+ ){0,3}(?:sakit|demam|bengkak|luka|hamil|pendarahan|berdarah|lumpuh)\b",
        r"\b(?:sakit|demam|bengkak|luka|hamil|pendarahan|berdarah|lumpuh)\w*(?: \w+){0,3} (?:tetap|masih|terus) "
        r"(?:disuruh|dipaksa|harus) (?:kerja|bekerja)\b",
        r"\b(?:no|without) (?:medicine|medical care|treatment|doctor)\b|\bnot (?:taken|allowed) to (?:a |the )?"
        r"(?:doctor|hospital)\b",
    ]),
    "abuse": (2.0, "raba pegang kamar intip nyentuh", [
        r"\b(?:meraba|diraba|raba raba|memegang (?:saya|aku|tubuh|badan|dada)|dipegang pegang|mengintip (?:saya|aku))\b"
        r"|\bmasuk (?:ke )?kamar (?:saya|aku)\b|\bmenyentuh (?:badan |tubuh |dada )?(?:saya|aku)\b",
    ]),
    "life": (2.0, "mati terakhir hidup _ada_ kekerasan intimidasi manusiawi hewan binatang budak nyawa die", [
        r"\bnyawa (?:kami|saya|kita|aku|mereka|terancam|taruhannya)\b|\bsatu nyawa\b|\bmempertaruhkan nyawa\b",
        r"\b(?:bisa|akan|bakal|takut|mau|hampir) mati\b|\bvideo (?:\w+ ){0,2}terakhir\w*|\bmasih (?:ada|hidup) atau "
        r"(?:tidak|sudah)\b|\b(?:kekerasan|intimidasi)(?: \w+){0,3} (?:kami|saya|aku) (?:hadapi|alami|terima)\b"
        r"|\b(?:mengalami|menerima|menghadapi|hadapi|alami) (?:\w+ )?(?:kekerasan|intimidasi)\b|\b(?:tidak|kurang) manusiawi\b|\b(?:layaknya|seperti|kayak) "
        r"(?:hewan|binatang|budak)\b|\b(?:going|are going|might|will) (?:to )?die\b",
    ]),
    "hunger": (1.0, "makan lapar hungry food habis sehari", [
        r"\b(?:untuk|buat) makan (?:saja|aja|pun)\b|\bmakan (?:pun |saja |cuma |hanya )?(?:cuma |hanya )?sehari "
        r"(?:sekali|satu kali)\b|\bkurang makan\b|\bkelaparan\b|\bmakan (?:saja |aja |pun )?(?:kami |saya )?tidak "
        r"(?:bisa|ada|cukup)\b|\b(?:starving|hungry|no food)\b"
        r"|\b(?:makanan|persediaan|bekal)\w*(?: \w+)? (?:sudah |hampir |mulai )?habis\b|\bkehabisan (?:makanan|bekal)\b"
        r"|\btidak (?:ada|dapat|dapet|dikasih|diberi) (?:makanan|makan)\b"
        r"|\b(?:makan|diberi|dikasih|mie|nasi|roti)\w*(?: \w+){0,3} (?:sekali|satu kali) (?:sehari|dalam sehari)\b",
    ]),
    "mistreated": (1.0, "perlaku galak kasar buruk tidur", [
        r"\b(?:perlakuan|diperlakukan) (?:\w+ )?(?:kurang|tidak|yang tidak|yang kurang) (?:baik|bagus|layak|manusiawi|"
        r"enak)\b|\bdiperlakukan (?:dengan )?(?:buruk|kasar|semena mena)\b|\b(?:sangat|sering|suka) (?:galak|kasar)\b",
        r"\btidur (?:\w+ )?di (?:gudang|kamar mandi|wc|toilet|lantai|dapur|garasi|balkon|teras|luar rumah|kandang)\b",
    ]),
    "distress": (1.0, "tidak_tahu kuat tahan sanggup betah sengsara derita siksa takut tindas nasib", [
        r"\btidak tahu (?:lagi )?(?:harus )?(?:mengadu|minta tolong|meminta tolong|lapor|melapor|berbuat apa)\b",
        rf"\b(?:sudah |udah |{_ME} )tidak (?:kuat|tahan|sanggup|betah)\b|\btidak (?:kuat|tahan|sanggup|betah) (?:lagi )?"
        r"(?:kerja|bekerja|di sini|disini|lagi)\b",
        r"\b(?:sengsara|menderita|tersiksa|ketakutan|tertindas)\b|\bmerasa takut\b",
        r"\btidak tahu (?:\w+ ){0,2}(?:nasib|ke depannya|masa depan)\b|\bnasib (?:kami|kita|saya)\b",
    ]),
    "lost": (2.0, "dimana di_mana", [
        r"\btidak (?:tahu|tau) (?:sekarang |saat ini |lagi )?(?:saya|aku|kami|ini|kita|sekarang) (?:sekarang |lagi )?"
        r"(?:ada |berada )?(?:di ?mana|dimana)\b",
    ]),
    "war": (2.0, "perang bom tembak ledak serang rudal _war bomb shoot", [
        r"\b(?:perang|peperangan|bom|bombardir|tembakan|ditembak|ledakan|serangan udara|rudal)\b"
        r"|\b(?:war|bombing|bombs|shooting|airstrikes?)\b",
    ]),
    "scam_work": (2.0, "scam tipu", [
        r"\b(?:dipekerjakan|disuruh|dijadikan|dipaksa) (?:sebagai |jadi |menjadi )?(?:scammer|penipu|scam)\b",
        rf"\b{_ME} (?:\w+ )?(?:kerja|bekerja) (?:sebagai|jadi|menjadi) (?:scammer|penipu)\b",
    ]),
    "stranded": (1.0, "lantar buang stranded abandon stuck tinggal tertahan", [
        r"\b(?:ter|te)lantar\w*|\b(?:dibuang|ditelantarkan|menelantarkan|ditinggal begitu saja)\b|\b(?:stranded|abandoned|stuck)\b"
        r"|\bditinggal\w* (?:\w+ ){0,2}di (?:kapal|tengah laut|laut|pelabuhan|hutan|jalan|bandara|perbatasan)\b",
        rf"\b{_ME}(?: \w+){{0,3}} (?:masih |sedang )?tertahan\b",
    ]),
    "unpaid": (1.0, "gaji bayar paid salary _pay wages", [
        r"\bgaji\w*(?: \w+){0,4} (?:tidak|belum|tak) (?:pernah )?(?:di ?)?(?:bayar|kasih|berikan|beri|kirim|"
        r"terima)\w*",
        rf"\b(?:tidak|belum|tak) (?:pernah )?(?:di ?)?gaji\w*|\b{_NUM} bulan (?:tidak|belum|tanpa) (?:di ?)?"
        r"(?:gaji|bayar)\w*|\btanpa (?:di ?)?gaji\b",
        r"\btidak (?:lagi |pernah )?(?:memberikan|memberi|membayar|kasih|bayar|mengirim|kirim) (?:\w+ )?(?:gaji|uang)\b",
        r"\b(?:not|never|haven't been|have not been) (?:been )?paid\b|\bno (?:salary|pay|wages)\b",
    ]),
    "overwork": (1.0, "_jam_ jam_ libur istirahat tidur denda suruh perintah harus paksa", [
        r"\b(?:kerja|bekerja|jam kerja\w*|kerjanya) (?:\w+ )?(?:1[4-9]|2\d|dua puluh|delapan belas|enam belas) jam\b",
        r"\btidak ada (?:hari )?(?:libur|istirahat)\b|\b(?:libur|istirahat) (?:saja |aja |pun )?tidak ada\b",
        r"\b24 jam (?:nonstop|non stop|tanpa henti|tanpa istirahat)\b|\bkurang tidur\b|\bjam tidur\w* (?:\w+ )?[1-5] jam\b",
        r"\btidak (?:pernah )?(?:boleh |dikasih |diberi )?(?:libur|istirahat|tidur)\b",
        rf"\b{_DI}denda\w*|\b{_DI}(?:suruh|perintah)\w* (?:menipu|scam|jadi scammer|judi)",
        r"\b(?:harus|disuruh|dipaksa|menyuruh (?:saya|aku|kami)) (?:tetap|terus) (?:kerja|bekerja)\b",
    ]),
    # Asking that one's plea be spread ("tolong viralkan", "share video saya supaya banyak orang tahu"):
    # people write it when no office has answered; with a plea it is danger.
    "spread": (1.0, "viral share sebar bagikan", [
        r"\b(?:tolong |bantu |mohon |minta )?(?:viralkan|diviralkan|viralin|viral kan)\b"
        r"|\b(?:share|sebarkan|disebarkan|bagikan|sebar)\w*(?: \w+){0,2} (?:video|pesan|cerita|kabar|status)\b",
    ]),
    # Softer cues: a plea and wanting to go home (1 each) are danger together, as workers abroad write
    # them; illness and an appeal to officials (0.5) only add to other cues.
    "plea": (1.0, "tolong selamat bantu mohon minta meminta help", [
        rf"\b(?:tolong|tolonglah|selamatkan|bantu|bantulah|membantu|menolong) {_KIN}\b|\b(?:mohon|memohon|minta|meminta) (?:\w+ )?"
        r"(?:bantuan\w*|pertolongan|tolong|dibantu|dengan sangat)\b|\bhelp (?:me|us)\b|\bplease help\b",
        r"\bmemohon (?:kepada|kpd|pada)\b|\b(?:mohon|memohon|meminta)(?: \w+){0,3} (?:membantu|menolong)\b",
    ]),
    "home": (1.0, "pulang mulang kembali go_home", [
        r"\b(?:ingin|mau|pengin|pengen|kepingin|minta|meminta|mohon|harap|rindu) (?:segera |sekali |cepat )?"
        r"(?:pulang|kembali ke (?:indonesia|tanah air|kampung|rumah))\b|\bwant to go home\b",
        rf"\b(?:agar|supaya|biar|untuk|bantu|membantu) (?:{_ME} )?(?:bisa |dapat |untuk )?(?:segera )?pulang\b",
        rf"\bpemulangan {_KIN}\b|\b(?:untuk|agar|supaya|bisa|mohon|minta) memulangkan\b",
    ]),
    "ill": (0.5, "sakit demam darah luka pingsan lumpuh sesak lemas bengkak memar lebam sick _ill_ bleed injur", [
        r"\b(?:sakit|demam|pendarahan|perdarahan|berdarah|luka|pingsan|lumpuh|sesak|kesakitan|lemas|bengkak|memar|lebam|sick|ill|"
        r"bleeding|injured)\b",
    ]),
    "authority": (0.5, "pemerintah presiden menteri kbri kjri kemlu kementerian bp2mi kp2mi dubes duta gubernur bupati walikota wali_kota jokowi prabowo", [
        r"\b(?:kepada|kpd|untuk|buat|wahai|yth|teruntuk) (?:bapak |ibu |pak |bu )?(?:pemerintah|presiden|menteri|kbri|"
        r"kjri|kemlu|kementerian|bp2mi|kp2mi|dubes|duta besar|gubernur|bupati|walikota|wali kota)\b"
        r"|\b(?:pak|bapak) (?:presiden|gubernur|bupati|walikota|jokowi|prabowo)\b",
    ]),
}
_STRONG_ANCHORS = (
    "kurung sekap nyekap kerangkeng sandera nyandera culik tawan penjara kunci ngunci pukul mukul siksa nyiksa aniaya tampar "
    "nampar tendang nendang nabok setrum nyetrum cekik tusuk gebuk hajar injak jambak perkosa leceh "
    "keroyok bacok sundut cambuk sabet siram ancam ancem bunuh habisi paksa maksa makan jual kabur lari "
    "sembunyi ngumpet kejar darurat jebak tebusan bahaya _sos_ selamat nyelamat jemput lock beat _hit hurt abuse "
    "rape tortur kick slap punch kidnap abduct trap held against threat forced kill feed eat food danger "
    "save rescue emergency urgent hiding shoot"
)
_WEAK_ANCHORS = (
    "paspor _hp_ handphone ponsel telepon took take keep kept hold confiscat give return keluar kabur berhenti "
    "pergi kemana ke_mana pulang lari balik ungsi dilarang let_ allowed leave held telpon nelpon hubungi kontak "
    "komunikasi pindah utang hutang quit go_home go_back"
)
# (name, points, anchors, pattern); points None: an alarm word (STRONG) or a weak signal (WEAK).
_KINDS: list[tuple[str, float | None, tuple[str, ...], re.Pattern[str]]] = [
    (kind, points, tuple(a.replace("_", " ") for a in anchors.split()), re.compile("|".join(f"(?:{p})" for p in pats)))
    for kind, points, anchors, pats in [
        ("strong", None, _STRONG_ANCHORS, _STRONG),
        ("weak", None, _WEAK_ANCHORS, _WEAK),
        *((kind, points, anchors, pats) for kind, (points, anchors, pats) in _CONDITIONS.items()),
    ]
]
# Untreated, or not going home, because there is no money is hardship, not somebody withholding
# care or holding the worker: design.md puts "no money to go home" under request_help.
_AFFORD_KINDS = frozenset({"untreated", "home"})
# Bringing home the body of someone who died is a request for help, not a rescue.
_DECEASED = re.compile(r"\b(?:jenazah|jasad|mayat|almarhum\w*|almarhumah|meninggal|wafat|body|remains)\b")
_CANT_AFFORD = re.compile(r"\b(?:biaya|uang|dana|ongkos|mampu|money|afford)\b")
_GRAVE_SCORE = 2.0
_SOFT_KINDS = 3  # this many different cues together are grave as well

# Whole message is a bare cry for help: "tolong!!", "help me", "tolong saya cepat".
_BARE_CRY = re.compile(
    r"^(?:tolong|tulung|sos)(?: (?:saya|aku|kami|please|pls|cepat|segera|tolong|pak|bu|kak|indonesia|pemerintah|"
    r"pemerintah indonesia|pak presiden))*$"
    r"|^(?:please |pls |plis )?help(?: (?:me|us))(?: (?:please|pls|now|quick|cepat|tolong))*$"
    r"|^(?:please|pls|plis) help(?: (?:please|pls|now))*$"
)
# Harmless uses of danger words, blanked out before matching ("akun facebook saya dikunci").
_HARMLESS = re.compile(
    r"\b(?:akun|account|rekening|atm|kartu|sim|email|whatsapp|facebook|instagram|tiktok|hp|handphone|"
    r"aplikasi|layar)\b(?: \w+){0,2} (?:d(?:i ?)?kunci|terkunci|ke ?blokir|diblokir)\w*"
)
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
# A clause about the past ("dulu pernah dipukul") ...
_PAST = re.compile(
    # "dulu" after a verb is "first" ("harus bayar dulu", "tunggu dulu"), not the past
    r"\b(?:(?<!bayar )(?<!membayar )(?<!tunggu )(?<!sabar )(?<!izin )(?<!ijin )(?<!lunasi )(?<!tebus )dulu|dahulu|(?<!tidak )(?<!belum )(?<!akan )(?<!tak )pernah|waktu itu|dulunya|used to|years ago|tahun lalu)\b"
)
# ... and a message saying the writer is safe now ("sekarang sudah pulang").
_SAFE_NOW = re.compile(
    r"\b(?:sudah (?:pulang|kembali|bebas|aman|selamat|di rumah|di indonesia|di indo|di kampung|keluar dari|"
    r"dipulangkan|dideportasi)|(?:baru|telah|akhirnya) (?:pulang|dipulangkan|dideportasi)|setelah pulang|"
    r"sepulang|back home|was deported|am safe now)\b"
    r"|\bpulang (?:ke (?:indonesia|tanah air|kampung|rumah) )?(?:\w+ ){0,3}(?:tahun|bulan|minggu) (?:yang )?lalu\b"
    # thanks for a rescue already made: "terima kasih KBRI yang sudah memulangkan ibu saya" (not in advance:
    # "terima kasih yang sudah mau menjemput kami")
    r"|\bterima kasih\b(?: \w+){0,12}? (?:yang )?(?:sudah|telah) (?:(?!mau |akan |bersedia )\w+ )?(?:memulangkan|"
    r"menyelamatkan|membebaskan|menjemput|mengevakuasi|dipulangkan|diselamatkan|dibebaskan)\b"
)
_PRESENT = re.compile(
    r"\b(?:masih|sedang|still|right now|now|padahal|hingga kini|sampai kini)\b"
    r"|\bsekarang\b(?! (?:saya |aku |kami |dia )?(?:sudah|di rumah|di indonesia|aman|selamat))"
)
_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+")  # as in nlu.normalize: a URL's dots end no sentence
# Sentences end at . ! ? ; or a line break (not in "Rp 5.000.000"); clauses at a comma or a dash.
_SENTENCE_END = re.compile(r"(?<!\d)[.](?!\d)|[!?;\n\r]+|[.](?=\s)")
_CLAUSE_END = re.compile(r"(?<!\d),(?!\d)|\s[-\u2013\u2014]+\s|:")


def sentences(text: str) -> list[str]:
    """The non-empty sentences of a raw message."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def _normalise_sentence(sentence: str) -> tuple[str, list[int]]:
    """The normalised sentence and the offsets where its clauses start (patterns may span clauses)."""
    parts = [n for n in (normalize(c) for c in _CLAUSE_END.split(sentence)) if n]
    starts, pos = [], 0
    for part in parts:
        starts.append(pos)
        pos += len(part) + 1
    return " ".join(parts), starts


def _clause_at(norm: str, starts: list[int], pos: int) -> str:
    i = bisect.bisect_right(starts, pos) - 1
    end = starts[i + 1] - 1 if i + 1 < len(starts) else len(norm)
    return norm[starts[i] : end]


def _status(norm: str, starts: list[int], pattern: re.Pattern[str]) -> int:
    """0: no match; 1: a match about now; 2: one that says it is still going on ("masih").

    A match whose clause is about the past ("dulu pernah dipukul") and says nothing is still
    going on does not count."""
    best = 0
    for m in pattern.finditer(norm):
        clause = _clause_at(norm, starts, m.start())
        if _PRESENT.search(clause):
            return 2
        if not _PAST.search(clause):
            best = 1
    return best


def danger_level(text: str, *, anchors: bool = True) -> str:
    """'strong', 'weak' or 'none' for a raw message of any length (read sentence by sentence).

    Alarm words are 'strong'; held documents, not being allowed out and grave situations without
    an alarm word are 'weak' (forced unless the message is a general question with nobody in it).
    `anchors=False` runs every pattern on every sentence (slow; tests compare the two)."""
    parts = [_normalise_sentence(sentence) for sentence in sentences(_URL.sub(" url ", text))]
    parts = [(norm, starts) for norm, starts in parts if norm]
    whole = " ".join(norm for norm, _ in parts)  # = normalize(text), normalised once
    if not whole:
        return "none"
    if _BARE_CRY.match(whole):
        return "strong"
    padded = f" {whole} "
    kinds = [k for k in _KINDS if not anchors or any(a in padded for a in k[2])]
    if not kinds:
        return "none"  # the common case: no word any pattern needs
    # Safe now ("sudah pulang"): only what the writer says is still going on counts.
    need = 2 if _SAFE_NOW.search(whole) else 1
    found: dict[str, float | None] = {}
    for norm, starts in parts:
        norm = _HARMLESS.sub(lambda m: " " * len(m.group()), norm)  # same length: offsets hold
        padded = f" {norm} "
        for name, points, words, pattern in kinds:
            if name in found or (anchors and not any(a in padded for a in words)):
                continue
            if _status(norm, starts, pattern) < need:
                continue
            if name in _AFFORD_KINDS and _CANT_AFFORD.search(norm):
                continue
            if name in ("rescue", "home") and _DECEASED.search(norm):
                continue
            found[name] = points
    if "strong" in found:
        return "strong"
    soft = [p for p in found.values() if p is not None]
    grave = sum(soft) >= _GRAVE_SCORE or len(soft) >= _SOFT_KINDS
    return "weak" if "weak" in found or grave else "none"


def is_general_question(text: str) -> bool:
    """A question about rules or risks with nobody in it: 'apakah agen boleh menahan paspor?'."""
    norm = normalize(text)
    return bool(_QUESTION.search(text.lower()) or _QUESTION.search(norm)) and not _PERSONAL.search(norm)


_SAYS_SAFE = re.compile(
    r"\b(?<!tidak )(?<!tak )(?<!gak )(?<!belum )(?<!kurang )aman\b|\bsudah selamat\b"
    r"|\b(?<!not )(?<!don't feel )(?:i am|i'm|im|we are|we're) (?:safe|ok|okay)\b"
)


def says_safe(text: str) -> bool:
    """Whether a message says the writer is safe ("iya aman", "I'm safe now"): an answer to a
    caseworker's "are you safe?", which the classifier alone would read as danger from its words."""
    return bool(_SAYS_SAFE.search(normalize(text)))


def is_danger(text: str) -> bool:
    """Whether a raw message of any length signals danger: the engine's check for any text."""
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
    return _as_emergency(result, 1.0 if force else None)


def _as_emergency(result: dict[str, Any], confidence: float | None) -> dict[str, Any]:
    """A copy of the result with `emergency` on top (confidence None: the model's own)."""
    out = copy.deepcopy(result)
    ranked = [r for r in out.get("intent_ranking") or [] if r.get("name") != FALLBACK]
    if confidence is None:
        confidence = next((float(r["confidence"]) for r in ranked if r["name"] == EMERGENCY), 0.0)
    out["intent"] = {"name": EMERGENCY, "confidence": confidence}
    out["intent_ranking"] = [{"name": EMERGENCY, "confidence": confidence}] + [
        r for r in ranked if r["name"] != EMERGENCY
    ]
    return out
