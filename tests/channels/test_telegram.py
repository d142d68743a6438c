"""Telegram end to end: python-telegram-bot parses our webhook input and sends through a fake Bot API."""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot.app_state import Runtime
from bot.channels import telegram as tg
from bot.config import Settings
from bot.store.models import Message, Outbox
from tests.channels.conftest import TG_SECRET
from tests.channels.fakes import FakeTelegram, wait_until

URL = "/webhooks/telegram"
_update_ids = itertools.count(500_000)
_CHAT = {"type": "private", "first_name": "Siti"}


def text_update(chat: int, text: str, update_id: int | None = None) -> dict[str, Any]:
    return {
        "update_id": update_id if update_id is not None else next(_update_ids),
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": chat, **_CHAT},
            "from": {"id": chat, "is_bot": False, "first_name": "Siti"},
            "text": text,
        },
    }


def location_update(chat: int, lat: float, lon: float) -> dict[str, Any]:
    u = text_update(chat, "")
    del u["message"]["text"]
    u["message"]["location"] = {"latitude": lat, "longitude": lon}
    return u


def tap(chat: int, sent: dict[str, Any], title_part: str) -> dict[str, Any]:
    """The callback update Telegram posts when the person taps a button of a message we sent."""
    keyboard = sent["reply_markup"]["inline_keyboard"]
    button = next(b for row in keyboard for b in row if title_part in b["text"])
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": f"cq-{time.monotonic_ns()}",
            "from": {"id": chat, "is_bot": False, "first_name": "Siti"},
            "chat_instance": "ci-1",
            "data": button["callback_data"],
            "message": {
                "message_id": 77,
                "date": int(time.time()),
                "chat": {"id": chat, **_CHAT},
                "text": sent["text"],
                "reply_markup": sent["reply_markup"],
            },
        },
    }


def post(client: TestClient, update: dict[str, Any], secret: str | None = TG_SECRET) -> int:
    headers = {tg.SECRET_HEADER: secret} if secret is not None else {}
    return client.post(URL, json=update, headers=headers).status_code


def texts(fake: FakeTelegram, chat: int) -> list[str]:
    return [m["text"] for m in fake.sent(chat)]


def wait_for_replies(fake: FakeTelegram, chat: int, n: int) -> list[dict[str, Any]]:
    return wait_until(lambda: fake.sent(chat) if len(fake.sent(chat)) >= n else None, what=f"{n} messages")


def outbox_idle(rt: Runtime) -> bool:
    with rt.db.session() as s:
        return not s.scalar(select(func.count()).select_from(Outbox).where(Outbox.status == "pending"))


def counts(rt: Runtime) -> tuple[int, int]:
    with rt.db.session() as s:
        return (
            s.scalar(select(func.count()).select_from(Message)) or 0,
            s.scalar(select(func.count()).select_from(Outbox)) or 0,
        )


def test_conversation_menu_button_location_to_nearest_sentra(
    app_client: TestClient, fake_telegram: FakeTelegram, channel_runtime: Runtime
) -> None:
    chat = 1001
    assert post(app_client, text_update(chat, "halo")) == 200
    greeting = wait_for_replies(fake_telegram, chat, 2)
    assert "<b>Sahabat Migran</b>" in greeting[0]["text"]  # the flows' *bold* rendered as HTML
    assert greeting[0]["parse_mode"] == "HTML"
    menu = greeting[-1]
    callbacks = [b["callback_data"] for row in menu["reply_markup"]["inline_keyboard"] for b in row]
    assert "/find_sentra" in callbacks and "/check_offer" in callbacks

    assert post(app_client, tap(chat, menu, "Sentra")) == 200
    asked = wait_for_replies(fake_telegram, chat, 3)[-1]
    assert "Di mana Anda" in asked["text"]
    keyboard = asked["reply_markup"]["keyboard"]
    assert keyboard[0][0]["request_location"] is True  # a "share my location" button
    wait_until(lambda: "answerCallbackQuery" in fake_telegram.methods(), what="the tap to be answered")

    assert post(app_client, location_update(chat, -8.70, 116.27)) == 200  # Lombok Tengah
    wait_until(lambda: outbox_idle(channel_runtime) and len(fake_telegram.sent(chat)) >= 4, what="answer")
    answer = "\n".join(texts(fake_telegram, chat)[3:])
    assert "km" in answer and "entra" in answer  # nearest sentra with its distance
    with channel_runtime.db.session() as s:
        shared = s.scalars(select(Message).where(Message.direction == "in").order_by(Message.id)).all()[-1]
        assert shared.meta.get("intent") == "share_location"


def test_wrong_or_missing_secret_is_refused_and_nothing_is_stored(
    app_client: TestClient, fake_telegram: FakeTelegram, channel_runtime: Runtime
) -> None:
    assert post(app_client, text_update(2002, "halo"), secret=None) == 403
    assert post(app_client, text_update(2002, "halo"), secret="wrong-secret") == 403
    assert post(app_client, text_update(2002, "halo"), secret=TG_SECRET[:-1]) == 403
    time.sleep(0.2)  # give a (wrongly) woken sender the chance to send something
    assert counts(channel_runtime) == (0, 0)
    assert fake_telegram.sent() == []


def test_no_secret_configured_refuses_everything(
    channel_settings: Settings, channel_runtime: Runtime, serve: Any
) -> None:
    unset = channel_settings.model_copy(update={"telegram_secret": None})
    channel_runtime.settings = unset
    with serve(unset, channel_runtime) as client:
        assert post(client, text_update(2003, "halo")) == 403
        assert post(client, text_update(2003, "halo"), secret="") == 403
    assert counts(channel_runtime) == (0, 0)


def test_same_update_twice_gets_one_reply(
    app_client: TestClient, fake_telegram: FakeTelegram, channel_runtime: Runtime
) -> None:
    update = text_update(3003, "halo")
    assert post(app_client, update) == 200
    assert post(app_client, update) == 200  # Telegram re-delivers after a timeout
    wait_until(lambda: outbox_idle(channel_runtime) and fake_telegram.sent(3003), what="replies")
    time.sleep(0.2)
    assert len(fake_telegram.sent(3003)) == 2  # greeting + menu, once


def test_concurrent_duplicates_get_one_reply(
    app_client: TestClient, fake_telegram: FakeTelegram, channel_runtime: Runtime
) -> None:
    update = text_update(3004, "halo")
    codes: list[int] = []
    barrier = threading.Barrier(4)

    def deliver() -> None:
        barrier.wait()
        codes.append(post(app_client, update))

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert codes == [200] * 4
    wait_until(lambda: outbox_idle(channel_runtime) and fake_telegram.sent(3004), what="replies")
    time.sleep(0.2)
    assert len(fake_telegram.sent(3004)) == 2
    with channel_runtime.db.session() as s:
        inbound = s.scalar(select(func.count()).select_from(Message).where(Message.direction == "in"))
    assert inbound == 1


def test_api_failing_for_a_while_every_reply_arrives_in_order(
    app_client: TestClient, fake_telegram: FakeTelegram, channel_runtime: Runtime
) -> None:
    fake_telegram.failures.queue.extend([(500, None), (429, 1), (500, None), (502, None), (500, None)])
    chats = [4001, 4002, 4003]
    for chat in chats:
        assert post(app_client, text_update(chat, "halo")) == 200
        assert post(app_client, text_update(chat, "/menu")) == 200
    wait_until(lambda: outbox_idle(channel_runtime), timeout=30, what="the outbox to drain")
    assert not fake_telegram.failures.queue  # every scripted failure was hit
    with channel_runtime.db.session() as s:
        rows = s.scalars(select(Outbox).order_by(Outbox.id)).all()
        assert {r.status for r in rows} == {"sent"}
        assert any(r.attempts > 1 for r in rows)
        for chat in chats:
            expected = [r.payload["text"] for r in rows if r.payload["chat_id"] == str(chat)]
            got = texts(fake_telegram, chat)
            assert len(expected) >= 3 and len(got) == len(expected)  # none lost, none twice
            assert [tg.to_html(t) for t in expected] == got  # in the order they were written


def test_replies_pending_at_shutdown_are_sent_after_restart(
    channel_settings: Settings, channel_runtime: Runtime, fake_telegram: FakeTelegram, serve: Any
) -> None:
    fake_telegram.failures.always = 503
    with serve(channel_settings, channel_runtime) as client:
        assert post(client, text_update(5005, "halo")) == 200
        wait_until(lambda: len(fake_telegram.methods()) >= 2, what="a failed attempt")
    assert fake_telegram.sent(5005) == []
    with channel_runtime.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Outbox).where(Outbox.status == "pending")) == 2
    fake_telegram.failures.always = None
    with serve(channel_settings, channel_runtime):
        wait_until(lambda: outbox_idle(channel_runtime), what="the restarted sender to drain")
    assert len(fake_telegram.sent(5005)) == 2


def test_photo_gets_a_polite_answer(
    app_client: TestClient, fake_telegram: FakeTelegram, channel_runtime: Runtime
) -> None:
    u = text_update(6006, "")
    del u["message"]["text"]
    u["message"]["photo"] = [{"file_id": "f1", "file_unique_id": "u1", "width": 90, "height": 90}]
    assert post(app_client, u) == 200
    reply = wait_for_replies(fake_telegram, 6006, 1)[0]
    assert "foto" in reply["text"]
    with channel_runtime.db.session() as s:
        assert s.scalars(select(Message).where(Message.direction == "in")).one().meta["media"] == "photo"


def test_group_chats_and_edits_are_acknowledged_but_ignored(
    app_client: TestClient, fake_telegram: FakeTelegram, channel_runtime: Runtime
) -> None:
    group = text_update(-100123, "halo")
    group["message"]["chat"] = {"id": -100123, "type": "group", "title": "Keluarga"}
    assert post(app_client, group) == 200
    edit = text_update(6007, "halo")
    edit["edited_message"] = edit.pop("message")
    assert post(app_client, edit) == 200
    assert counts(channel_runtime) == (0, 0)


def test_malformed_updates_get_200_and_nothing_is_stored(
    app_client: TestClient, fake_telegram: FakeTelegram, channel_runtime: Runtime
) -> None:
    """Telegram retries anything but a 2xx: an update we cannot read is acknowledged and dropped."""
    no_chat = text_update(6101, "halo")
    del no_chat["message"]["chat"]
    text_object = text_update(6102, "halo")
    text_object["message"]["text"] = {"evil": True}
    text_list = text_update(6103, "halo")
    text_list["message"]["text"] = ["a", "b"]
    chat_no_id = text_update(6104, "halo")
    chat_no_id["message"]["chat"] = {"type": "private"}
    chat_string = text_update(6105, "halo")
    chat_string["message"]["chat"] = "private"
    bad_callback = {"update_id": next(_update_ids), "callback_query": {"id": "x", "data": {"a": 1}}}
    callback_no_from = {"update_id": next(_update_ids), "callback_query": {"id": "y", "data": "#1.0"}}
    for update in [
        {"not": "an update"}, {"update_id": "7"}, {"update_id": 5, "message": {"message_id": 1}},
        {"update_id": 6, "message": 5}, {"update_id": 8, "message": None}, {"update_id": 9},
        no_chat, text_object, text_list, chat_no_id, chat_string, bad_callback, callback_no_from,
        {"update_id": 10, "message": {"message_id": 1, "date": 0, "chat": {"id": "abc", "type": "private"},
                                       "text": "halo"}},
    ]:
        assert post(app_client, update) == 200, update
    assert counts(channel_runtime) == (0, 0)
    assert fake_telegram.sent(6102) == []


def test_the_same_update_id_from_another_chat_is_not_a_duplicate(
    app_client: TestClient, fake_telegram: FakeTelegram, channel_runtime: Runtime
) -> None:
    update_id = next(_update_ids)
    assert post(app_client, text_update(6201, "halo", update_id)) == 200
    assert post(app_client, text_update(6202, "halo", update_id)) == 200
    assert post(app_client, text_update(6202, "halo", update_id)) == 200  # a real retry: dropped
    wait_for_replies(fake_telegram, 6201, 1)
    wait_for_replies(fake_telegram, 6202, 1)
    with channel_runtime.db.session() as s:
        ins = s.scalars(select(Message).where(Message.direction == "in")).all()
        assert len(ins) == 2


# -- rendering -----------------------------------------------------------------------------------
def test_html_is_escaped_and_bold_converted() -> None:
    assert tg.to_html("Gaji <10 jt> & *visa kerja*") == "Gaji &lt;10 jt&gt; &amp; <b>visa kerja</b>"
    assert tg.to_html("2 * 3 = 6") == "2 * 3 = 6"
    assert tg.to_html("*<script>*") == "<b>&lt;script&gt;</b>"


def test_long_text_is_split_under_telegram_limit_with_buttons_on_the_last_part() -> None:
    text = ("Kalimat yang cukup panjang untuk diuji. " * 300).strip()  # about 12,000 characters
    parts = tg.render_payload(
        {"chat_id": "9", "text": text, "buttons": [{"title": "Menu", "payload": "/menu"}]}
    )
    assert len(parts) >= 3
    assert all(len(p.data["text"]) <= 4096 for p in parts)
    assert [p.data["reply_markup"] is not None for p in parts] == [False] * (len(parts) - 1) + [True]
    assert " ".join(p.data["text"] for p in parts).split() == text.split()


def test_long_button_payload_maps_to_a_token_that_resolves(
    app_client: TestClient, fake_telegram: FakeTelegram, channel_runtime: Runtime
) -> None:
    from bot.store import repo

    long_payload = '/choose{"value": "' + "x" * 80 + '"}'
    with channel_runtime.db.session() as s:
        contact = repo.get_or_create_contact(s, "telegram", "7007")
        repo.add_message(s, contact, "in", "", message_id="seed-7007")
        repo.enqueue_replies(
            s, contact, [{"text": "Pilih", "buttons": [{"title": "Panjang", "payload": long_payload}]}]
        )
    app_client.app.state.outbox.wake()  # type: ignore[attr-defined]
    sent = wait_for_replies(fake_telegram, 7007, 1)[0]
    data = sent["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert len(data.encode()) <= 64 and data.startswith("#")
    update = tap(7007, sent, "Panjang")
    from telegram import Update

    assert tg.resolve_tokens(channel_runtime.db, "7007", data) == {data: long_payload}
    assert tg.resolve_tokens(channel_runtime.db, "8008", data) == {}  # not someone else's row
    inbound = tg.to_inbound(Update.de_json(update, None), {data: long_payload})
    assert inbound is not None and inbound.payload == long_payload and inbound.text == "Panjang"


# -- set-webhook and polling ---------------------------------------------------------------------
def test_set_webhook_uses_public_url_and_secret(
    channel_settings: Settings, fake_telegram: FakeTelegram
) -> None:
    url = asyncio.run(tg.set_webhook(channel_settings))
    assert url == "https://bot.example.org/webhooks/telegram"
    params = next(p for m, p in fake_telegram.calls if m == "setWebhook")
    assert params["url"] == url and params["secret_token"] == TG_SECRET


def test_long_polling_handles_queued_updates(channel_runtime: Runtime, fake_telegram: FakeTelegram) -> None:
    from bot.outbox import start_sender

    fake_telegram.updates.extend([text_update(8008, "halo"), text_update(8009, "hello")])

    async def main() -> int:
        stop = asyncio.Event()
        sender = await start_sender(channel_runtime)

        async def stop_when_done() -> None:
            while len(fake_telegram.sent(8008)) < 2 or len(fake_telegram.sent(8009)) < 2:
                await asyncio.sleep(0.02)
            stop.set()

        watcher = asyncio.create_task(stop_when_done())
        try:
            return await asyncio.wait_for(tg.poll(channel_runtime, stop, timeout=0, outbox=sender), 20)
        finally:
            watcher.cancel()
            await sender.stop()

    assert asyncio.run(main()) == 2
    assert "deleteWebhook" in fake_telegram.methods()
    assert "How can I help" in "\n".join(texts(fake_telegram, 8009))


def test_stop_erases_the_chat_and_still_gets_its_answer(
    app_client: TestClient, fake_telegram: FakeTelegram, channel_runtime: Runtime
) -> None:
    chat = 1077
    assert post(app_client, text_update(chat, "halo")) == 200
    wait_for_replies(fake_telegram, chat, 2)
    assert post(app_client, text_update(chat, "/stop")) == 200
    last = wait_until(lambda: [t for t in texts(fake_telegram, chat) if "dihentikan" in t], what="the goodbye")
    assert last
    with channel_runtime.db.session() as s:  # nothing about this person is left but the sent goodbye
        assert s.scalar(select(func.count()).select_from(Message)) == 0
        assert all(r.contact_id is None for r in s.scalars(select(Outbox)).all() if "dihentikan" in r.payload["text"])


def test_danger_during_a_claimed_handoff_is_answered_at_once_and_raises_the_claimed_case(
    app_client: TestClient, fake_telegram: FakeTelegram, channel_runtime: Runtime
) -> None:
    from bot.console import cases
    from bot.store import repo
    from bot.store.models import Caseworker, Contact, Escalation

    chat = 1099
    assert post(app_client, text_update(chat, "/request_human")) == 200
    asked = wait_for_replies(fake_telegram, chat, 1)[-1]
    assert post(app_client, tap(chat, asked, "Ya")) == 200  # consent: a case opens
    wait_until(lambda: any("SM-20" in t for t in texts(fake_telegram, chat)), what="the case reference")
    with channel_runtime.db.session() as s:
        cw = Caseworker(username="siti-cw", password_hash="-")
        s.add(cw)
        s.flush()
        contact = s.scalars(select(Contact).where(Contact.channel_user_id == str(chat))).one()
        held = repo.open_escalation(s, contact.id)
        assert held is not None and held.priority == repo.PRIORITY["normal"]
        cases.claim(s, held, cw.id)
        reference, contact_id = held.reference, contact.id
    wait_until(lambda: outbox_idle(channel_runtime), what="earlier replies sent")
    before = len(fake_telegram.sent(chat))

    assert post(app_client, text_update(chat, "bu ini sy, mau tanya gaji")) == 200  # the caseworker's chat
    assert post(app_client, text_update(chat, "tolong rentenirnya dtg bawa golok, sy dikunci di kamar")) == 200
    answer = wait_until(
        lambda: [t for t in texts(fake_telegram, chat)[before:] if "DARURAT" in t], what="the danger reply"
    )
    assert "110" in answer[0]  # the numbers, without waiting for the caseworker
    assert len(fake_telegram.sent(chat)) == before + 1  # the ordinary message got no bot reply
    with channel_runtime.db.session() as s:
        open_cases = s.scalars(
            select(Escalation).where(Escalation.contact_id == contact_id, Escalation.status != "resolved")
        ).all()
        assert [e.reference for e in open_cases] == [reference]  # the claimed case, no second one
        esc = open_cases[0]
        assert esc.status == "claimed" and esc.priority == repo.PRIORITY["emergency"]
        last_in = s.scalars(
            select(Message).where(Message.contact_id == contact_id, Message.direction == "in").order_by(Message.id.desc())
        ).first()
        assert last_in is not None and last_in.meta.get("danger") is True  # flagged for the caseworker
        alerts = s.scalars(select(Outbox).where(Outbox.channel == "notify")).all()
        assert any(a.payload.get("reference") == reference for a in alerts)  # caseworkers alerted
