"""Offer analyzer: quality on the offer sets, risk rules, verdict shape, money parsing, command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bench.offers import evaluate
from bot.cli import app
from bot.knowledge.money import find_money
from bot.knowledge.offers import analyze_offer

DATA = Path(__file__).resolve().parents[1] / "data"
runner = CliRunner()


@pytest.mark.parametrize("name", ["offers.yml", "offers_holdout.yml", "offers_holdout2.yml"])
def test_offer_set_quality(name: str) -> None:
    r = evaluate(DATA / name)
    assert r["recall"] >= 0.90, r["mistakes"]
    assert r["precision"] >= 0.85, r["mistakes"]
    assert r["legit_high"] == []


def test_offer_set_is_large_and_mixed() -> None:
    r = evaluate(DATA / "offers.yml")
    assert r["offers"] >= 60 and r["legit"] >= 10


def test_one_grave_flag_is_high() -> None:
    v = analyze_offer("berangkat pakai visa turis")
    assert [f.id for f in v.flags] == ["non_work_visa"] and v.risk == "high"


def test_three_ordinary_flags_are_high_and_two_medium() -> None:
    two = analyze_offer("bayar DP 5 juta dulu, tidak perlu pelatihan")
    assert {f.id for f in two.flags} == {"upfront_fee", "skipped_requirements"} and two.risk == "medium"
    three = analyze_offer("bayar DP 5 juta dulu, tidak perlu pelatihan, berangkat 3 hari lagi")
    assert len(three.flags) == 3 and not any(f.grave for f in three.flags) and three.risk == "high"


def test_low_says_it_is_not_a_safety_guarantee_and_how_to_verify() -> None:
    v = analyze_offer("Lowongan operator pabrik, info lengkap di Disnaker", lang="id")
    assert v.risk == "low" and v.flags == []
    assert "TIDAK berarti tawaran ini aman" in v.advice[0]
    assert "SISKOP2MI" in v.advice[-1] and "Disnaker" in v.advice[-1]
    en = analyze_offer("Factory job, details at the Disnaker office", lang="en")
    assert "does NOT mean the offer is safe" in en.advice[0]


def test_advice_always_explains_how_to_verify_the_recruiter() -> None:
    v = analyze_offer("kerja admin di Kamboja gaji 15jt")
    assert v.risk == "high"
    assert any("SISKOP2MI" in a for a in v.advice)


def test_verdict_dump_has_the_contract_shape_and_sources() -> None:
    d = analyze_offer("paspor dipegang agen, visa kunjungan", lang="en").model_dump()
    assert set(d) == {"risk", "flags", "advice"}
    for f in d["flags"]:
        assert {"id", "title", "evidence", "explanation", "source"} <= set(f)
        assert f["source"][0].startswith("http")
    assert d["flags"][0]["title"] == "Not a work visa"


@pytest.mark.parametrize(
    ("text", "currency", "amount"),
    [
        ("gaji 15jt/bln", "IDR", 15e6),
        ("Rp 15.000.000", "IDR", 15e6),
        ("1.000 USD", "USD", 1000),
        ("1000 dolar", "USD", 1000),
        ("$1,200 a month", "USD", 1200),
        ("NT$ 27.000", "TWD", 27000),
        ("RM 1500", "MYR", 1500),
        ("1,5 jt", "IDR", 1.5e6),
        ("HK$ 4.990", "HKD", 4990),
        ("1500 real", "SAR", 1500),
    ],
)
def test_money_formats(text: str, currency: str, amount: float) -> None:
    [m] = find_money(text)
    assert (m.currency, m.low) == (currency, amount)


def test_money_range_and_non_money() -> None:
    [m] = find_money("gaji 18-25 juta")
    assert (m.low, m.high) == (18e6, 25e6)
    assert find_money("kontrak 2 tahun, umur 17, UU 18/2017") == []


def test_cli_json_and_stdin() -> None:
    r = runner.invoke(app, ["offer", "check", "--json", "gaji 15jt jadi admin di Kamboja, visa turis"])
    assert r.exit_code == 0
    d = json.loads(r.output)
    assert d["risk"] == "high"
    assert {"scam_job_pattern", "non_work_visa"} <= {f["id"] for f in d["flags"]}
    r = runner.invoke(app, ["offer", "check", "-"], input="tanpa biaya penempatan sesuai aturan\n")
    assert r.exit_code == 0 and "RENDAH" in r.output


def test_content_alone_decides_which_flags_are_grave(tmp_path: Path) -> None:
    """One source for the risk rule: marking a flag grave in content/red_flags.yml makes it high."""
    import shutil

    from bot.config import ROOT

    offer = "ada biaya pendaftaran 5 juta sebelum berangkat"
    assert analyze_offer(offer).risk == "medium"
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    flags = content / "red_flags.yml"
    text = flags.read_text(encoding="utf-8")
    flags.write_text(text.replace("- id: upfront_fee\n    grave: false", "- id: upfront_fee\n    grave: true", 1), encoding="utf-8")
    verdict = analyze_offer(offer, content_dir=content)
    assert verdict.risk == "high" and verdict.flags[0].grave


def test_a_warning_describes_a_sign_and_a_reassurance_does_not_hide_one() -> None:
    assert analyze_offer("Waspadai lowongan tanpa syarat apa pun dengan gaji fantastis.").flag_ids == []
    calm = analyze_offer("Jangan khawatir, tanpa pengalaman juga bisa, gaji 20 juta.")
    assert "skipped_requirements" in calm.flag_ids


def test_a_negation_stays_in_its_clause() -> None:
    kept = analyze_offer("Kerja di Dubai, tiket free, paspor nanti dipegangin agen biar aman")
    assert "document_retention" in kept.flag_ids
    listed = analyze_offer("PT resmi (P3MI), tidak ada biaya penempatan, potongan gaji atau uang jaminan")
    assert listed.flag_ids == [] and listed.risk == "low"


def test_a_passive_written_apart_is_read_as_one_word() -> None:
    v = analyze_offer("Kerja kebun di Sabah, paspor di simpan majikan selama kontrak")
    assert "document_retention" in v.flag_ids
    assert any("di simpan majikan" in q for f in v.flags for q in f.evidence)
