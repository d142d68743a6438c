"""The console's language in Debian's chromium on a phone: Indonesian by default, English after the
ID | EN switch in the header (no JS needed), kept across pages, reloads and logging out."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.app_state import Runtime, build_runtime
from bot.config import Settings
from bot.console.passwords import add_caseworker
from tests.console.test_browser import CHROME_ARGS, CHROMIUM, PASSWORD, LiveServer
from tests.console.test_browser_helpline import new_case

pytestmark = pytest.mark.browser

# Labels of the login page, the queue and the case page, as (Indonesian, English).
LOGIN = [("Nama pengguna", "Username"), ("Masuk", "Log in"), ("Konsol petugas", "Caseworker console")]
QUEUE = [
    ("Antrean kasus", "Case queue"),
    ("Mulai bertugas", "Start shift"),
    ("Tidak bertugas", "Off shift"),
    ("Kasus saya", "My cases"),
    ("Bantuan purna", "Returnee help"),
    ("Keluar", "Log out"),
]
CASE = [("Ringkasan serah terima", "Handoff summary"), ("Ambil kasus", "Claim"), ("Percakapan", "Transcript")]


@pytest.fixture
def live(settings: Settings) -> Iterator[tuple[LiveServer, Runtime]]:
    st = settings.model_copy(update={"console_rounds_seconds": 3600.0})
    rt = build_runtime(st)
    with rt.db.session() as s:
        add_caseworker(s, "sari", PASSWORD, "caseworker")
    with LiveServer(st, rt) as server:
        yield server, rt
    rt.db.dispose()


def shows(page, pairs: list[tuple[str, str]], lang: str) -> None:  # type: ignore[no-untyped-def]
    """Every label of `pairs` in `lang` is on the page and none in the other language."""
    from playwright.sync_api import expect

    expect(page.locator("html")).to_have_attribute("lang", lang)
    text = page.locator("body").inner_text()
    for id_text, en_text in pairs:
        wanted, other = (en_text, id_text) if lang == "en" else (id_text, en_text)
        assert wanted in text, (wanted, lang)
        assert other not in text, (other, lang)


def test_indonesian_by_default_english_on_request_and_back(live) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect, sync_playwright

    server, rt = live
    ref = new_case(rt, "Jawa Timur", "p-lang")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROME_ARGS)
        context = browser.new_context(viewport={"width": 375, "height": 812}, java_script_enabled=False)
        page = context.new_page()
        page.set_default_timeout(20_000)

        # Indonesian by default, on the login page and the queue.
        page.goto(f"{server.url}/console/")
        shows(page, LOGIN, "id")
        page.get_by_label("Nama pengguna").fill("sari")
        page.get_by_label("Sandi").fill(PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(f"{server.url}/console/")
        shows(page, QUEUE, "id")

        # The switch is a plain link (JavaScript is off in this browser) and brings you back here.
        page.locator("header").get_by_role("link", name="EN").click()
        page.wait_for_url(f"{server.url}/console/")
        shows(page, QUEUE, "en")
        expect(page.locator("header .lang strong")).to_have_text("EN")
        (cookie,) = [c for c in context.cookies() if c["name"] == "sm_lang"]
        assert cookie["value"] == "en" and cookie["sameSite"] == "Strict"

        # It stays English on another page, after a reload, and after logging out.
        page.get_by_role("link", name=ref).click()
        shows(page, CASE, "en")
        page.reload()
        shows(page, CASE, "en")
        page.get_by_role("button", name="Log out").click()
        page.wait_for_url(f"{server.url}/console/login")
        shows(page, LOGIN, "en")

        # Switching back works from the login page, before logging in.
        page.locator("header").get_by_role("link", name="ID").click()
        shows(page, LOGIN, "id")
        page.get_by_label("Nama pengguna").fill("sari")
        page.get_by_label("Sandi").fill(PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(f"{server.url}/console/")
        shows(page, QUEUE, "id")
        context.close()

        # With JavaScript on, the tab title (count of cases) and the live parts are in the page's language.
        context = browser.new_context(viewport={"width": 375, "height": 812})
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"{server.url}/console/lang/en?next=%2Fconsole%2Flogin")
        page.get_by_label("Username").fill("sari")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{server.url}/console/")
        expect(page).to_have_title("(1) Queue · Sahabat Migran")
        page.get_by_role("link", name=ref).click()
        expect(page.locator("#viewers")).to_be_hidden()
        assert "Also being viewed by" in (page.locator("#viewers").text_content() or "")
        browser.close()
