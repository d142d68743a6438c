"""The "is this an offer?" gate (issue 19): no risk level for requests, questions and stories; "low" only with
enough of an offer; follow-ups told apart from new offers."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.offers import evaluate, judged_non_offers
from bot.knowledge.offer_gate import (
    asks_another,
    is_complaint,
    is_context,
    read_offer,
    reassures,
    wants_to_stop,
)

DATA = Path(__file__).resolve().parents[1] / "data"


def test_no_non_offer_text_gets_a_risk_level() -> None:
    total, judged = judged_non_offers(DATA / "offers_nonoffers.yml")
    assert total >= 30
    assert judged == []


@pytest.mark.parametrize("name", ["offers.yml", "offers_holdout.yml", "offers_holdout2.yml"])
def test_nearly_every_offer_is_judged(name: str) -> None:
    r = evaluate(DATA / name)
    assert len(r["held"]) <= max(2, r["offers"] // 20), r["held"]


def test_the_issue_request_is_not_an_offer() -> None:
    r = read_offer("mbak sy mau tanya, ini ada tawaran dr tetangga sy di grup wa. tlg dicek ya aman gk")
    assert not r.judgeable


def test_low_needs_enough_of_an_offer() -> None:
    part = read_offer("ada tawaran kerja jd PRT di hongkong")
    assert not part.verdict.flags and not part.judgeable
    assert part.missing == ["pay", "conditions", "recruiter"]
    whole = read_offer("PRT di Hong Kong lewat PT Contoh (P3MI terdaftar), gaji sesuai kontrak, visa kerja")
    assert whole.judgeable and whole.verdict.risk == "low"


def test_a_licensed_p3mi_offer_is_judged_low() -> None:
    r = read_offer(
        "LOWONGAN RESMI PT Contoh Karya Mandiri (P3MI berizin, terdaftar di SISKOP2MI). Dibutuhkan operator "
        "produksi pabrik di Taiwan. Gaji sesuai kontrak. Visa kerja, kontrak kerja ditandatangani sebelum berangkat."
    )
    assert r.judgeable and r.verdict.risk == "low"


@pytest.mark.parametrize(
    "text",
    [
        "tp bu yati itu tetangga sy sendiri mbak, udh bnyk org kampung yg brgkt lwt dia",
        "yg ngajak pak haji, orangnya baik kok",
        "dia saudara sy sendiri",
    ],
)
def test_an_individual_recruiter_is_unlicensed_recruiter(text: str) -> None:
    assert "unlicensed_recruiter" in read_offer(text).verdict.flag_ids
    assert is_context(text)


def test_reassurance_and_chat_cues() -> None:
    assert reassures("udh bnyk yg brgkt, katanya aman2 aja")
    assert reassures("my cousin says many people went with him and it was fine")
    assert not reassures("gaji 8 juta, visa kerja")
    assert is_complaint("lho kok ditanya2, sy kan udh kirim teks lowongannya diatas min")
    assert not is_complaint("iya saya diminta bayar")
    assert wants_to_stop("udah ah, gak jadi") and not wants_to_stop("tidak jadi berangkat karena gaji kecil dan jauh sekali")
    assert asks_another("mau cek lowongan lain dong") and not asks_another("lowongan pabrik di Malaysia")
