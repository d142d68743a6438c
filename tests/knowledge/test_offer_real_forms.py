"""Forms that real recruitment offers use (read in public sources, issue 15) are read as the sign they are,
and the harmless look-alikes next to them are not."""

from __future__ import annotations

import pytest

from bot.knowledge.offers import analyze_offer

FIRES = [
    ("debt_bondage", "Pelaku akan memotong setengah gaji mereka selama enam bulan"),
    ("debt_bondage", "Setelah dapat majikan, agen meminta gaji tiga bulan"),
    ("debt_bondage", "Diminta menyetujui pemotongan gaji selama tiga bulan sebagai biaya administrasi"),
    ("debt_bondage", "ongkos berangkat ditalangin dulu, nanti dipotong waktu gajian"),
    ("upfront_fee", "Merekrut pekerja sawit dengan mematok tarif sebesar Rp9 juta per orang"),
    ("upfront_fee", "Korban harus membayar untuk bisa dipekerjakan di Malaysia"),
    ("upfront_fee", "A broker said he can send me to Korea if I pay 50 million"),
    ("non_work_visa", "Saat membuat paspor, korban disuruh menjawab keperluan ke Malaysia untuk berwisata"),
    ("non_work_visa", "Kerja ladang sawit tanpa permit, tak perlu pasport"),
    ("unlicensed_recruiter", "Ikut agency dari Batam yang baru saya kenal di Facebook"),
    ("unlicensed_recruiter", "Tawaran dari seseorang bernama Mutik yang dikenalkan oleh tetangganya"),
    ("irregular_route", "Lewat pelabuhan rakyat ke Malaysia tanpa dokumen"),
    ("skipped_requirements", "Hanya modal KTP saja, langsung kerja di kebun"),
    ("underage", "We are hiring girls 17 and above for restaurant work in Taiwan"),
    ("secrecy", "ortu ga usah dikasih tau dulu ya dek"),
]

QUIET = [
    ("debt_bondage", "Gaji dibayar penuh setiap bulan, tidak ada pemotongan gaji"),
    ("upfront_fee", "Biaya tiket ditalangi perusahaan dan tidak dikembalikan pekerja"),
    ("non_work_visa", "Visa kerja diurus perusahaan sebelum berangkat"),
    ("unlicensed_recruiter", "Info resmi di kantor Disnaker, bukan lewat agensi tanpa izin"),
    ("underage", "Usia minimal 18 tahun ke atas"),
    ("document_retention", "Kami tidak pernah memegang paspor Anda"),
]


@pytest.mark.parametrize(("flag", "text"), FIRES)
def test_a_real_offer_form_is_read(flag: str, text: str) -> None:
    verdict = analyze_offer(text)
    hit = next((f for f in verdict.flags if f.id == flag), None)
    assert hit is not None, (text, verdict.flag_ids)
    assert all(q in text for q in hit.evidence)


@pytest.mark.parametrize(("flag", "text"), QUIET)
def test_its_look_alike_is_not(flag: str, text: str) -> None:
    assert flag not in analyze_offer(text).flag_ids
