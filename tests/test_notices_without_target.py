"""Emergency notices when no notification target is configured: recorded as not sent, never left
pending (the outbox would only grow) and never sent as a stale backlog once a target is set."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot.app_state import Runtime, build_runtime
from bot.config import Settings
from bot.messages import Inbound
from bot.metrics import REGISTRY
from bot.notify import CHANNEL, NotifyAdapter
from bot.outbox import OutboxSender, Policy, pending_count
from bot.store.models import Escalation, Outbox
from nlu.base import NLU
from tests.channels.fakes import FakeTelegram

CRY = "tolong saya dikurung majikan di Riyadh"


@pytest.fixture
def fake_telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram("999:NOTIFY")
    fake.server.start()
    yield fake
    fake.server.stop()


def _unsent() -> float:
    return REGISTRY.get_sample_value("sahabat_notices_unsent_total", {"event": "escalation.emergency"}) or 0.0


def _with_target(settings: Settings, fake: FakeTelegram) -> Settings:
    return settings.model_copy(
        update={"telegram_token": "999:NOTIFY", "telegram_api_url": fake.url, "caseworker_telegram_chat_id": "-100777"}
    )


def _deliver(rt: Runtime, st: Settings) -> int:
    sender = OutboxSender(rt.db, {CHANNEL: NotifyAdapter(st)}, Policy())

    async def go() -> int:
        n = await sender.drain_once()
        await sender.stop()
        return n

    return asyncio.run(go())


def test_without_a_target_the_notice_is_not_left_pending_nor_sent_later(
    settings: Settings, nlu: NLU, fake_telegram: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        rt = build_runtime(settings, nlu=nlu)
    try:
        assert "no caseworker notification target" in caplog.text  # said once, at start-up
        before = _unsent()
        reply = "\n".join(r.text for r in rt.engine.handle(Inbound("rest", "w1", text=CRY)))
        assert "110" in reply  # the person still gets the emergency answer
        with rt.db.session() as s:
            esc = s.scalars(select(Escalation)).one()
            (row,) = s.scalars(select(Outbox).where(Outbox.channel == CHANNEL)).all()
            assert row.payload["reference"] == esc.reference
            assert row.status == "failed" and "no notification target" in (row.last_error or "")
            assert pending_count(s) == 0  # the outbox depth does not grow
        assert _unsent() == before + 1
        assert _deliver(rt, _with_target(settings, fake_telegram)) == 0  # a target set later: no stale backlog
        assert fake_telegram.sent("-100777") == []
        for secret in ("dikurung", "Riyadh", "w1"):
            assert secret not in caplog.text  # never the message, never the chat
    finally:
        rt.db.dispose()


def test_with_a_target_the_notice_waits_in_the_outbox_and_goes_out(
    settings: Settings, nlu: NLU, fake_telegram: FakeTelegram
) -> None:
    st = _with_target(settings, fake_telegram)
    rt = build_runtime(st, nlu=nlu)
    try:
        before = _unsent()
        rt.engine.handle(Inbound("rest", "w2", text=CRY))
        with rt.db.session() as s:
            assert s.scalars(select(Outbox.status).where(Outbox.channel == CHANNEL)).one() == "pending"
        assert _deliver(rt, st) == 1
        (msg,) = fake_telegram.sent("-100777")
        assert "SM-" in msg["text"]
        assert _unsent() == before
    finally:
        rt.db.dispose()
