"""Accounts, sessions, throttling and CSRF as a caseworker (or an attacker) meets them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from bot.app_state import Runtime
from bot.console.auth import SESSION_COOKIE
from bot.store.models import ConsoleSession, LoginAttempt, utcnow
from tests.console.conftest import PASSWORD, csrf_of, login, second_browser


def try_login(client, username: str, password: str):  # type: ignore[no-untyped-def]
    page = client.get("/console/login")
    return client.post(
        "/console/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )


def test_login_sets_a_hardened_cookie_and_logout_ends_the_session(client, accounts) -> None:  # type: ignore[no-untyped-def]
    r = try_login(client, accounts["caseworker"], PASSWORD)
    assert r.status_code == 303 and r.headers["location"] == "/console/"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie  # plain http on a laptop; see the https test below
    stolen = client.cookies.get(SESSION_COOKIE)
    csrf = csrf_of(client.get("/console/").text)
    assert (
        client.post("/console/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    )
    client.cookies.set(
        SESSION_COOKIE, stolen
    )  # the old cookie is dead on the server, not only in the browser
    assert client.get("/api/escalations").status_code == 401


def test_cookie_is_secure_over_https(client, accounts) -> None:  # type: ignore[no-untyped-def]
    client.base_url = client.base_url.copy_with(scheme="https")
    r = try_login(client, accounts["caseworker"], PASSWORD)
    assert r.status_code == 303
    assert "secure" in r.headers["set-cookie"].lower()


def test_wrong_password_and_unknown_user_look_the_same(client, accounts) -> None:  # type: ignore[no-untyped-def]
    a = try_login(client, accounts["caseworker"], "wrong password!")
    b = try_login(client, "nobody-here", "wrong password!")
    assert a.status_code == b.status_code == 401
    assert "salah" in a.text and "salah" in b.text
    assert SESSION_COOKIE not in client.cookies


def test_five_failures_delay_the_account_even_for_the_right_password(client, accounts, runtime) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        assert try_login(client, accounts["caseworker"], "guess guess guess").status_code == 401
    r = try_login(client, accounts["caseworker"], PASSWORD)
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    # another account from the same address is not locked by that (the IP allows more failures)
    assert try_login(client, accounts["other"], PASSWORD).status_code == 303
    # once the delay has passed, the right password works and the counter is cleared
    with runtime.db.session() as s:
        s.execute(update(LoginAttempt).values(locked_until=None))
    assert try_login(client, accounts["caseworker"], PASSWORD).status_code == 303


def test_delay_grows_with_more_failures(client, accounts, runtime: Runtime) -> None:  # type: ignore[no-untyped-def]
    waits = []
    for _ in range(3):
        for _ in range(5 if not waits else 1):
            try_login(client, accounts["caseworker"], "guess guess guess")
        waits.append(int(try_login(client, accounts["caseworker"], PASSWORD).headers["retry-after"]))
        with runtime.db.session() as s:
            s.execute(update(LoginAttempt).values(locked_until=None))
    assert waits[0] < waits[1] < waits[2]


def test_login_form_needs_its_csrf_token(client, accounts) -> None:  # type: ignore[no-untyped-def]
    r = client.post(
        "/console/login",
        data={"username": accounts["caseworker"], "password": PASSWORD, "csrf_token": "x"},
        follow_redirects=False,
    )
    assert r.status_code == 400 and SESSION_COOKIE not in client.cookies


def test_login_redirect_stays_inside_the_console(client, accounts) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/console/login", params={"next": "https://evil.example/"})
    r = client.post(
        "/console/login",
        data={
            "username": accounts["caseworker"],
            "password": PASSWORD,
            "csrf_token": csrf_of(page.text),
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert r.headers["location"] == "/console/"


def test_idle_and_expired_sessions_end_on_the_server(client, accounts, runtime) -> None:  # type: ignore[no-untyped-def]
    login(client, accounts["caseworker"])
    assert client.get("/api/me").status_code == 200
    with runtime.db.session() as s:
        s.execute(update(ConsoleSession).values(last_seen_at=utcnow() - timedelta(hours=3)))
    assert client.get("/api/me").status_code == 401
    login(client, accounts["caseworker"])
    with runtime.db.session() as s:
        s.execute(update(ConsoleSession).values(expires_at=ConsoleSession.created_at))
    assert client.get("/api/me").status_code == 401


def test_a_tampered_cookie_is_refused(client, accounts) -> None:  # type: ignore[no-untyped-def]
    login(client, accounts["caseworker"])
    value = client.cookies.get(SESSION_COOKIE)
    token, _, mac = value.rpartition(".")
    client.cookies.delete(SESSION_COOKIE)  # replaced, not sent beside the real one
    client.cookies.set(SESSION_COOKIE, f"{token}x.{mac}", domain="testserver.local", path="/")
    assert client.get("/api/me").status_code == 401


def test_password_change_ends_other_sessions(client, accounts, settings, runtime) -> None:  # type: ignore[no-untyped-def]
    csrf = login(client, accounts["caseworker"])
    with second_browser(client) as phone:
        login(phone, accounts["caseworker"])
        assert phone.get("/api/me").status_code == 200
        new = "a brand new passphrase"
        r = client.post(
            "/console/password", data={"csrf_token": csrf, "current": PASSWORD, "new": new, "repeat": new}
        )
        assert r.status_code == 200 and "diganti" in r.text
        assert phone.get("/api/me").status_code == 401  # the other device is logged out
        assert client.get("/api/me").status_code == 200  # this one stays in
    assert try_login(client, accounts["caseworker"], PASSWORD).status_code == 401
    assert try_login(client, accounts["caseworker"], new).status_code == 303


def test_deactivated_account_is_logged_out_at_once(client, accounts, settings, runtime) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from bot.store.models import Caseworker

    with second_browser(client) as worker:
        login(worker, accounts["caseworker"])
        csrf = login(client, accounts["admin"])
        with runtime.db.session() as s:
            uid = s.scalars(select(Caseworker.id).where(Caseworker.username == accounts["caseworker"])).one()
        r = client.post(f"/console/admin/users/{uid}/active", data={"csrf_token": csrf, "active": "false"})
        assert r.status_code == 200
        assert worker.get("/api/me").status_code == 401
    assert try_login(client, accounts["caseworker"], PASSWORD).status_code == 401


def test_admin_manages_accounts(client, accounts, runtime) -> None:  # type: ignore[no-untyped-def]
    csrf = login(client, accounts["admin"])
    r = client.post(
        "/console/admin/users",
        data={"csrf_token": csrf, "username": "Dewi", "role": "caseworker", "password": "short"},
    )
    assert r.status_code == 400 and "10" in r.text
    r = client.post(
        "/console/admin/users",
        data={"csrf_token": csrf, "username": "Dewi", "role": "admin", "password": "long enough pass"},
    )
    assert r.status_code == 200 and "dewi" in r.text
    with second_browser(client) as other:
        login(other, "dewi", "long enough pass")
        assert other.get("/console/admin/users").status_code == 200


def test_console_pages_forbid_framing_and_caching_while_webhooks_are_untouched(client, accounts) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/console/login")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY" and page.headers["cache-control"] == "no-store"
    assert client.get("/api/escalations").headers["cache-control"] == "no-store"  # a 401 too
    css = client.get("/console/static/console.css")
    assert css.status_code == 200 and "no-store" not in css.headers.get("cache-control", "")
    chat = client.post("/webhooks/rest/webhook", json={"sender": "hdr-1", "message": "halo"})
    assert chat.status_code == 200 and "content-security-policy" not in chat.headers
