"""SIGKILL the server while many people write on Telegram, restart it: every acknowledged message
is stored, and every reply is delivered (or still waiting in the outbox), none lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, select

from bot.config import ROOT
from bot.store.db import normalise_url
from bot.store.models import Message, Outbox
from tests.channels.fakes import FakeTelegram, free_port, wait_until

TOKEN = "123456:crash-test-token"
SECRET = "crash-test-secret-0123456789"
USERS = 12
MESSAGES = ["halo", "/check_offer", "menu", "sentra terdekat dari kupang", "makasih", "hello"]


@pytest.fixture
def fake_tg() -> Iterator[FakeTelegram]:
    fake = FakeTelegram(TOKEN)
    fake.server.start()
    yield fake
    fake.server.stop()


def start_server(db_url: str, model_dir: Path, api: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "SAHABAT_DATABASE_URL": db_url,
        "SAHABAT_NLU_MODEL_DIR": str(model_dir),
        "SAHABAT_TELEGRAM_TOKEN": TOKEN,
        "SAHABAT_TELEGRAM_SECRET": SECRET,
        "SAHABAT_TELEGRAM_API_URL": api,
        "SAHABAT_OUTBOX_LEASE_S": "2",
        "SAHABAT_OUTBOX_POLL_S": "0.2",
        "SAHABAT_OUTBOX_BACKOFF_BASE_S": "0.2",
    }
    env.pop("SAHABAT_NLU_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert proc.poll() is None, "server exited"
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("server not ready in 90 s")


def update(update_id: int, user: int, text: str) -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id, "date": int(time.time()), "text": text,
            "chat": {"id": 7000 + user, "type": "private"},
            "from": {"id": 7000 + user, "is_bot": False, "first_name": "T"},
        },
    }


def test_sigkill_under_load_loses_nothing(db_url: str, nlu_model_dir: Path, nlu: object, fake_tg: FakeTelegram) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/webhooks/telegram"
    proc = start_server(db_url, nlu_model_dir, fake_tg.url, port)
    acked: set[int] = set()
    lock = threading.Lock()

    def person(user: int) -> None:
        with httpx.Client(timeout=5) as client:
            for n, text in enumerate(MESSAGES * 3):
                uid = 100_000 + user * 1000 + n
                # Like Telegram: retry until acknowledged, for a bounded time (not a bounded count:
                # on a loaded machine the restart alone can outlast 40 quick retries).
                give_up = time.monotonic() + 120
                while time.monotonic() < give_up:
                    try:
                        r = client.post(url, json=update(uid, user, text), headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
                        if r.status_code == 200:
                            with lock:
                                acked.add(uid)
                            break
                    except httpx.HTTPError:
                        pass
                    time.sleep(0.25)

    people = [threading.Thread(target=person, args=(u,)) for u in range(USERS)]
    for t in people:
        t.start()
    wait_until(lambda: len(acked) >= USERS * 3, timeout=60, what="some messages acknowledged")
    proc.send_signal(signal.SIGKILL)  # mid-load, no goodbye
    proc.wait(timeout=10)
    proc = start_server(db_url, nlu_model_dir, fake_tg.url, port)
    try:
        for t in people:
            t.join(timeout=120)
        engine = create_engine(normalise_url(db_url))

        def drained() -> bool:
            with engine.connect() as c:
                return not c.execute(select(Outbox.id).where(Outbox.status == "pending")).first()

        wait_until(drained, timeout=60, what="outbox drained after restart")
        with engine.connect() as c:
            stored = {int(m.rsplit(":", 1)[-1]) for (m,) in c.execute(select(Message.channel_message_id).where(
                Message.channel == "telegram", Message.direction == "in"))}
            rows = c.execute(select(Outbox.status, Outbox.payload)).all()
        engine.dispose()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)

    assert len(acked) == USERS * len(MESSAGES) * 3  # everyone got through in the end
    assert acked <= stored  # every acknowledged message was stored
    assert rows and all(status == "sent" for status, _ in rows), Counter(s for s, _ in rows)
    sent_per_chat = Counter(str(p["chat_id"]) for p in fake_tg.sent())
    rows_per_chat = Counter(str(p["chat_id"]) for _, p in rows)
    for chat, n in rows_per_chat.items():
        # At least once: nothing lost. A reply whose send was cut by the kill may go out twice.
        assert sent_per_chat[chat] >= n, f"chat {chat}: {sent_per_chat[chat]} sent of {n} replies"
    assert sum(sent_per_chat.values()) - len(rows) <= 8  # at most the sends in flight at the kill
