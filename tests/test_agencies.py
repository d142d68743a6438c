"""The licensed-agency list: imported by an admin from CSV, matched with typos, shown with its date."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from bot.app_state import Runtime
from bot.cli import app
from bot.config import Settings
from bot.messages import Inbound


def _csv(tmp_path: Path, text: str) -> Path:
    f = tmp_path / "p3mi.csv"
    f.write_text(text, encoding="utf-8")
    return f


def test_import_then_typo_tolerant_match_with_list_date(tmp_path: Path, settings: Settings, runtime: Runtime,
                                                         monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SAHABAT_DATABASE_URL", settings.database_url)
    from bot.config import get_settings

    get_settings.cache_clear()
    f = _csv(tmp_path, "nama_perusahaan,no_izin,kota\nPT Bina Karya Sejahtera,SIP3MI-001,Cirebon\n"
                       "PT Lintas Samudra Abadi,SIP3MI-002,Surabaya\n")
    result = CliRunner().invoke(app, ["agencies", "import", str(f), "--date", "2026-10-01"])
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "imported 2 agencies" in result.output

    def say(text: str) -> str:
        return "\n".join(r.text for r in runtime.engine.handle(Inbound("rest", "ag1", text=text)))

    found = say("apakah PT Bina Karya Sejahtra resmi?")  # typo in the name
    assert "PT Bina Karya Sejahtera" in found and "2026-10-01" in found and "SISKOP2MI" in found
    missing = say("cek PT Maju Mundur Cantik")
    assert "tidak saya temukan" in missing and "2026-10-01" in missing


def test_bad_csv_changes_nothing(tmp_path: Path, settings: Settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SAHABAT_DATABASE_URL", settings.database_url)
    from bot.config import get_settings

    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["agencies", "import", str(_csv(tmp_path, "foo,bar\n1,2\n")), "--date", "2026-10-01"])
    bad_date = CliRunner().invoke(app, ["agencies", "import", str(_csv(tmp_path, "name\nPT A\n")), "--date", "kemarin"])
    get_settings.cache_clear()
    assert result.exit_code == 1 and "no name column" in result.output
    assert bad_date.exit_code == 2
