"""WhatsApp's native menus against the fake Twilio API, with the real twilio client: templates
created once by hash, menus sent as list pickers / quick replies, taps mapped back, and the
numbered text whenever the Content API is not there or refuses."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from bot.app_state import Runtime
from bot.channels import whatsapp as wa
from bot.channels import whatsapp_content as wc
from bot.config import Settings
from tests.channels.fakes import FakeTwilio
from tests.channels.test_whatsapp import say


def synced(settings: Settings) -> tuple[int, int]:
    async def run() -> tuple[int, int]:
        adapter = wa.WhatsAppAdapter(settings)
        try:
            return await wc.sync(adapter.client(), adapter.content)
        finally:
            await adapter.close()

    return asyncio.run(run())


def sid_of(fake: FakeTwilio, name: str) -> str:
    return next(sid for sid, body in fake.contents.items() if body["friendly_name"] == name)


def test_sync_creates_each_template_once(channel_settings: Settings, fake_twilio: FakeTwilio) -> None:
    assert synced(channel_settings) == (10, 0)
    assert synced(channel_settings) == (0, 10)  # cached by hash: nothing created twice
    kinds = {b["friendly_name"]: next(iter(b["types"])) for b in fake_twilio.contents.values()}
    assert kinds["sahabat_quick_3"] == "twilio/quick-reply" and kinds["sahabat_list_4"] == "twilio/list-picker"
    assert len(fake_twilio.contents) == 10
    cached = json.loads(channel_settings.twilio_content_cache.read_text())
    assert sorted(cached.values()) == sorted(fake_twilio.contents)


def test_sync_templates_command(
    channel_settings: Settings, fake_twilio: FakeTwilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot import config
    from bot.cli import app

    monkeypatch.setattr(config, "get_settings", lambda: channel_settings)
    result = CliRunner().invoke(app, ["whatsapp", "sync-templates"])
    assert result.exit_code == 0 and "10 templates created" in result.output
    fake_twilio.refuse_contents = True
    channel_settings.twilio_content_cache.unlink()
    result = CliRunner().invoke(app, ["whatsapp", "sync-templates"])
    assert result.exit_code == 1 and "not synced" in result.output


def test_a_menu_goes_as_a_list_picker_and_a_tap_comes_back_as_its_payload(
    channel_settings: Settings, fake_twilio: FakeTwilio, channel_runtime: Runtime, serve: Any
) -> None:
    synced(channel_settings)
    me = "whatsapp:+6281200000101"
    with serve(channel_settings, channel_runtime) as client:
        say(client, channel_runtime, fake_twilio, me, "halo")
        menu = next(m for m in fake_twilio.sent(me) if "ContentSid" in m)
        assert menu["ContentSid"] == sid_of(fake_twilio, "sahabat_list_6") and "Body" not in menu
        variables = json.loads(menu["ContentVariables"])
        items = {variables[str(3 + 2 * i)]: variables[str(4 + 2 * i)] for i in range(6)}
        assert items["📍 Sentra terdekat"] == "/find_sentra"
        assert all(len(title) <= 24 for title in items)

        asked = say(client, channel_runtime, fake_twilio, me, "📍 Sentra terdekat", ListId="/find_sentra",
                    ListTitle="📍 Sentra terdekat")
        assert "Di mana Anda" in asked


def test_a_tap_that_carries_a_menu_number_maps_like_a_typed_number() -> None:
    menu = [{"title": "Ya", "payload": "/affirm"}, {"title": "Tidak", "payload": "/deny"}]
    base = {"From": "whatsapp:+62812", "MessageSid": "SM1", "Body": "Tidak"}
    tapped = wa.to_inbound({**base, "ButtonPayload": "2"}, menu)
    typed = wa.to_inbound({**base, "Body": "2"}, menu)
    assert tapped is not None and typed is not None and tapped.payload == typed.payload == "/deny"
    assert wc.choice_id("/affirm", 0) == "/affirm" and wc.choice_id("/x" + "y" * 300, 4) == "5"


def test_three_choices_go_as_quick_replies(channel_settings: Settings, fake_twilio: FakeTwilio) -> None:
    synced(channel_settings)
    adapter = wa.WhatsAppAdapter(channel_settings)
    buttons = [{"title": "Ya", "payload": "/affirm"}, {"title": "Tidak", "payload": "/deny"}]
    parts = adapter.render({"chat_id": "whatsapp:+62812", "text": "Lanjut?", "buttons": buttons, "lang": "id"})
    assert len(parts) == 1 and parts[0].data["content_sid"] == sid_of(fake_twilio, "sahabat_quick_2")
    assert json.loads(parts[0].data["content_variables"]) == {
        "1": "Lanjut?", "2": "Ya", "3": "/affirm", "4": "Tidak", "5": "/deny"
    }
    too_long = [{"title": "Judul yang terlalu panjang untuk tombol", "payload": "/x"}]
    assert "body" in adapter.render({"chat_id": "whatsapp:+62812", "text": "t", "buttons": too_long})[0].data


def test_refused_templates_fall_back_to_numbered_text(
    channel_settings: Settings, fake_twilio: FakeTwilio, channel_runtime: Runtime, serve: Any
) -> None:
    synced(channel_settings)
    fake_twilio.forgotten_contents = set(fake_twilio.contents)  # deleted in Twilio's console since
    me = "whatsapp:+6281200000102"
    with serve(channel_settings, channel_runtime) as client:
        hello = say(client, channel_runtime, fake_twilio, me, "halo")
    assert "4. 📍 Sentra terdekat" in hello and "Balas dengan angka 1 sampai 6" in hello
    assert not any("ContentSid" in m for m in fake_twilio.sent(me))


def test_without_sync_menus_are_numbered_text(
    app_client: TestClient, fake_twilio: FakeTwilio, channel_runtime: Runtime
) -> None:
    hello = say(app_client, channel_runtime, fake_twilio, "whatsapp:+6281200000103", "halo")
    assert "4. 📍 Sentra terdekat" in hello and not fake_twilio.contents


def test_quick_exit_says_how_to_delete_the_chat(
    app_client: TestClient, fake_twilio: FakeTwilio, channel_runtime: Runtime
) -> None:
    me = "whatsapp:+6281200000104"
    say(app_client, channel_runtime, fake_twilio, me, "halo")
    bye = say(app_client, channel_runtime, fake_twilio, me, "stop")
    assert "Percakapan dihentikan." in bye and "Hapus" in bye


def test_one_template_per_purpose_outside_the_window(channel_settings: Settings) -> None:
    st = channel_settings.model_copy(update={
        "twilio_template_sid": "HX" + "0" * 32,
        "twilio_template_followup_sid": "HX" + "1" * 32,
        "twilio_template_case_update_sid": "HX" + "2" * 32,
    })
    adapter = wa.WhatsAppAdapter(st)
    closed = {"chat_id": "whatsapp:+62812", "text": "x", "last_inbound_at": None}
    sid = [adapter.render({**closed, **extra})[0].data["content_sid"][2] for extra in (
        {"sender": "bot"}, {"sender": "bot", "purpose": "followup"}, {"sender": "caseworker"}
    )]
    assert sid == ["0", "1", "2"]


def test_a_pin_goes_as_a_location_message(channel_settings: Settings) -> None:
    parts = wa.WhatsAppAdapter(channel_settings).render(
        {"chat_id": "whatsapp:+62812", "text": "Sentra", "pin": {"lat": -6.2, "lon": 106.8, "name": "Sentra X"}}
    )
    assert [p.kind for p in parts] == ["message", "location"]
    assert parts[1].data["persistent_action"] == ["geo:-6.2,106.8|Sentra X"]
