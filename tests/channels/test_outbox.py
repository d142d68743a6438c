"""The outbox on its own terms: caseworker replies, giving up, and per-chat order around failures."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot.app_state import Runtime
from bot.channels.common import Part, PermanentFailure, TemporaryFailure
from bot.metrics import REGISTRY
from bot.outbox import OutboxSender, Policy, send_from_caseworker
from bot.store import repo
from bot.store.models import Message, Outbox
from tests.channels.fakes import FakeTelegram, wait_until


def settled(rt: Runtime) -> bool:
    with rt.db.session() as s:
        return not s.scalar(select(func.count()).select_from(Outbox).where(Outbox.status == "pending"))


def test_caseworker_reply_is_stored_and_sent_to_the_same_chat(
    app_client: TestClient, fake_telegram: FakeTelegram, channel_runtime: Runtime
) -> None:
    with channel_runtime.db.session() as s:
        contact = repo.get_or_create_contact(s, "telegram", "9001")
        row = send_from_caseworker(s, contact, "Halo, saya *Rina* dari Dinas Sosial <Lombok>.")
        assert row.payload["sender"] == "caseworker"
    app_client.app.state.outbox.wake()  # type: ignore[attr-defined]
    wait_until(lambda: settled(channel_runtime), what="the row to settle")
    sent = fake_telegram.sent(9001)
    assert sent[0]["text"] == "Halo, saya <b>Rina</b> dari Dinas Sosial &lt;Lombok&gt;."
    with channel_runtime.db.session() as s:
        msg = s.scalars(select(Message)).one()
        assert (msg.direction, msg.sender) == ("out", "caseworker")
        assert s.get(Outbox, row.id).status == "sent"  # type: ignore[union-attr]


def test_a_blocked_bot_fails_the_row_at_once_and_later_rows_still_go(
    app_client: TestClient, fake_telegram: FakeTelegram, channel_runtime: Runtime
) -> None:
    fake_telegram.forbidden_chats.add("9002")
    with channel_runtime.db.session() as s:
        contact = repo.get_or_create_contact(s, "telegram", "9002")
        first = send_from_caseworker(s, contact, "satu").id
        second = send_from_caseworker(s, contact, "dua").id
    app_client.app.state.outbox.wake()  # type: ignore[attr-defined]
    wait_until(lambda: settled(channel_runtime), what="both rows to settle")
    with channel_runtime.db.session() as s:
        a, b = s.get(Outbox, first), s.get(Outbox, second)
        assert a is not None and b is not None
        assert (a.status, a.attempts) == ("failed", 1) and "Forbidden" in (a.last_error or "")
        assert b.status == "failed"  # tried after the first gave up, not before


class Flaky:
    """A channel that fails `fail` times per row before accepting it; records what it accepted."""

    channel = "telegram"

    def __init__(self, fail: int) -> None:
        self.fail = fail
        self.tries: dict[str, int] = {}
        self.accepted: list[str] = []

    def render(self, payload: dict[str, Any]) -> list[Part]:
        return [Part({"text": payload["text"]})]

    async def deliver(self, part: Part) -> str:
        text = part.data["text"]
        self.tries[text] = self.tries.get(text, 0) + 1
        if self.tries[text] <= self.fail:
            raise TemporaryFailure("flaky")
        self.accepted.append(text)
        return str(len(self.accepted))

    async def send(self, payload: dict[str, Any]) -> str:
        return await self.deliver(self.render(payload)[0])

    async def close(self) -> None:
        return None


def _queue(rt: Runtime, chat: str, texts: list[str]) -> None:
    with rt.db.session() as s:
        contact = repo.get_or_create_contact(s, "telegram", chat)
        repo.enqueue_replies(s, contact, [{"text": t} for t in texts])


async def _drain(sender: OutboxSender, rt: Runtime, rounds: int = 400) -> None:
    for _ in range(rounds):
        await sender.drain_once()
        if await asyncio.to_thread(settled, rt):
            return
        await asyncio.sleep(0.002)
    raise AssertionError("the outbox did not settle")


def test_retries_keep_each_chats_order_and_give_up_after_max_attempts(channel_runtime: Runtime) -> None:
    _queue(channel_runtime, "a", ["a1", "a2", "a3"])
    _queue(channel_runtime, "b", ["b1", "b2"])
    flaky = Flaky(fail=2)
    policy = Policy(max_attempts=5, backoff_base_s=0.001, backoff_max_s=0.004, lease_s=5, poll_s=0.01)
    asyncio.run(_drain(OutboxSender(channel_runtime.db, {"telegram": flaky}, policy), channel_runtime))
    assert [t for t in flaky.accepted if t[0] == "a"] == ["a1", "a2", "a3"]
    assert [t for t in flaky.accepted if t[0] == "b"] == ["b1", "b2"]
    assert all(n == 3 for n in flaky.tries.values())  # two failures then success, never sent twice

    _queue(channel_runtime, "c", ["c1", "c2"])
    hopeless = Flaky(fail=100)
    asyncio.run(_drain(OutboxSender(channel_runtime.db, {"telegram": hopeless}, policy), channel_runtime))
    with channel_runtime.db.session() as s:
        rows = s.scalars(select(Outbox).where(Outbox.status == "failed").order_by(Outbox.id)).all()
        assert [(r.payload["text"], r.attempts) for r in rows] == [("c1", 5), ("c2", 5)]
        assert all(r.last_error == "flaky" for r in rows)  # kept for the console, with the reason


def test_rows_claimed_by_a_process_that_died_are_sent_after_the_lease(channel_runtime: Runtime) -> None:
    _queue(channel_runtime, "d", ["d1", "d2"])
    policy = Policy(max_attempts=5, backoff_base_s=0.001, backoff_max_s=0.004, lease_s=0.3, poll_s=0.01)
    dead = OutboxSender(channel_runtime.db, {"telegram": Flaky(fail=0)}, policy)
    claimed = dead._claim()  # claimed, then the process "crashed" before sending
    assert [j.payload["text"] for j in claimed] == ["d1"]  # one row per chat at a time
    survivor = Flaky(fail=0)
    fresh = OutboxSender(channel_runtime.db, {"telegram": survivor}, policy)
    asyncio.run(fresh.drain_once())
    assert survivor.accepted == []  # d1 is leased, and d2 must not overtake it
    asyncio.run(_drain(fresh, channel_runtime))
    assert survivor.accepted == ["d1", "d2"]


class Refusing(Flaky):
    """A channel that refuses every row for good (the person blocked the bot)."""

    async def deliver(self, part: Part) -> str:
        raise PermanentFailure("blocked")


def _failures(channel: str) -> float:
    return REGISTRY.get_sample_value("sahabat_delivery_failures_total", {"channel": channel}) or 0.0


def test_failed_deliveries_are_counted_in_the_metrics(channel_runtime: Runtime) -> None:
    """/metrics promises delivery failures (README): every failed attempt, temporary or permanent."""
    policy = Policy(max_attempts=3, backoff_base_s=0.001, backoff_max_s=0.004, lease_s=5, poll_s=0.01)
    before = _failures("telegram")
    _queue(channel_runtime, "e", ["e1"])
    asyncio.run(_drain(OutboxSender(channel_runtime.db, {"telegram": Flaky(fail=2)}, policy), channel_runtime))
    assert _failures("telegram") == before + 2  # two temporary failures, then it went out
    _queue(channel_runtime, "f", ["f1", "f2"])
    asyncio.run(_drain(OutboxSender(channel_runtime.db, {"telegram": Refusing(0)}, policy), channel_runtime))
    assert _failures("telegram") == before + 4  # one permanent failure per row
