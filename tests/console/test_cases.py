"""Working a case: the queue's order and filters, claiming, replying, notes, referral, resolving."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select, update

from bot.messages import Inbound
from bot.store.models import CaseNote, Conversation, Escalation, Message, Outbox, Referral, utcnow
from tests.console.conftest import login, second_browser


def queue(client, **params):  # type: ignore[no-untyped-def]
    return client.get("/api/escalations", params=params).json()["escalations"]


def age(runtime, reference: str, **delta: float) -> None:  # type: ignore[no-untyped-def]
    with runtime.db.session() as s:
        s.execute(
            update(Escalation)
            .where(Escalation.reference == reference)
            .values(created_at=utcnow() - timedelta(**delta))
        )


def test_emergencies_first_then_oldest_with_overdue_marks(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    old = make_case(priority=2)
    newer = make_case(priority=2)
    sos = make_case(priority=0, category="emergency")
    age(runtime, old.reference, hours=30)
    age(runtime, newer.reference, hours=2)
    age(runtime, sos.reference, minutes=20)
    login(client, accounts["caseworker"])
    items = queue(client)
    assert [i["reference"] for i in items] == [sos.reference, old.reference, newer.reference]
    overdue = {i["reference"]: i["overdue"] for i in items}
    assert overdue == {sos.reference: True, old.reference: True, newer.reference: False}
    assert items[0]["target_seconds"] == 15 * 60 and items[1]["target_seconds"] == 24 * 3600
    page = client.get("/console/").text
    assert page.index(sos.reference) < page.index(old.reference) < page.index(newer.reference)
    assert "TERLAMBAT" in page
    # the polled fragment carries the same rows
    assert sos.reference in client.get("/console/queue").text


def test_filters(client, accounts, make_case) -> None:  # type: ignore[no-untyped-def]
    jatim = make_case(province="Jawa Timur", category="returnee_help")
    ntb = make_case(province="Nusa Tenggara Barat", category="report")
    csrf = login(client, accounts["caseworker"])
    assert [i["reference"] for i in queue(client, province="Nusa Tenggara Barat")] == [ntb.reference]
    assert [i["reference"] for i in queue(client, category="returnee_help")] == [jatim.reference]
    client.post(f"/console/cases/{ntb.reference}/claim", data={"csrf_token": csrf})
    assert [i["reference"] for i in queue(client, mine="true")] == [ntb.reference]
    assert [i["reference"] for i in queue(client, status="open")] == [jatim.reference]
    assert "Nusa Tenggara Barat" in client.get("/console/", params={"province": "Nusa Tenggara Barat"}).text


def test_only_one_of_two_caseworkers_can_claim(client, accounts, make_case, settings, runtime) -> None:  # type: ignore[no-untyped-def]
    case = make_case()
    results: dict[str, int] = {}
    with second_browser(client) as other:
        tokens = {"sari": (client, login(client, "sari")), "budi": (other, login(other, "budi"))}
        barrier = threading.Barrier(2)

        def claim(name: str) -> None:
            c, csrf = tokens[name]
            barrier.wait()
            results[name] = c.post(
                f"/console/cases/{case.reference}/claim", data={"csrf_token": csrf}, follow_redirects=False
            ).status_code

        threads = [threading.Thread(target=claim, args=(n,)) for n in tokens]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    assert sorted(results.values()) == [303, 409]
    winner = next(n for n, code in results.items() if code == 303)
    assert queue(client)[0]["assignee"] == winner


def test_claim_silences_the_bot_and_resolve_brings_it_back(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    case = make_case(channel="rest")
    csrf = login(client, accounts["caseworker"])
    user = _user_id(runtime, case.contact_id)
    assert runtime.engine.handle(Inbound("rest", user, "halo")), "the bot answers before the claim"
    client.post(f"/console/cases/{case.reference}/claim", data={"csrf_token": csrf})
    assert _mode(runtime, case.contact_id) == "human"
    assert runtime.engine.handle(Inbound("rest", user, "halo, apa ada orang?")) == []
    page = client.get(f"/console/cases/{case.reference}").text
    assert "halo, apa ada orang?" in page  # the caseworker sees what the person wrote meanwhile

    r = client.post(
        f"/console/cases/{case.reference}/resolve",
        data={"csrf_token": csrf, "outcome": "assisted", "note": "sudah dibantu"},
    )
    assert r.status_code == 200
    assert _mode(runtime, case.contact_id) == "bot"
    with runtime.db.session() as s:
        last = s.scalars(
            select(Message).where(Message.contact_id == case.contact_id).order_by(Message.id.desc())
        ).first()
        esc = s.get(Escalation, case.escalation_id)
    assert last.sender == "bot" and "kembali" in last.text
    assert esc.status == "resolved" and esc.outcome == "assisted" and esc.resolved_at is not None
    assert runtime.engine.handle(Inbound("rest", user, "menu")), "the bot answers again"
    assert "sudah dibantu" in client.get(f"/console/cases/{case.reference}").text


def test_reply_goes_to_the_outbox_and_records_first_response(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    case = make_case(channel="telegram")
    csrf = login(client, accounts["caseworker"])
    r = client.post(f"/console/cases/{case.reference}/reply", data={"csrf_token": csrf, "text": "Halo"})
    assert r.status_code == 403 and "Ambil kasus" in r.text  # claim first
    client.post(f"/console/cases/{case.reference}/claim", data={"csrf_token": csrf})
    r = client.post(
        f"/console/cases/{case.reference}/reply",
        data={"csrf_token": csrf, "text": "Halo, saya Sari, petugas."},
        follow_redirects=False,
    )
    assert r.status_code == 303
    with runtime.db.session() as s:
        rows = list(s.scalars(select(Outbox).where(Outbox.contact_id == case.contact_id)))
        esc = s.get(Escalation, case.escalation_id)
    assert [(r.channel, r.status, r.payload["text"], r.payload["sender"]) for r in rows] == [
        ("telegram", "pending", "Halo, saya Sari, petugas.", "caseworker")
    ]
    assert esc.first_response_at is not None
    first = esc.first_response_at
    page = client.get(f"/console/cases/{case.reference}").text
    assert ">menunggu</span>" in page
    with runtime.db.session() as s:
        s.execute(update(Outbox).values(status="sent", sent_at=utcnow()))
    client.post(f"/console/cases/{case.reference}/reply", data={"csrf_token": csrf, "text": "Apakah aman?"})
    upd = client.get(f"/console/cases/{case.reference}/updates").json()
    assert {v["status"] for v in upd["statuses"].values()} == {"sent", "pending"}
    with runtime.db.session() as s:
        assert s.get(Escalation, case.escalation_id).first_response_at == first  # the first one counts


def test_whatsapp_template_send_is_explained(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    case = make_case(channel="whatsapp")
    csrf = login(client, accounts["caseworker"])
    client.post(f"/console/cases/{case.reference}/claim", data={"csrf_token": csrf})
    client.post(f"/console/cases/{case.reference}/reply", data={"csrf_token": csrf, "text": "Halo"})
    with runtime.db.session() as s:
        s.execute(update(Outbox).values(status="template"))
    page = client.get(f"/console/cases/{case.reference}").text
    assert "24 jam" in page and "template" in page


def test_whatsapp_window_notice_shows_when_the_sender_would_send_a_template(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    """The sender treats the 24-hour window as closed 5 minutes early; the caseworker is told at the same time."""
    case = make_case(channel="whatsapp")
    login(client, accounts["caseworker"])
    notice = "WhatsApp: orang ini terakhir menulis lebih dari 24 jam lalu"
    assert notice not in client.get(f"/console/cases/{case.reference}").text
    with runtime.db.session() as s:
        s.execute(
            update(Message)
            .where(Message.contact_id == case.contact_id)
            .values(created_at=utcnow() - timedelta(hours=23, minutes=58))
        )
    assert notice in client.get(f"/console/cases/{case.reference}").text


def test_a_console_reply_to_a_rest_user_comes_back_with_their_next_turn(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    """REST cannot push: the caseworker's reply waits and is returned with the person's next message, once."""
    case = make_case(channel="rest")
    user = _user_id(runtime, case.contact_id)
    csrf = login(client, accounts["caseworker"])
    client.post(f"/console/cases/{case.reference}/claim", data={"csrf_token": csrf})
    client.post(f"/console/cases/{case.reference}/reply", data={"csrf_token": csrf, "text": "Halo, saya petugas"})
    got = client.post("/webhooks/rest/webhook", json={"sender": user, "message": "halo?"}).json()
    assert [r["text"] for r in got] == ["Halo, saya petugas"]
    assert client.post("/webhooks/rest/webhook", json={"sender": user, "message": "ok"}).json() == []
    with runtime.db.session() as s:
        assert [r.status for r in s.scalars(select(Outbox).where(Outbox.contact_id == case.contact_id))] == [
            "sent"
        ]


def test_another_caseworker_cannot_reply_in_a_held_case(
    client, accounts, make_case, settings, runtime
) -> None:  # type: ignore[no-untyped-def]
    case = make_case()
    csrf = login(client, "sari")
    client.post(f"/console/cases/{case.reference}/claim", data={"csrf_token": csrf})
    with second_browser(client) as other:
        csrf2 = login(other, "budi")
        r = other.post(f"/console/cases/{case.reference}/reply", data={"csrf_token": csrf2, "text": "hi"})
        assert r.status_code == 403 and "petugas lain" in r.text
        r = other.post(
            f"/console/cases/{case.reference}/resolve", data={"csrf_token": csrf2, "outcome": "other"}
        )
        assert r.status_code == 403
        r = other.post(
            f"/console/cases/{case.reference}/note", data={"csrf_token": csrf2, "text": "NIK 3578"}
        )
        assert r.status_code == 403 and "NIK" not in r.text
    with runtime.db.session() as s:
        esc = s.get(Escalation, case.escalation_id)
        assert esc.status == "claimed" and esc.resolved_at is None
        assert list(s.scalars(select(CaseNote))) == []


def test_notes_and_referrals(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    case = make_case()
    csrf = login(client, accounts["caseworker"])
    r = client.post(
        f"/console/cases/{case.reference}/note", data={"csrf_token": csrf, "text": "belum diambil"}
    )
    assert r.status_code == 403 and "Ambil kasus" in r.text  # notes are the assignee's: claim first
    client.post(f"/console/cases/{case.reference}/claim", data={"csrf_token": csrf})
    client.post(
        f"/console/cases/{case.reference}/note", data={"csrf_token": csrf, "text": "Ibu minta ditelepon sore"}
    )
    r = client.post(
        f"/console/cases/{case.reference}/referral",
        data={"csrf_token": csrf, "target": "aid:made_up_service"},
    )
    assert r.status_code == 409  # only services and sentra from content/
    r = client.post(
        f"/console/cases/{case.reference}/referral",
        data={"csrf_token": csrf, "target": "aid:atensi", "note": "asesmen"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = client.get(f"/console/cases/{case.reference}").text
    assert "Ibu minta ditelepon sore" in page and "Rehabilitasi sosial (ATENSI)" in page
    with runtime.db.session() as s:
        assert [(r.kind, r.target_id) for r in s.scalars(select(Referral))] == [("aid", "atensi")]
        assert [n.text for n in s.scalars(select(CaseNote))] == ["Ibu minta ditelepon sore"]


def test_admin_may_annotate_and_close_any_case(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    held, spam = make_case(), make_case()
    csrf = login(client, "sari")
    client.post(f"/console/cases/{held.reference}/claim", data={"csrf_token": csrf})
    with second_browser(client) as other:
        csrf2 = login(other, accounts["admin"])
        r = other.post(
            f"/console/cases/{held.reference}/note", data={"csrf_token": csrf2, "text": "cek ulang"}
        )
        assert r.status_code == 200 and "cek ulang" in r.text
        r = other.post(
            f"/console/cases/{spam.reference}/resolve",
            data={"csrf_token": csrf2, "outcome": "duplicate"},
            follow_redirects=False,
        )
        assert r.status_code == 303  # an unclaimed duplicate closed without claiming it
    with runtime.db.session() as s:
        assert s.get(Escalation, spam.escalation_id).status == "resolved"


def test_end_handoff_without_resolving(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    case = make_case()
    csrf = login(client, accounts["caseworker"])
    client.post(f"/console/cases/{case.reference}/claim", data={"csrf_token": csrf})
    client.post(f"/console/cases/{case.reference}/end-handoff", data={"csrf_token": csrf})
    assert _mode(runtime, case.contact_id) == "bot"
    assert queue(client)[0]["status"] == "claimed"  # the case stays with the caseworker


def test_canned_replies_in_the_persons_language(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    from bot.console.canned import canned_replies

    case = make_case()
    csrf = login(client, accounts["caseworker"])
    client.post(f"/console/cases/{case.reference}/claim", data={"csrf_token": csrf})
    page = client.get(f"/console/cases/{case.reference}").text
    greeting = next(c for c in canned_replies() if c.id == "greeting")
    assert greeting.text.id.split(",")[0] in page
    for c in canned_replies():
        assert c.reviewed and c.text.id and c.text.en


def _mode(runtime, contact_id: int) -> str:  # type: ignore[no-untyped-def]
    with runtime.db.session() as s:
        return s.scalars(select(Conversation.mode).where(Conversation.contact_id == contact_id)).one()


def _user_id(runtime, contact_id: int) -> str:  # type: ignore[no-untyped-def]
    from bot.store.models import Contact

    with runtime.db.session() as s:
        return s.get(Contact, contact_id).channel_user_id


def test_what_a_person_writes_cannot_run_in_the_console(client, accounts, make_case) -> None:  # type: ignore[no-untyped-def]
    case = make_case(texts=('<script>alert("x")</script><img src=x onerror=alert(1)>',))
    login(client, accounts["caseworker"])
    r = client.get(f"/console/cases/{case.reference}")
    assert "<script>alert" not in r.text and "&lt;script&gt;alert" in r.text
    assert "<img src=x" not in r.text
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY" and r.headers["cache-control"] == "no-store"


def test_a_case_the_person_erased_reads_as_erased_by_them(client, accounts, make_case, runtime) -> None:  # type: ignore[no-untyped-def]
    case = make_case(channel="rest")
    runtime.engine.handle(Inbound("rest", _user_id(runtime, case.contact_id), "stop"))
    login(client, accounts["admin"])
    page = client.get(f"/console/cases/{case.reference}").text
    assert "Dihapus oleh pengguna" in page  # not the raw code "withdrawn"
    assert "gaji tidak dibayar" not in page  # and nothing of what they wrote is left
