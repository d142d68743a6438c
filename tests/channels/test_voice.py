"""Voice notes end to end (issue 14): espeak-ng speech sent as a Telegram voice update (getFile and
download from the fake Bot API) and as a Twilio WhatsApp audio webhook (MediaUrl0 behind basic auth),
heard by the real Whisper model (loaded once per test session), read back, then the right flow.
Bad notes get a polite reply while text is still answered."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from bot.app_state import Runtime, build_runtime
from bot.cli import app as cli_app
from bot.config import Settings
from bot.voice.whisper import looping
from nlu.base import NLU
from tests.channels import voice_clips as clips
from tests.channels.conftest import TG_SECRET, running_app
from tests.channels.fakes import FakeTelegram, FakeTwilio, wait_until
from tests.channels.test_telegram import text_update
from tests.channels.test_whatsapp import inbound, post

needs_model = pytest.mark.skipif(clips.SKIP, reason=clips.WHY_NOT)
_ids = itertools.count(900_000)
_chats = itertools.count(70_001)
_phones = itertools.count(1)
HEARD_WAIT = 90.0  # the first note also loads the model


@pytest.fixture(scope="module")
def notes() -> dict[str, bytes]:
    if clips.SKIP:
        pytest.skip(clips.WHY_NOT)
    return {name: clips.to_ogg(clips.speak(text)) for name, text in
            (("emergency", clips.EMERGENCY), ("offer", clips.OFFER), ("sentra", clips.SENTRA))}


@pytest.fixture
def voice_runtime(channel_settings: Settings, nlu: NLU) -> Iterator[Runtime]:
    rt = build_runtime(channel_settings, nlu=nlu)  # the real NLU: the flows must follow the words
    yield rt
    rt.db.dispose()


@pytest.fixture
def voice_client(channel_settings: Settings, voice_runtime: Runtime) -> Iterator[TestClient]:
    with running_app(channel_settings, voice_runtime) as client:
        yield client


def voice_update(chat: int, file_id: str, size: int, duration: int) -> dict[str, Any]:
    u = text_update(chat, "", next(_ids))
    del u["message"]["text"]
    u["message"]["voice"] = {"file_id": file_id, "file_unique_id": "u" + file_id, "duration": duration,
                             "mime_type": "audio/ogg", "file_size": size}
    return u


def tg_post(client: TestClient, update: dict[str, Any]) -> None:
    r = client.post("/webhooks/telegram", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": TG_SECRET})
    assert r.status_code == 200


def tg_replies(fake: FakeTelegram, chat: int, before: int = 0) -> list[str]:
    wait_until(lambda: len(fake.sent(chat)) > before, HEARD_WAIT, "the replies")
    time.sleep(0.3)  # the rest of the turn's messages
    return [str(m["text"]) for m in fake.sent(chat)[before:]]


def wa_replies(fake: FakeTwilio, phone: str, before: int = 0) -> list[str]:
    wait_until(lambda: len(fake.sent(phone)) > before, HEARD_WAIT, "the replies")
    time.sleep(0.3)
    return [str(m.get("Body", "")) for m in fake.sent(phone)[before:]]


def check_flow(name: str, replies: list[str]) -> None:
    first, everything = replies[0].lower(), "\n".join(replies).lower()
    assert "saya dengar" in first
    if name == "emergency":
        assert "110" in first  # the emergency numbers in the very first reply, no confirmation asked
    elif name == "offer":
        assert "kamboja" in everything or "tawaran" in everything
    else:
        assert "kupang" in everything and "sentra" in everything


@needs_model
def test_voice_notes_on_telegram_are_read_back_and_lead_to_the_right_flow(
    voice_client: TestClient, fake_telegram: FakeTelegram, notes: dict[str, bytes]
) -> None:
    for name, data in notes.items():
        chat = next(_chats)
        fake_telegram.files[name] = data
        tg_post(voice_client, voice_update(chat, name, len(data), 5))
        check_flow(name, tg_replies(fake_telegram, chat))
    assert "download" in fake_telegram.methods()


@needs_model
def test_voice_notes_on_whatsapp_are_read_back_and_lead_to_the_right_flow(
    voice_client: TestClient, fake_twilio: FakeTwilio, notes: dict[str, bytes]
) -> None:
    for name, data in notes.items():
        phone = f"whatsapp:+62812000{next(_phones):05d}"
        fake_twilio.media[name] = data
        params = inbound(phone, "", NumMedia="1", MediaContentType0="audio/ogg",
                         MediaUrl0=fake_twilio.media_url(name))
        assert post(voice_client, params) == 200
        check_flow(name, wa_replies(fake_twilio, phone))


@needs_model
def test_bad_notes_get_a_polite_reply_and_text_is_answered_meanwhile(
    voice_client: TestClient, fake_telegram: FakeTelegram, fake_twilio: FakeTwilio
) -> None:
    bad = {"corrupt": clips.CORRUPT, "empty": b"", "huge": clips.HUGE, "ten_minutes": clips.silence_wav(600)}
    expect = {"corrupt": "tidak bisa saya buka", "empty": "tidak bisa saya buka", "huge": "terlalu besar",
              "ten_minutes": "lebih dari 2 menit"}
    for name, data in bad.items():
        fake_twilio.media[name] = data
        phone = f"whatsapp:+62813000{next(_phones):05d}"
        params = inbound(phone, "", NumMedia="1", MediaContentType0="audio/ogg",
                         MediaUrl0=fake_twilio.media_url(name))
        assert post(voice_client, params) == 200
        assert post(voice_client, inbound(phone, "halo")) == 200  # while the note is being handled
        replies = wa_replies(fake_twilio, phone)
        wait_until(lambda p=phone: len(fake_twilio.sent(p)) >= 2, HEARD_WAIT, "both replies")  # type: ignore[misc]
        texts = "\n".join(str(m.get("Body", "")) for m in fake_twilio.sent(phone))
        assert expect[name] in texts, (name, replies)
        assert "Sahabat Migran" in texts  # "halo" was answered too
    # Telegram: the note's declared size and length refuse it before any download.
    for name, size, duration in (("huge", 20 * 1024 * 1024, 5), ("ten_minutes", 9_600_044, 600)):
        chat = next(_chats)
        tg_post(voice_client, voice_update(chat, name, size, duration))
        assert expect[name] in tg_replies(fake_telegram, chat)[0]
    assert "download" not in fake_telegram.methods()


def test_voice_off_answers_notes_as_before(
    channel_settings: Settings, voice_runtime: Runtime, fake_telegram: FakeTelegram
) -> None:
    settings = channel_settings.model_copy(update={"voice": False})
    voice_runtime.settings = settings
    with running_app(settings, voice_runtime) as client:
        chat = next(_chats)
        tg_post(client, voice_update(chat, "x", 100, 3))
        assert "pesan suara" in tg_replies(fake_telegram, chat)[0]
    assert "getFile" not in fake_telegram.methods()


def test_a_twilio_media_url_elsewhere_gets_no_credentials() -> None:
    from bot.voice.fetch import twilio_media_ok

    assert twilio_media_ok("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1", None)
    assert not twilio_media_ok("https://api.twilio.com.evil.example/x", None)
    assert not twilio_media_ok("http://127.0.0.1:9/x", "http://127.0.0.1:8")


def test_repeated_token_loops_are_recognised() -> None:
    assert looping("terima kasih terima kasih terima kasih terima kasih terima kasih terima kasih")
    assert looping("ya ya ya ya ya ya ya")
    assert not looping("paspor saya ditahan majikan, saya tidak boleh keluar")


@needs_model
def test_cli_transcribes_a_file_as_json(tmp_path: Any, notes: dict[str, bytes]) -> None:
    import json

    f = tmp_path / "note.ogg"
    f.write_bytes(notes["sentra"])
    result = CliRunner().invoke(cli_app, ["voice", "transcribe", str(f), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert set(out) == {"text", "language", "duration_s", "seconds"}
    assert out["language"] == "id" and "kupang" in out["text"].lower()


# -- notes kept in the database until heard (bot/voice/queue.py) --------------------------------------
def _left_by_a_stopped_process(rt: Runtime, update: dict[str, Any], attempts: int = 1) -> int:
    """What a process that acknowledged the note and then stopped leaves behind: the stored update
    with a lease that has run out."""
    from datetime import timedelta

    from sqlalchemy import update as sql_update

    from bot.store.models import PendingNote, utcnow
    from bot.voice import queue

    chat = str(update["message"]["chat"]["id"])
    job = queue.enqueue(rt.db, "telegram", f"{chat}:{update['update_id']}", chat, update)
    assert job is not None
    with rt.db.session() as s:
        s.execute(sql_update(PendingNote).where(PendingNote.id == job.id)
                  .values(lease_until=utcnow() - timedelta(seconds=1), attempts=attempts))
    return job.id


def _pending(rt: Runtime) -> int:
    from sqlalchemy import func, select

    from bot.store.models import PendingNote

    with rt.db.session() as s:
        return int(s.scalar(select(func.count()).select_from(PendingNote)) or 0)


@needs_model
def test_a_note_acknowledged_before_a_stop_is_heard_after_the_restart(
    channel_settings: Settings, voice_runtime: Runtime, fake_telegram: FakeTelegram, notes: dict[str, bytes]
) -> None:
    chat = next(_chats)
    fake_telegram.files["emergency"] = notes["emergency"]
    _left_by_a_stopped_process(voice_runtime, voice_update(chat, "emergency", len(notes["emergency"]), 5))
    with running_app(channel_settings, voice_runtime):  # the new process: its sweep finds the note
        replies = tg_replies(fake_telegram, chat)
        check_flow("emergency", replies)
        wait_until(lambda: _pending(voice_runtime) == 0, 10, "the stored note to be deleted")


@needs_model
def test_a_re_delivered_note_is_heard_and_answered_once(
    voice_client: TestClient, voice_runtime: Runtime, fake_telegram: FakeTelegram, notes: dict[str, bytes]
) -> None:
    chat = next(_chats)
    fake_telegram.files["sentra"] = notes["sentra"]
    update = voice_update(chat, "sentra", len(notes["sentra"]), 5)
    tg_post(voice_client, update)
    tg_post(voice_client, update)  # Telegram re-sends when it missed our 200
    replies = tg_replies(fake_telegram, chat)
    wait_until(lambda: _pending(voice_runtime) == 0, 10, "the stored note to be deleted")
    tg_post(voice_client, update)  # and once more after it was answered
    time.sleep(1.0)
    assert sum("saya dengar" in r.lower() for r in tg_replies(fake_telegram, chat)) == 1, replies
    assert fake_telegram.methods().count("download") == 1


def test_a_note_that_keeps_failing_gets_a_polite_reply_instead_of_retries_forever(
    channel_settings: Settings, voice_runtime: Runtime, fake_telegram: FakeTelegram
) -> None:
    from bot.voice.queue import MAX_ATTEMPTS

    chat = next(_chats)
    _left_by_a_stopped_process(voice_runtime, voice_update(chat, "never-there", 2000, 5), MAX_ATTEMPTS - 1)
    with running_app(channel_settings, voice_runtime):
        assert "tidak bisa saya buka" in tg_replies(fake_telegram, chat)[0]
        wait_until(lambda: _pending(voice_runtime) == 0, 10, "the stored note to be deleted")
    assert "download" not in fake_telegram.methods()


def test_erasing_my_data_drops_my_notes_not_yet_heard(voice_runtime: Runtime) -> None:
    from bot.store import repo
    from bot.store.erase import erase_contact

    chat = next(_chats)
    _left_by_a_stopped_process(voice_runtime, voice_update(chat, "x", 2000, 5))
    other = next(_chats)
    _left_by_a_stopped_process(voice_runtime, voice_update(other, "y", 2000, 5))
    with voice_runtime.db.session() as s:
        erase_contact(s, repo.get_or_create_contact(s, "telegram", str(chat)))
    assert _pending(voice_runtime) == 1  # only the other person's note is left


@needs_model
def test_a_voice_note_by_long_polling_is_heard_like_one_by_webhook(
    voice_runtime: Runtime, fake_telegram: FakeTelegram, notes: dict[str, bytes]
) -> None:
    """`sahabat telegram poll` (no public URL): the note is heard and read back, not answered as a file."""
    import asyncio

    from bot.channels import telegram as tg
    from bot.outbox import start_sender

    chat = next(_chats)
    fake_telegram.files["polled"] = notes["emergency"]
    fake_telegram.updates.append(voice_update(chat, "polled", len(notes["emergency"]), 5))

    async def main() -> None:
        stop = asyncio.Event()
        sender = await start_sender(voice_runtime)

        async def stop_when_answered() -> None:
            while not fake_telegram.sent(chat):
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.3)  # the rest of the turn's messages
            stop.set()

        watcher = asyncio.create_task(stop_when_answered())
        try:
            await asyncio.wait_for(tg.poll(voice_runtime, stop, timeout=0, outbox=sender), HEARD_WAIT)
        finally:
            watcher.cancel()
            await sender.stop()

    asyncio.run(main())
    check_flow("emergency", [str(m["text"]) for m in fake_telegram.sent(chat)])
