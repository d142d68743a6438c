"""The SLA acts: past its target a case alerts the admins once through the notification path, and a
claimed case its holder has not answered goes back to the queue. Time moves with the test's clock."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from bot.app_state import Runtime
from bot.console import cases
from bot.console.rounds import run_round
from bot.notify import SLA_EVENT, NotifyAdapter
from bot.store.models import AuditEvent, Caseworker, Escalation, Outbox
from tests.console.conftest import login


def created(runtime: Runtime, reference: str):  # type: ignore[no-untyped-def]
    with runtime.db.session() as s:
        return cases.by_reference(s, reference).created_at


def sla_notices(runtime: Runtime) -> list[dict]:  # type: ignore[type-arg]
    with runtime.db.session() as s:
        rows = s.scalars(select(Outbox).where(Outbox.channel == "notify").order_by(Outbox.id)).all()
        return [r.payload for r in rows if (r.payload or {}).get("event") == SLA_EVENT]


def claim_as(runtime: Runtime, reference: str, username: str) -> None:
    with runtime.db.session() as s:
        who = s.scalars(select(Caseworker.id).where(Caseworker.username == username)).one()
        cases.claim(s, cases.by_reference(s, reference), who)


def state(runtime: Runtime, reference: str) -> tuple[str, int | None]:
    with runtime.db.session() as s:
        esc = s.scalars(select(Escalation).where(Escalation.reference == reference)).one()
        return esc.status, esc.assignee_id


def test_an_unanswered_emergency_alerts_the_admins_and_returns_to_the_queue(
    client, accounts, make_case, runtime
) -> None:  # type: ignore[no-untyped-def]
    sos = make_case(priority=0, category="emergency", details={"place": "Desa Sukamaju"})
    claim_as(runtime, sos.reference, "sari")
    t0 = created(runtime, sos.reference)
    settings = runtime.settings.model_copy(update={"console_auto_assign": False})

    early = run_round(runtime.db, settings, now=t0 + timedelta(minutes=14))
    assert early.alerted == [] and early.requeued == [] and sla_notices(runtime) == []
    assert state(runtime, sos.reference)[0] == "claimed"

    late = run_round(runtime.db, settings, now=t0 + timedelta(minutes=16))
    assert late.requeued == [sos.reference] and late.alerted == [sos.reference]
    assert state(runtime, sos.reference) == ("open", None)
    [notice] = sla_notices(runtime)
    assert (
        notice["reference"] == sos.reference and notice["assignee"] == "sari" and notice["requeued"] is True
    )
    assert "Sukamaju" not in str(notice)  # a supervisor's chat gets no personal details
    with runtime.db.session() as s:
        acts = [
            (a.action, a.caseworker_id, a.detail)
            for a in s.scalars(select(AuditEvent).where(AuditEvent.target == sos.reference))
        ]
    assert ("sla_requeue", None, {"from": "sari"}) in acts
    assert next(a for a in acts if a[0] == "sla_breach")[2]["assignee"] == "sari"

    # One alert per breach, however many rounds follow.
    run_round(runtime.db, settings, now=t0 + timedelta(minutes=40))
    assert len(sla_notices(runtime)) == 1
    # The admins' Telegram chat gets it (else the caseworkers' chat), with the SLA wording.
    parts = NotifyAdapter(
        settings.model_copy(
            update={
                "telegram_token": "T",
                "admin_telegram_chat_id": "-100",
                "caseworker_telegram_chat_id": "-200",
            }
        )
    ).render(notice)
    assert parts[0].data["json"]["chat_id"] == "-100"
    assert "SLA" in parts[0].data["json"]["text"] and sos.reference in parts[0].data["json"]["text"]


def test_requeued_case_goes_to_someone_else_on_shift(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    case = make_case(priority=2)
    with runtime.db.session() as s:
        for cw in s.scalars(select(Caseworker).where(Caseworker.username.in_(["sari", "budi"]))):
            cw.on_shift = True
    claim_as(runtime, case.reference, "sari")
    t0 = created(runtime, case.reference)
    done = run_round(runtime.db, runtime.settings, now=t0 + timedelta(hours=25))
    assert done.requeued == [case.reference] and done.assigned == [(case.reference, "budi")]


def test_an_answered_case_stays_and_no_alert(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    case = make_case(priority=0, category="emergency")
    csrf = login(client, accounts["caseworker"])
    client.post(f"/console/cases/{case.reference}/claim", data={"csrf_token": csrf})
    r = client.post(
        f"/console/cases/{case.reference}/reply",
        data={"csrf_token": csrf, "text": "Saya petugas, saya bantu."},
    )
    assert r.status_code == 200
    t0 = created(runtime, case.reference)
    done = run_round(runtime.db, runtime.settings, now=t0 + timedelta(hours=3))
    assert done.alerted == [] and done.requeued == []
    assert state(runtime, case.reference)[0] == "claimed"


def test_requeue_can_be_turned_off_and_an_open_case_still_alerts(
    client, accounts, make_case, runtime
) -> None:  # type: ignore[no-untyped-def]
    held = make_case(priority=2)
    waiting = make_case(priority=2)
    claim_as(runtime, held.reference, "sari")
    settings = runtime.settings.model_copy(
        update={"console_requeue_unanswered": False, "console_auto_assign": False}
    )
    done = run_round(
        runtime.db, settings, now=created(runtime, waiting.reference) + timedelta(hours=24, minutes=1)
    )
    assert done.requeued == [] and sorted(done.alerted) == sorted([held.reference, waiting.reference])
    assert state(runtime, held.reference)[0] == "claimed"


def test_the_queue_shows_time_left_and_sorts_by_due_time(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import update

    from bot.store.models import utcnow

    fresh = make_case(priority=2)
    old = make_case(priority=2)
    with runtime.db.session() as s:
        s.execute(
            update(Escalation)
            .where(Escalation.reference == old.reference)
            .values(created_at=utcnow() - timedelta(hours=23))
        )
    login(client, accounts["caseworker"])
    items = client.get("/api/escalations").json()["escalations"]
    assert [i["reference"] for i in items] == [old.reference, fresh.reference]
    left = {i["reference"]: i["seconds_left"] for i in items}
    assert 55 * 60 < left[old.reference] <= 3600 and left[fresh.reference] > 23 * 3600
    page = client.get("/console/").text
    assert re.search(r"\d+ (mnt|j \d\d m) lagi<", page)  # time left, in Indonesian by default


def test_a_holder_at_work_on_the_case_keeps_it(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    """A note since claiming (the caseworker phoned the person, say): no requeue, the alert still goes."""
    case = make_case(priority=0, category="emergency")
    csrf = login(client, accounts["caseworker"])
    client.post(f"/console/cases/{case.reference}/claim", data={"csrf_token": csrf})
    client.post(
        f"/console/cases/{case.reference}/note", data={"csrf_token": csrf, "text": "sudah saya telepon"}
    )
    done = run_round(
        runtime.db, runtime.settings, now=created(runtime, case.reference) + timedelta(minutes=30)
    )
    assert done.requeued == [] and done.alerted == [case.reference]
    assert state(runtime, case.reference)[0] == "claimed"


def test_old_breaches_are_marked_without_flooding_the_admins(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    old = make_case(priority=2)
    settings = runtime.settings.model_copy(update={"console_auto_assign": False})
    done = run_round(runtime.db, settings, now=created(runtime, old.reference) + timedelta(days=3))
    assert done.alerted == [] and sla_notices(runtime) == []
    with runtime.db.session() as s:
        assert cases.by_reference(s, old.reference).sla_alerted_at is not None
        stale = s.scalars(select(AuditEvent).where(AuditEvent.action == "sla_breach")).one()
        assert stale.detail["stale"] is True
