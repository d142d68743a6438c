"""Every console and API route, walked as anonymous, caseworker and admin (routes read from the app)."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from bot.app_state import Runtime
from tests.console.conftest import login

# The language switch only sets a display cookie: the login page needs it too.
PUBLIC = {("GET", "/console/login"), ("POST", "/console/login"), ("GET", "/console/lang/{code}")}


def _walk(routes: list, prefix: str = "") -> list[APIRoute | tuple[str, APIRoute]]:  # type: ignore[type-arg]
    """Every APIRoute, also inside included routers (FastAPI >= 0.16x keeps them nested)."""
    out: list = []  # type: ignore[type-arg]
    for r in routes:
        inner = getattr(r, "original_router", None)
        if inner is not None:
            out.extend(_walk(inner.routes, prefix + r.include_context.prefix))
        elif isinstance(r, APIRoute):
            out.append((prefix + r.path, r))
    return out


def console_routes(client: TestClient) -> list[tuple[str, str]]:
    out = []
    for path, r in _walk(client.app.routes):  # type: ignore[attr-defined]
        if path.startswith(("/console", "/api")):
            out.extend((m, path) for m in sorted(r.methods))
    return out


def fill(path: str, reference: str, user_id: int) -> str:
    path = path.replace("{reference}", reference).replace("{user_id}", str(user_id)).replace("{code}", "en")
    assert not re.search(r"{\w+}", path), f"a new path parameter needs a value in this test: {path}"
    return path


def call(client: TestClient, method: str, path: str, csrf: str = "") -> int:
    data = {"csrf_token": csrf} if method == "POST" else None
    r = client.request(method, path, data=data, follow_redirects=False)
    return r


@pytest.fixture
def setup(client: TestClient, accounts: dict[str, str], make_case, runtime: Runtime):  # type: ignore[no-untyped-def]
    case = make_case()
    return case.reference, user_id(runtime, accounts["other"])


def user_id(runtime: Runtime, username: str) -> int:
    from sqlalchemy import select

    from bot.store.models import Caseworker

    with runtime.db.session() as s:
        return s.scalars(select(Caseworker.id).where(Caseworker.username == username)).one()


@pytest.fixture
def case_held_by(runtime: Runtime, make_case):  # type: ignore[no-untyped-def]
    """A fresh case claimed by `username` (or left open for None): each route gets its own, so the
    walk does not depend on the order routes are visited in (release, resolve change the case)."""
    from bot.console import cases

    def make(username: str | None) -> str:
        ref = make_case().reference
        if username:
            with runtime.db.session() as s:
                cases.claim(s, cases.by_reference(s, ref), user_id(runtime, username))
        return ref

    return make


def test_routes_exist(client: TestClient) -> None:
    paths = {p for _, p in console_routes(client)}
    assert {"/console/", "/api/escalations", "/console/cases/{reference}", "/console/admin/audit"} <= paths


def test_anonymous_gets_login_redirect_or_401(client: TestClient, setup) -> None:  # type: ignore[no-untyped-def]
    reference, user_id = setup
    checked = 0
    for method, path in console_routes(client):
        if (method, path) in PUBLIC:
            continue
        r = call(client, method, fill(path, reference, user_id))
        if path.startswith("/api"):
            assert r.status_code == 401, (method, path, r.status_code)
            assert r.json() == {"detail": "login required"}
        else:
            assert r.status_code == 303, (method, path, r.status_code)
            assert r.headers["location"].startswith("/console/login"), (method, path)
        checked += 1
    assert checked >= 20
    # The login page itself is open, and a GET redirect remembers where the person was going.
    assert client.get("/console/login").status_code == 200
    r = client.get(f"/console/cases/{reference}", follow_redirects=False)
    assert r.headers["location"] == f"/console/login?next=%2Fconsole%2Fcases%2F{reference}"


def test_caseworker_is_refused_admin_routes_only(client: TestClient, accounts, setup, case_held_by) -> None:  # type: ignore[no-untyped-def]
    """On a case they hold, a caseworker reaches every route but the admin pages."""
    _, uid = setup
    csrf = login(client, accounts["caseworker"])
    for method, path in console_routes(client):
        if (method, path) in PUBLIC or path == "/console/logout":
            continue
        # claim needs an open case; every other case route a case this caseworker holds
        ref = case_held_by(None if path.endswith("/claim") else accounts["caseworker"])
        r = call(client, method, fill(path, ref, uid), csrf)
        if path.startswith("/console/admin"):
            assert r.status_code == 403, (method, path, r.status_code)
        else:
            assert r.status_code not in (401, 403), (method, path, r.status_code)
            assert not r.headers.get("location", "").startswith("/console/login"), (method, path)


CASE_ROUTE = "{reference}"


def test_another_caseworkers_case_is_closed_to_a_caseworker(
    client: TestClient, accounts, setup, case_held_by, runtime
) -> None:  # type: ignore[no-untyped-def]
    """Sari holds the case: Budi can neither read it (transcript, personal details) nor act on it."""
    from bot.console import cases

    _, uid = setup
    ref = case_held_by(accounts["caseworker"])
    csrf = login(client, accounts["other"])
    checked = 0
    for method, path in console_routes(client):
        if CASE_ROUTE not in path:
            continue
        r = call(client, method, fill(path, ref, uid), csrf)
        expected = 409 if path.endswith("/claim") else 403  # claim: already claimed by someone else
        assert r.status_code == expected, (method, path, r.status_code)
        assert "gaji tidak dibayar" not in r.text, (method, path)  # nothing of the transcript shows
        checked += 1
    assert checked >= 9
    with runtime.db.session() as s:
        esc = cases.by_reference(s, ref)
        assert esc.status == "claimed" and esc.assignee_id == user_id(runtime, accounts["caseworker"])
        assert cases.notes(s, esc.id) == [] and cases.referrals(s, esc.id) == []
    # The queue still lists it (summary and holder only), so the team sees who has what.
    row = next(e for e in client.get("/api/escalations").json()["escalations"] if e["reference"] == ref)
    assert row["assignee"] == accounts["caseworker"]


def test_an_open_case_can_be_read_but_not_acted_on_before_claiming(
    client: TestClient, accounts, setup, case_held_by, runtime
) -> None:  # type: ignore[no-untyped-def]
    from bot.console import cases

    ref = case_held_by(None)
    csrf = login(client, accounts["caseworker"])
    assert client.get(f"/console/cases/{ref}").status_code == 200  # read it to decide to claim it
    assert client.get(f"/api/escalations/{ref}").status_code == 200
    actions = {
        "reply": {"text": "halo"},
        "note": {"text": "catatan"},
        "referral": {"target": "sentra:x", "note": ""},
        "resolve": {"outcome": "assisted"},
        "release": {},
        "end-handoff": {},
    }
    for action, data in actions.items():
        r = client.post(
            f"/console/cases/{ref}/{action}", data={"csrf_token": csrf, **data}, follow_redirects=False
        )
        assert r.status_code == 403, (action, r.status_code)
        assert "Ambil kasus ini dulu" in r.text, action
    with runtime.db.session() as s:
        esc = cases.by_reference(s, ref)
        assert esc.status == "open" and cases.notes(s, esc.id) == []
    assert (
        client.post(
            f"/console/cases/{ref}/claim", data={"csrf_token": csrf}, follow_redirects=False
        ).status_code
        == 303
    )
    r = client.post(f"/console/cases/{ref}/note", data={"csrf_token": csrf, "text": "sudah saya ambil"})
    assert r.status_code == 200 and "sudah saya ambil" in r.text


def test_admin_reaches_everything(client: TestClient, accounts, setup, case_held_by) -> None:  # type: ignore[no-untyped-def]
    """Also on a case another caseworker holds (an admin reassigns, closes and reads for oversight)."""
    _, uid = setup
    csrf = login(client, accounts["admin"])
    for method, path in console_routes(client):
        if (method, path) in PUBLIC or path == "/console/logout":
            continue
        ref = case_held_by(None if path.endswith("/claim") else accounts["caseworker"])
        r = call(client, method, fill(path, ref, uid), csrf)
        assert r.status_code not in (401, 403), (method, path, r.status_code)
        assert not r.headers.get("location", "").startswith("/console/login"), (method, path)


def test_post_without_csrf_token_is_refused(client: TestClient, accounts, setup) -> None:  # type: ignore[no-untyped-def]
    reference, user_id = setup
    login(client, accounts["admin"])
    for method, path in console_routes(client):
        if method != "POST" or (method, path) in PUBLIC:
            continue
        r = client.post(fill(path, reference, user_id), data={"csrf_token": "forged"}, follow_redirects=False)
        assert r.status_code == 403, (path, r.status_code)
    # ... and nothing happened: the case is still open.
    assert client.get("/api/escalations").json()["escalations"][0]["status"] == "open"


def test_api_with_session_answers_json(client: TestClient, accounts, setup) -> None:  # type: ignore[no-untyped-def]
    login(client, accounts["caseworker"])
    r = client.get("/api/me")
    assert r.json() == {"username": accounts["caseworker"], "role": "caseworker"}
