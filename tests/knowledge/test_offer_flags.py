"""Every red flag fires on its signs (Indonesian, chat style, English) and stays quiet on near misses."""

from __future__ import annotations

import pytest

from bot.knowledge.models import RED_FLAG_IDS
from bot.knowledge.offers import analyze_offer

FIRES: dict[str, list[str]] = {
    "upfront_fee": [
        "Biaya pendaftaran Rp 3.500.000 dibayar di muka",
        "sebelum berangkat transfer dulu 2jt ke rekening saya ya",
        "ada DP 4 juta buat proses visa",
        "A processing fee of 500 USD is required before we book your flight",
    ],
    "debt_bondage": [
        "semua biaya nanti dipotong dari gaji selama 6 bulan",
        "keluarga dapat uang tip 8 juta waktu tanda tangan",
        "Your salary will be deducted every month until the agency fee is paid back",
        "agen kasih pinjaman dulu buat keluarga di rumah",
    ],
    "non_work_visa": [
        "berangkat pakai visa wisata dulu",
        "nanti visanya diubah di sana jadi visa kerja",
        "You will travel on a tourist visa, the company converts it to a work visa after arrival",
        "pake visa umroh aja, lebih cepet",
    ],
    "no_contract": [
        "gak ada kontrak, yang penting kerja dulu",
        "kontraknya dikasih setelah sampai di negara tujuan",
        "The contract is in Chinese only, just sign it",
        "no written contract needed, trust me",
    ],
    "unlicensed_recruiter": [
        "saya sponsor di kampung, sudah banyak yang saya berangkatkan",
        "aku diajak tetangga buat kerja di luar negeri",
        "gak usah lewat PT, ribet, sama saya aja",
        "minat hub wa 081234567890",
    ],
    "unrealistic_pay": [
        "Jadi pembantu di Malaysia gaji 20 juta sebulan",
        "housekeeper in Hong Kong salary HK$ 15,000 per month",
        "gaji fantastis tanpa syarat!",
        "cleaning service di Taiwan gaji NT$ 60.000/bulan",
    ],
    "rushed_process": [
        "berangkat 4 hari lagi, siapkan diri",
        "proses kilat, paspor jadi 2 hari",
        "we fly next week, no time to waste",
        "dibutuhkan segera 15 orang",
    ],
    "skipped_requirements": [
        "tidak perlu pelatihan dan tidak perlu medical",
        "syaratnya cuma KTP",
        "no experience required, no test",
        "gausah sertifikat, langsung kerja",
    ],
    "scam_job_pattern": [
        "lowongan customer service di Phnom Penh, gaji 8 juta",
        "kerja jadi operator chat di Myanmar",
        "Telemarketing job in Laos, free accommodation",
        "kerja restoran di Thailand, berangkat bareng rombongan",
    ],
    "banned_placement": [
        "lowongan pembantu rumah tangga untuk keluarga di Riyadh",
        "cari pengasuh anak ke Dubai, gaji 6 juta",
        "Housemaid needed for a family in Kuwait",
        "jadi TKW ke Yordania, majikan baik",
    ],
    "irregular_route": [
        "masuk Malaysia lewat jalur tikus dari Entikong",
        "nanti naik speedboat dari Batam malam-malam",
        "belum punya paspor gapapa, nanti nyebrang lewat hutan",
        "we cross the river at night to Myawaddy",
    ],
    "document_retention": [
        "paspor harus dititipkan ke agen selama kontrak",
        "KTP dan paspor kamu kami simpan dulu",
        "the employer will keep your passport for two years",
        "paspornya nanti dipegang majikan",
    ],
    "underage": [
        "yang umur 16 tahun juga boleh daftar",
        "usia 15-30 tahun, perempuan",
        "umur bisa dituakan di KTP, tenang aja",
        "I am 17 years old, they said it is fine",
    ],
    "secrecy": [
        "jangan bilang siapa-siapa dulu ya sampai berangkat",
        "rahasiakan dari orang tua",
        "please do not tell your family about this job",
        "jgn kasih tau ortu",
    ],
    "personal_data_request": [
        "kirim foto seluruh badan dan foto wajah",
        "kirim foto KTP dan KK via WA ya",
        "send a photo in a swimsuit for the selection",
        "foto pakai baju renang buat seleksi",
    ],
    "romance_lure": [
        "pacar online aku dari Malaysia ngajak kerja di sana",
        "ada biro jodoh yang bisa carikan suami orang Taiwan",
        "kenalan di facebook, dia mau menikahi saya dan bawa saya ke luar negeri",
        "my online boyfriend will pay my ticket to Dubai",
    ],
}

QUIET: dict[str, list[str]] = {
    "upfront_fee": [
        "tanpa biaya penempatan sesuai aturan",
        "biaya penempatan dibebaskan untuk jabatan PRT",
        "no placement fee is charged",
        "pendaftaran gratis, tidak dipungut biaya",
    ],
    "debt_bondage": ["tidak ada potongan gaji", "gaji dibayar penuh setiap bulan ke rekening pekerja"],
    "non_work_visa": [
        "visa kerja diurus P3MI sebelum berangkat",
        "visa kerja",
        "bukan visa turis, tapi visa kerja resmi",
        "visa kunjungan tidak boleh dipakai untuk bekerja",
    ],
    "no_contract": [
        "kontrak kerja ditandatangani di Disnaker sebelum berangkat",
        "kontrak dalam bahasa Indonesia dan Inggris",
    ],
    "unlicensed_recruiter": [
        "waspada calo yang menjanjikan lulus",
        "Hati-hati dengan sponsor yang minta uang",
        "daftar lewat P3MI resmi, info di Disnaker 0811-0000-000",
        "tanpa melalui calo, langsung ke Disnaker",
    ],
    "unrealistic_pay": [
        "pengasuh lansia Taiwan gaji NT$ 20.000",
        "PRT Hong Kong gaji HK$ 4.990 sesuai standar",
        "operator produksi Malaysia gaji RM 1.800",
        "biaya pendaftaran 30 juta",
    ],
    "rushed_process": ["berangkat setelah pelatihan 3 bulan", "proses sekitar 4 bulan sesuai tahapan"],
    "skipped_requirements": [
        "wajib pelatihan di BLK dan medical check up",
        "kami tidak menahan paspor pekerja",
        "tidak dipungut biaya",
    ],
    "scam_job_pattern": [
        "admin kantor di Malaysia lewat P3MI resmi",
        "lowongan customer service di Jepang",
    ],
    "banned_placement": [
        "cleaning service di perusahaan Arab Saudi, bukan rumah tangga",
        "pengasuh lansia di Taiwan",
        "perawat rumah sakit di Qatar",
    ],
    "irregular_route": ["berangkat naik pesawat dengan paspor dan visa kerja", "paspor sudah jadi"],
    "document_retention": [
        "paspor dipegang sendiri",
        "paspor pegang sendiri ya, jangan kasih siapa pun",
        "we never keep your passport",
    ],
    "underage": ["usia min 18 tahun", "usia 21-45 tahun", "saya kerja 15 jam sehari", "kontrak 2 tahun"],
    "secrecy": ["jangan lupa kasih tahu keluarga sebelum berangkat", "ceritakan ke keluarga dan kepala desa"],
    "personal_data_request": [
        "bawa KTP dan KK asli ke Disnaker",
        "jangan kirim foto KTP ke orang yang tidak dikenal",
    ],
    "romance_lure": ["status: belum menikah / sudah menikah", "lampirkan fotokopi buku nikah"],
}


def _ids(text: str) -> set[str]:
    return {f.id for f in analyze_offer(text).flags}


def test_every_flag_has_tests() -> None:
    assert set(FIRES) == set(RED_FLAG_IDS) == set(QUIET)


@pytest.mark.parametrize(("flag", "text"), [(f, t) for f, ts in FIRES.items() for t in ts])
def test_flag_fires(flag: str, text: str) -> None:
    assert flag in _ids(text)


@pytest.mark.parametrize(("flag", "text"), [(f, t) for f, ts in QUIET.items() for t in ts])
def test_near_miss_stays_quiet(flag: str, text: str) -> None:
    assert flag not in _ids(text)


def test_evidence_quotes_the_original_words() -> None:
    v = analyze_offer("Gaji 15jt, pake Visa Turis, PASPOR dipegang Agen")
    ev = {f.id: f.evidence for f in v.flags}
    assert ev["non_work_visa"] == ["Visa Turis"]
    assert ev["document_retention"] == ["PASPOR dipegang Agen"]


def test_typos_are_tolerated() -> None:
    assert "document_retention" in _ids("pasport kamu dipegang agen dulu")
    assert "scam_job_pattern" in _ids("kerja admin di kambodia gaji gede")
