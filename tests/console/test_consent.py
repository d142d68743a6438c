"""Consent per recipient: a referral to Kemensos (or a sentra), the police PPA-PPO unit, KP2MI/BP3MI
or the embassy needs the person's consent to that recipient, except for a minor or in immediate danger."""

from __future__ import annotations

from sqlalchemy import select

from bot.app_state import Runtime
from bot.console import cases
from bot.store.models import AuditEvent, Referral
from flows.actions_case import consent_items
from tests.console.conftest import login

CONSENT = {"kemensos": True, "police_ppa": False, "kp2mi": False, "embassy": True}


def claimed_case(client, accounts, make_case, details):  # type: ignore[no-untyped-def]
    case = make_case(details=details)
    csrf = login(client, accounts["caseworker"])
    assert client.post(f"/console/cases/{case.reference}/claim", data={"csrf_token": csrf}).status_code == 200
    return case, csrf


def refer(client, ref: str, csrf: str, target: str, exception: str = ""):  # type: ignore[no-untyped-def]
    return client.post(
        f"/console/cases/{ref}/referral",
        data={"csrf_token": csrf, "target": target, "note": "", "exception": exception},
    )


def stored(runtime: Runtime) -> list[tuple[str, str, str | None]]:
    with runtime.db.session() as s:
        return [(r.kind, r.target_id, r.consent_basis) for r in s.scalars(select(Referral).order_by(Referral.id))]


def test_the_intake_answer_is_recorded_item_by_item() -> None:
    assert consent_items(["kemensos", "embassy"]) == CONSENT
    assert consent_items(["none"]) == dict.fromkeys(CONSENT, False)
    assert consent_items(None) == dict.fromkeys(CONSENT, False)


def test_a_referral_without_consent_is_refused(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    case, csrf = claimed_case(client, accounts, make_case, {"consent_to": CONSENT})
    page = client.get(f"/console/cases/{case.reference}").text
    assert "<strong class=\"no\">tidak</strong>" in page and "<strong>ya</strong>" in page  # shown per recipient

    r = refer(client, case.reference, csrf, "agency:police_ppa")
    assert r.status_code == 409 and "tidak menyetujui" in r.text
    r = refer(client, case.reference, csrf, "agency:kp2mi")
    assert r.status_code == 409
    assert stored(runtime) == []
    with runtime.db.session() as s:
        refused = s.scalars(select(AuditEvent).where(AuditEvent.action == "action_refused")).all()
        assert len(refused) == 2 and all(case.reference == e.target for e in refused)

    assert refer(client, case.reference, csrf, "agency:kemensos").status_code == 200
    assert refer(client, case.reference, csrf, "sentra:stpl_bekasi").status_code == 200  # a Kemensos centre
    assert refer(client, case.reference, csrf, "agency:embassy").status_code == 200
    assert stored(runtime) == [
        ("agency", "kemensos", "consent"),
        ("sentra", "stpl_bekasi", "consent"),
        ("agency", "embassy", "consent"),
    ]


def test_a_minor_or_immediate_danger_is_the_recorded_exception(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    case, csrf = claimed_case(client, accounts, make_case, {"consent_to": CONSENT})
    assert refer(client, case.reference, csrf, "agency:police_ppa", "made_up").status_code == 409
    r = refer(client, case.reference, csrf, "agency:police_ppa", "minor")
    assert r.status_code == 200 and "tanpa persetujuan: minor" in r.text
    assert refer(client, case.reference, csrf, "agency:kp2mi", "immediate_danger").status_code == 200
    assert stored(runtime) == [("agency", "police_ppa", "minor"), ("agency", "kp2mi", "immediate_danger")]
    with runtime.db.session() as s:
        basis = [e.detail["basis"] for e in s.scalars(select(AuditEvent).where(AuditEvent.action == "referral"))]
    assert basis == ["minor", "immediate_danger"]


def test_a_case_without_a_consent_record_needs_the_exception(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    case, csrf = claimed_case(client, accounts, make_case, {})
    assert "tidak ditanya" in client.get(f"/console/cases/{case.reference}").text
    assert refer(client, case.reference, csrf, "sentra:stpl_bekasi").status_code == 409
    assert refer(client, case.reference, csrf, "aid:atensi").status_code == 200  # a service, not a recipient
    assert stored(runtime) == [("aid", "atensi", None)]
    with runtime.db.session() as s:
        assert cases.by_reference(s, case.reference).status == "claimed"
