"""The REST channel end to end through the real engine, NLU and database."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot.app_state import Runtime
from bot.store.models import Conversation, Message

URL = "/webhooks/rest/webhook"


def say(client: TestClient, sender: str, message: str, **extra: object) -> list[dict]:
    r = client.post(URL, json={"sender": sender, "message": message, **extra})
    assert r.status_code == 200, r.text
    return r.json()


def all_text(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def payloads(replies: list[dict]) -> list[str]:
    return [b["payload"] for r in replies for b in r.get("buttons", [])]


MAIN_MENU = {"/check_offer", "/ask_red_flags", "/ask_aid", "/find_sentra", "/request_human", "/emergency"}


def test_halo_gets_indonesian_greeting_with_menu_buttons(client: TestClient) -> None:
    replies = say(client, "u1", "halo")
    assert all(r["recipient_id"] == "u1" for r in replies)
    text = all_text(replies)
    assert "Sahabat Migran" in text and "bukan manusia" in text
    assert set(payloads(replies)) >= MAIN_MENU


def test_hello_from_another_sender_gets_english(client: TestClient) -> None:
    say(client, "u1", "halo")
    replies = say(client, "u2", "hello")
    text = all_text(replies)
    assert "not a human" in text and "How can I help" in text
    titles = [b["title"] for r in replies for b in r.get("buttons", [])]
    assert any("Check a job offer" in t for t in titles)


def test_english_speaker_can_switch_to_indonesian(client: TestClient) -> None:
    say(client, "u3", "hello")
    replies = say(client, "u3", "bahasa indonesia please")
    assert "Bahasa Indonesia" in all_text(replies)
    assert "Apa yang bisa saya bantu" in all_text(say(client, "u3", "/menu"))


def test_not_json_is_a_4xx_with_reason(client: TestClient) -> None:
    r = client.post(URL, content=b"sender=u1&message=halo", headers={"content-type": "application/json"})
    assert 400 <= r.status_code < 500
    assert "JSON" in r.json()["detail"]


def test_missing_fields_are_named(client: TestClient) -> None:
    r = client.post(URL, json={"message": "halo"})
    assert r.status_code == 422 and "sender" in r.json()["detail"]
    r = client.post(URL, json={"sender": "u1"})
    assert r.status_code == 422 and "message" in r.json()["detail"]
    r = client.post(URL, json=["sender", "message"])
    assert r.status_code == 422


def test_odd_messages_get_polite_replies_and_nothing_stored_is_lost(client: TestClient, runtime: Runtime) -> None:
    say(client, "u1", "halo")
    say(client, "u1", "/check_offer")
    with runtime.db.session() as s:
        before_msgs = s.scalar(select(func.count()).select_from(Message))
        before_state = s.scalars(select(Conversation)).one().state

    long = say(client, "u1", "kerja " * 2000)  # 12,000 characters
    assert "terlalu panjang" in all_text(long)
    empty = say(client, "u1", "")
    assert "kosong" in all_text(empty)
    emoji = say(client, "u1", "🙏😭🙏")
    assert "emoji" in all_text(emoji)
    r = client.post(URL, json={"sender": "u1", "message": "x" * 25_000})
    assert r.status_code == 422 and "message" in r.json()["detail"]
    assert "x" * 100 not in r.text  # the input is not echoed back

    with runtime.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Message)) >= before_msgs
        assert s.scalars(select(Conversation)).one().state == before_state


def test_same_message_id_is_answered_once(client: TestClient) -> None:
    first = say(client, "u9", "halo", message_id="m-1")
    again = say(client, "u9", "halo", message_id="m-1")
    assert first and again == []


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    r = client.get("/readyz")
    assert r.status_code == 200
    assert r.json()["database"] == "ok" and r.json()["nlu"]["ready"] is True


def test_metrics_count_messages_and_open_cases_without_personal_data(client: TestClient) -> None:
    say(client, "m1", "halo")
    say(client, "m1", "tolong saya dikurung majikan di Malaysia, nomor saya 081234567890")
    body = client.get("/metrics").text
    assert 'sahabat_messages_in_total{channel="rest"}' in body
    assert 'sahabat_open_escalations{category="emergency"} 1.0' in body
    assert "sahabat_nlu_latency_seconds_bucket" in body
    assert "081234567890" not in body and "dikurung" not in body


def test_curl_style_post_without_json_content_type_works(client: TestClient) -> None:
    # `curl -d '{...}'` sends application/x-www-form-urlencoded; the body is still JSON.
    r = client.post(URL, content=b'{"sender":"c1","message":"halo"}',
                    headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 200
    assert "Sahabat Migran" in all_text(r.json())


def test_locked_in_in_malaysia_gets_embassy_emergency_advice_and_reference_in_first_reply(client: TestClient) -> None:
    replies = say(client, "danger-1", "tolong saya dikurung majikan di Malaysia")
    text = all_text(replies)
    assert "+60 17-668 8032" in text  # KBRI Kuala Lumpur
    assert "110" in text and "Safe Travel" in text
    assert re.search(r"SM-\d{4}-\d{6}", text)
