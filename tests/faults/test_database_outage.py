"""Database unreachable -> 503 with a reason (channels retry), nothing lost, recovery on its own."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select, text

from bot.app_state import build_runtime
from bot.config import ROOT, Settings
from bot.server import create_app
from bot.store.db import normalise_url
from bot.store.models import Message
from nlu.base import NLU
from tests.faults.tcp_proxy import TcpProxy

PG_URL = os.environ.get("SAHABAT_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (SAHABAT_TEST_POSTGRES_URL); CI sets it")

URL = "/webhooks/rest/webhook"


def _settings(url: str, nlu_model_dir: Path, **extra: Any) -> Settings:
    return Settings(database_url=url, nlu_model_dir=nlu_model_dir, flows_dir=ROOT / "flows", **extra)


def test_outage_gives_503_then_recovers_without_loss(
    pg_behind_proxy: tuple[str, TcpProxy], nlu: NLU, nlu_model_dir: Path
) -> None:
    url, proxy = pg_behind_proxy
    rt = build_runtime(settings := _settings(url, nlu_model_dir), nlu=nlu)
    with TestClient(create_app(settings, rt), raise_server_exceptions=False) as client:
        assert client.post(URL, json={"sender": "p1", "message": "halo"}).status_code == 200
        asked = client.post(URL, json={"sender": "p1", "message": "/request_help"}).json()
        assert "Setuju" in " ".join(r["text"] for r in asked)

        proxy.cut()
        down = client.post(URL, json={"sender": "p1", "message": "ya", "message_id": "m-ya"})
        assert down.status_code == 503
        assert "retry" in down.json()["detail"] and "Traceback" not in down.text
        assert client.get("/readyz").status_code == 503
        assert client.get("/healthz").status_code == 200  # the process itself is fine

        proxy.start()  # the database is back: the retried message goes through, the flow goes on
        again = client.post(URL, json={"sender": "p1", "message": "ya", "message_id": "m-ya"})
        assert again.status_code == 200
        assert any("keadaan" in r["text"] for r in again.json())
        assert client.get("/readyz").status_code == 200
        with rt.db.session() as s:
            assert s.scalar(select(func.count()).select_from(Message).where(Message.direction == "in")) == 3
    rt.db.dispose()


def test_a_conversation_locked_elsewhere_gives_503_not_a_hang(
    pg_behind_proxy: tuple[str, TcpProxy], nlu: NLU, nlu_model_dir: Path
) -> None:
    """Turns run on the event loop: a row held by a stuck transaction elsewhere must end in a 503
    (lock_timeout), which the channel retries, and the person's message then goes through."""
    url, _ = pg_behind_proxy
    rt = build_runtime(settings := _settings(url, nlu_model_dir), nlu=nlu)
    with TestClient(create_app(settings, rt), raise_server_exceptions=False) as client:
        assert client.post(URL, json={"sender": "p2", "message": "halo"}).status_code == 200
        stuck = create_engine(normalise_url(url))
        with stuck.connect() as c:
            c.execute(text("SELECT id FROM conversation FOR UPDATE"))  # held, never committed
            held = client.post(URL, json={"sender": "p2", "message": "menu", "message_id": "m-menu"})
            assert held.status_code == 503 and "retry" in held.json()["detail"]
            other = client.post(URL, json={"sender": "p3", "message": "halo"})
            assert other.status_code == 200  # someone else's conversation is not held up
            c.rollback()
        stuck.dispose()
        assert client.post(URL, json={"sender": "p2", "message": "menu", "message_id": "m-menu"}).status_code == 200
    rt.db.dispose()


DANGER = "tolong saya dikurung majikan di Malaysia, paspor saya ditahan"


def test_danger_during_an_outage_gets_the_numbers_now_and_is_recorded_on_retry(
    pg_behind_proxy: tuple[str, TcpProxy], nlu: NLU, nlu_model_dir: Path
) -> None:
    from flows.actions_emergency import emergency_numbers

    url, proxy = pg_behind_proxy
    rt = build_runtime(settings := _settings(url, nlu_model_dir), nlu=nlu)
    with TestClient(create_app(settings, rt), raise_server_exceptions=False) as client:
        assert client.post(URL, json={"sender": "p4", "message": "halo"}).status_code == 200
        proxy.cut()
        down = client.post(URL, json={"sender": "p4", "message": DANGER, "message_id": "m-sos"})
        assert down.status_code == 503 and "retry" in down.json()["detail"]  # not stored: the client retries
        text_now = " ".join(r["text"] for r in down.json()["replies"])
        assert "belum tercatat" in text_now and emergency_numbers("id", "Malaysia") in text_now
        calm = client.post(URL, json={"sender": "p5", "message": "mau tanya syarat kerja ke Taiwan"})
        assert calm.status_code == 503 and "replies" not in calm.json()  # only danger is answered offline

        proxy.start()
        again = client.post(URL, json={"sender": "p4", "message": DANGER, "message_id": "m-sos"})
        assert again.status_code == 200 and any("SM-" in r["text"] for r in again.json())  # the case opens now
        assert client.post(URL, json={"sender": "p4", "message": DANGER, "message_id": "m-sos"}).json() == []
        with rt.db.session() as s:
            # "halo" and the plea, once; the calm question was refused (503) and never stored
            assert s.scalar(select(func.count()).select_from(Message).where(Message.direction == "in")) == 2
    rt.db.dispose()


def test_danger_on_telegram_during_an_outage_is_answered_by_the_bot_api_and_retried(
    pg_behind_proxy: tuple[str, TcpProxy], nlu: NLU, nlu_model_dir: Path
) -> None:
    from bot.channels.telegram import to_html
    from flows.actions_emergency import emergency_numbers
    from tests.channels.fakes import FakeTelegram, wait_until
    from tests.channels.test_telegram import text_update

    url, proxy = pg_behind_proxy
    fake = FakeTelegram("123:outage")
    fake.server.start()
    try:
        settings = _settings(url, nlu_model_dir, telegram_token="123:outage", telegram_secret="s" * 24,
                             telegram_api_url=fake.url, outbox_poll_s=0.05)
        rt = build_runtime(settings, nlu=nlu)
        headers = {"X-Telegram-Bot-Api-Secret-Token": "s" * 24}
        update = text_update(4242, DANGER, 77_001)
        with TestClient(create_app(settings, rt), raise_server_exceptions=False) as client:
            proxy.cut()
            assert client.post("/webhooks/telegram", json=update, headers=headers).status_code == 503
            sent = [str(m["text"]) for m in fake.sent(4242)]
            assert len(sent) == 1 and "belum tercatat" in sent[0]  # the numbers, straight from the Bot API
            assert to_html(emergency_numbers("id", "Malaysia")) in sent[0]
            proxy.start()
            assert client.post("/webhooks/telegram", json=update, headers=headers).status_code == 200
            wait_until(lambda: any("SM-" in str(m["text"]) for m in fake.sent(4242)), 10, "the case reply")
        rt.db.dispose()
    finally:
        fake.server.stop()
