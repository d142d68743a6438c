"""Telegram's own widgets and limits against the fake Bot API: the quick exit deletes the chat,
sensitive replies are protected, "typing…" shows while a reply is slow, and bursts are paced."""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot.app_state import Runtime
from bot.channels import telegram as tg
from bot.channels.telegram_rate import ChatRateLimiter
from bot.config import Settings
from tests.channels.fakes import FakeTelegram, wait_until
from tests.channels.test_telegram import outbox_idle, post, text_update, texts, wait_for_replies


def said(chat: int, text: str, message_id: int) -> dict[str, Any]:
    u = text_update(chat, text)
    u["message"]["message_id"] = message_id
    return u


def test_quick_exit_deletes_both_sides_of_the_chat_then_says_one_line(
    app_client: TestClient, fake_telegram: FakeTelegram, channel_runtime: Runtime
) -> None:
    chat = 2101
    assert post(app_client, said(chat, "halo", 11)) == 200
    wait_for_replies(fake_telegram, chat, 2)
    assert post(app_client, said(chat, "hello", 12)) == 200
    wait_until(lambda: outbox_idle(channel_runtime) and len(fake_telegram.sent(chat)) >= 3, what="replies")
    ours = list(fake_telegram.issued[str(chat)])
    assert post(app_client, said(chat, "/stop", 13)) == 200
    wait_until(lambda: [t for t in texts(fake_telegram, chat) if "stopped" in t], what="the goodbye")  # in English now

    deletions = fake_telegram.called("deleteMessages")
    assert len(deletions) == 1 and str(deletions[0]["chat_id"]) == str(chat)
    assert sorted(deletions[0]["message_ids"]) == sorted([11, 12, 13, *ours])
    methods = fake_telegram.methods()
    assert methods.index("deleteMessages") < len(methods) - 1 - methods[::-1].index("sendMessage")


def test_deletions_go_in_batches_of_100_before_the_message() -> None:
    parts = tg.render_payload({"chat_id": 5, "text": "Percakapan dihentikan.", "retract": [str(i) for i in range(1, 251)]})
    assert [p.kind for p in parts] == ["delete", "delete", "delete", "message"]
    assert [len(p.data["message_ids"]) for p in parts[:3]] == [100, 100, 50]
    assert tg.render_payload({"chat_id": 5, "text": "x", "retract": ["SMabc", ""]})[0].kind == "message"


def test_sensitive_replies_are_protected_and_others_not(
    app_client: TestClient, fake_telegram: FakeTelegram, channel_runtime: Runtime
) -> None:
    chat = 2102
    assert post(app_client, said(chat, "/emergency", 21)) == 200
    replies = wait_for_replies(fake_telegram, chat, 3)
    advice, code, question = replies[:3]
    assert "🆘" in advice["text"] and "SM-" in code["text"] and "negara" in question["text"]
    assert advice["protect_content"] == code["protect_content"] == "true"  # form-encoded by the Bot client
    assert "protect_content" not in question  # a plain question of the flow
    assert post(app_client, said(2103, "halo", 22)) == 200
    greeting = wait_for_replies(fake_telegram, 2103, 2)
    assert all("protect_content" not in m for m in greeting)


def test_a_pin_goes_out_as_a_location_after_the_text() -> None:
    parts = tg.render_payload({"chat_id": 5, "text": "Sentra", "pin": {"lat": -6.2, "lon": 106.8, "name": "X"}})
    assert [p.kind for p in parts] == ["message", "location"]
    assert parts[1].data == {"chat_id": 5, "latitude": -6.2, "longitude": 106.8}


def test_a_slow_reply_shows_typing_first(
    app_client: TestClient, fake_telegram: FakeTelegram, channel_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot import dispatch

    monkeypatch.setattr(tg, "TYPING_AFTER_S", 0.05)
    monkeypatch.setattr(tg, "inline_ok", lambda rt: False)  # as with a remote NLU: turns in the thread pool
    monkeypatch.setattr(dispatch, "inline_ok", lambda rt: False)
    handle = channel_runtime.engine.handle

    def slow(*args: Any, **kwargs: Any) -> Any:  # a slow NLU
        time.sleep(0.5)
        return handle(*args, **kwargs)

    monkeypatch.setattr(channel_runtime.engine, "handle", slow)
    chat = 2104
    assert post(app_client, said(chat, "halo", 31)) == 200
    wait_for_replies(fake_telegram, chat, 1)
    actions = wait_until(lambda: fake_telegram.called("sendChatAction"), what="the chat action")
    assert actions[0]["action"] == "typing" and str(actions[0]["chat_id"]) == str(chat)
    assert fake_telegram.methods().index("sendChatAction") < fake_telegram.methods().index("sendMessage")


def test_a_burst_to_one_chat_is_paced_and_every_message_arrives(
    channel_settings: Settings, fake_telegram: FakeTelegram
) -> None:
    period = 0.05  # one message per 50 ms in this test (per second in production)

    async def burst() -> None:
        adapter = tg.TelegramAdapter(channel_settings, ChatRateLimiter(per_chat_burst=1, per_chat_period=period))
        try:
            await asyncio.gather(*(adapter.send({"chat_id": 2105, "text": f"m{i}"}) for i in range(20)))
        finally:
            await adapter.close()

    started = time.monotonic()
    asyncio.run(burst())
    elapsed = time.monotonic() - started
    sent = [t for m, t in fake_telegram.stamps if m == "sendMessage"]
    assert len(sent) == 20 and len(fake_telegram.sent(2105)) == 20
    assert elapsed >= 19 * period * 0.9  # paced, not all at once
    gaps = [b - a for a, b in itertools.pairwise(sent)]
    assert min(gaps) >= period * 0.5


def test_the_default_pace_lets_a_turn_through_then_one_a_second() -> None:
    async def times() -> list[float]:
        limiter = ChatRateLimiter()
        out = []
        for _ in range(4):
            async def call(*_: Any, **__: Any) -> bool:
                return True

            await limiter.process_request(call, (), {}, "sendMessage", {"chat_id": 9}, None)
            out.append(time.monotonic())
        return out

    t = asyncio.run(times())
    assert t[2] - t[0] < 0.2  # a turn's three replies go together
    assert t[3] - t[2] >= 0.5  # the fourth waits for the chat's budget
