"""content/ loads, the loader API answers flows' questions, and `sahabat content check` catches broken entries."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from bot.cli import app
from bot.knowledge.check import check_content, phone_like
from bot.knowledge.content import CONTENT_DIR, load_content
from bot.knowledge.models import NEEDS, RED_FLAG_IDS

runner = CliRunner()


def test_repository_content_passes_the_check() -> None:
    assert check_content(CONTENT_DIR) == []
    result = runner.invoke(app, ["content", "check"])
    assert result.exit_code == 0, result.output


def test_all_sixteen_red_flags_in_both_languages() -> None:
    c = load_content()
    assert set(c.red_flags) == set(RED_FLAG_IDS)
    for f in c.red_flags.values():
        assert f.title.get("id") != f.title.get("en")
        assert f.why.get("en") and f.instead.get("id")


def test_aid_services_match_needs_and_carry_the_caveat() -> None:
    c = load_content()
    health = {s.id for s in c.aid_services("health")}
    assert {"health", "pbi_jkn"} <= health
    assert all("legal" in s.needs for s in c.aid_services("legal"))
    assert "lpsk" in {s.id for s in c.aid_services("legal")}
    assert "asesmen" in c.aid.caveat.get("id").lower()
    assert "no amount" in c.aid.caveat.get("en").lower()
    for s in c.aid_services():
        assert set(s.needs) <= set(NEEDS)


def test_hotlines_for_a_country_with_missions() -> None:
    h = load_content().hotlines_for("saudi")
    assert h.country == "Arab Saudi"
    assert {m.name.id for m in h.missions} == {"KBRI Riyadh", "KJRI Jeddah"}
    assert h.fallback == []
    assert {n.id for n in h.national} >= {"polri", "kp2mi", "sapa129", "kemensos", "lpsk"}
    assert all(m.as_of for m in h.missions)


@pytest.mark.parametrize("typed", ["Dubai", "uae", "Uni Emirat Arab", "Thailand", "Oman"])
def test_hotlines_fall_back_to_safe_travel_and_kemlu(typed: str) -> None:
    h = load_content().hotlines_for(typed)
    assert h.missions == []
    assert [f.id for f in h.fallback] == ["safe_travel", "kemlu_pwni"]


def test_hotlines_fallback_for_unknown_country_and_typos() -> None:
    c = load_content()
    assert c.hotlines_for("Narnia").fallback
    assert c.hotlines_for("malasya").country == "Malaysia"
    assert c.hotlines_for("hongkong").country == "Hong Kong"
    assert c.hotlines_for(None).missions == []


def test_phone_detection_ignores_years_and_money() -> None:
    assert list(phone_like("dikutip 2016-2020, Rp 15.000.000, UU 18/2017")) == []
    assert list(phone_like("hubungi 0812-3456-7890")) == ["0812-3456-7890"]


# ---- broken copies of content/ must fail, naming file and entry ----------------------------------------


def _broken_copy(tmp_path: Path, fname: str, edit: Callable[[dict], None]) -> Path:
    d = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, d)
    data = yaml.safe_load((d / fname).read_text(encoding="utf-8"))
    edit(data)
    (d / fname).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return d


def _flag(data: dict, fid: str) -> dict:
    return next(f for f in data["red_flags"] if f["id"] == fid)


def _service(data: dict, sid: str) -> dict:
    return next(s for s in data["services"] if s["id"] == sid)


def _sentra(data: dict, sid: str) -> dict:
    return next(s for s in data["sentra"] if s["id"] == sid)


BROKEN = [
    ("red_flags.yml", lambda d: _flag(d, "secrecy").pop("source"), "red_flags[secrecy]", "source"),
    (
        "red_flags.yml",
        lambda d: _flag(d, "underage").update(reviewed="2026-02-30"),
        "red_flags[underage]",
        "reviewed",
    ),
    (
        "red_flags.yml",
        lambda d: _flag(d, "underage").update(reviewed="2999-01-01"),
        "red_flags[underage]",
        "future",
    ),
    (
        "red_flags.yml",
        lambda d: _flag(d, "secrecy").update(id="secret_agent"),
        "red_flags[secret_agent]",
        "unknown",
    ),
    ("red_flags.yml", lambda d: d["red_flags"].pop(), "red_flags[romance_lure]", "missing"),
    (
        "red_flags.yml",
        lambda d: _flag(d, "upfront_fee").update(source="kompas dot com"),
        "red_flags[upfront_fee]",
        "not a URL",
    ),
    ("red_flags.yml", lambda d: _flag(d, "upfront_fee")["title"].pop("en"), "red_flags[upfront_fee]", "en"),
    ("aid.yml", lambda d: _service(d, "debt").update(needs=["money", "debt"]), "services[debt]", "needs"),
    (
        "aid.yml",
        lambda d: _service(d, "health")["what"].update(id="Telepon 0812-1111-2222 untuk bantuan."),
        "services[health]",
        "not a verified",
    ),
    (
        "hotlines.yml",
        lambda d: d["countries"]["Malaysia"]["missions"][0]["contacts"][0].update(value="+60 3 1234 5678"),
        "countries[Malaysia]",
        "not a verified",
    ),
    ("hotlines.yml", lambda d: d["national"][0].update(as_of="2099-01"), "national[polri]", "future"),
    (
        "sentra.yml",
        lambda d: _sentra(d, "efata").update(address="Jl. Terusan Timor Raya KM 36, Naibonat"),
        "sentra[efata]",
        "address_source",
    ),
    (
        "sentra.yml",
        lambda d: _sentra(d, "paramita")["notes"].update(id="Telepon (0370) 123456."),
        "sentra[paramita]",
        "no sentra number",
    ),
    (
        "sentra.yml",
        lambda d: _sentra(d, "insyaf").update(source="https://github.com/someone/seeder/blob/main/x.php"),
        "sentra[insyaf]",
        "secondary",
    ),
    ("faq.yml", lambda d: d["faq"][0].update(source="project:docs/x.md"), "faq[what_is_tppo]", "project:"),
]


@pytest.mark.parametrize(("fname", "edit", "entry", "word"), BROKEN)
def test_broken_entry_fails_the_check_naming_file_and_entry(
    tmp_path: Path, fname: str, edit: Callable[[dict], None], entry: str, word: str
) -> None:
    d = _broken_copy(tmp_path, fname, edit)
    problems = check_content(d)
    assert any(p.startswith(f"{fname}: {entry}") and word in p for p in problems), problems
    result = runner.invoke(app, ["content", "check", "--dir", str(d)])
    assert result.exit_code == 1
    assert fname in result.output and entry in result.output


def test_missing_file_fails(tmp_path: Path) -> None:
    d = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, d)
    (d / "aid.yml").unlink()
    assert any(p.startswith("aid.yml: file missing") for p in check_content(d))


def test_messages_fit_one_whatsapp_message(tmp_path: Path) -> None:
    d = _broken_copy(tmp_path, "faq.yml", lambda data: data["faq"][0]["answer"].update(id="x" * 1700))
    assert any("faq[what_is_tppo]" in p and "1700 characters" in p for p in check_content(d))


def test_hotline_message_shows_source_dates_and_fits_a_chat_message() -> None:
    c = load_content()
    saudi = c.hotlines_for("Arab Saudi").render("id")
    assert "+966 50 360 9667" in saudi and "sumber 2020-11" in saudi and "110" in saudi
    dubai = c.hotlines_for("Dubai").render("en")
    assert "Safe Travel" in dubai and "+62 812 9007 0027" in dubai and "source 2020-02" in dubai
    for country in [None, *c.hotlines.countries]:
        assert len(c.hotlines_for(country).render("id")) <= 1600


def test_other_content_files_may_not_show_unverified_numbers(tmp_path: Path) -> None:
    d = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, d)
    (d / "extra.yml").write_text(
        "replies:\n  - id: call_us\n    text: {id: 'Telepon kami di 0812-9999-8888', en: 'Call 0812-9999-8888'}\n"
        "    reviewed: 2026-01-01\n",
        encoding="utf-8",
    )
    problems = check_content(d)
    assert any(p.startswith("extra.yml: replies[call_us]") and "not a verified" in p for p in problems)
