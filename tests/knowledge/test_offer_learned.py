"""The learned second opinion (bot/knowledge/offer_learned.py): trained only on the project's own offers, fast,
adds a flag only with a quote from the offer, and never raises a clean licensed-agency offer."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.knowledge.offer_learned import TRAINING, clauses, second_opinion
from bot.knowledge.offers import analyze_offer, lexicon_evidence

DATA = Path(__file__).resolve().parents[1] / "data"


def _texts(name: str) -> set[str]:
    return {o["text"] for o in yaml.safe_load((DATA / name).read_text(encoding="utf-8"))["offers"]}


def test_trained_on_the_project_offers_only() -> None:
    training = yaml.safe_load(TRAINING.read_text(encoding="utf-8"))
    trained = {o["text"] for o in training["offers"]}
    assert trained == _texts("offers.yml")
    assert not trained & (_texts("offers_holdout.yml") | _texts("offers_holdout2.yml"))
    pieces = {c.text.lower() for t in trained for c in clauses(t)} | {n.lower() for n in training["negatives"]}
    for t in _texts("offers_published.yml"):  # not a whole offer, nor any longer clause of one
        assert t not in trained
        assert not any(c.text.lower() in pieces for c in clauses(t) if len(c.text) > 25), t


@pytest.mark.parametrize(
    ("offer", "flag"),
    [
        ("Kerja di Malaysia, biaya 5 juta, kontraknya nyusul aja", "no_contract"),
        ("Biaya 5 juta, gaji dipotong tiap bulan buat ganti ongkos", "debt_bondage"),
    ],
)
def test_adds_a_missed_flag_with_the_clause_it_scored(offer: str, flag: str) -> None:
    lexicon = lexicon_evidence(offer)
    verdict = analyze_offer(offer)
    hit = next(f for f in verdict.flags if f.id == flag)
    if flag in lexicon:  # the lexicon may learn the phrase later: then it must be its quote
        assert not hit.learned
    else:
        assert hit.learned
    assert hit.evidence and all(q in offer for q in hit.evidence)


def test_never_a_flag_without_a_quote_from_the_offer() -> None:
    for text in _texts("offers_holdout.yml") | _texts("offers_holdout2.yml"):
        for f in analyze_offer(text).flags:
            assert f.evidence and all(q and q in text for q in f.evidence), (text, f.id)


@pytest.mark.parametrize(
    "offer",
    [
        "PT Bina Karya Mandiri, P3MI berizin (SIP3MI aktif di SISKOP2MI), membuka lowongan caregiver ke Taiwan. "
        "Kontrak kerja ditandatangani di Disnaker sebelum berangkat, pelatihan 3 bulan di BLK, medical check up "
        "di klinik resmi. Biaya penempatan sesuai aturan, paspor dipegang pekerja sendiri.",
        "Licensed agency (SIP3MI) hiring factory operators for Malaysia: written contract signed at the labour "
        "office before departure, training at the BLK and a medical check-up. No placement fee.",
    ],
)
def test_a_licensed_agency_offer_with_contract_training_and_medical_stays_low(offer: str) -> None:
    verdict = analyze_offer(offer)
    assert verdict.risk == "low", verdict.flag_ids
    assert second_opinion(lexicon_evidence).extra_flags(offer, {"unrealistic_pay"}) == {}  # not even as a second opinion


def test_gives_no_second_opinion_on_an_offer_the_lexicon_finds_clean() -> None:
    assert second_opinion(lexicon_evidence).extra_flags("Kontraknya nyusul aja, kerja di pabrik Taiwan", set()) == {}
