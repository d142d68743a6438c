"""The console in Indonesian by default, English when this browser chose it (ID | EN in the header):
labels, errors raised by the server and the live parts (poll JSON) follow the choice."""

from __future__ import annotations

from fastapi.testclient import TestClient

from bot.console.i18n import LANG_COOKIE
from tests.console.conftest import login


def choose(client: TestClient, code: str, next_: str = "/console/") -> None:
    r = client.get(f"/console/lang/{code}", params={"next": next_}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == next_


def test_an_expired_form_is_refused_in_the_chosen_language(client: TestClient, accounts) -> None:  # type: ignore[no-untyped-def]
    login(client, accounts["caseworker"])
    r = client.post("/console/shift", data={"csrf_token": "stale", "on": "true"})
    assert r.status_code == 403
    assert "Formulir kedaluwarsa, muat ulang halaman" in r.text and "Form expired" not in r.text
    assert '<html lang="id">' in r.text

    choose(client, "en")
    r = client.post("/console/shift", data={"csrf_token": "stale", "on": "true"})
    assert r.status_code == 403
    assert "Form expired, reload the page" in r.text and "kedaluwarsa" not in r.text
    assert '<html lang="en">' in r.text


def test_a_refused_case_action_speaks_the_chosen_language(client: TestClient, accounts, make_case) -> None:  # type: ignore[no-untyped-def]
    ref = make_case().reference
    csrf = login(client, accounts["caseworker"])
    choose(client, "en", f"/console/cases/{ref}")
    r = client.post(f"/console/cases/{ref}/note", data={"csrf_token": csrf, "text": "x"})
    assert r.status_code == 403 and "Claim this case first" in r.text and "Ambil kasus ini dulu" not in r.text
    choose(client, "id", f"/console/cases/{ref}")
    r = client.post(f"/console/cases/{ref}/note", data={"csrf_token": csrf, "text": "x"})
    assert r.status_code == 403 and "Ambil kasus ini dulu" in r.text and "Claim this case first" not in r.text


def test_labels_have_one_language_at_a_time(client: TestClient, accounts, make_case) -> None:  # type: ignore[no-untyped-def]
    make_case()
    login(client, accounts["caseworker"])
    page = client.get("/console/").text
    assert "Antrean kasus" in page and "Mulai bertugas" in page and "Bantuan purna" in page
    assert "Case queue" not in page and "Start shift" not in page and "Returnee help" not in page
    choose(client, "en")
    page = client.get("/console/").text
    assert "Case queue" in page and "Start shift" in page and "Returnee help" in page
    assert "Antrean kasus" not in page and "Mulai bertugas" not in page and "Bantuan purna" not in page


def test_the_switch_is_a_strict_cookie_and_stays_inside_the_console(client: TestClient) -> None:
    r = client.get(
        "/console/lang/en", params={"next": "https://evil.example/console/"}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"] == "/console/"
    cookie = r.headers["set-cookie"].lower()
    assert f"{LANG_COOKIE}=en" in cookie and "samesite=strict" in cookie and "path=/console" in cookie
    # The login page follows it too, before anyone is logged in.
    page = client.get("/console/login").text
    assert '<html lang="en">' in page and "Username" in page and "Nama pengguna" not in page
    assert client.get("/console/lang/fr", follow_redirects=False).status_code == 422  # not a 500


def test_the_delivery_label_in_the_poll_follows_the_language(client: TestClient, accounts, make_case) -> None:  # type: ignore[no-untyped-def]
    ref = make_case().reference
    csrf = login(client, accounts["caseworker"])
    client.post(f"/console/cases/{ref}/claim", data={"csrf_token": csrf})
    client.post(f"/console/cases/{ref}/reply", data={"csrf_token": csrf, "text": "Halo, saya Sari."})
    labels = [s["label"] for s in client.get(f"/console/cases/{ref}/updates").json()["statuses"].values()]
    assert labels == ["menunggu"]
    choose(client, "en")
    body = client.get(f"/console/cases/{ref}/updates").json()
    assert [s["label"] for s in body["statuses"].values()] == ["queued"]
    assert "Person" in body["html"] and "Orang" not in body["html"]


def test_the_statistics_page_follows_the_language(client: TestClient, accounts, make_case) -> None:  # type: ignore[no-untyped-def]
    make_case()
    login(client, accounts["caseworker"])
    page = client.get("/console/stats").text
    assert "Median waktu jawaban pertama" in page and "Median time" not in page
    choose(client, "en", "/console/stats")
    page = client.get("/console/stats").text
    assert "Median time to first response" in page and "Per kategori" not in page and "By category" in page


def test_after_a_refused_action_the_switch_comes_back_to_the_case(
    client: TestClient, accounts, make_case
) -> None:  # type: ignore[no-untyped-def]
    ref = make_case().reference
    csrf = login(client, accounts["caseworker"])
    page = client.post(f"/console/cases/{ref}/note", data={"csrf_token": csrf, "text": "x"}).text
    assert f'href="/console/lang/en?next=/console/cases/{ref}"' in page
