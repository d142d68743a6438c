"""Scope and privacy: caseworkers see the cases of their regions (and their own), and the person's
name, phone and exact place only on a case they hold; every unmasked view is audited."""

from __future__ import annotations

from sqlalchemy import select

from bot.app_state import Runtime
from bot.console import cases
from bot.store.models import Caseworker, Contact
from tests.console.conftest import audit_trail, login, second_browser

PHONE = "0812 3456 7890"
NAME = "Siti Rahmawati"
PLACE = "Desa Sukamaju"


def set_regions_as_admin(client, accounts, runtime: Runtime, username: str, regions: str) -> None:  # type: ignore[no-untyped-def]
    with second_browser(client) as admin:
        csrf = login(admin, accounts["admin"])
        with runtime.db.session() as s:
            uid = s.scalars(select(Caseworker.id).where(Caseworker.username == username)).one()
        r = admin.post(f"/console/admin/users/{uid}/regions", data={"csrf_token": csrf, "regions": regions})
        assert r.status_code == 200, r.text[:300]


def personal_case(make_case, runtime: Runtime, province: str = "Nusa Tenggara Barat"):  # type: ignore[no-untyped-def]
    case = make_case(
        province=province,
        texts=(f"tolong, nama saya {NAME}, nomor saya {PHONE}, saya di {PLACE}",),
        details={"place": PLACE},
    )
    with runtime.db.session() as s:
        contact = s.get(Contact, case.contact_id)
        contact.profile = {"name": NAME, "phone": PHONE}
        esc = cases.by_reference(s, case.reference)
        esc.summary = f"returnee · needs: money_debt · {PLACE}, {province}"
    return case


def test_a_caseworker_of_ntb_does_not_see_a_jawa_timur_case(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    jatim = make_case(province="Jawa Timur")
    ntb = make_case(province="Nusa Tenggara Barat")
    abroad = make_case(province=None, details={"country": "Malaysia"})
    set_regions_as_admin(client, accounts, runtime, "sari", "nusa tenggara barat")
    csrf = login(client, accounts["caseworker"])

    page = client.get("/console/").text
    assert ntb.reference in page and abroad.reference in page
    assert jatim.reference not in page
    assert "Jawa Timur" not in page  # not even in the province filter
    api = {e["reference"] for e in client.get("/api/escalations").json()["escalations"]}
    assert api == {ntb.reference, abroad.reference}
    assert jatim.reference not in client.get("/console/queue").text

    r = client.get(f"/console/cases/{jatim.reference}")
    assert r.status_code == 403 and "gaji tidak dibayar" not in r.text
    assert client.get(f"/api/escalations/{jatim.reference}").status_code == 403
    assert client.get(f"/console/cases/{jatim.reference}/updates").status_code == 403
    r = client.post(
        f"/console/cases/{jatim.reference}/claim", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert r.status_code == 403
    with runtime.db.session() as s:
        assert cases.by_reference(s, jatim.reference).status == "open"
    denied = [d for u, t, d in audit_trail(runtime, "view_denied") if u == "sari" and t == jatim.reference]
    assert denied and all(d.get("scope") == "region" for d in denied)

    # Budi (no regions) and the admin see every province.
    with second_browser(client) as other:
        login(other, accounts["other"])
        assert jatim.reference in other.get("/console/").text
    # A Jawa Timur case assigned to Sari is hers to see, whatever her regions.
    with runtime.db.session() as s:
        sari = s.scalars(select(Caseworker.id).where(Caseworker.username == "sari")).one()
        cases.claim(s, cases.by_reference(s, jatim.reference), sari)
    assert jatim.reference in client.get("/console/").text
    assert client.get(f"/console/cases/{jatim.reference}").status_code == 200


def test_regions_are_set_by_an_admin_only(client, accounts, runtime) -> None:  # type: ignore[no-untyped-def]
    csrf = login(client, accounts["caseworker"])
    with runtime.db.session() as s:
        sari = s.scalars(select(Caseworker).where(Caseworker.username == "sari")).one()
        uid = sari.id
    r = client.post(f"/console/admin/users/{uid}/regions", data={"csrf_token": csrf, "regions": "Bali"})
    assert r.status_code == 403
    set_regions_as_admin(client, accounts, runtime, "sari", "Bali, Jawa Timur ,bali\nNTB")
    with runtime.db.session() as s:
        assert s.get(Caseworker, uid).regions == ["Bali", "Jawa Timur", "NTB"]
    assert [d["regions"] for _, t, d in audit_trail(runtime, "account_regions")] == [
        ["Bali", "Jawa Timur", "NTB"]
    ]


def test_personal_details_are_masked_until_claimed(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    case = personal_case(make_case, runtime)
    csrf = login(client, accounts["caseworker"])
    secrets = (PHONE, NAME, PLACE)

    queue = (
        client.get("/console/").text + client.get("/console/queue").text + client.get("/api/escalations").text
    )
    assert case.reference in queue
    assert not [x for x in secrets if x in queue]
    page = client.get(f"/console/cases/{case.reference}")
    assert page.status_code == 200 and "•••" in page.text
    assert not [x for x in secrets if x in page.text]
    assert "tolong, nama saya" in page.text  # the rest of the message stays readable, to decide
    api = client.get(f"/api/escalations/{case.reference}").json()
    assert api["personal_details_shown"] is False and api["details"]["place"] == "•••"
    assert not [x for x in secrets if x in str(api)]
    poll = client.get(f"/console/cases/{case.reference}/updates").json()["html"]
    assert not [x for x in secrets if x in poll]
    assert audit_trail(runtime, "reveal_personal") == []

    r = client.post(f"/console/cases/{case.reference}/claim", data={"csrf_token": csrf})
    assert r.status_code == 200
    assert all(x in r.text for x in secrets)
    assert "masked-note" not in r.text
    full = client.get(f"/api/escalations/{case.reference}").text
    assert all(x in full for x in secrets)
    reveals = audit_trail(runtime, "reveal_personal")
    assert [(u, t, d["via"]) for u, t, d in reveals] == [
        ("sari", case.reference, "page"),
        ("sari", case.reference, "api"),
    ]
    assert set(reveals[0][2]["fields"]) == {"name", "phone", "place"}
    # Nothing was written back masked: the stored message keeps its text.
    with runtime.db.session() as s:
        contact = s.get(Contact, case.contact_id)
        assert PHONE in cases.transcript(s, case.contact_id)[0].text
        assert contact.profile == {"name": NAME, "phone": PHONE}


def test_an_admin_reveals_with_a_reason_that_is_audited(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    case = personal_case(make_case, runtime)
    with runtime.db.session() as s:
        sari = s.scalars(select(Caseworker.id).where(Caseworker.username == "sari")).one()
        cases.claim(s, cases.by_reference(s, case.reference), sari)
    csrf = login(client, accounts["admin"])
    page = client.get(f"/console/cases/{case.reference}").text
    assert PHONE not in page and NAME not in page and 'id="reveal"' in page
    r = client.post(f"/console/cases/{case.reference}/reveal", data={"csrf_token": csrf, "reason": ""})
    assert r.status_code == 400 and PHONE not in r.text
    assert audit_trail(runtime, "reveal_personal") == []
    r = client.post(
        f"/console/cases/{case.reference}/reveal", data={"csrf_token": csrf, "reason": "pengalihan kasus"}
    )
    assert r.status_code == 200 and PHONE in r.text and NAME in r.text and PLACE in r.text
    [(who, target, detail)] = audit_trail(runtime, "reveal_personal")
    assert (who, target, detail["via"], detail["reason"]) == (
        "admin",
        case.reference,
        "reveal",
        "pengalihan kasus",
    )


def test_a_caseworker_cannot_reveal_an_open_case(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    case = personal_case(make_case, runtime)
    csrf = login(client, accounts["caseworker"])
    r = client.post(
        f"/console/cases/{case.reference}/reveal", data={"csrf_token": csrf, "reason": "ingin tahu"}
    )
    assert r.status_code == 403 and PHONE not in r.text and NAME not in r.text
    assert audit_trail(runtime, "reveal_personal") == []
