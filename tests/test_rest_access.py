"""The REST channel under abuse: off in production, authenticated per client, one client's senders
out of another's reach, rate limits with 429 + Retry-After, and a cap on new emergency cases that
still gives every person the emergency numbers."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot.app_state import Runtime
from bot.config import Settings
from bot.server import create_app
from bot.store.models import Contact, Escalation, Outbox

URL = "/webhooks/rest/webhook"
WEB = secrets.token_urlsafe(32)
NGO = secrets.token_urlsafe(32)
CLIENTS = f"web:{WEB},ngo:{NGO}"
PRODUCTION = {
    "env": "production",
    "secret_key": secrets.token_urlsafe(32),
    "public_base_url": "https://bot.sahabat-migran.id",
    "rest_enabled": True,
    "rest_clients": CLIENTS,
}
NUMBERS = "110"  # Indonesian police, in every emergency reply (abroad: "Keluarga di Indonesia: Polisi 110")
CASE_PROMISE = "Nomor kasus darurat"
CASEWORKER_PROMISE = "sudah diberi tahu"  # "caseworkers have been alerted"
DANGER = [
    "tolong saya dikurung majikan",
    "tolong saya dikurung majikan di Malaysia",
    "paspor saya ditahan dan saya tidak boleh keluar",
    "saya dipukul majikan tolong",
    "tolong adik saya disekap agen",
]


def app_client(settings: Settings, runtime: Runtime, **overrides: object) -> TestClient:
    app = create_app(settings.model_copy(update=overrides), runtime)
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def prod(settings: Settings, runtime: Runtime) -> Iterator[TestClient]:
    Settings(**PRODUCTION).check_production()  # the configuration is one production accepts
    with app_client(settings, runtime, **PRODUCTION) as c:
        yield c


def text_of(r: object) -> str:
    return "\n".join(m.get("text", "") for m in r.json())  # type: ignore[attr-defined]


def counts(runtime: Runtime) -> tuple[int, int]:
    with runtime.db.session() as s:
        cases = s.scalar(select(func.count()).select_from(Escalation).where(Escalation.category == "emergency"))
        alerts = s.scalar(select(func.count()).select_from(Outbox).where(Outbox.channel == "notify"))
    return int(cases or 0), int(alerts or 0)


def signed(secret: str, client: str, body: dict, stamp: int | None = None) -> tuple[bytes, dict[str, str]]:
    raw = json.dumps(body).encode()
    ts = str(stamp if stamp is not None else int(time.time()))
    mac = hmac.new(secret.encode(), ts.encode() + b"." + raw, hashlib.sha256).hexdigest()
    headers = {"X-Sahabat-Client": client, "X-Sahabat-Timestamp": ts, "X-Sahabat-Signature": f"sha256={mac}"}
    return raw, {**headers, "content-type": "application/json"}


# ---- off in production unless enabled ------------------------------------------------------------


def test_production_without_enabling_has_no_rest_channel(settings: Settings, runtime: Runtime) -> None:
    overrides = {k: v for k, v in PRODUCTION.items() if k not in ("rest_enabled", "rest_clients")}
    with app_client(settings, runtime, **overrides) as c:
        r = c.post(URL, json={"sender": "u1", "message": "halo"})
    assert r.status_code == 404 and "REST" in r.json()["detail"]
    with runtime.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Contact)) == 0


# ---- authentication ------------------------------------------------------------------------------


def test_unauthenticated_requests_are_refused_and_store_nothing(prod: TestClient, runtime: Runtime) -> None:
    r = prod.post(URL, json={"sender": "u1", "message": "halo"})
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert "authentication" in r.json()["detail"]
    for bad in ({"Authorization": "Bearer " + WEB[:-1] + "x"}, {"Authorization": "Basic " + WEB}):
        r = prod.post(URL, json={"sender": "u1", "message": "halo"}, headers=bad)
        assert r.status_code in (401, 403)
    assert prod.post(URL + "?token=nope", json={"sender": "u1", "message": "halo"}).status_code == 403
    with runtime.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Contact)) == 0


def test_bearer_token_query_token_and_hmac_signature_each_work(prod: TestClient) -> None:
    r = prod.post(URL, json={"sender": "u1", "message": "halo"}, headers={"Authorization": f"Bearer {WEB}"})
    assert r.status_code == 200 and "Sahabat Migran" in text_of(r)
    assert r.json()[0]["recipient_id"] == "u1"  # the client's own id comes back, not the scoped one
    r = prod.post(f"{URL}?token={NGO}", json={"sender": "u2", "message": "hello"})
    assert r.status_code == 200 and "not a human" in text_of(r)
    raw, headers = signed(NGO, "ngo", {"sender": "u3", "message": "halo"})
    r = prod.post(URL, content=raw, headers=headers)
    assert r.status_code == 200 and "Sahabat Migran" in text_of(r)


def test_bad_stale_or_mismatched_signatures_are_refused(prod: TestClient) -> None:
    body = {"sender": "u3", "message": "halo"}
    raw, headers = signed(NGO, "ngo", body)
    assert prod.post(URL, content=raw.replace(b"halo", b"hola"), headers=headers).status_code == 403
    raw, headers = signed(NGO, "web", body)  # ngo's secret under web's name
    assert prod.post(URL, content=raw, headers=headers).status_code == 403
    raw, headers = signed(NGO, "ngo", body, stamp=int(time.time()) - 3600)  # a replay an hour later
    r = prod.post(URL, content=raw, headers=headers)
    assert r.status_code == 403 and "timestamp" in r.json()["detail"]


def test_a_client_cannot_act_as_another_clients_sender(prod: TestClient, runtime: Runtime) -> None:
    web = {"Authorization": f"Bearer {WEB}"}
    ngo = {"Authorization": f"Bearer {NGO}"}
    r = prod.post(URL, json={"sender": "ani", "message": "tolong saya dikurung majikan di Malaysia"}, headers=web)
    assert r.status_code == 200 and CASE_PROMISE in text_of(r)
    # Another client "guesses" the sender and asks to stop / erase: it only reaches its own "ani".
    assert prod.post(URL, json={"sender": "ani", "message": "/stop"}, headers=ngo).status_code == 200
    assert prod.post(URL, json={"sender": "ani", "message": "/delete_data"}, headers=ngo).status_code == 200
    with runtime.db.session() as s:
        contacts = {c.channel_user_id for c in s.scalars(select(Contact).where(Contact.channel == "rest"))}
        assert "web:ani" in contacts  # web's person, untouched
        esc = s.scalars(select(Escalation)).one()
        assert esc.contact_id is not None and esc.summary.startswith("danger reported")
        web_ani = s.scalars(select(Contact).where(Contact.channel_user_id == "web:ani")).one()
        assert esc.contact_id == web_ani.id


def test_open_channel_in_development_keeps_the_curl_quick_start(client: TestClient) -> None:
    # README: curl -s -XPOST localhost:8000/webhooks/rest/webhook -d '{"sender":"u1","message":"halo"}'
    r = client.post(URL, content=b'{"sender":"u1","message":"halo"}',
                    headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 200 and "Sahabat Migran" in text_of(r)


def test_configured_clients_are_required_in_development_too(settings: Settings, runtime: Runtime) -> None:
    with app_client(settings, runtime, rest_clients=CLIENTS) as c:
        assert c.post(URL, json={"sender": "u1", "message": "halo"}).status_code == 401
        ok = c.post(URL, json={"sender": "u1", "message": "halo"}, headers={"Authorization": f"Bearer {WEB}"})
        assert ok.status_code == 200


# ---- rate limits ---------------------------------------------------------------------------------


def test_one_sender_flooding_gets_429_with_reason_and_retry_after(settings: Settings, runtime: Runtime) -> None:
    with app_client(settings, runtime, rest_rate_per_sender="5/minute") as c:
        codes = [c.post(URL, json={"sender": "f1", "message": f"halo {i}"}).status_code for i in range(8)]
        assert codes == [200] * 5 + [429] * 3
        r = c.post(URL, json={"sender": "f1", "message": "halo"})
        assert r.status_code == 429 and "sender" in r.json()["detail"]
        assert 1 <= int(r.headers["retry-after"]) <= 60
        # Other people are not held back by one sender's flood.
        assert c.post(URL, json={"sender": "f2", "message": "halo"}).status_code == 200


def test_one_address_flooding_gets_429_before_authentication(settings: Settings, runtime: Runtime) -> None:
    with app_client(settings, runtime, rest_rate_per_address="10/minute", rest_clients=CLIENTS) as c:
        codes = [c.post(URL + "?token=guess", json={"sender": f"g{i}", "message": "halo"}).status_code
                 for i in range(12)]
        assert codes[:10] == [403] * 10 and codes[10:] == [429, 429]  # token guessing is slowed too
        r = c.post(URL, json={"sender": "x", "message": "halo"}, headers={"Authorization": f"Bearer {WEB}"})
        assert r.status_code == 429 and "address" in r.json()["detail"] and int(r.headers["retry-after"]) >= 1


@pytest.mark.parametrize("authenticated", [True, False], ids=["client", "open-by-address"])
def test_a_flood_of_100_emergencies_is_capped_but_every_reply_has_the_numbers(
    settings: Settings, runtime: Runtime, authenticated: bool
) -> None:
    overrides: dict[str, object] = {"rest_new_emergencies": "5/minute"}
    headers: dict[str, str] = {}
    if authenticated:
        overrides["rest_clients"] = CLIENTS
        headers = {"Authorization": f"Bearer {WEB}"}
    with app_client(settings, runtime, **overrides) as c:
        replies = []
        for i in range(100):
            r = c.post(URL, json={"sender": f"flood-{i}", "message": DANGER[i % len(DANGER)]}, headers=headers)
            assert r.status_code == 200, r.text
            replies.append(text_of(r))
        assert all(NUMBERS in t for t in replies)  # every person still gets the emergency numbers
        promised = [t for t in replies if CASE_PROMISE in t]
        assert len(promised) == 5  # a case number is only promised where a case exists
        assert sum(CASEWORKER_PROMISE in t for t in replies) == 5  # ... and so is a caseworker
        # A capped person who then says where they are gets that country's numbers, still no case.
        r = c.post(URL, json={"sender": "flood-99", "message": "Arab Saudi"}, headers=headers)
        assert r.status_code == 200 and "KBRI Riyadh" in text_of(r) and CASEWORKER_PROMISE not in text_of(r)
        cases, alerts = counts(runtime)
        assert cases == 5 and alerts == 5
        if authenticated:  # another client keeps its own allowance
            r = c.post(URL, json={"sender": "real", "message": DANGER[0]}, headers={"Authorization": f"Bearer {NGO}"})
            assert CASE_PROMISE in text_of(r) and counts(runtime) == (6, 6)


def test_a_sender_too_long_once_scoped_is_a_422_naming_it(prod: TestClient) -> None:
    web = {"Authorization": f"Bearer {WEB}"}
    assert prod.post(URL, json={"sender": "s" * 124, "message": "halo"}, headers=web).status_code == 200
    r = prod.post(URL, json={"sender": "s" * 125, "message": "halo"}, headers=web)  # "web:" + 125 > 128
    assert r.status_code == 422 and "sender" in r.json()["detail"]
