"""One PostgreSQL connection stalls for 5 s under load: only its own conversation waits.

The proxy stops forwarding the stalled conversation's connection (both ways) while several other
people keep chatting on the same worker; they must still be answered within a second, and once
the connection flows again every acknowledged message is stored once with the replies it got."""

from __future__ import annotations

import asyncio
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event, func, select

from bot.app_state import Runtime, build_runtime
from bot.config import ROOT, Settings
from bot.server import create_app
from bot.store.models import Contact, Message
from nlu.base import NLU
from tests.faults.tcp_proxy import TcpProxy

PG_URL = os.environ.get("SAHABAT_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (SAHABAT_TEST_POSTGRES_URL); CI sets it")

URL = "/webhooks/rest/webhook"
STALL_S = 5.0
OTHERS = 6  # people chatting while one connection is stuck
RUN_S = STALL_S + 3.0  # each sender stops after this long or MAX_EACH messages, whichever first
MAX_EACH = 400
STALLED = "stalled"
TEXTS = ["halo", "menu", "mau tanya syarat kerja ke Taiwan", "terima kasih", "info gaji", "apa itu BP2MI"]
UNLIMITED = "100000000/minute"


@dataclass
class Sent:
    sender: str
    message_id: str
    started: float
    took: float
    status: int
    replies: int


async def _send(client: httpx.AsyncClient, sender: str, i: int) -> Sent:
    mid = f"{sender}-{i}"
    t0 = time.monotonic()
    r = await client.post(URL, json={"sender": sender, "message": TEXTS[i % len(TEXTS)], "message_id": mid})
    return Sent(sender, mid, t0, time.monotonic() - t0, r.status_code, len(r.json()) if r.status_code == 200 else 0)


def _stall_when_stalled_sender_starts(rt: Runtime, proxy: TcpProxy, stalled_at: list[float]) -> None:
    """Just before the stalled person's turn reads their conversation, stall that connection."""

    def hook(conn: Any, _cur: Any, _stmt: str, params: Any, _ctx: Any, _many: bool) -> None:
        if stalled_at or not isinstance(params, dict) or not str(params.get("user_id", "")).endswith(STALLED):
            return
        fd = conn.connection.driver_connection.pgconn.socket
        with socket.fromfd(fd, socket.AF_INET, socket.SOCK_STREAM) as sock:
            assert proxy.stall(sock.getsockname()[1], STALL_S)
        stalled_at.append(time.monotonic())

    assert rt.db.async_engine is not None
    for engine in (rt.db.engine, rt.db.async_engine.sync_engine):  # whichever the turn runs on
        event.listen(engine, "before_cursor_execute", hook)


async def _load(rt: Runtime, settings: Settings, proxy: TcpProxy) -> tuple[list[Sent], Sent, list[float]]:
    app = create_app(settings, rt)
    stalled_at: list[float] = []
    async with app.router.lifespan_context(app), httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test", timeout=30
    ) as client:
        # Everyone known (and a few pooled connections) before the stall.
        first = [await _send(client, sender, 0) for sender in [*(f"p{n}" for n in range(OTHERS)), STALLED]]
        assert all(f.status == 200 for f in first)
        _stall_when_stalled_sender_starts(rt, proxy, stalled_at)
        end = time.monotonic() + RUN_S

        async def chat(sender: str) -> list[Sent]:
            out = []
            for i in range(1, MAX_EACH):
                if time.monotonic() > end:
                    break
                out.append(await _send(client, sender, i))
            return out

        async def stalled() -> Sent:
            await asyncio.sleep(1.0)  # the others are under way
            return await _send(client, STALLED, 1)

        *chats, stuck = await asyncio.gather(*(chat(f"p{n}") for n in range(OTHERS)), stalled())
    return first + [s for c in chats for s in c], stuck, stalled_at


def test_a_stalled_connection_holds_up_only_its_own_conversation(
    pg_behind_proxy: tuple[str, TcpProxy], nlu: NLU, nlu_model_dir: Path
) -> None:
    url, proxy = pg_behind_proxy
    settings = Settings(database_url=url, nlu_model_dir=nlu_model_dir, flows_dir=ROOT / "flows", nlu_url=None,
                        rest_rate_per_sender=UNLIMITED, rest_rate_per_address=UNLIMITED,
                        rest_new_emergencies=UNLIMITED)
    rt = build_runtime(settings, nlu=nlu)
    try:
        sent, stuck, stalled_at = asyncio.run(_load(rt, settings, proxy))
        assert stalled_at, "the stalled person's turn never reached the database"
        assert stuck.status == 200 and stuck.replies > 0  # answered once its connection flows again
        during = sorted(s.took for s in sent if stalled_at[0] <= s.started <= stalled_at[0] + STALL_S)
        assert len(during) >= 5 * OTHERS, f"only {len(during)} messages from the others during the stall"
        p99 = during[min(len(during) - 1, int(len(during) * 0.99))]
        assert p99 < 1.0, f"the others waited for the stalled connection: p99 {p99:.2f} s"
        assert all(s.status == 200 for s in sent)

        acked = [*sent, stuck]
        with rt.db.session() as s:
            for sender in {a.sender for a in acked}:
                contact_id = s.scalar(select(Contact.id).where(Contact.channel_user_id == sender))
                rows = dict(s.execute(
                    select(Message.direction, func.count()).where(Message.contact_id == contact_id)
                    .group_by(Message.direction)
                ).all())
                mine = [a for a in acked if a.sender == sender]
                stored_ids = set(s.scalars(select(Message.channel_message_id).where(
                    Message.contact_id == contact_id, Message.direction == "in")))
                assert rows.get("in") == len(mine) and stored_ids == {f"{sender}:{a.message_id}" for a in mine}
                assert rows.get("out") == sum(a.replies for a in mine), sender  # each turn's replies, once
    finally:
        rt.db.dispose()
