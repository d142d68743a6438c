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


def _import(settings: Settings, monkeypatch, *args: str):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SAHABAT_DATABASE_URL", settings.database_url)
    from bot.config import get_settings

    get_settings.cache_clear()
    try:
        return CliRunner().invoke(app, ["agencies", "import", *args])
    finally:
        get_settings.cache_clear()


def _stored(runtime: Runtime) -> list[tuple[str, str | None, str | None]]:
    from sqlalchemy import select

    from bot.store.models import Agency

    with runtime.db.session() as s:
        return sorted((a.name, a.license_no, a.city) for a in s.scalars(select(Agency)))


GOOD = "nama,no_izin,kota\nPT Bina Karya Sejahtera,SIP3MI-001,Cirebon\nPT Lintas Samudra Abadi,SIP3MI-002,Surabaya\n"


def test_a_file_with_an_unclosed_quote_leaves_the_list_unchanged(  # type: ignore[no-untyped-def]
    tmp_path: Path, settings: Settings, runtime: Runtime, monkeypatch
) -> None:
    assert _import(settings, monkeypatch, str(_csv(tmp_path, GOOD)), "--date", "2026-10-01").exit_code == 0
    before = _stored(runtime)
    broken = _csv(tmp_path, 'nama,no_izin,kota\n"PT Garbled,SIP3MI-9,Bogor\nPT Other,SIP3MI-8,Bekasi\n')
    result = _import(settings, monkeypatch, str(broken), "--date", "2026-11-01")
    assert result.exit_code == 1 and "unclosed quote" in result.output
    assert _stored(runtime) == before


def test_semicolons_and_cp1252_as_excel_saves_them_import_right(  # type: ignore[no-untyped-def]
    tmp_path: Path, settings: Settings, runtime: Runtime, monkeypatch
) -> None:
    f = tmp_path / "excel.csv"
    f.write_bytes("Nama Perusahaan;Nomor Izin;Kota\r\nPT Karya Mandiri Jaya;SIP3MI-7;Cianjur\r\n"
                  "PT Putra Nusantara Ekspor;SIP3MI-8;Malang – Jatim\r\n"
                  "PT KARYA MANDIRI JAYA;;Cianjur\r\n".encode("cp1252"))
    result = _import(settings, monkeypatch, str(f), "--date", "2026-10-01")
    assert result.exit_code == 0, result.output
    assert "1 duplicate rows merged" in result.output
    assert _stored(runtime) == [("PT Karya Mandiri Jaya", "SIP3MI-7", "Cianjur"),
                                ("PT Putra Nusantara Ekspor", "SIP3MI-8", "Malang – Jatim")]


def test_dry_run_shows_the_change_and_a_shrunken_list_is_refused(  # type: ignore[no-untyped-def]
    tmp_path: Path, settings: Settings, runtime: Runtime, monkeypatch
) -> None:
    many = "nama\n" + "".join(f"PT Agen Nomor {i}\n" for i in range(12))
    assert _import(settings, monkeypatch, str(_csv(tmp_path, many)), "--date", "2026-10-01").exit_code == 0
    before = _stored(runtime)
    one = _csv(tmp_path, "nama\nPT Agen Nomor 1\nPT Agen Baru\n")
    dry = _import(settings, monkeypatch, str(one), "--date", "2026-11-01", "--dry-run", "--allow-shrink")
    assert dry.exit_code == 0 and "+ PT Agen Baru" in dry.output and "11 gone" in dry.output
    assert "nothing changed" in dry.output and _stored(runtime) == before
    shrunk = _import(settings, monkeypatch, str(one), "--date", "2026-11-01")
    assert shrunk.exit_code == 1 and "more than half" in shrunk.output and _stored(runtime) == before
