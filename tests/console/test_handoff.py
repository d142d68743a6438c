"""The handoff summary at the top of the case page, and the person's earlier cases."""

from __future__ import annotations

from bot.store.models import Contact, Message, utcnow
from tests.console.conftest import login


def test_the_case_page_opens_with_a_handoff_summary(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    case = make_case(
        priority=0,
        category="emergency",
        province="Nusa Tenggara Barat",
        details={
            "situation": "danger",
            "place": "Desa Kuta",
            "needs": ["shelter", "going_home"],
            "language": "id",
            "emergency_passport": "ditahan majikan",
            "emergency_safe_time": "malam jam 9",
            "emergency_contact": "0812 1111 2222",
        },
    )
    with runtime.db.session() as s:
        s.add(
            Message(
                contact_id=case.contact_id,
                channel="rest",
                direction="in",
                text="dia memukul saya",
                meta={"danger": True},
            )
        )
    csrf = login(client, accounts["caseworker"])
    page = client.get(f"/console/cases/{case.reference}").text
    block = page[page.index('id="handoff"') : page.index("</dl>", page.index('id="handoff"'))]
    for shown in (
        "dalam bahaya",
        "shelter, going_home",
        "DARURAT",
        "tanda bahaya di 1 pesan",
        "ditahan majikan",
        "malam jam 9",
        "Nusa Tenggara Barat",
    ):
        assert shown in block, shown
    assert "Desa Kuta" not in page and "0812 1111 2222" not in page  # not claimed: exact place, number hidden
    page = client.post(f"/console/cases/{case.reference}/claim", data={"csrf_token": csrf}).text
    block = page[page.index('id="handoff"') : page.index("</dl>", page.index('id="handoff"'))]
    assert "Desa Kuta" in block and "0812 1111 2222" in page


def test_earlier_cases_show_when_consent_covers_them(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    from bot.console import cases
    from bot.store import repo

    first = make_case()
    with runtime.db.session() as s:
        esc = cases.by_reference(s, first.reference)
        esc.status, esc.outcome, esc.resolved_at = "resolved", "assisted", utcnow()
        contact = s.get(Contact, first.contact_id)
        second = repo.create_escalation(s, contact, "report", 2, "report · x", {"province": "Bali"}).reference
    login(client, accounts["admin"])
    page = client.get(f"/console/cases/{second}").text
    assert "tanpa persetujuan penyimpanan" in page and first.reference not in page
    with runtime.db.session() as s:
        s.get(Contact, first.contact_id).consent_at = utcnow()
    page = client.get(f"/console/cases/{second}").text
    hist = page[page.index('id="history"') : page.index("</ul>", page.index('id="history"'))]
    assert first.reference in hist and "Dibantu langsung" in hist  # the earlier outcome
