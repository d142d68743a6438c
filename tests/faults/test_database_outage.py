"""Database unreachable -> 503 with a reason (channels retry), nothing lost, recovery on its own."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, make_url, select, text

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


@pytest.fixture
def pg_behind_proxy() -> Iterator[tuple[str, TcpProxy]]:
    assert PG_URL
    base = make_url(normalise_url(PG_URL))
    name = f"sahabat_outage_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    proxy = TcpProxy(base.host or "127.0.0.1", base.port or 5432)
    proxy.start()
    url = base.set(host="127.0.0.1", port=proxy.port, database=name).render_as_string(hide_password=False)
    try:
        yield url, proxy
    finally:
        proxy.close()
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_outage_gives_503_then_recovers_without_loss(
    pg_behind_proxy: tuple[str, TcpProxy], nlu: NLU, nlu_model_dir: Path
) -> None:
    url, proxy = pg_behind_proxy
    settings = Settings(database_url=url, nlu_model_dir=nlu_model_dir, flows_dir=ROOT / "flows")
    rt = build_runtime(settings, nlu=nlu)
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
    settings = Settings(database_url=url, nlu_model_dir=nlu_model_dir, flows_dir=ROOT / "flows")
    rt = build_runtime(settings, nlu=nlu)
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
