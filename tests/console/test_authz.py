"""Every console and API route, walked as anonymous, caseworker and admin (routes read from the app)."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from bot.app_state import Runtime
from tests.console.conftest import login

PUBLIC = {("GET", "/console/login"), ("POST", "/console/login")}


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
    path = path.replace("{reference}", reference).replace("{user_id}", str(user_id))
    assert not re.search(r"{\w+}", path), f"a new path parameter needs a value in this test: {path}"
    return path


def call(client: TestClient, method: str, path: str, csrf: str = "") -> int:
    data = {"csrf_token": csrf} if method == "POST" else None
    r = client.request(method, path, data=data, follow_redirects=False)
    return r


@pytest.fixture
def setup(client: TestClient, accounts: dict[str, str], make_case, runtime: Runtime):  # type: ignore[no-untyped-def]
    case = make_case()
    from sqlalchemy import select

    from bot.store.models import Caseworker

    with runtime.db.session() as s:
        other = s.scalars(select(Caseworker).where(Caseworker.username == accounts["other"])).one()
    return case.reference, other.id


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


def test_caseworker_is_refused_admin_routes_only(client: TestClient, accounts, setup) -> None:  # type: ignore[no-untyped-def]
    reference, user_id = setup
    csrf = login(client, accounts["caseworker"])
    for method, path in console_routes(client):
        if (method, path) in PUBLIC or path == "/console/logout":
            continue
        r = call(client, method, fill(path, reference, user_id), csrf)
        if path.startswith("/console/admin"):
            assert r.status_code == 403, (method, path, r.status_code)
        else:
            assert r.status_code not in (401, 403), (method, path, r.status_code)
            assert not r.headers.get("location", "").startswith("/console/login"), (method, path)


def test_admin_reaches_everything(client: TestClient, accounts, setup) -> None:  # type: ignore[no-untyped-def]
    reference, user_id = setup
    csrf = login(client, accounts["admin"])
    for method, path in console_routes(client):
        if (method, path) in PUBLIC or path == "/console/logout":
            continue
        r = call(client, method, fill(path, reference, user_id), csrf)
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
