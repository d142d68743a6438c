"""After "hapus data saya", nothing on disk names the person: not the SQLite file, not its WAL (on
PostgreSQL: no row of any table). Also the outbox's retention purge."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from bot.app_state import Runtime
from bot.channels.common import Part
from bot.console.canned import referral_targets
from bot.messages import Inbound
from bot.outbox import OutboxSender, Policy, purge_finished, send_from_caseworker
from bot.store.models import Base, CaseNote, Contact, Escalation, Outbox, Referral, utcnow

PHONE = "whatsapp:+6281299887766"
WORDS = ["Zubaidahwati", "3201987654321001", "Kenanga Tujuh", "6281299887766"]


class Recorder:
    channel = "whatsapp"

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def render(self, payload: dict[str, Any]) -> list[Part]:
        return [Part(dict(payload))]

    async def deliver(self, part: Part) -> str:
        self.sent.append(part.data)
        return f"SM{len(self.sent):032d}"

    async def send(self, payload: dict[str, Any]) -> str:
        return await self.deliver(self.render(payload)[0])

    async def close(self) -> None:
        return None


def say(rt: Runtime, words: str) -> list[str]:
    return [r.text for r in rt.engine.handle(Inbound("whatsapp", PHONE, text=words), enqueue=True)]


def deliver_all(rt: Runtime, rec: Recorder) -> None:
    sender = OutboxSender(rt.db, {"whatsapp": rec}, Policy())

    async def run() -> None:
        for _ in range(20):
            if not await sender.drain_once():
                return

    asyncio.run(run())


def on_disk(rt: Runtime) -> str:
    """Everything stored, as text: raw bytes of the SQLite file and WAL, or every PostgreSQL row."""
    if rt.db.is_sqlite:
        path = Path(rt.db.engine.url.database or "")
        parts = [p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists()]
        return b"".join(parts).decode("latin-1")
    with rt.db.engine.connect() as c:
        return " ".join(
            str(c.execute(text(f'SELECT string_agg(t::text, \' \') FROM "{t}" t')).scalar() or "")
            for t in Base.metadata.tables
        )


def found(rt: Runtime) -> list[str]:
    blob = on_disk(rt)
    return [w for w in WORDS if w in blob or w.lower() in blob.lower()]


def test_after_erasure_neither_the_database_nor_its_wal_holds_the_number_or_the_words(runtime: Runtime) -> None:
    rt, rec = runtime, Recorder()
    say(rt, "halo")
    with rt.db.session() as s:
        c = s.scalars(select(Contact).where(Contact.channel_user_id == PHONE)).one()
        c.consent_at = utcnow()
        c.profile = {"name": "Zubaidahwati", "callback": "+6281299887766"}
    say(rt, "nama saya Zubaidahwati, NIK 3201987654321001, rumah di Jalan Kenanga Tujuh")
    assert any("SM-" in t for t in say(rt, "tolong saya dikurung majikan di Malaysia, paspor ditahan"))
    say(rt, "Zubaidahwati, di Jalan Kenanga Tujuh no 5, bisa ditelpon 081299887766")
    with rt.db.session() as s:
        esc = s.scalars(select(Escalation)).one()
        contact = s.get(Contact, esc.contact_id)
        assert contact is not None
        s.add(CaseNote(escalation_id=esc.id, text="Zubaidahwati NIK 3201987654321001, Jl. Kenanga Tujuh"))
        kind, targets = next((k, v) for k, v in referral_targets().items() if v)
        s.add(Referral(escalation_id=esc.id, kind=kind, target_id=next(iter(targets)),
                       note="hubungi Zubaidahwati di 6281299887766"))
        send_from_caseworker(s, contact, "Halo Zubaidahwati, saya petugas. Apakah aman?")
    deliver_all(rt, rec)  # sent rows keep the number and the words until erasure or the purge
    rt.db.checkpoint()
    assert found(rt) == WORDS  # the test can fail: everything is on disk before the erasure

    assert any("Lanjutkan" in t for t in say(rt, "hapus data saya"))
    assert any("dihapus" in t for t in say(rt, "ya"))
    deliver_all(rt, rec)  # the answer to the erasure still reaches the phone ...
    assert "dihapus" in rec.sent[-1]["text"] and rec.sent[-1]["chat_id"] == PHONE
    rt.db.checkpoint()
    assert found(rt) == []  # ... and then nothing on disk names the person
    with rt.db.session() as s:
        esc = s.scalars(select(Escalation)).one()  # anonymous statistics remain
        assert (esc.category, esc.status, esc.outcome, esc.contact_id) == ("emergency", "resolved", "withdrawn", None)
        assert s.scalars(select(CaseNote)).one().text.startswith("[dihapus")
        assert s.scalars(select(Referral)).one().target_id
        assert not s.scalars(select(Outbox).where(Outbox.channel == "whatsapp")).all()


def test_sent_outbox_rows_are_purged_after_the_retention_days(runtime: Runtime) -> None:
    rt, rec = runtime, Recorder()
    say(rt, "halo")
    deliver_all(rt, rec)
    with rt.db.session() as s:
        rows = s.scalars(select(Outbox)).all()
        assert rows and all(r.status == "sent" for r in rows)
        s.add(Outbox(channel="whatsapp", payload={"chat_id": PHONE, "text": "x"}, status="pending"))
    assert purge_finished(rt.db, 7) == 0  # young rows stay
    assert purge_finished(rt.db, 7, now=utcnow() + timedelta(days=8)) == len(rows)
    with rt.db.session() as s:
        assert [r.status for r in s.scalars(select(Outbox))] == ["pending"]  # never an unsent reply
