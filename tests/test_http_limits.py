"""Every route refuses oversized bodies (413) and deeply nested JSON (400) with a reason, never a
500; production hides /metrics and the API docs behind a token, sends HSTS and Secure cookies;
X-Forwarded-For counts only from a trusted proxy."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot.app_state import Runtime, build_runtime
from bot.config import Settings
from bot.server import create_app
from bot.store.models import Contact, Message
from nlu.base import NLU

REST = "/webhooks/rest/webhook"
TG_SECRET = secrets.token_urlsafe(32)
TOKEN = secrets.token_urlsafe(32)
PRODUCTION = {
    "env": "production",
    "secret_key": secrets.token_urlsafe(32),
    "public_base_url": "https://bot.sahabat-migran.id",
}
BIG = 25 * 1024 * 1024
ROUTES = [REST, "/webhooks/telegram", "/webhooks/twilio", "/webhooks/twilio/status", "/console/login",
          "/api/escalations", "/healthz"]


def make(settings: Settings, runtime: Runtime, **overrides: object) -> TestClient:
    return TestClient(create_app(settings.model_copy(update=overrides), runtime), raise_server_exceptions=False)


@pytest.fixture
def app(settings: Settings, runtime: Runtime) -> Iterator[TestClient]:
    with make(settings, runtime, telegram_secret=TG_SECRET) as c:
        yield c


def nested(depth: int) -> bytes:
    return b'{"sender": "d1", "message": "halo", "x": ' + b"[" * depth + b"]" * depth + b"}"


def stored(runtime: Runtime) -> int:
    with runtime.db.session() as s:
        return int(s.scalar(select(func.count()).select_from(Message)) or 0)


# ---- body size -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ROUTES)
def test_a_25_mb_body_is_413_on_every_route(app: TestClient, runtime: Runtime, path: str) -> None:
    r = app.post(path, content=b"a" * BIG, headers={"content-type": "application/json"})
    assert r.status_code == 413, (path, r.status_code)
    assert "larger than" in r.json()["detail"]
    assert stored(runtime) == 0


@pytest.mark.parametrize("path", [REST, "/webhooks/twilio", "/console/login"])
def test_a_chunked_body_without_length_is_cut_off_at_the_limit(app: TestClient, runtime: Runtime, path: str) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(400):  # 25 MB in 64 KiB pieces, if it were all read
            yield b"a" * 65536

    r = app.post(path, content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413 and "larger than" in r.json()["detail"]
    assert "content-length" not in {k.lower() for k in r.request.headers}  # really chunked
    assert stored(runtime) == 0


def test_ordinary_bodies_still_pass(app: TestClient) -> None:
    r = app.post(REST, json={"sender": "n1", "message": "kerja " * 2000})  # 12,000 characters
    assert r.status_code == 200 and "terlalu panjang" in r.text
    assert app.post("/console/login", data={"username": "a" * 150, "password": "b" * 900}).status_code != 413


def test_an_invalid_content_length_is_a_400(app: TestClient) -> None:
    r = app.post(REST, content=b"{}", headers={"content-length": "lots", "content-type": "application/json"})
    assert r.status_code == 400 and "Content-Length" in r.json()["detail"]


# ---- JSON depth ----------------------------------------------------------------------------------


def test_deeply_nested_json_is_a_400_with_a_reason(app: TestClient, runtime: Runtime) -> None:
    r = app.post(REST, content=nested(30_000), headers={"content-type": "application/json"})
    assert r.status_code == 400 and "nested too deeply" in r.json()["detail"]
    r = app.post(REST, content=nested(40), headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert app.post(REST, content=nested(3), headers={"content-type": "application/json"}).status_code == 200


def test_100k_deep_json_is_a_400_even_where_the_body_limit_lets_it_in(settings: Settings, runtime: Runtime) -> None:
    with make(settings, runtime, max_body_bytes=1024 * 1024, telegram_secret=TG_SECRET) as c:
        body = nested(100_000)
        r = c.post(REST, content=body, headers={"content-type": "application/json"})
        assert r.status_code == 400 and "nested too deeply" in r.json()["detail"]
        r = c.post("/webhooks/telegram", content=b'{"update_id": 1, "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
                   headers={"X-Telegram-Bot-Api-Secret-Token": TG_SECRET, "content-type": "application/json"})
        assert 400 <= r.status_code < 500 or r.status_code == 200  # never a 500
        assert "Traceback" not in r.text
    with runtime.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Contact)) == 0


# ---- production: operators' pages, HSTS, cookies -------------------------------------------------


OPS = ["/metrics", "/docs", "/redoc", "/openapi.json"]


@pytest.mark.parametrize("path", OPS)
def test_operators_pages_are_off_in_production_without_a_token(settings: Settings, runtime: Runtime, path: str) -> None:
    with make(settings, runtime, **PRODUCTION) as c:
        assert c.get(path).status_code == 404


@pytest.mark.parametrize("path", OPS)
def test_operators_pages_need_the_token_when_one_is_set(settings: Settings, runtime: Runtime, path: str) -> None:
    with make(settings, runtime, metrics_token=TOKEN, **PRODUCTION) as c:
        assert c.get(path).status_code == 401
        assert c.get(path, headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get(path, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
        assert c.get(f"{path}?token={TOKEN}").status_code == 200


def test_development_keeps_metrics_and_docs_open(app: TestClient) -> None:
    assert "sahabat_messages_in_total" in app.get("/metrics").text or app.get("/metrics").status_code == 200
    assert app.get("/openapi.json").status_code == 200


def test_production_sends_hsts_everywhere_and_secure_cookies(settings: Settings, runtime: Runtime, nlu: NLU) -> None:
    prod_settings = settings.model_copy(update=PRODUCTION)
    prod_runtime = build_runtime(prod_settings, nlu=nlu)  # the console reads the runtime's settings
    with TestClient(create_app(prod_settings, prod_runtime)) as c:
        for path in ("/healthz", "/console/login"):
            assert "max-age=" in c.get(path).headers["strict-transport-security"]
        cookie = c.get("/console/login").headers["set-cookie"]
        assert "secure" in cookie.lower()
    prod_runtime.db.dispose()
    with make(settings, runtime) as c:  # development over plain http
        r = c.get("/console/login")
        assert "strict-transport-security" not in r.headers
        assert "secure" not in r.headers["set-cookie"].lower()


# ---- trusted proxies -----------------------------------------------------------------------------


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(settings: Settings, runtime: Runtime) -> None:
    # Without SAHABAT_FORWARDED_ALLOW_IPS, rotating X-Forwarded-For does not escape the address limit.
    with make(settings, runtime, rest_rate_per_address="3/minute") as c:
        codes = [c.post(REST, json={"sender": f"p{i}", "message": "halo"},
                        headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code for i in range(5)]
        assert codes == [200, 200, 200, 429, 429]
    # Behind a trusted proxy ("testclient" is the test client's address) each real client counts alone.
    with make(settings, runtime, rest_rate_per_address="3/minute", forwarded_allow_ips="testclient") as c:
        codes = [c.post(REST, json={"sender": f"q{i}", "message": "halo"},
                        headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code for i in range(5)]
        assert codes == [200] * 5
        for _ in range(3):
            c.post(REST, json={"sender": "same", "message": "halo"}, headers={"X-Forwarded-For": "198.51.100.7"})
        r = c.post(REST, json={"sender": "same2", "message": "halo"}, headers={"X-Forwarded-For": "198.51.100.7"})
        assert r.status_code == 429
