"""Issue 15: every red flag fires on three phrasings that are not among the lexicon's own examples (a passive
form, chat style, English) and stays quiet on three near misses, each with its quote taken from the text."""

from __future__ import annotations

import pytest
import yaml

from bot.knowledge.models import RED_FLAG_IDS
from bot.knowledge.offer_learned import TRAINING
from bot.knowledge.offers import analyze_offer
from tests.knowledge.test_offer_flags import FIRES, QUIET

# flag -> (passive, chat style, English)
PHRASINGS: dict[str, tuple[str, str, str]] = {
    "upfront_fee": (
        "Calon pekerja dikenakan biaya proses 6 juta sebelum terbang",
        "kak sblm brgkt kudu setor 3jt dl ya buat urus2",
        "You must pay a deposit of RM 2,000 before departure",
    ),
    "debt_bondage": (
        "Ongkos keberangkatan nanti dipotongkan dari gaji bulanan",
        "utangnya dicicil dr gaji aja kak tiap bln",
        "The loan for your ticket will be repaid from your wages",
    ),
    "non_work_visa": (
        "Pekerja diberangkatkan dengan visa kunjungan keluarga",
        "pake visa turis aja dl kak, ntar dsana diurus",
        "You will enter on a visit visa and start working there",
    ),
    "no_contract": (
        "Kontrak kerja akan diberikan setelah tiba di sana",
        "gausah pake kontrak segala kak, percaya aja sm aku",
        "There is no written contract, we work on trust",
    ),
    "unlicensed_recruiter": (
        "Saya direkrut oleh tetangga yang biasa memberangkatkan orang",
        "ikut om aku aja, dia udh sering nyalurin org ke taiwan",
        "A man on Facebook offered to send me to work in Dubai",
    ),
    "unrealistic_pay": (
        "Dijanjikan gaji 40 juta sebulan sebagai pembantu di Malaysia",
        "gajinya gede bgt kak, kerja santai doang",
        "Earn a huge salary as a cleaner in Saudi, 3000 USD a month",
    ),
    "rushed_process": (
        "Peserta langsung diberangkatkan dalam 3 hari",
        "prosesnya kilat kak, seminggu langsung terbang",
        "Fly out next week, no waiting",
    ),
    "skipped_requirements": (
        "Pelamar tidak diwajibkan ikut pelatihan atau tes kesehatan",
        "gak usah ijasah, lulusan SD jg bisa langsung kerja",
        "No experience or certificates required, anyone can join",
    ),
    "irregular_route": (
        "Para pekerja diseberangkan lewat jalur tikus di Nunukan",
        "ntar nyebrang pake speedboat malem2 dr Batam",
        "We cross the border at night through the forest",
    ),
    "document_retention": (
        "Selama kontrak, KTP dan paspor pekerja akan diamankan oleh perusahaan",
        "paspornya aku yg pegangin ya biar ga ilang",
        "The agency will keep your passport during the contract",
    ),
    "underage": (
        "Anak usia 16 tahun boleh didaftarkan",
        "umurnya 15 thn gpp kak, ntar dituain",
        "Girls aged 16 and above can apply",
    ),
    "secrecy": (
        "Rencana keberangkatan ini harus dirahasiakan dari keluarga",
        "jgn bilang2 ke ortu dulu ya kalo mau brgkt",
        "Don't tell your family until you arrive",
    ),
    "personal_data_request": (
        "Pelamar diminta mengirim foto seluruh badan lewat WA",
        "kirimin foto ktp sm kk km ke sini ya kak",
        "Send us a full body photo and a copy of your passport",
    ),
    "romance_lure": (
        "Aku dilamar pria Korea yang kukenal lewat TikTok, katanya mau dibawa ke sana",
        "pacar onlen aku org taiwan ngajak nikah trus kerja disana",
        "My online boyfriend wants to marry me and take me abroad",
    ),
    "scam_job_pattern": (
        "Dibutuhkan tenaga admin untuk ditempatkan di Phnom Penh",
        "lowker CS online di myanmar kak, gaji dolar",
        "Hiring telemarketing staff for a company in Laos",
    ),
    "banned_placement": (
        "Dicari pembantu rumah tangga untuk dipekerjakan di rumah keluarga Saudi",
        "loker ART ke Kuwait kak, majikan baik",
        "Housemaid job in Qatar for a local family",
    ),
}

# flag -> three texts that look like the sign and are not it
NEAR_MISSES: dict[str, tuple[str, str, str]] = {
    "upfront_fee": (
        "Biaya tiket dan visa ditanggung perusahaan",
        "Tidak dipungut biaya apa pun",
        "Gaji 5 juta per bulan dibayar tiap akhir bulan",
    ),
    "debt_bondage": (
        "Gaji dibayar penuh tanpa potongan",
        "Ada potongan harga tiket untuk pelajar",
        "Uang lembur dibayar terpisah setiap bulan",
    ),
    "non_work_visa": (
        "Visa kerja diurus oleh P3MI sebelum berangkat",
        "Visa turis tidak boleh dipakai untuk bekerja",
        "Kami hanya memproses visa kerja resmi",
    ),
    "no_contract": (
        "Perjanjian kerja dibacakan dan diteken di LTSA sebelum terbang",
        "Kontrak tersedia dalam bahasa Mandarin dan bahasa Indonesia",
        "Salinan kontrak diberikan sebelum berangkat",
    ),
    "unlicensed_recruiter": (
        "Daftar lewat kantor P3MI resmi yang terdaftar di SISKOP2MI",
        "Informasi lowongan tersedia di Disnaker",
        "Tanyakan ke BP3MI sebelum mendaftar",
    ),
    "unrealistic_pay": (
        "Gaji RM 1.800 per bulan sesuai kontrak",
        "Gaji sesuai standar HK$ 4.990",
        "Gaji di Korea lebih tinggi dari UMR",
    ),
    "rushed_process": (
        "Proses penempatan sekitar 3 bulan",
        "Berangkat setelah pelatihan selesai",
        "Pelatihan bahasa berlangsung enam bulan",
    ),
    "skipped_requirements": (
        "Wajib lulus tes bahasa dan pemeriksaan kesehatan",
        "Pengalaman minimal 1 tahun",
        "Pelatihan 3 bulan di BLK",
    ),
    "irregular_route": (
        "Berangkat naik pesawat dari Bandara Juanda",
        "Pemeriksaan imigrasi di bandara",
        "Perjalanan resmi dengan paspor dan visa kerja",
    ),
    "document_retention": (
        "Paspor dipegang sendiri oleh pekerja",
        "Simpan fotokopi paspor di rumah",
        "Bawa paspor asli saat wawancara",
    ),
    "underage": (
        "Usia minimal 18 tahun",
        "Usia 21-35 tahun",
        "Pengalaman 16 tahun di bidang perhotelan",
    ),
    "secrecy": (
        "Ceritakan tawaran ini ke keluarga",
        "Jangan lupa kabari keluarga",
        "Rahasia sukses kerja di luar negeri",
    ),
    "personal_data_request": (
        "Bawa fotokopi KTP ke kantor Disnaker",
        "Pas foto 4x6 latar merah",
        "Jangan kirim foto KTP ke orang asing",
    ),
    "romance_lure": (
        "Saya menikah dengan orang sekampung",
        "Suami saya kerja di Malaysia",
        "Pacar saya mengantar ke bandara",
    ),
    "scam_job_pattern": (
        "Lowongan admin di Jakarta",
        "Kerja pabrik di Malaysia lewat P3MI",
        "Lowongan restoran di Singapura",
    ),
    "banned_placement": (
        "Lowongan PRT ke Hong Kong lewat P3MI resmi",
        "Lowongan perawat rumah sakit di Arab Saudi lewat P3MI",
        "Program SPSK ke Arab Saudi untuk PRT",
    ),
}


def _cases(table: dict[str, tuple[str, str, str]], kinds: tuple[str, str, str]) -> list[object]:
    return [pytest.param(flag, text, id=f"{flag}-{kind}") for flag, texts in table.items() for kind, text in
            zip(kinds, texts, strict=True)]  # fmt: skip


def test_every_flag_has_three_phrasings_and_three_near_misses_none_from_the_lexicon_examples() -> None:
    assert set(PHRASINGS) == set(NEAR_MISSES) == set(RED_FLAG_IDS)
    training = yaml.safe_load(TRAINING.read_text(encoding="utf-8"))
    own = {t.lower() for ts in (*FIRES.values(), *QUIET.values()) for t in ts}
    own |= {o["text"].lower() for o in training["offers"]} | {n.lower() for n in training["negatives"]}
    for texts in (*PHRASINGS.values(), *NEAR_MISSES.values()):
        assert not {t.lower() for t in texts} & own


@pytest.mark.parametrize(("flag", "text"), _cases(PHRASINGS, ("passive", "chat", "english")))
def test_fires_with_a_quote_from_the_text(flag: str, text: str) -> None:
    verdict = analyze_offer(text)
    hit = next((f for f in verdict.flags if f.id == flag), None)
    assert hit is not None, verdict.flag_ids
    assert hit.evidence and all(q in text for q in hit.evidence)
    assert hit.explanation and hit.advice and hit.source  # why it matters, the next step, and its sources


@pytest.mark.parametrize(("flag", "text"), _cases(NEAR_MISSES, ("a", "b", "c")))
def test_stays_quiet_on_a_near_miss(flag: str, text: str) -> None:
    assert flag not in analyze_offer(text).flag_ids


@pytest.mark.parametrize(
    "text",
    [
        "Biaya proses 5jt dibayar dulu",
        "biaya admin Rp5.000.000",
        "bayar RM 1.500 untuk permit",
        "setor 2,5 juta ke rekening agen",
        "biaya medical 750rb",
    ],
)
def test_a_fee_in_any_money_format_is_an_upfront_fee(text: str) -> None:
    hit = next(f for f in analyze_offer(text).flags if f.id == "upfront_fee")
    assert any(any(ch.isdigit() for ch in q) and q in text for q in hit.evidence)  # the amount is quoted


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("Gaji RM 9.000 sebulan jadi pembantu di Malaysia", "RM 9.000"),
        ("gaji NT$ 90.000/bulan di pabrik Taiwan", "NT$ 90.000"),
        ("Gaji 50jt per bulan kerja di restoran Jepang", "50jt"),
        ("Salary USD 3,500 monthly for a helper in Hong Kong", "USD 3,500"),
        ("gaji Rp 45.000.000 sebulan jaga toko di Brunei", "Rp 45.000.000"),
    ],
)
def test_pay_far_above_the_norm_is_read_in_any_currency_format(text: str, amount: str) -> None:
    hit = next(f for f in analyze_offer(text).flags if f.id == "unrealistic_pay")
    assert hit.evidence == [amount]


@pytest.mark.parametrize(
    "text",
    [
        "Gaji RM 1.800 sebulan di kilang Malaysia",
        "gaji NT$ 28.590 per bulan di pabrik Taiwan",
        "Gaji HK$ 4.990 sebulan",
        "Gaji 20 juta di Korea lewat G to G",
    ],
)
def test_plausible_pay_in_any_format_is_not_flagged(text: str) -> None:
    assert analyze_offer(text).flag_ids == []
