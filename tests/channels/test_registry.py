"""A channel is one module plus a registration: the fake messenger (tests/channels/fake_messenger.py)
is added at run time, and the server mounts its webhook, the outbox sends with its sender, the
console's replies and the follow-ups reach it, with no channel named in any of them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot import outbox
from bot.app_state import Runtime, build_runtime
from bot.channels import registry, whatsapp
from bot.config import Settings
from bot.console.passwords import add_caseworker
from bot.console.routes_cases import _window_closed
from bot.followup import run_followups
from bot.server import create_app
from bot.store import repo
from bot.store.models import Contact, Escalation, Message, Outbox, utcnow
from nlu.base import NLU
from tests.channels import fake_messenger as fm
from tests.channels.fakes import wait_until
from tests.console.conftest import PASSWORD, login


@pytest.fixture
def fm_runtime(settings: Settings, nlu: NLU) -> Iterator[Runtime]:
    fm.DELIVERED.clear()
    rt = build_runtime(settings.model_copy(update={"outbox_poll_s": 0.05}), nlu=nlu)
    with rt.db.session() as s:
        add_caseworker(s, "sari", PASSWORD, "caseworker")
    yield rt
    rt.db.dispose()


def _app(rt: Runtime) -> TestClient:
    return TestClient(create_app(rt.settings, rt), raise_server_exceptions=False)


def _say(client: TestClient, user: str, msg_id: str, text: str) -> dict[str, Any]:
    r = client.post(fm.WEBHOOK_PATH, json={"from": user, "id": msg_id, "text": text})
    assert r.status_code == 200, r.text
    return dict(r.json())


def _open_case(rt: Runtime, user: str) -> str:
    with rt.db.session() as s:
        contact = s.scalars(select(Contact).where(Contact.channel == fm.CHANNEL, Contact.channel_user_id == user)).one()
        return repo.create_escalation(s, contact, "returnee_help", 2, "test", {"province": "Jawa Timur"}).reference


def _delivered_to(user: str) -> list[str]:
    return [m["text"] for m in fm.DELIVERED if m["to"] == user]


def test_a_registered_messenger_gets_replies_caseworker_messages_and_follow_ups(fm_runtime: Runtime) -> None:
    rt = fm_runtime
    with registry.registered(fm.spec()), _app(rt) as client:
        # In through its own webhook; the bot's reply out through the outbox and its sender.
        answered = _say(client, "fm-user-1", "m1", "halo")
        assert answered["ok"] and answered["replies"]
        wait_until(lambda: len(_delivered_to("fm-user-1")) >= len(answered["replies"]), what="the bot's reply")
        assert _delivered_to("fm-user-1") == answered["replies"]

        def all_sent() -> bool:  # marked sent just after delivery, in a batch (bot/outbox.py)
            with rt.db.session() as s:
                rows = s.scalars(select(Outbox).where(Outbox.channel == fm.CHANNEL)).all()
            return bool(rows) and {r.status for r in rows} == {"sent"}

        wait_until(all_sent, what="the outbox rows marked sent")

        # A caseworker's reply from the console reaches the person on this channel.
        ref = _open_case(rt, "fm-user-1")
        csrf = login(client, "sari")
        client.post(f"/console/cases/{ref}/claim", data={"csrf_token": csrf})
        r = client.post(f"/console/cases/{ref}/reply", data={"csrf_token": csrf, "text": "Halo, saya Sari, petugas."})
        assert r.status_code == 200, r.text[:300]
        wait_until(lambda: "Halo, saya Sari, petugas." in _delivered_to("fm-user-1"), what="the caseworker's reply")

        # Resolved a week ago: the check-in goes out through it (the channel declares push).
        r = client.post(f"/console/cases/{ref}/resolve", data={"csrf_token": csrf, "outcome": "assisted", "note": ""})
        assert r.status_code == 200
        with rt.db.session() as s:
            esc = s.scalars(select(Escalation).where(Escalation.reference == ref)).one()
            esc.resolved_at = utcnow() - timedelta(days=8)
        assert run_followups(rt.engine, days=7) == 1
        outbox.wake()
        wait_until(lambda: any(ref in t for t in _delivered_to("fm-user-1")), what="the follow-up")
    with _app(rt) as other:  # unregistered: an app created now has no such webhook
        assert other.post(fm.WEBHOOK_PATH, json={"from": "x", "id": "y"}).status_code == 404


def test_a_messenger_without_push_answers_in_its_response_and_gets_no_follow_up(fm_runtime: Runtime) -> None:
    rt = fm_runtime
    with registry.registered(fm.spec(push=False)), _app(rt) as client:
        answered = _say(client, "fm-user-2", "m1", "halo")
        assert answered["replies"]
        ref = _open_case(rt, "fm-user-2")
        csrf = login(client, "sari")
        client.post(f"/console/cases/{ref}/claim", data={"csrf_token": csrf})
        client.post(f"/console/cases/{ref}/reply", data={"csrf_token": csrf, "text": "Halo dari petugas"})
        with rt.db.session() as s:
            reply = s.scalars(
                select(Outbox).where(Outbox.channel == fm.CHANNEL, Outbox.payload["sender"].as_string() == "caseworker")
            ).one()
            assert reply.status == "sent"  # stored for the transcript, not waiting for a sender
            esc = s.scalars(select(Escalation).where(Escalation.reference == ref)).one()
            esc.status, esc.resolved_at = "resolved", utcnow() - timedelta(days=8)
        assert run_followups(rt.engine, days=7) == 0  # a check-in needs push
        with rt.db.session() as s:
            texts = [m.text for m in s.scalars(select(Message).where(Message.direction == "out"))]
        assert not any(ref in (t or "") for t in texts)
    assert fm.DELIVERED == []  # no sender was ever built for it


@pytest.mark.parametrize("hours_ago", [23.5, 23.96, 24.1])
def test_the_console_warns_of_the_whatsapp_window_exactly_when_the_sender_sends_a_template(hours_ago: float) -> None:
    """One window (the channel's capability, with its safety margin): at 23 h 58 m the sender already
    sends a template, so the caseworker is told so, not only after 24 h."""
    now = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
    last_in = now - timedelta(hours=hours_ago)
    contact = Contact(channel=whatsapp.CHANNEL, channel_user_id="whatsapp:+6281200000000")
    seen = [Message(direction="in", created_at=last_in)]
    notice = _window_closed(contact, seen, now)
    template = whatsapp.outside_window({"last_inbound_at": last_in.isoformat()}, now)
    assert bool(notice) == template == (hours_ago > 23.9)
    if notice:
        assert notice == {"title": "WhatsApp", "hours": 24}
