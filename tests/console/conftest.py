"""Console fixtures: accounts, a logged-in TestClient per role, and a case with a transcript."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.app_state import Runtime
from bot.console.passwords import add_caseworker
from bot.store import repo
from bot.store.models import AuditEvent, Caseworker, Escalation

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def audit_trail(runtime: Runtime, action: str) -> list[tuple[str | None, str, dict]]:  # type: ignore[type-arg]
    """(who, target, detail) of each audit event of `action`, oldest first."""
    with runtime.db.session() as s:
        q = (
            select(Caseworker.username, AuditEvent.target, AuditEvent.detail)
            .outerjoin(Caseworker, Caseworker.id == AuditEvent.caseworker_id)
            .where(AuditEvent.action == action)
            .order_by(AuditEvent.id)
        )
        return [tuple(r) for r in s.execute(q)]  # type: ignore[misc]


def csrf_of(html: str) -> str:
    m = _CSRF.search(html)
    assert m, "no CSRF token in the page"
    return m.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in through the form like a browser; returns the session's CSRF token."""
    page = client.get("/console/login")
    r = client.post(
        "/console/login",
        data={
            "username": username,
            "password": password,
            "csrf_token": csrf_of(page.text),
            "next": "/console/",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[:300]
    return csrf_of(client.get("/console/").text)


@contextmanager
def second_browser(client: TestClient) -> Iterator[TestClient]:
    """Another device on the same running app: its own cookies, the same server (whose lifespan,
    already running for `client`, is not started a second time)."""
    other = TestClient(client.app, raise_server_exceptions=False)  # type: ignore[arg-type]
    try:
        yield other
    finally:
        other.close()


@dataclass
class Case:
    reference: str
    contact_id: int
    escalation_id: int


@pytest.fixture
def accounts(runtime: Runtime) -> dict[str, str]:
    with runtime.db.session() as s:
        add_caseworker(s, "sari", PASSWORD, "caseworker")
        add_caseworker(s, "budi", PASSWORD, "caseworker")
        add_caseworker(s, "admin", PASSWORD, "admin")
    return {"caseworker": "sari", "other": "budi", "admin": "admin"}


@pytest.fixture
def make_case(runtime: Runtime) -> Callable[..., Case]:
    counter = iter(range(1, 10_000))

    def make(
        category: str = "returnee_help",
        priority: int = 2,
        province: str | None = "Jawa Timur",
        channel: str = "rest",
        texts: tuple[str, ...] = ("saya butuh bantuan, gaji tidak dibayar",),
        details: dict | None = None,
    ) -> Case:
        with runtime.db.session() as s:
            contact = repo.get_or_create_contact(s, channel, f"person-{next(counter)}")
            repo.lock_conversation(s, contact)
            for t in texts:
                repo.add_message(s, contact, "in", t)
            d = {"situation": "returnee", "needs": ["money_debt"], **(details or {})}
            if province:
                d["province"] = province
            esc: Escalation = repo.create_escalation(s, contact, category, priority, "returnee · test", d)
            return Case(esc.reference, contact.id, esc.id)

    return make


@pytest.fixture
def as_caseworker(client: TestClient, accounts: dict[str, str]) -> tuple[TestClient, str]:
    return client, login(client, accounts["caseworker"])
