"""Languages are data: a third language is added in a copy of content/ and flows/ without any Python,
speaks where it is translated and falls back along its chain elsewhere; the check lists what is missing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.app_state import Runtime, build_runtime
from bot.channels.whatsapp import menu_hint
from bot.cli import app
from bot.config import ROOT, Settings, get_settings
from bot.knowledge.check import check_content, missing_translations
from bot.knowledge.content import CONTENT_DIR, use_content_dir
from bot.language import Text, catalog
from bot.messages import Inbound, Reply
from nlu.base import NLU

XX = """
  xx:
    name: Xish
    fallback: [en]
    words: [xish]
    greeting: xalo
"""
RED_FLAGS_INTRO = "⚠️ *Tanda bahaya utama tawaran kerja ke luar negeri:*"
# (file, text in the repository, the same with an xx translation added)
TRANSLATED = [
    ("flows/language.yml", '      en: "OK, I\'ll use English from now on."',
     '      en: "OK, I\'ll use English from now on."\n      xx: "Xo, xi xuse Xish."'),
    ("content/red_flags.yml", "      en: Asks for money before departure",
     "      en: Asks for money before departure\n      xx: Xasks xoney"),
    ("content/red_flags.yml", "      en: Money before departure",
     "      en: Money before departure\n      xx: Xoney"),
]  # fmt: skip


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    content, flows = tmp_path / "content", tmp_path / "flows"
    shutil.copytree(CONTENT_DIR, content)
    flows.mkdir()
    for f in (ROOT / "flows").glob("*.yml"):
        shutil.copy(f, flows / f.name)
    with (content / "languages.yml").open("a", encoding="utf-8") as fh:
        fh.write(XX)
    for rel, old, new in TRANSLATED:
        path = tmp_path / rel
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
    # A text written in Python, translated by its Indonesian (base) wording.
    (content / "translations").mkdir()
    (content / "translations" / "xx.yml").write_text(
        f'"{RED_FLAGS_INTRO}": "⚠️ Xigns. Xoose xone:"\n', encoding="utf-8"
    )
    return content, flows


@pytest.fixture
def xish(settings: Settings, nlu: NLU, dirs: tuple[Path, Path]) -> Iterator[Runtime]:
    content, flows = dirs
    rt = build_runtime(settings.model_copy(update={"content_dir": content, "flows_dir": flows}), nlu=nlu)
    yield rt
    rt.db.dispose()


def _say(rt: Runtime, user: str, text: str = "", payload: str | None = None) -> list[Reply]:
    return rt.engine.handle(Inbound("rest", user, text=text, payload=payload))


def test_a_person_who_picks_the_new_language_is_answered_in_it_and_in_its_fallback_elsewhere(
    xish: Runtime,
) -> None:
    switched = _say(xish, "a", "ganti bahasa xish")
    assert switched[0].text.startswith("Xo, xi xuse Xish.")
    # The main menu has no xx titles: English, the next language of the chain.
    assert "🔎 Check a job offer" in [b.title for r in switched for b in r.buttons]
    # Writing English does not switch a language chosen on purpose; untranslated texts come in English.
    hello = _say(xish, "a", "hello")
    assert hello[0].text.startswith("Hello! I'm *Sahabat Migran*")
    signs = _say(xish, "a", payload="/ask_red_flags")
    titles = [b.title for r in signs for b in r.buttons]
    assert any(r.text.startswith("⚠️ Xigns. Xoose xone:") for r in signs)  # translations/xx.yml
    assert "• Xasks xoney" in signs[0].text  # the signs, translated in content/red_flags.yml
    assert "Xoney" in titles and "Money before departure" not in titles  # its short title too
    assert "Debt repaid from wages" in titles  # not translated: English
    assert "Utang dipotong dari gaji" not in titles  # Indonesian only after English


def test_someone_else_still_gets_indonesian_and_english(xish: Runtime) -> None:
    assert _say(xish, "b", "ganti ke bahasa inggris")[0].text.startswith("OK, I'll use English")
    assert _say(xish, "c", "ganti ke bahasa indonesia")[0].text.startswith("Baik, saya akan memakai Bahasa Indonesia")


def test_the_check_lists_the_new_languages_missing_texts_as_warnings(dirs: tuple[Path, Path]) -> None:
    content, flows = dirs
    assert check_content(content, flows) == []  # an unfinished language is no error
    missing = missing_translations(content, flows)
    assert missing["id"] == [] and missing["en"] == []
    assert "flows/menus.yml: menus.main[#0].title" in missing["xx"]
    assert "red_flags.yml: red_flags[debt_bondage].title" in missing["xx"]
    assert "red_flags.yml: red_flags[upfront_fee].title" not in missing["xx"]
    assert "flows/language.yml: steps.switch.say" not in missing["xx"]

    get_settings.cache_clear()  # the command reads SAHABAT_FLOWS_DIR; later tests must not
    try:
        result = CliRunner().invoke(app, ["content", "check", "--dir", str(content)],
                                    env={"SAHABAT_FLOWS_DIR": str(flows)})
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "not in xx (Xish), shown in en, id instead" in result.output
    assert "xx: red_flags.yml: red_flags[debt_bondage].title" in result.output


def test_a_text_missing_in_the_base_language_or_a_complete_one_is_an_error(dirs: tuple[Path, Path]) -> None:
    content, flows = dirs
    path = flows / "goodbye.yml"
    text = path.read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if not ln.strip().startswith("en:")]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = check_content(content, flows)
    assert problems and all(p.startswith("flows/goodbye.yml: ") and "no en text (English)" in p for p in problems)
    with pytest.raises(ValueError, match="base language 'id'"):
        Text(en="only English")


def test_a_translation_file_with_an_unverified_number_fails_the_check(dirs: tuple[Path, Path]) -> None:
    content, flows = dirs
    with (content / "translations" / "xx.yml").open("a", encoding="utf-8") as fh:
        fh.write('"Hubungi 110": "Xall 0812-1111-2222"\n')
    assert any(p.startswith("translations/xx.yml") and "not a verified" in p for p in check_content(content, flows))


def test_channel_texts_of_the_new_language_follow_its_chain(dirs: tuple[Path, Path]) -> None:
    with use_content_dir(dirs[0]):  # as the outbox sender renders, in the configured content's languages
        assert menu_hint(2, "xx") == "Reply 1 or 2"
        assert menu_hint(2, "id") == "Balas 1 atau 2"
    assert menu_hint(2, "xx") == "Balas 1 atau 2"  # unknown to the repository's catalog: the base


def test_chains_fall_back_to_the_base_and_unknown_languages_read_it(dirs: tuple[Path, Path]) -> None:
    cat = catalog(dirs[0])
    assert cat.chain("xx") == ("xx", "en", "id")
    assert cat.chain("en") == ("en", "id")
    assert cat.chain("fr") == ("id",)
    assert cat.toggle("id") == "en" and cat.toggle("en") == "id" and cat.toggle("xx") == "id"
