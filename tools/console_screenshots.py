"""Screenshots of the console for docs/console.md: `python -m tools.console_screenshots [OUT_DIR]`.

Runs the real app on a throw-away SQLite database filled with made-up cases (no real person's data),
logs in with Debian's chromium (Playwright) and saves the queue and a case page at 1280 and 375 px
to docs/img/ (or OUT_DIR)."""

from __future__ import annotations

import socket
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

import uvicorn

from bot.app_state import Runtime, build_runtime
from bot.config import ROOT, Settings
from bot.console import cases
from bot.console.passwords import add_caseworker
from bot.server import create_app
from bot.store import repo
from bot.store.models import Escalation, utcnow

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "contoh sandi petugas 7"
SIZES = {"1280": {"width": 1280, "height": 900}, "375": {"width": 375, "height": 812}}


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _demo(rt: Runtime) -> str:
    """Made-up cases; returns the reference of the one the caseworker holds."""
    now = utcnow()
    rows = [
        ("emergency", 0, "Nusa Tenggara Barat", "Desa Contoh", "tolong, saya dikunci di rumah majikan", 6),
        ("returnee_help", 1, "Nusa Tenggara Barat", "Mataram", "saya baru pulang, gaji 8 bulan tidak dibayar", 50),
        ("report", 2, "Jawa Timur", "Blitar", "ada sponsor menawarkan kerja tanpa visa kerja", 600),
        ("human_request", 2, None, None, "saya mau bicara dengan petugas", 1300),
        ("returnee_help", 2, "Nusa Tenggara Barat", "Lombok Tengah", "butuh bantuan modal usaha", 1500),
    ]
    held = ""
    with rt.db.session() as s:
        sari = add_caseworker(s, "sari", PASSWORD, "caseworker")
        add_caseworker(s, "budi", PASSWORD, "caseworker")
        for i, (cat, prio, prov, place, text, minutes) in enumerate(rows):
            contact = repo.get_or_create_contact(s, "rest", f"demo-{i}")
            contact.consent_at = now
            contact.profile = {"name": "Nama Contoh", "phone": "0800 0000 0000"} if i == 0 else {}
            repo.lock_conversation(s, contact)
            repo.add_message(s, contact, "in", text)
            details = {"situation": "danger" if prio == 0 else "returnee", "needs": ["shelter", "going_home"]}
            if prov:
                details.update({"province": prov, "place": place, "country": "Indonesia"})
            else:
                details["country"] = "Malaysia"
            if i == 0:
                details.update({"emergency_safe_time": "malam", "language": "id"})
                details["consent_to"] = {"kemensos": True, "police_ppa": True, "kp2mi": False, "embassy": False}
            esc = repo.create_escalation(s, contact, cat, prio, f"{details['situation']} · {place or 'Malaysia'}", details)
            esc.created_at = now - timedelta(minutes=minutes)
            if i == 0:
                held = esc.reference
        s.flush()
        esc0 = s.query(Escalation).filter_by(reference=held).one()
        cases.claim(s, esc0, sari.id)
    return held


def main(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            database_url=f"sqlite:///{tmp}/demo.db",
            nlu_model_dir=Path(tmp) / "nlu",
            nlu_url=None,
            flows_dir=ROOT / "flows",
            console_rounds_seconds=3600.0,
        )
        rt = build_runtime(settings)
        held = _demo(rt)
        port = _port()
        server = uvicorn.Server(uvicorn.Config(create_app(settings, rt), host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.1)
        url = f"http://127.0.0.1:{port}"
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
                for name, size in SIZES.items():
                    page = browser.new_context(viewport=size).new_page()  # type: ignore[arg-type]
                    page.goto(f"{url}/console/login")
                    page.get_by_label("Nama pengguna").fill("sari")
                    page.get_by_label("Sandi").fill(PASSWORD)
                    page.get_by_role("button", name="Masuk").click()
                    page.wait_for_url(f"{url}/console/")
                    page.screenshot(path=str(out / f"console-queue-{name}.png"), full_page=True)
                    page.goto(f"{url}/console/cases/{held}")
                    page.screenshot(path=str(out / f"console-case-{name}.png"), full_page=True)
                browser.close()
        finally:
            server.should_exit = True
            thread.join(timeout=15)
            rt.db.dispose()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "img")
