"""Assignment: round-robin among caseworkers on shift (capped, emergencies first, in their regions),
manual assignment by an admin, transfer with a reason; all audited."""

from __future__ import annotations

from itertools import pairwise

from sqlalchemy import select

from bot.app_state import Runtime
from bot.console import cases
from bot.console.rounds import run_round
from bot.store.models import Caseworker, Conversation, Escalation
from tests.console.conftest import audit_trail, login, second_browser


def holder(runtime: Runtime, reference: str) -> tuple[str, str | None]:
    with runtime.db.session() as s:
        esc = cases.by_reference(s, reference)
        cw = s.get(Caseworker, esc.assignee_id) if esc.assignee_id else None
        return esc.status, cw.username if cw else None


def uid(runtime: Runtime, name: str) -> int:
    with runtime.db.session() as s:
        return s.scalars(select(Caseworker.id).where(Caseworker.username == name)).one()


def put_on_shift(runtime: Runtime, *names: str) -> None:
    """Straight in the database, so that no assignment runs before the test's own round."""
    with runtime.db.session() as s:
        for n in names:
            s.get(Caseworker, uid(runtime, n)).on_shift = True


def start_shift(client, username: str) -> None:  # type: ignore[no-untyped-def]
    with second_browser(client) as b:
        csrf = login(b, username)
        r = b.post("/console/shift", data={"csrf_token": csrf, "on": "true"})
        assert r.status_code == 200 and 'id="shift-state">Sedang bertugas' in r.text


def test_round_robin_among_those_on_shift_capped_emergencies_first(
    client, accounts, make_case, runtime
) -> None:  # type: ignore[no-untyped-def]
    normal = [make_case() for _ in range(4)]
    sos = make_case(priority=0, category="emergency")
    put_on_shift(runtime, "sari", "budi")  # the admin stays off shift and gets nothing
    done = run_round(runtime.db, runtime.settings.model_copy(update={"console_max_open_cases": 2}))
    assert done.assigned[0][0] == sos.reference  # the emergency first, although created last
    given = dict(done.assigned)
    assert sorted(given.values()) == ["budi", "budi", "sari", "sari"]  # two each: the cap
    assert [c.reference in given for c in normal] == [True, True, True, False]  # then the oldest
    # round-robin: no one gets two in a row
    names = [u for _, u in done.assigned]
    assert all(a != b for a, b in pairwise(names))
    assert holder(runtime, normal[3].reference) == ("open", None)  # nobody had room
    with runtime.db.session() as s:
        esc = cases.by_reference(s, sos.reference)
        mode = s.scalars(select(Conversation.mode).where(Conversation.contact_id == esc.contact_id)).one()
        assert esc.status == "claimed" and mode == "human"  # claimed on their behalf: the bot is quiet
    assert {(t, d["to"]) for _, t, d in audit_trail(runtime, "auto_assign")} == set(done.assigned)
    # The queue says who has it.
    login(client, accounts["caseworker"])
    row = next(
        e for e in client.get("/api/escalations").json()["escalations"] if e["reference"] == sos.reference
    )
    assert row["assignee"] == given[sos.reference] and row["status"] == "claimed"


def test_auto_assignment_respects_regions_and_shifts(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    jatim = make_case(province="Jawa Timur")
    with runtime.db.session() as s:
        s.get(Caseworker, uid(runtime, "sari")).regions = ["Nusa Tenggara Barat"]
    start_shift(client, "sari")
    assert audit_trail(runtime, "shift_on")[0][:2] == ("sari", "sari")
    assert run_round(runtime.db, runtime.settings).assigned == []  # not her region, nobody else on shift
    ntb = make_case(province="Nusa Tenggara Barat")
    start_shift(client, "budi")  # starting a shift hands out waiting cases at once
    assert holder(runtime, jatim.reference) == ("claimed", "budi")  # the only one it fits
    assert holder(runtime, ntb.reference) == ("claimed", "sari")  # her turn: budi just had one
    # Off shift: no new cases.
    with second_browser(client) as b:
        csrf = login(b, "sari")
        b.post("/console/shift", data={"csrf_token": csrf, "on": "false"})
    later = make_case(province="Nusa Tenggara Barat")
    assert run_round(runtime.db, runtime.settings).assigned == [(later.reference, "budi")]
    assert [d for u, _, d in audit_trail(runtime, "shift_off")] == [{}]


def test_auto_assignment_can_be_turned_off(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    case = make_case()
    put_on_shift(runtime, "sari")
    assert (
        run_round(runtime.db, runtime.settings.model_copy(update={"console_auto_assign": False})).assigned
        == []
    )
    assert holder(runtime, case.reference) == ("open", None)
    assert run_round(runtime.db, runtime.settings).assigned == [(case.reference, "sari")]


def test_transfer_with_a_reason_and_back_to_the_queue(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    case = make_case()
    ref = case.reference
    with runtime.db.session() as s:
        cases.claim(s, cases.by_reference(s, ref), uid(runtime, "sari"))
    csrf = login(client, accounts["caseworker"])
    budi = str(uid(runtime, "budi"))
    r = client.post(f"/console/cases/{ref}/assign", data={"csrf_token": csrf, "to": budi, "reason": ""})
    assert r.status_code == 409 and "alasan" in r.text
    assert holder(runtime, ref) == ("claimed", "sari")
    r = client.post(
        f"/console/cases/{ref}/assign",
        data={"csrf_token": csrf, "to": budi, "reason": "bahasa Jawa"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert holder(runtime, ref) == ("claimed", "budi")
    assert [(u, t, d) for u, t, d in audit_trail(runtime, "transfer")] == [
        ("sari", ref, {"from": "sari", "to": "budi", "reason": "bahasa Jawa"})
    ]
    # Sari no longer holds it: she can neither read nor move it any more.
    assert client.get(f"/console/cases/{ref}").status_code == 403
    r = client.post(f"/console/cases/{ref}/assign", data={"csrf_token": csrf, "to": "queue", "reason": "x"})
    assert r.status_code == 403 and holder(runtime, ref) == ("claimed", "budi")
    with second_browser(client) as b:
        csrf_b = login(b, "budi")
        r = b.post(
            f"/console/cases/{ref}/assign", data={"csrf_token": csrf_b, "to": "queue", "reason": "cuti"}
        )
        assert r.status_code == 200
    assert holder(runtime, ref) == ("open", None)
    with runtime.db.session() as s:
        esc = s.scalars(select(Escalation).where(Escalation.reference == ref)).one()
        mode = s.scalars(select(Conversation.mode).where(Conversation.contact_id == esc.contact_id)).one()
    assert mode == "bot"  # back in the queue: the bot answers the person meanwhile
    assert audit_trail(runtime, "transfer")[-1] == ("budi", ref, {"from": "budi", "to": "queue", "reason": "cuti"})


def test_only_an_admin_assigns_an_open_case(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    ref = make_case().reference
    sari = str(uid(runtime, "sari"))
    csrf = login(client, accounts["other"])
    r = client.post(f"/console/cases/{ref}/assign", data={"csrf_token": csrf, "to": sari})
    assert r.status_code == 403 and holder(runtime, ref) == ("open", None)
    with second_browser(client) as admin:
        csrf_a = login(admin, accounts["admin"])
        page = admin.get(f"/console/cases/{ref}").text
        assert 'id="assign-form"' in page
        r = admin.post(f"/console/cases/{ref}/assign", data={"csrf_token": csrf_a, "to": "999999"})
        assert r.status_code == 409 and holder(runtime, ref) == ("open", None)
        r = admin.post(
            f"/console/cases/{ref}/assign", data={"csrf_token": csrf_a, "to": sari}, follow_redirects=False
        )
        assert r.status_code == 303
    assert holder(runtime, ref) == ("claimed", "sari")
    assert audit_trail(runtime, "assign") == [("admin", ref, {"to": "sari", "reason": ""})]
