"""NUL and other control characters are stripped wherever text enters the database (store layer),
so PostgreSQL never refuses a write or a lookup with a 503."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.app_state import Runtime
from bot.console.passwords import add_caseworker
from bot.store import repo
from bot.store.models import CaseNote, Caseworker, Contact, Message
from tests.console.conftest import PASSWORD, csrf_of


def test_nul_anywhere_is_stored_without_it(runtime: Runtime) -> None:
    with runtime.db.session() as s:
        contact = repo.get_or_create_contact(s, "rest", "orang\x00-1")
        contact.profile = {"name\x00": "Sit\x00i\x07", "list": ["a\x00b"]}
        esc = repo.create_escalation(s, contact, "report", 2, "ringkas\x00an", {"situation": "x\x00y"})
        s.add(CaseNote(escalation_id=esc.id, text="catatan\x00 petugas\x1b"))
        repo.insert_rows(s, Message.__table__, [{
            "contact_id": contact.id, "channel": "rest", "channel_message_id": "m\x001", "direction": "in",
            "sender": "user", "text": "halo\x00 dunia\n", "meta": {"k": "v\x00"}, "created_at": contact.created_at,
        }])
    with runtime.db.session() as s:
        c = s.scalars(select(Contact)).one()
        assert c.channel_user_id == "orang-1"
        assert c.profile == {"name": "Siti", "list": ["ab"]}
        assert s.scalars(select(CaseNote.text)).one() == "catatan petugas"
        msg = s.scalars(select(Message)).one()
        assert (msg.text, msg.meta, msg.channel_message_id) == ("halo dunia\n", {"k": "v"}, "m1")  # newlines stay
        # a lookup with a NUL in it is answered, not refused
        assert s.scalars(select(Caseworker).where(Caseworker.username == "ad\x00min")).first() is None


def test_nul_in_a_console_login_name_is_a_plain_failed_login(client: TestClient, runtime: Runtime) -> None:
    with runtime.db.session() as s:
        add_caseworker(s, "rina", PASSWORD)
    page = client.get("/console/login")
    r = client.post(
        "/console/login",
        data={"username": "ri\x00na", "password": "wrong password here", "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert r.status_code < 500, r.status_code
