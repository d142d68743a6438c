"""End to end in Debian's chromium: a person writes on Telegram, a caseworker answers from the console.

The real app runs under uvicorn on 127.0.0.1 (with its outbox sender), Telegram is the local fake
Bot API of tests/channels, and the embedded NLU is the real one. Screenshots go to test-artifacts/."""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from bot.app_state import Runtime, build_runtime
from bot.config import ROOT, Settings
from bot.console.passwords import add_caseworker
from bot.server import create_app
from bot.store import repo
from nlu.base import NLU
from tests.channels.fakes import FakeTelegram, free_port, wait_until

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
TOKEN = "123456:CONSOLE-test_token"
SECRET = "console-Secret_token-0123456789"
PERSON = 770_001
PASSWORD = "kata sandi petugas 1"
CHROME_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("CI") != "true",
        reason="Debian chromium is not installed (apt-get install -y chromium); in CI (CI=true) this test must run",
    ),
]
_updates = itertools.count(9_000_000)


def telegram_text(chat: int, text: str) -> dict[str, Any]:
    uid = next(_updates)
    return {
        "update_id": uid,
        "message": {
            "message_id": uid,
            "date": int(time.time()),
            "chat": {"id": chat, "type": "private", "first_name": "Test"},
            "from": {"id": chat, "is_bot": False, "first_name": "Test", "language_code": "id"},
            "text": text,
        },
    }


class LiveServer:
    """The whole app (lifespan on, so the outbox sender runs) under uvicorn in a thread."""

    def __init__(self, settings: Settings, runtime: Runtime) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(settings, runtime),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            access_log=False,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        wait_until(lambda: self.server.started, 20, "the app to start")
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)

    def telegram(self, update: dict[str, Any]) -> None:
        r = httpx.post(
            f"{self.url}/webhooks/telegram",
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
            timeout=20,
        )
        assert r.status_code == 200, r.text


@pytest.fixture
def fake_telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram(TOKEN)
    fake.server.start()
    yield fake
    fake.server.stop()


@pytest.fixture
def live(settings: Settings, nlu: NLU, fake_telegram: FakeTelegram) -> Iterator[tuple[LiveServer, Runtime]]:
    st = settings.model_copy(
        update={
            "telegram_token": TOKEN,
            "telegram_secret": SECRET,
            "telegram_api_url": fake_telegram.url,
            "outbox_poll_s": 0.1,
        }
    )
    rt = build_runtime(st, nlu=nlu)
    with rt.db.session() as s:
        add_caseworker(s, "sari", PASSWORD, "caseworker")
        # An older, ordinary case already waits: the emergency must still come first.
        other = repo.get_or_create_contact(s, "rest", "older-person")
        repo.create_escalation(
            s, other, "returnee_help", 2, "returnee · older case", {"province": "Jawa Tengah"}
        )
    with LiveServer(st, rt) as server:
        yield server, rt
    rt.db.dispose()


def delivered(rt: Runtime, contact_id: int) -> bool:
    """Nothing left in the outbox for this person."""
    from sqlalchemy import func, select

    from bot.store.models import Outbox

    with rt.db.session() as s:
        q = select(func.count()).where(Outbox.contact_id == contact_id, Outbox.status == "pending")
        return s.scalar(q) == 0


def texts_to(fake: FakeTelegram, chat: int) -> list[str]:
    return [str(p.get("text", "")) for p in fake.sent(chat)]


def test_caseworker_answers_an_emergency_in_the_persons_telegram_chat(
    live, fake_telegram: FakeTelegram
) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect, sync_playwright

    server, rt = live
    ARTIFACTS.mkdir(exist_ok=True)

    # 1. A person in danger writes to the bot on Telegram: emergency numbers at once, and a case.
    server.telegram(telegram_text(PERSON, "tolong saya dikurung majikan, paspor saya ditahan"))
    wait_until(lambda: texts_to(fake_telegram, PERSON), 20, "the bot's emergency reply")
    with rt.db.session() as s:
        contact = repo.get_or_create_contact(s, "telegram", str(PERSON))
        esc = repo.open_escalation(s, contact.id)
        assert esc is not None and esc.priority == 0, "the message should open an emergency case"
        reference, contact_id = esc.reference, contact.id
    wait_until(lambda: delivered(rt, contact_id), 20, "every part of the bot's reply")
    bot_replies = len(texts_to(fake_telegram, PERSON))

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROME_ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
        page.set_default_timeout(20_000)
        page.on("dialog", lambda d: d.accept())

        # 2. The caseworker logs in and sees the emergency at the top of the queue.
        page.goto(f"{server.url}/console/")
        expect(page).to_have_url(f"{server.url}/console/login?next=%2Fconsole%2F")
        page.get_by_label("Nama pengguna").fill("sari")
        page.get_by_label("Sandi").fill(PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        first = page.locator("#queue-rows tr").first
        expect(first).to_have_attribute("data-reference", reference)
        expect(first).to_contain_text("DARURAT")
        assert page.locator("#queue-rows tr").count() == 2
        page.screenshot(path=str(ARTIFACTS / "console-queue.png"), full_page=True)

        # 3. Claim it and reply in the person's own chat.
        first.get_by_role("link", name=reference).click()
        expect(page.locator("h1")).to_contain_text(reference)
        expect(page.locator("#transcript")).to_contain_text("dikurung majikan")
        # Before the claim there is nothing to act with: no reply box, no note form.
        expect(page.locator("#reply-text")).to_have_count(0)
        expect(page.locator("#note-text")).to_have_count(0)
        page.get_by_role("button", name="Ambil kasus").click()
        expect(page.locator("#case-mode")).to_contain_text("dipegang petugas")
        page.locator("#note-text").fill("Korban di Riyadh, paspor ditahan")
        page.get_by_role("button", name="Simpan catatan").click()
        expect(page.locator("#h-notes + ul")).to_contain_text("paspor ditahan")
        page.locator("#canned").select_option("greeting")
        assert "petugas" in page.locator("#reply-text").input_value()  # the canned text, ready to edit
        reply = "Halo, saya Sari, pekerja sosial. Apakah Anda sekarang di tempat yang aman?"
        page.locator("#reply-text").fill(reply)
        page.get_by_role("button", name="Kirim").click()
        expect(page.locator("#transcript")).to_contain_text(reply)

        # 4. The person receives it on Telegram, from the same bot, in the same chat.
        wait_until(lambda: reply in texts_to(fake_telegram, PERSON), 20, "the reply to reach Telegram")
        expect(page.locator("#transcript .caseworker .delivery").last).to_contain_text(
            "terkirim", timeout=25_000
        )

        # 5. The person answers; the bot stays silent and the caseworker sees it without reloading.
        answer = "iya aman, saya di kamar. majikan pergi"
        server.telegram(telegram_text(PERSON, answer))
        expect(page.locator("#transcript")).to_contain_text(answer, timeout=25_000)
        wait_until(lambda: delivered(rt, contact_id), 20, "the outbox to settle")
        assert len(texts_to(fake_telegram, PERSON)) == bot_replies + 1, "the bot must not answer meanwhile"
        page.screenshot(path=str(ARTIFACTS / "console-case.png"), full_page=True)

        # 6. Resolve: the bot takes the chat back and says so.
        page.get_by_label("Hasil").select_option("referred")
        page.get_by_role("button", name="Selesaikan kasus").click()
        expect(page.locator("#case-status")).to_contain_text("Selesai")
        wait_until(
            lambda: any("kembali" in t for t in texts_to(fake_telegram, PERSON)), 20, "the bot's return"
        )
        page.screenshot(path=str(ARTIFACTS / "console-case-resolved.png"), full_page=True)
        browser.close()

    # 7. The bot answers the person again.
    before = len(texts_to(fake_telegram, PERSON))
    server.telegram(telegram_text(PERSON, "menu"))
    wait_until(lambda: len(texts_to(fake_telegram, PERSON)) > before, 20, "the bot to answer again")
    with rt.db.session() as s:
        esc = repo.open_escalation(s, contact.id)
    assert esc is None
