"""Login throttling that slows guessing without locking out the right password, the real client
address behind proxies, alerts, password strength (zxcvbn) and the optional TOTP second factor."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pyotp
import pytest
import uvicorn
from sqlalchemy import select, update
from typer.testing import CliRunner

from bot.app_state import Runtime
from bot.cli import app as cli
from bot.console.auth import DEVICE_COOKIE, SESSION_COOKIE
from bot.notify import CHANNEL, SECURITY_EVENT, NotifyAdapter
from bot.server import create_app
from bot.store.models import AuditEvent, Caseworker, LoginAttempt, Outbox, utcnow
from tests.channels.fakes import free_port, wait_until
from tests.console.conftest import PASSWORD, csrf_of, login, second_browser


def try_login(client, username: str, password: str, code: str = "", headers=None):  # type: ignore[no-untyped-def]
    page = client.get("/console/login")
    return client.post(
        "/console/login",
        data={"username": username, "password": password, "code": code, "csrf_token": csrf_of(page.text)},
        headers=headers or {},
        follow_redirects=False,
    )


def pass_the_delay(runtime: Runtime) -> None:
    """Time passes: every running delay is over (the counters stay)."""
    with runtime.db.session() as s:
        s.execute(update(LoginAttempt).values(locked_until=utcnow() - timedelta(seconds=1)))


def audit_rows(runtime: Runtime, action: str) -> list[AuditEvent]:
    with runtime.db.session() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


# ---- throttling by delay -----------------------------------------------------------------------


def test_twenty_failures_from_one_address_delay_but_the_right_password_works_after_the_delay(
    client, accounts, runtime
) -> None:  # type: ignore[no-untyped-def]
    for i in range(20):  # a password spray: many names, one address
        assert try_login(client, f"guess-{i % 7}", "Summer2026!").status_code == 401
    r = try_login(client, accounts["caseworker"], PASSWORD)
    assert r.status_code == 429  # the address is slowed down ...
    wait = int(r.headers["retry-after"])
    assert 0 < wait <= runtime.settings.login_lockout_seconds + 1  # ... for a short while
    pass_the_delay(runtime)
    assert try_login(client, accounts["caseworker"], PASSWORD).status_code == 303  # ... not locked out


def test_a_known_browser_logs_in_while_its_account_is_under_attack(client, accounts, runtime) -> None:  # type: ignore[no-untyped-def]
    login(client, accounts["caseworker"])  # Sari's own browser: it now carries a device cookie
    assert client.cookies.get(DEVICE_COOKIE)
    client.cookies.delete(SESSION_COOKIE)
    with second_browser(client) as attacker:
        for _ in range(30):
            attacker_status = try_login(attacker, accounts["caseworker"], "tebak tebak tebak").status_code
        assert attacker_status == 429  # the attacker is slowed down
    # Sari, from her browser, is not: the account's delay applies to unknown browsers only.
    assert try_login(client, accounts["caseworker"], PASSWORD).status_code == 303
    # ... and her own typos are counted (and delayed) against her browser alone
    for _ in range(5):
        try_login(client, accounts["caseworker"], "salah ketik sandi")
    assert try_login(client, accounts["caseworker"], PASSWORD).status_code == 429
    pass_the_delay(runtime)
    assert try_login(client, accounts["caseworker"], PASSWORD).status_code == 303


def test_the_delay_grows_but_stays_bounded(client, accounts, runtime) -> None:  # type: ignore[no-untyped-def]
    waits = []
    for _ in range(12):
        try_login(client, accounts["caseworker"], "guess guess guess")
        r = try_login(client, accounts["caseworker"], "and another guess")  # refused unchecked while delayed
        if r.status_code == 429:
            waits.append(int(r.headers["retry-after"]))
        pass_the_delay(runtime)
    assert waits == sorted(waits) and waits[0] < waits[-1]
    assert max(waits) <= runtime.settings.login_max_delay_seconds + 1  # a delay, never an hour-long lock
    assert try_login(client, accounts["caseworker"], PASSWORD).status_code == 303


def test_throttling_is_audited_once_and_alerted_to_the_admins(client, accounts, runtime) -> None:  # type: ignore[no-untyped-def]
    for _ in range(8):
        try_login(client, accounts["caseworker"], "Rahasia-yang-salah")
    throttled = audit_rows(runtime, "login_throttled")
    assert [(e.target, e.detail["scope"]) for e in throttled] == [("sari", "account")]  # once, not per try
    assert audit_rows(runtime, "login_delayed"), "the refused tries are in the audit log too"
    with runtime.db.session() as s:
        notices = [r.payload for r in s.scalars(select(Outbox).where(Outbox.channel == CHANNEL))]
    assert len(notices) == 1
    assert notices[0]["event"] == SECURITY_EVENT and notices[0]["account"] == "sari"
    assert "Rahasia" not in str(notices[0])  # never the password that was tried
    st = runtime.settings.model_copy(
        update={
            "telegram_token": "1:X",
            "admin_telegram_chat_id": "-100900",
            "caseworker_telegram_chat_id": "-1",
        }
    )
    (part,) = NotifyAdapter(st).render(notices[0])
    assert part.data["json"]["chat_id"] == "-100900" and "sari" in part.data["json"]["text"]


# ---- the real client address behind a proxy (a live uvicorn, as `sahabat serve` runs it) --------


class _Live:
    def __init__(self, runtime: Runtime, forwarded_allow_ips: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(runtime.settings, runtime),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            access_log=False,
            proxy_headers=True,
            forwarded_allow_ips=forwarded_allow_ips,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> _Live:
        self.thread.start()
        wait_until(lambda: self.server.started, 20, "the app to start")
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


@pytest.fixture
def live_untrusted(runtime: Runtime) -> Iterator[_Live]:
    with _Live(runtime, forwarded_allow_ips="192.0.2.10") as live:  # the proxy is elsewhere, not us
        yield live


@pytest.fixture
def live_behind_proxy(runtime: Runtime) -> Iterator[_Live]:
    with _Live(runtime, forwarded_allow_ips="127.0.0.1") as live:  # we are the trusted proxy
        yield live


def _spray(url: str, forwarded) -> list[int]:  # type: ignore[no-untyped-def]
    codes = []
    with httpx.Client(base_url=url, timeout=20) as c:
        for i in range(40):
            codes.append(
                try_login(c, f"nobody-{uuid.uuid4().hex[:8]}", "x" * 12, headers=forwarded(i)).status_code
            )
    return codes


def test_rotating_x_forwarded_for_does_not_bypass_the_address_throttle(live_untrusted, accounts) -> None:  # type: ignore[no-untyped-def]
    codes = _spray(live_untrusted.url, lambda i: {"X-Forwarded-For": f"198.51.100.{i}"})
    assert codes[:20] == [401] * 20 and set(codes[20:]) == {429}


def test_behind_a_trusted_proxy_the_proxys_client_address_counts(live_behind_proxy, accounts) -> None:  # type: ignore[no-untyped-def]
    """A proxy appends the address it saw; what the client wrote before it is not believed."""
    codes = _spray(live_behind_proxy.url, lambda i: {"X-Forwarded-For": f"198.51.100.{i}, 203.0.113.7"})
    assert codes[:20] == [401] * 20 and set(codes[20:]) == {429}
    # another real client behind the same proxy is not slowed down by that
    with httpx.Client(base_url=live_behind_proxy.url, timeout=20) as c:
        r = try_login(c, accounts["caseworker"], PASSWORD, headers={"X-Forwarded-For": "203.0.113.8"})
    assert r.status_code == 303


# ---- password strength ---------------------------------------------------------------------------


WEAK = ["password1234", "qwertyuiop123", "sari12345678", "sahabatmigran1"]


def test_weak_passwords_are_refused_everywhere_with_a_reason(
    client, accounts, runtime, settings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    csrf = login(client, accounts["admin"])
    for weak in WEAK:
        r = client.post(
            "/console/admin/users",
            data={"csrf_token": csrf, "username": "dewi", "role": "caseworker", "password": weak},
        )
        assert r.status_code == 400 and "mudah ditebak" in r.text, weak
    with runtime.db.session() as s:
        uid = s.scalars(select(Caseworker.id).where(Caseworker.username == "sari")).one()
    r = client.post(
        f"/console/admin/users/{uid}/password", data={"csrf_token": csrf, "password": "sari12345678"}
    )
    assert r.status_code == 400 and "mudah ditebak (kekuatan" in r.text
    r = client.post(
        "/console/password",
        data={"csrf_token": csrf, "current": PASSWORD, "new": "admin1234567", "repeat": "admin1234567"},
    )
    assert r.status_code == 400 and "mudah ditebak" in r.text
    assert try_login(client, accounts["admin"], PASSWORD).status_code == 303  # unchanged

    monkeypatch.setenv("SAHABAT_DATABASE_URL", settings.database_url)
    from bot.config import get_settings

    get_settings.cache_clear()
    try:
        out = CliRunner().invoke(
            cli, ["caseworker", "add", "tono", "--password-stdin"], input="qwertyuiop123\n"
        )
        assert out.exit_code == 1 and "too easy to guess" in out.output
        ok = CliRunner().invoke(
            cli, ["caseworker", "add", "tono", "--password-stdin"], input="kopi tubruk di teras\n"
        )
        assert ok.exit_code == 0, ok.output
    finally:
        get_settings.cache_clear()


# ---- TOTP ----------------------------------------------------------------------------------------


def _enrol(client, csrf: str) -> pyotp.TOTP:  # type: ignore[no-untyped-def]
    page = client.get("/console/totp")
    assert page.status_code == 200
    secret = page.text.split('id="totp-secret">')[1].split("<")[0]
    assert "otpauth://totp/" in page.text
    totp = pyotp.TOTP(secret)
    wrong = f"{(int(totp.now()) + 1) % 1_000_000:06d}"
    assert client.post("/console/totp", data={"csrf_token": csrf, "code": wrong}).status_code == 400
    r = client.post("/console/totp", data={"csrf_token": csrf, "code": totp.now()}, follow_redirects=False)
    assert r.status_code == 303
    assert "Aktif sejak" in client.get("/console/totp").text
    return totp


def test_an_enrolled_caseworker_needs_the_code(client, accounts, runtime) -> None:  # type: ignore[no-untyped-def]
    csrf = login(client, accounts["caseworker"])
    totp = _enrol(client, csrf)
    with second_browser(client) as phone:
        assert try_login(phone, accounts["caseworker"], PASSWORD).status_code == 401  # no code
        wrong = f"{(int(totp.now()) + 7) % 1_000_000:06d}"
        assert try_login(phone, accounts["caseworker"], PASSWORD, wrong).status_code == 401
        assert try_login(phone, accounts["caseworker"], "not the password", totp.now()).status_code == 401
        nxt = totp.at(time.time() + 30)  # the next step's code (the enrolment used this step's)
        assert try_login(phone, accounts["caseworker"], PASSWORD, nxt).status_code == 303
        assert phone.get("/api/me").status_code == 200
    with second_browser(client) as thief:  # the same code, seen over a shoulder, does not work twice
        assert try_login(thief, accounts["caseworker"], PASSWORD, nxt).status_code == 401
    failed = [e.detail.get("reason") for e in audit_rows(runtime, "login_failed")]
    assert failed.count("code") == 3 and "password" in failed


def test_admins_can_require_totp_and_reset_a_lost_phone(client, accounts, runtime) -> None:  # type: ignore[no-untyped-def]
    runtime.settings.console_require_totp = True
    csrf = login(client, accounts["caseworker"])
    r = client.get("/console/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/console/totp"
    assert client.get("/api/escalations").status_code == 403
    assert "mewajibkan" in client.get("/console/totp").text
    _enrol(client, csrf)
    assert client.get("/console/").status_code == 200
    assert (
        client.post("/console/totp/disable", data={"csrf_token": csrf, "current": PASSWORD}).status_code
        == 400
    )

    with runtime.db.session() as s:
        uid = s.scalars(select(Caseworker.id).where(Caseworker.username == "sari")).one()
    runtime.settings.console_require_totp = False  # (else the admin would enrol first, as above)
    with second_browser(client) as admin:
        admin_csrf = login(admin, accounts["admin"])
        r = admin.post(f"/console/admin/users/{uid}/totp-reset", data={"csrf_token": admin_csrf})
        assert r.status_code == 200
    with second_browser(client) as phone:
        assert try_login(phone, accounts["caseworker"], PASSWORD).status_code == 303  # password alone again
    assert [e.target for e in audit_rows(runtime, "account_totp_reset")] == ["sari"]
