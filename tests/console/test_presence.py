""""Someone else is viewing this case": named while their page polls, forgotten after the TTL."""

from __future__ import annotations

from bot.console import presence
from bot.store.models import utcnow
from tests.console.conftest import login, second_browser


def test_the_other_viewer_is_named_and_then_forgotten(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    case = make_case()
    login(client, accounts["caseworker"])
    page = client.get(f"/console/cases/{case.reference}").text
    assert 'id="viewers" role="status" hidden' in page
    with second_browser(client) as other:
        login(other, accounts["other"])
        assert "<strong id=\"viewers-names\">sari</strong>" in other.get(f"/console/cases/{case.reference}").text
    assert client.get(f"/console/cases/{case.reference}/updates").json()["viewers"] == ["budi"]
    # Past the TTL without a poll, budi is no longer "viewing".
    with runtime.db.session() as s:
        later = presence.touch(s, case.escalation_id, 1, now=utcnow() + presence.TTL * 2)
    assert later == []


def test_a_case_out_of_reach_records_no_presence(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    from bot.console import cases

    case = make_case()
    with runtime.db.session() as s:
        cases.claim(s, cases.by_reference(s, case.reference), 1)  # sari (id 1) holds it
    login(client, accounts["other"])
    assert client.get(f"/console/cases/{case.reference}/updates").status_code == 403
    login(client, accounts["caseworker"])
    assert client.get(f"/console/cases/{case.reference}/updates").json()["viewers"] == []
