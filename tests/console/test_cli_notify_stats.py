"""`sahabat caseworker add`, emergency notices for the caseworkers' group, and the statistics page."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import hmac
import io
import json
from datetime import timedelta

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bot.app_state import build_runtime
from bot.cli import app as cli
from bot.notify import CHANNEL, NotifyAdapter, enqueue_escalation_notice
from bot.store import repo
from bot.store.models import Caseworker, Escalation, Outbox, utcnow
from tests.channels.fakes import FakeTelegram, LocalServer
from tests.console.conftest import login

# ---- CLI -----------------------------------------------------------------------------------------


def test_caseworker_add_from_stdin_then_login(client, settings, runtime, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SAHABAT_DATABASE_URL", settings.database_url)
    from bot.config import get_settings

    get_settings.cache_clear()
    try:
        runner = CliRunner()
        r = runner.invoke(
            cli,
            ["caseworker", "add", "Rina", "--role", "admin", "--password-stdin"],
            input="rahasia sekali 123\n",
        )
        assert r.exit_code == 0, r.output
        assert "rina" in r.output
        again = runner.invoke(
            cli, ["caseworker", "add", "rina", "--password-stdin"], input="rahasia sekali 123\n"
        )
        assert again.exit_code == 1 and "already exists" in again.output
        short = runner.invoke(cli, ["caseworker", "add", "tono", "--password-stdin"], input="pendek\n")
        assert short.exit_code == 1
        typed = runner.invoke(
            cli, ["caseworker", "add", "yuni"], input="sandi yang panjang\nsandi yang panjang\n"
        )
        assert typed.exit_code == 0, typed.output
        listed = runner.invoke(cli, ["caseworker", "list"])
        assert "rina\tadmin\tactive" in listed.output and "yuni\tcaseworker\tactive" in listed.output
    finally:
        get_settings.cache_clear()
    with runtime.db.session() as s:
        cw = s.scalars(select(Caseworker).where(Caseworker.username == "rina")).one()
        assert cw.password_hash.startswith("$argon2id$") and "rahasia" not in cw.password_hash
    login(client, "rina", "rahasia sekali 123")
    assert client.get("/console/admin/users").status_code == 200


# ---- notifications -------------------------------------------------------------------------------


def test_emergency_case_queues_one_notice_without_personal_details(runtime) -> None:  # type: ignore[no-untyped-def]
    with runtime.db.session() as s:
        contact = repo.get_or_create_contact(s, "telegram", "555123")
        contact.profile = {"name": "Siti Aminah", "phone": "081234567890"}
        esc = repo.create_escalation(
            s,
            contact,
            "emergency",
            0,
            "Siti dikurung di Riyadh",
            {"province": "Jawa Barat", "country": "Arab Saudi"},
        )
        repo.create_escalation(s, contact, "returnee_help", 2, "normal", {})
        assert enqueue_escalation_notice(s, esc) is None  # never twice for one case
    with runtime.db.session() as s:
        rows = list(s.scalars(select(Outbox).where(Outbox.channel == CHANNEL)))
    assert len(rows) == 1
    payload = rows[0].payload
    assert payload["reference"] == esc.reference and payload["province"] == "Jawa Barat"
    flat = json.dumps(payload)
    for personal in ("Siti", "0812", "555123", "Riyadh"):
        assert personal not in flat
    assert rows[0].contact_id is None


@pytest.fixture
def fake_telegram():  # type: ignore[no-untyped-def]
    fake = FakeTelegram("999:NOTIFY")
    fake.server.start()
    yield fake
    fake.server.stop()


class _Hook:
    def __init__(self) -> None:
        from starlette.applications import Starlette
        from starlette.responses import JSONResponse
        from starlette.routing import Route

        self.received: list[tuple[bytes, dict[str, str]]] = []

        async def hook(request):  # type: ignore[no-untyped-def]
            self.received.append((await request.body(), dict(request.headers)))
            return JSONResponse({"ok": True})

        self.server = LocalServer(Starlette(routes=[Route("/hook", hook, methods=["POST"])]))


def test_notice_reaches_the_group_and_the_signed_webhook(settings, fake_telegram) -> None:  # type: ignore[no-untyped-def]
    hook = _Hook()
    hook.server.start()
    try:
        st = settings.model_copy(
            update={
                "telegram_token": "999:NOTIFY",
                "telegram_api_url": fake_telegram.url,
                "caseworker_telegram_chat_id": "-100777",
                "caseworker_webhook_url": f"{hook.server.url}/hook",
                "public_base_url": "https://sahabat.example.org",
                "secret_key": "k" * 32,
            }
        )
        payload = {
            "event": "escalation.emergency",
            "reference": "SM-2026-000042",
            "category": "emergency",
            "priority": 0,
            "province": "Jawa Timur",
            "created_at": utcnow().isoformat(),
            "outbox_id": 7,
        }
        adapter = NotifyAdapter(st)

        async def go() -> None:
            await adapter.send(payload)
            await adapter.close()

        asyncio.run(go())
    finally:
        hook.server.stop()
    [msg] = fake_telegram.sent("-100777")
    assert "SM-2026-000042" in msg["text"] and "Jawa Timur" in msg["text"]
    assert "https://sahabat.example.org/console/cases/SM-2026-000042" in msg["text"]
    [(body, headers)] = hook.received
    data = json.loads(body)
    assert data["reference"] == "SM-2026-000042" and "outbox_id" not in data
    expected = "sha256=" + hmac.new(b"k" * 32, body, hashlib.sha256).hexdigest()
    assert headers["x-sahabat-signature"] == expected


def test_without_targets_nothing_is_sent(settings) -> None:  # type: ignore[no-untyped-def]
    assert NotifyAdapter(settings).render({"reference": "SM-1"}) == []


# ---- statistics ----------------------------------------------------------------------------------


def test_statistics_and_csv_without_personal_details(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    a = make_case(
        category="emergency",
        priority=0,
        province="Jawa Timur",
        details={"red_flags": ["document_retention", "upfront_fee"]},
    )
    b = make_case(
        category="returnee_help", province="Jawa Timur", details={"red_flags": [{"id": "upfront_fee"}]}
    )
    make_case(category="report", province="Nusa Tenggara Barat", texts=("nama saya Wati, rumah di Lombok",))
    with runtime.db.session() as s:
        for ref, minutes in ((a.reference, 10), (b.reference, 90)):
            esc = s.scalars(select(Escalation).where(Escalation.reference == ref)).one()
            esc.first_response_at = esc.created_at + timedelta(minutes=minutes)
    login(client, accounts["caseworker"])
    page = client.get("/console/stats").text
    assert page.count("<svg") >= 4 and "upfront_fee" in page
    rows = list(csv.reader(io.StringIO(client.get("/console/stats.csv").text)))
    table = {(r[0], r[1]): r[2] for r in rows[1:]}
    assert table[("province", "Jawa Timur")] == "2" and table[("province", "Nusa Tenggara Barat")] == "1"
    assert table[("category", "emergency")] == "1" and table[("total", "escalations")] == "3"
    assert table[("red_flag", "upfront_fee")] == "2" and table[("red_flag", "document_retention")] == "1"
    assert float(table[("median_first_response_minutes", "all")]) == 50.0
    assert float(table[("median_first_response_minutes", "emergency")]) == 10.0
    text = "\n".join(",".join(r) for r in rows)
    for personal in ("SM-", "Wati", "Lombok", "person-"):
        assert personal not in text


def test_the_outbox_sender_delivers_queued_notices(settings, runtime, fake_telegram) -> None:  # type: ignore[no-untyped-def]
    from bot.outbox import OutboxSender, Policy

    st = settings.model_copy(
        update={
            "telegram_token": "999:NOTIFY",
            "telegram_api_url": fake_telegram.url,
            "caseworker_telegram_chat_id": "-100555",
        }
    )
    # The notice is queued by a runtime that has the target: without one it is recorded as not sent
    # (tests/test_notices_without_target.py), so a target configured later sends no stale backlog.
    configured = build_runtime(st, nlu=runtime.nlu, migrate=False)
    with configured.db.session() as s:
        contact = repo.get_or_create_contact(s, "rest", "someone")
        esc = repo.create_escalation(s, contact, "emergency", 0, "x", {"province": "Bali"})
    configured.db.dispose()
    sender = OutboxSender(runtime.db, {CHANNEL: NotifyAdapter(st)}, Policy())

    async def go() -> int:
        n = await sender.drain_once()
        await sender.stop()
        return n

    assert asyncio.run(go()) == 1
    [msg] = fake_telegram.sent("-100555")
    assert esc.reference in msg["text"] and "Bali" in msg["text"]
    with runtime.db.session() as s:
        assert s.scalars(select(Outbox.status).where(Outbox.channel == CHANNEL)).one() == "sent"


def test_offers_people_checked_show_in_the_statistics_without_their_text(client, accounts) -> None:  # type: ignore[no-untyped-def]
    trap = "Dicari admin online di Kamboja gaji 15jt, pakai visa turis, bayar 5 juta untuk proses, berangkat minggu depan"
    fair = (
        "Saya dapat tawaran kerja jadi operator pabrik elektronik di Taiwan, kontrak kerja 3 tahun, "
        "visa kerja diurus sesuai prosedur, pelatihan di BLK dulu"
    )
    for sender, text in (("offer-1", trap), ("offer-2", trap), ("offer-3", fair)):
        r = client.post("/webhooks/rest/webhook", json={"sender": sender, "message": text})
        assert r.status_code == 200 and r.json()  # the person got a verdict
    login(client, accounts["caseworker"])
    page = client.get("/console/stats").text
    assert "non_work_visa" in page and "Kamboja" not in page and "elektronik" not in page
    rows = list(csv.reader(io.StringIO(client.get("/console/stats.csv").text)))
    table = {(r[0], r[1]): r[2] for r in rows[1:]}
    assert table[("total", "offer_checks")] == "3"
    assert table[("offer_risk", "high")] == "2" and table[("offer_risk", "low")] == "1"
    assert table[("offer_red_flag", "non_work_visa")] == "2" and table[("offer_red_flag", "upfront_fee")] == "2"
    text = "\n".join(",".join(r) for r in rows)
    for personal in ("Kamboja", "Taiwan", "offer-1", "15jt"):
        assert personal not in text
