"""WhatsApp through Twilio end to end: real signatures (twilio's RequestValidator), the real twilio
client sending to a fake REST API, numbered menus, the 24-hour window and delivery reports."""

from __future__ import annotations

import itertools
import threading
import time
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from bot.app_state import Runtime
from bot.channels import whatsapp as wa
from bot.outbox import send_from_caseworker
from bot.store import repo
from bot.store.models import Contact, Message, Outbox, utcnow
from tests.channels.conftest import PUBLIC, TW_SID, TW_TOKEN
from tests.channels.fakes import FakeTwilio, wait_until

_sids = itertools.count(1)


def inbound(sender: str, body: str = "", **extra: str) -> dict[str, str]:
    return {
        "MessageSid": f"SM{next(_sids):032d}",
        "AccountSid": TW_SID,
        "From": sender,
        "To": "whatsapp:+14155238886",
        "Body": body,
        "NumMedia": "0",
        **extra,
    }


def post(
    client: TestClient,
    params: dict[str, str],
    path: str = wa.WEBHOOK_PATH,
    *,
    token: str = TW_TOKEN,
    sign: bool = True,
) -> int:
    """POST the form as Twilio would, signed over the public URL (the app sits behind a proxy)."""
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if sign:
        headers["X-Twilio-Signature"] = RequestValidator(token).compute_signature(PUBLIC + path, params)
    return client.post(path, content=urlencode(params), headers=headers).status_code


def idle(rt: Runtime) -> bool:
    with rt.db.session() as s:
        return not s.scalar(select(func.count()).select_from(Outbox).where(Outbox.status == "pending"))


def say(client: TestClient, rt: Runtime, fake: FakeTwilio, sender: str, body: str = "", **extra: str) -> str:
    """Send one message and wait until its replies went out; their text, joined."""
    before = len(fake.sent(sender))
    assert post(client, inbound(sender, body, **extra)) == 200
    wait_until(lambda: idle(rt) and len(fake.sent(sender)) > before, what="the replies")
    return "\n".join(m.get("Body", "") for m in fake.sent(sender)[before:])


def test_conversation_numbered_menu_number_location_to_nearest_sentra(
    app_client: TestClient, fake_twilio: FakeTwilio, channel_runtime: Runtime
) -> None:
    me = "whatsapp:+6281200000001"
    hello = say(app_client, channel_runtime, fake_twilio, me, "halo")
    assert "Sahabat Migran" in hello
    assert "4. 📍 Sentra terdekat" in hello and "Balas dengan angka 1 sampai 6" in hello
    first = fake_twilio.sent(me)[0]
    assert first["From"] == "whatsapp:+14155238886" and first["StatusCallback"].startswith(PUBLIC)

    asked = say(app_client, channel_runtime, fake_twilio, me, "4")  # the menu's number 4
    assert "Di mana Anda" in asked

    answer = say(app_client, channel_runtime, fake_twilio, me, "", Latitude="-8.70", Longitude="116.27")
    assert "km" in answer and "entra" in answer
    with channel_runtime.db.session() as s:
        msgs = s.scalars(select(Message).where(Message.direction == "in").order_by(Message.id)).all()
        assert [m.meta.get("intent") for m in msgs] == ["greet", "find_sentra", "share_location"]


def test_a_number_after_the_person_wrote_again_is_not_a_menu_choice(
    app_client: TestClient, fake_twilio: FakeTwilio, channel_runtime: Runtime
) -> None:
    me = "whatsapp:+6281200000002"
    say(app_client, channel_runtime, fake_twilio, me, "halo")
    # a photo consumes the menu; its answer offers no numbers
    say(app_client, channel_runtime, fake_twilio, me, "", NumMedia="1", MediaContentType0="image/jpeg")
    reply = say(app_client, channel_runtime, fake_twilio, me, "4")
    assert "Di mana Anda" not in reply
    with channel_runtime.db.session() as s:
        last = s.scalars(select(Message).where(Message.direction == "in").order_by(Message.id.desc())).first()
        assert last is not None and last.meta.get("intent") != "find_sentra"


def test_bad_or_missing_signature_is_refused_and_nothing_is_stored(
    app_client: TestClient, fake_twilio: FakeTwilio, channel_runtime: Runtime
) -> None:
    params = inbound("whatsapp:+6281200000003", "halo")
    assert post(app_client, params, sign=False) == 403
    assert post(app_client, params, token="not-the-auth-token") == 403
    tampered = RequestValidator(TW_TOKEN).compute_signature(PUBLIC + wa.WEBHOOK_PATH, params)
    changed = {**params, "Body": "halo lagi"}
    r = app_client.post(
        wa.WEBHOOK_PATH,
        content=urlencode(changed),
        headers={"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": tampered},
    )
    assert r.status_code == 403
    # signed for another URL (a different host than the configured public one)
    other = RequestValidator(TW_TOKEN).compute_signature("https://evil.example" + wa.WEBHOOK_PATH, params)
    r = app_client.post(
        wa.WEBHOOK_PATH,
        content=urlencode(params),
        headers={"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": other},
    )
    assert r.status_code == 403
    assert (
        post(
            app_client,
            {"MessageSid": "SMx", "MessageStatus": "delivered"},
            wa.STATUS_PATH + "?outbox=1",
            sign=False,
        )
        == 403
    )
    time.sleep(0.2)
    with channel_runtime.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Message)) == 0
        assert s.scalar(select(func.count()).select_from(Outbox)) == 0
    assert fake_twilio.sent() == []


def test_webhook_is_acknowledged_with_empty_twiml(app_client: TestClient) -> None:
    params = inbound("whatsapp:+6281200000004", "halo")
    sig = RequestValidator(TW_TOKEN).compute_signature(PUBLIC + wa.WEBHOOK_PATH, params)
    r = app_client.post(
        wa.WEBHOOK_PATH,
        content=urlencode(params),
        headers={"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": sig},
    )
    assert r.status_code == 200 and "xml" in r.headers["content-type"]
    assert "<Response" in r.text and "<Message" not in r.text  # the reply goes through the REST API


def test_same_message_sid_twice_and_concurrently_gets_one_reply(
    app_client: TestClient, fake_twilio: FakeTwilio, channel_runtime: Runtime
) -> None:
    me = "whatsapp:+6281200000005"
    params = inbound(me, "halo")
    codes: list[int] = []
    barrier = threading.Barrier(3)

    def deliver() -> None:
        barrier.wait()
        codes.append(post(app_client, params))

    threads = [threading.Thread(target=deliver) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert post(app_client, params) == 200  # and once more, later
    assert codes == [200] * 3
    wait_until(lambda: idle(channel_runtime) and fake_twilio.sent(me), what="replies")
    time.sleep(0.2)
    with channel_runtime.db.session() as s:
        rows = s.scalars(select(Outbox)).all()
    assert len(fake_twilio.sent(me)) == len(rows) == 2  # greeting and menu, once


def test_api_failing_with_429_and_500_every_reply_arrives_in_order(
    app_client: TestClient, fake_twilio: FakeTwilio, channel_runtime: Runtime
) -> None:
    fake_twilio.failures.queue.extend([(500, None), (429, None), (503, None), (429, None), (500, None)])
    people = [f"whatsapp:+62812000001{i}" for i in range(3)]
    for p in people:
        assert post(app_client, inbound(p, "halo")) == 200
        assert post(app_client, inbound(p, "/menu")) == 200
    wait_until(lambda: idle(channel_runtime), timeout=30, what="the outbox to drain")
    assert not fake_twilio.failures.queue
    with channel_runtime.db.session() as s:
        rows = s.scalars(select(Outbox).order_by(Outbox.id)).all()
        assert {r.status for r in rows} == {"sent"}
        assert any(r.attempts > 1 for r in rows)
        for p in people:
            mine = [r for r in rows if r.payload["chat_id"] == p]
            got = [m["sid"] for m in fake_twilio.sent(p)]
            assert len(mine) >= 3 and got == [r.payload["provider_ids"][0] for r in mine]


def test_status_callback_is_recorded_on_the_outbox_row(
    app_client: TestClient, fake_twilio: FakeTwilio, channel_runtime: Runtime
) -> None:
    me = "whatsapp:+6281200000006"
    say(app_client, channel_runtime, fake_twilio, me, "halo")
    with channel_runtime.db.session() as s:
        row = s.scalars(select(Outbox).order_by(Outbox.id)).first()
        assert row is not None
        row_id, sid = row.id, row.payload["provider_ids"][0]
    callback = fake_twilio.sent(me)[0]["StatusCallback"]
    path = callback.removeprefix(PUBLIC)
    assert path == f"{wa.STATUS_PATH}?outbox={row_id}"
    for status in ("sent", "delivered", "sent"):  # a late "sent" must not undo "delivered"
        assert (
            post(app_client, {"MessageSid": sid, "MessageStatus": status, "AccountSid": TW_SID}, path) == 204
        )
    with channel_runtime.db.session() as s:
        assert s.get(Outbox, row_id).payload["delivery"]["status"] == "delivered"  # type: ignore[union-attr]
    post(app_client, {"MessageSid": sid, "MessageStatus": "undelivered", "ErrorCode": "63024"}, path)
    with channel_runtime.db.session() as s:
        row = s.get(Outbox, row_id)
        assert row is not None and row.payload["delivery"]["status"] == "undelivered"
        assert "63024" in (row.last_error or "")


def test_media_gets_a_polite_answer(
    app_client: TestClient, fake_twilio: FakeTwilio, channel_runtime: Runtime
) -> None:
    reply = say(
        app_client,
        channel_runtime,
        fake_twilio,
        "whatsapp:+6281200000007",
        "",
        NumMedia="1",
        MediaContentType0="audio/ogg",
        MediaUrl0="https://api.twilio.com/media/1",
    )
    assert "pesan suara" in reply


def test_caseworker_reply_outside_24h_goes_as_template_then_the_message_follows(
    channel_settings: Any, channel_runtime: Runtime, fake_twilio: FakeTwilio, serve: Any
) -> None:
    settings = channel_settings.model_copy(
        update={
            "twilio_template_sid": "HX" + "1" * 32,
            "twilio_template_variables": '{"1": "Sahabat Migran"}',
        }
    )
    channel_runtime.settings = settings
    me = "whatsapp:+6281200000008"
    with channel_runtime.db.session() as s:  # someone who last wrote two days ago
        contact = repo.get_or_create_contact(s, "whatsapp", me)
        old = repo.add_message(s, contact, "in", "", message_id="SM-old")
        s.flush()
        old.created_at = utcnow() - timedelta(days=2)
    with serve(settings, channel_runtime) as client:
        with channel_runtime.db.session() as s:
            contact = s.scalars(select(Contact).where(Contact.channel_user_id == me)).one()
            row_id = send_from_caseworker(s, contact, "Halo, saya petugas. Bisa kita bicara?").id
        client.app.state.outbox.wake()  # type: ignore[attr-defined]
        wait_until(lambda: idle(channel_runtime) and fake_twilio.sent(me), what="the template")
        template = fake_twilio.sent(me)[0]
        assert template["ContentSid"] == settings.twilio_template_sid and "Body" not in template
        with channel_runtime.db.session() as s:
            row = s.get(Outbox, row_id)
            assert row is not None and row.status == "template"  # the console can show this
            out = s.scalars(select(Message).where(Message.sender == "caseworker")).one()
            assert out.direction == "out" and "petugas" in out.text

        assert post(client, inbound(me, "halo")) == 200  # the person answers: the window is open
        wait_until(lambda: idle(channel_runtime) and len(fake_twilio.sent(me)) >= 4, what="the held message")
        bodies = [m.get("Body", "") for m in fake_twilio.sent(me)[1:]]
        assert "petugas" in bodies[0]  # the caseworker's message first, then the bot's replies
        with channel_runtime.db.session() as s:
            assert s.get(Outbox, row_id).status == "sent"  # type: ignore[union-attr]


def test_outside_24h_without_template_fails_visibly(
    app_client: TestClient, fake_twilio: FakeTwilio, channel_runtime: Runtime
) -> None:
    me = "whatsapp:+6281200000009"
    with channel_runtime.db.session() as s:
        contact = repo.get_or_create_contact(s, "whatsapp", me)
        row_id = send_from_caseworker(s, contact, "Halo dari petugas").id  # never wrote in: no window
    app_client.app.state.outbox.wake()  # type: ignore[attr-defined]
    wait_until(lambda: idle(channel_runtime), what="the row to be settled")
    with channel_runtime.db.session() as s:
        row = s.get(Outbox, row_id)
        assert row is not None and row.status == "failed" and "24-hour" in (row.last_error or "")
    assert fake_twilio.sent(me) == []


def test_menu_hint_wording() -> None:
    assert wa.menu_hint(3, "id") == "Balas 1, 2 atau 3"
    assert wa.menu_hint(2, "en") == "Reply 1 or 2"
    assert wa.menu_hint(6, "en") == "Reply with a number from 1 to 6"
    text = wa.numbered(
        "Pilih:", [{"title": "Ya", "payload": "/affirm"}, {"title": "Tidak", "payload": "/deny"}], "id"
    )
    assert text == "Pilih:\n\n1. Ya\n2. Tidak\n\nBalas 1 atau 2"
