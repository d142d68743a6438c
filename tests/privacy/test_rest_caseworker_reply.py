"""A caseworker's reply to a REST contact arrives with the person's next turn, once."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.app_state import Runtime
from bot.outbox import send_from_caseworker
from bot.store.models import Contact, Conversation, Outbox

URL = "/webhooks/rest/webhook"


def say(client: TestClient, sender: str, message: str) -> list[dict]:
    r = client.post(URL, json={"sender": sender, "message": message})
    assert r.status_code == 200, r.text
    return r.json()


def test_caseworker_reply_reaches_the_rest_user_on_the_next_turn_once(client: TestClient, runtime: Runtime) -> None:
    say(client, "web-77", "saya mau bicara dengan petugas")
    with runtime.db.session() as s:
        contact = s.scalars(select(Contact).where(Contact.channel_user_id == "web-77")).one()
        s.scalars(select(Conversation).where(Conversation.contact_id == contact.id)).one().mode = "human"
        send_from_caseworker(s, contact, "Halo, saya Rina, petugas pendamping. Apakah aman?")
        send_from_caseworker(s, contact, "Saya tunggu jawaban Anda.")
    got = say(client, "web-77", "iya aman")
    assert [r["text"] for r in got] == ["Halo, saya Rina, petugas pendamping. Apakah aman?", "Saya tunggu jawaban Anda."]
    assert all(r["recipient_id"] == "web-77" for r in got)
    assert say(client, "web-77", "terima kasih") == []  # handed out once; the bot stays quiet in a handoff
    assert say(client, "web-78", "halo")  # another sender never gets them
    with runtime.db.session() as s:
        assert {r.status for r in s.scalars(select(Outbox).where(Outbox.channel == "rest"))} == {"sent"}
