"""Reading a case's transcript always leaves a trace in the audit log, whichever way it is read."""

from __future__ import annotations

from sqlalchemy import select

from bot.app_state import Runtime
from bot.store.models import AuditEvent, Caseworker
from tests.console.conftest import login


def events(runtime: Runtime, action: str | None = None) -> list[tuple[str | None, str, str]]:
    with runtime.db.session() as s:
        q = select(Caseworker.username, AuditEvent.action, AuditEvent.target).outerjoin(
            Caseworker, Caseworker.id == AuditEvent.caseworker_id
        )
        if action:
            q = q.where(AuditEvent.action == action)
        return [tuple(r) for r in s.execute(q.order_by(AuditEvent.id))]


def test_every_way_of_reading_a_transcript_is_audited(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    secret = "majikan saya menahan paspor saya di Riyadh"
    case = make_case(texts=(secret,))
    login(client, accounts["caseworker"])
    assert events(runtime, "view_case") == []

    page = client.get(f"/console/cases/{case.reference}")
    assert secret in page.text
    assert events(runtime, "view_case") == [("sari", "view_case", case.reference)]

    api = client.get(f"/api/escalations/{case.reference}")
    assert api.json()["messages"][0]["text"] == secret
    assert len(events(runtime, "view_case")) == 2

    poll = client.get(f"/console/cases/{case.reference}/updates", params={"after": 0})
    assert secret in poll.json()["html"]
    assert events(runtime, "view_transcript") == [("sari", "view_transcript", case.reference)]


def test_an_empty_poll_shows_nothing_and_logs_nothing(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    case = make_case()
    login(client, accounts["caseworker"])
    last = client.get(f"/console/cases/{case.reference}/updates").json()["last_id"]
    before = len(events(runtime))
    r = client.get(f"/console/cases/{case.reference}/updates", params={"after": last}).json()
    assert r["html"].strip() == ""
    assert len(events(runtime)) == before


def test_the_queue_does_not_show_transcripts(client, accounts, make_case) -> None:  # type: ignore[no-untyped-def]
    secret = "nomor saya 0812 3456 7890 tolong telepon"
    case = make_case(texts=(secret,))
    login(client, accounts["caseworker"])
    queue = client.get("/console/").text
    assert case.reference in queue and secret not in queue
    api = client.get("/api/escalations").text
    assert case.reference in api and secret not in api


def test_admin_reads_the_audit_log_filtered(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    a, b = make_case(), make_case()
    login(client, accounts["caseworker"])
    client.get(f"/console/cases/{a.reference}")
    login(client, accounts["other"])
    client.get(f"/console/cases/{b.reference}")
    login(client, accounts["admin"])
    page = client.get("/console/admin/audit", params={"action": "view_case", "user": "sari"}).text
    assert a.reference in page and b.reference not in page
    page = client.get("/console/admin/audit", params={"target": b.reference}).text
    assert b.reference in page and "budi" in page and a.reference not in page


def test_each_queue_view_is_one_audit_event_naming_the_cases_shown(
    client, accounts, make_case, runtime
) -> None:  # type: ignore[no-untyped-def]
    shown = [make_case().reference for _ in range(5)]
    login(client, accounts["caseworker"])
    before = len(events(runtime, "view_queue"))  # login() itself opened the queue page once
    assert before == 1
    client.get("/console/")  # the page
    client.get("/console/queue")  # its polled rows
    client.get("/api/escalations")  # the JSON API
    client.get("/api/escalations", params={"category": "report"})  # a filter that matches nothing
    with runtime.db.session() as s:
        rows = list(
            s.scalars(select(AuditEvent).where(AuditEvent.action == "view_queue").order_by(AuditEvent.id))
        )[before:]
    assert len(rows) == 4, "one event per view, not one per row"
    assert [r.detail["via"] for r in rows] == ["page", "poll", "api", "api"]
    assert all(sorted(r.detail["shown"]) == sorted(shown) for r in rows[:3])
    assert rows[3].detail["shown"] == [] and rows[3].detail["filters"] == {"category": "report"}
    assert {r.caseworker_id for r in rows} == {rows[0].caseworker_id} and rows[0].caseworker_id is not None


def test_a_refused_read_is_audited_and_shows_nothing(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    from bot.console import cases

    secret = "alamat saya Jl. Melati 7 Blitar"
    case = make_case(texts=(secret,))
    with runtime.db.session() as s:
        sari = s.scalars(select(Caseworker.id).where(Caseworker.username == "sari")).one()
        cases.claim(s, cases.by_reference(s, case.reference), sari)
    login(client, accounts["other"])
    for url in (f"/console/cases/{case.reference}", f"/api/escalations/{case.reference}"):
        r = client.get(url)
        assert r.status_code == 403 and secret not in r.text
    assert events(runtime, "view_denied") == [("budi", "view_denied", case.reference)] * 2
    assert events(runtime, "view_case") == []
