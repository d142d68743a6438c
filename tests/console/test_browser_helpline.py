"""The helpline features end to end in Debian's chromium: scope, masking until claimed, a new case
appearing in an open queue, "someone else is viewing" across two browsers, auto-assignment, transfer
and an SLA requeue with a supervisor alert (time moved by the test's clock)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.app_state import Runtime, build_runtime
from bot.config import Settings
from bot.console import cases
from bot.console.passwords import add_caseworker
from bot.console.rounds import run_round
from bot.notify import SLA_EVENT
from bot.store import repo
from bot.store.models import Caseworker, Outbox
from nlu.base import NLU
from tests.console.test_browser import CHROME_ARGS, CHROMIUM, PASSWORD, LiveServer

pytestmark = pytest.mark.browser

PHONE = "0812 9876 5432"


@pytest.fixture
def live(settings: Settings, nlu: NLU) -> Iterator[tuple[LiveServer, Runtime]]:
    # The background round is slowed right down: the tests run rounds themselves, with their clock.
    st = settings.model_copy(update={"console_rounds_seconds": 3600.0})
    rt = build_runtime(st, nlu=nlu)
    with rt.db.session() as s:
        add_caseworker(s, "sari", PASSWORD, "caseworker").regions = ["Nusa Tenggara Barat"]
        add_caseworker(s, "budi", PASSWORD, "caseworker")
        add_caseworker(s, "admin", PASSWORD, "admin")
    with LiveServer(st, rt) as server:
        yield server, rt
    rt.db.dispose()


def new_case(
    rt: Runtime, province: str, who: str, priority: int = 2, text: str = "gaji saya tidak dibayar"
) -> str:
    with rt.db.session() as s:
        contact = repo.get_or_create_contact(s, "rest", who)
        repo.lock_conversation(s, contact)
        repo.add_message(s, contact, "in", f"{text}, telepon saya {PHONE}")
        contact.profile = {"name": "Wayan Sukerti", "phone": PHONE}
        details = {"province": province, "place": "Desa Kuta", "situation": "returnee"}
        cat = "emergency" if priority == 0 else "returnee_help"
        return repo.create_escalation(
            s, contact, cat, priority, f"returnee · Desa Kuta, {province}", details
        ).reference


def log_in(page, url: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{url}/console/login")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{url}/console/")


def test_scope_masking_and_a_live_queue(live) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect, sync_playwright

    server, rt = live
    jatim = new_case(rt, "Jawa Timur", "p-jatim")
    ntb = new_case(rt, "Nusa Tenggara Barat", "p-ntb")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROME_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.set_default_timeout(20_000)
        log_in(page, server.url, "sari")
        rows = page.locator("#queue-rows tr[data-reference]")
        expect(rows).to_have_count(1)
        expect(rows.first).to_have_attribute("data-reference", ntb)
        assert jatim not in page.content()
        assert "Desa Kuta" not in page.content() and PHONE not in page.content()  # masked in the queue
        expect(page).to_have_title("(1) Antrean · Sahabat Migran")

        # A new case of her region appears without a reload, and the tab title counts it.
        later = new_case(rt, "Nusa Tenggara Barat", "p-ntb-2", priority=0, text="tolong saya dipukul")
        new_case(rt, "Jawa Timur", "p-jatim-2")  # not hers: never shows
        expect(page.locator(f'#queue-rows tr[data-reference="{later}"]')).to_be_visible(timeout=25_000)
        expect(rows).to_have_count(2)
        expect(page).to_have_title("(2) Antrean · Sahabat Migran")

        # The Jawa Timur case is closed to her even by its address.
        r = page.goto(f"{server.url}/console/cases/{jatim}")
        assert r is not None and r.status == 403

        # Masked until she claims it; then the details show (and the reveal is audited).
        page.goto(f"{server.url}/console/cases/{ntb}")
        expect(page.locator("#masked-note")).to_be_visible()
        assert PHONE not in page.content() and "Wayan Sukerti" not in page.content()
        expect(page.locator("#transcript")).to_contain_text("gaji saya tidak dibayar")
        page.get_by_role("button", name="Ambil kasus").click()
        expect(page.locator("#masked-note")).to_have_count(0)
        expect(page.locator("#transcript")).to_contain_text(PHONE)
        expect(page.locator("#h-details + p + dl.kv, #h-details ~ dl.kv").first).to_contain_text("Wayan Sukerti")
        browser.close()
    with rt.db.session() as s:
        from bot.store.models import AuditEvent

        reveal = s.scalars(select(AuditEvent).where(AuditEvent.action == "reveal_personal")).all()
        assert [(e.target, e.detail["via"]) for e in reveal] == [(ntb, "page")]


def test_someone_else_is_viewing_this_case(live) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect, sync_playwright

    server, rt = live
    ref = new_case(rt, "Nusa Tenggara Barat", "p-view")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROME_ARGS)
        a = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        b = browser.new_context(viewport={"width": 375, "height": 800}).new_page()
        for page, who in ((a, "sari"), (b, "budi")):
            page.set_default_timeout(20_000)
            log_in(page, server.url, who)
        a.goto(f"{server.url}/console/cases/{ref}")
        expect(a.locator("#viewers")).to_be_hidden()
        b.goto(f"{server.url}/console/cases/{ref}")
        expect(b.locator("#viewers")).to_be_visible()
        expect(b.locator("#viewers-names")).to_have_text("sari")
        # Sari's open page learns of Budi at its next poll, without a reload.
        expect(a.locator("#viewers-names")).to_have_text("budi", timeout=25_000)
        expect(a.locator("#viewers")).to_be_visible()
        browser.close()


def test_auto_assignment_transfer_and_an_sla_requeue(live) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect, sync_playwright

    server, rt = live
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROME_ARGS)
        page = browser.new_page(viewport={"width": 375, "height": 800})
        page.set_default_timeout(20_000)
        log_in(page, server.url, "sari")
        page.get_by_role("button", name="Mulai bertugas").click()
        expect(page.locator("#shift-state")).to_contain_text("Sedang bertugas")

        ref = new_case(rt, "Nusa Tenggara Barat", "p-assign", priority=0, text="tolong saya dikurung")
        with rt.db.session() as s:
            created = cases.by_reference(s, ref).created_at
        assert run_round(rt.db, rt.settings, now=created + timedelta(minutes=1)).assigned == [(ref, "sari")]
        page.goto(f"{server.url}/console/?mine=true")
        row = page.locator(f'#queue-rows tr[data-reference="{ref}"]')
        expect(row).to_contain_text("sari")

        # She transfers it to Budi, with a reason.
        row.get_by_role("link", name=ref).click()
        page.locator("#assign-to").select_option(label="budi")
        page.locator("#assign-reason").fill("butuh petugas laki-laki")
        page.get_by_role("button", name="Alihkan").click()
        expect(page.locator(".error, h1")).to_contain_text("403")  # no longer hers to read
        with rt.db.session() as s:
            esc = cases.by_reference(s, ref)
            assert esc.status == "claimed" and s.get(Caseworker, esc.assignee_id).username == "budi"

        # Budi does not answer within 15 minutes: the case goes back to the queue, the admins are told,
        # and it goes to someone on shift other than Budi (Sari; Budi is not on shift anyway).
        done = run_round(rt.db, rt.settings, now=created + timedelta(minutes=16))
        assert done.requeued == [ref] and done.alerted == [ref] and done.assigned == [(ref, "sari")]
        with rt.db.session() as s:
            notices = [o.payload for o in s.scalars(select(Outbox).where(Outbox.channel == "notify"))]
            assert [n["assignee"] for n in notices if n.get("event") == SLA_EVENT] == ["budi"]
        page.goto(f"{server.url}/console/?mine=true")
        expect(page.locator(f'#queue-rows tr[data-reference="{ref}"]')).to_contain_text("Ditangani")
        browser.close()


def test_a_referral_without_consent_is_refused(live) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect, sync_playwright

    server, rt = live
    ref = new_case(rt, "Nusa Tenggara Barat", "p-consent")
    with rt.db.session() as s:
        esc = cases.by_reference(s, ref)
        esc.details = {
            **esc.details,
            "consent_to": {"kemensos": True, "police_ppa": False, "kp2mi": False, "embassy": False},
        }
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROME_ARGS)
        page = browser.new_page(viewport={"width": 375, "height": 800})
        page.set_default_timeout(20_000)
        log_in(page, server.url, "sari")
        page.goto(f"{server.url}/console/cases/{ref}")
        page.get_by_role("button", name="Ambil kasus").click()
        page.locator("#ref-target").select_option("agency:police_ppa")
        page.get_by_role("button", name="Catat rujukan").click()
        expect(page.locator(".error")).to_contain_text("tidak menyetujui")
        expect(page.locator("#h-ref + dl + ul")).to_contain_text("Belum ada")
        # With consent (Kemensos) it is recorded; the police only as a recorded exception.
        page.locator("#ref-target").select_option("agency:kemensos")
        page.get_by_role("button", name="Catat rujukan").click()
        expect(page.locator("#h-ref + dl + ul")).to_contain_text("Kemensos")
        page.locator("#ref-target").select_option("agency:police_ppa")
        page.locator("#ref-exception").select_option("immediate_danger")
        page.get_by_role("button", name="Catat rujukan").click()
        expect(page.locator("#h-ref + dl + ul")).to_contain_text("tanpa persetujuan: immediate_danger")
        browser.close()
