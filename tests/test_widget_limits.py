"""Issue 13: no reply carries more choices than WhatsApp shows natively (3 quick replies or one list
of 10), with titles a phone shows whole; menus that break this are refused when flows load or when
content is checked, naming the file and the step; typed keywords match whole words only."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.knowledge.check import check_content, widget_problems
from bot.knowledge.content import CONTENT_DIR
from flows import widgets
from flows.answers import consume
from flows.registry import CONTRACTS, DYNAMIC_CHOICES
from flows.runtime import Turn
from flows.schema import Ask, Choice, FlowError, Text, load_flows

ROOT = Path(__file__).resolve().parents[1]


def test_every_flow_and_content_menu_fits_a_phone() -> None:
    flows = load_flows(ROOT / "flows", CONTRACTS, set(DYNAMIC_CHOICES))  # static menus: checked here
    assert flows.flows
    assert widget_problems(ROOT / "flows") == []  # and the lists content feeds (red flags, topics)


def _copy_flows(tmp_path: Path) -> Path:
    d = tmp_path / "flows"
    shutil.copytree(ROOT / "flows", d, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return d


def test_a_menu_of_eleven_is_refused_naming_the_file_and_step(tmp_path: Path) -> None:
    d = _copy_flows(tmp_path)
    path = d / "menus.yml"
    text = path.read_text(encoding="utf-8")
    extra = "".join(
        f'    - title: {{id: "Pilihan {i}", en: "Option {i}"}}\n      payload: /menu\n' for i in range(5)
    )
    path.write_text(text.replace("  back:\n", extra + "  back:\n", 1), encoding="utf-8")
    with pytest.raises(FlowError, match=r"\w+\.yml: step '\w+': \(\w+\) 11 choices \(at most 10"):
        load_flows(d, CONTRACTS, set(DYNAMIC_CHOICES))


def test_a_quick_reply_title_too_long_for_a_button_is_refused(tmp_path: Path) -> None:
    d = _copy_flows(tmp_path)
    path = d / "check_offer.yml"
    text = path.read_text(encoding="utf-8")
    assert '"📋 Tempel teksnya"' in text
    path.write_text(text.replace('"📋 Tempel teksnya"', '"📋 Tempel seluruh teks tawarannya"'), encoding="utf-8")
    with pytest.raises(FlowError, match=r"check_offer\.yml: step 'how': \(id\) quick-reply button title"):
        load_flows(d, CONTRACTS, set(DYNAMIC_CHOICES))


def test_content_check_names_a_red_flag_whose_list_title_is_too_long(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    path = content / "red_flags.yml"
    text = path.read_text(encoding="utf-8")
    old = "    short:\n      id: Bayar sebelum berangkat\n      en: Money before departure\n"
    assert old in text
    path.write_text(text.replace(old, ""), encoding="utf-8")
    problems = check_content(content)
    assert any(
        "flows/red_flags.yml: step 'overview'" in p and "Diminta bayar sebelum berangkat" in p for p in problems
    ), problems


def test_limits_follow_whatsapp() -> None:
    assert widgets.problems(["Ya", "Tidak", "Menu utama"]) == []
    assert widgets.problems(["Ini judul tombol yang panjang"]) != []  # a button: 20 characters
    assert widgets.problems([f"Pilihan nomor {i}" for i in range(10)]) == []  # a list: 24
    assert widgets.problems([f"P{i}" for i in range(11)]) != []


CHOICES = [
    Choice(value="register", title=Text(id="Daftar", en="Register"), keywords=["daftar"]),
    Choice(value="health", title=Text(id="Kesehatan", en="Health"), keywords=["obat*", "berobat"]),
    Choice(value="debt", title=Text(id="Utang", en="Debt"), keywords=["hutang"]),
]


def _pick(text: str) -> object:
    ok, value = consume(Ask(slot="x", expect="multi_choice", choices=CHOICES), Turn(text=text, intent="inform"), CHOICES)
    return value if ok else None


def test_keywords_match_whole_words_not_inside_others() -> None:
    assert _pick("biaya pendaftaran 5 juta") is None  # "daftar" inside "pendaftaran"
    assert _pick("mau daftar dulu") == ["register"]
    assert _pick("hutangnya banyak") == ["debt"]  # a clitic on the word
    assert _pick("butuh obat-obatan") == ["health"]  # a declared stem
    assert _pick("kesehtan") == ["health"]  # a small typo of a long name
    assert _pick("1, 3") == ["register", "debt"]
