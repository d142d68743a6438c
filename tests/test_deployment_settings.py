"""Settings and signals for running the bot as deployed (issue 21): the data directory, CORS and
Rasa's `custom` for REST, the alert-target warning in /readyz, the NLU latency of the backend
that answered, and the age of the oldest unanswered emergency."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from bot.app_state import Runtime
from bot.channels.rest import render
from bot.config import Settings
from bot.messages import Inbound, Reply
from bot.metrics import REGISTRY
from bot.notify import NO_ALERT_TARGET
from bot.server import create_app
from bot.store.models import Escalation, utcnow
from bot.turn.understand import understand
from nlu.base import NLU
from nlu.rasa_client import RasaNLU


def test_data_dir_moves_the_database_and_model_defaults(tmp_path: Path) -> None:
    s = Settings(data_dir=tmp_path)
    assert s.database_url == f"sqlite:///{tmp_path / 'sahabat.db'}"
    assert s.nlu_model_dir == tmp_path / "nlu-model"
    explicit = Settings(data_dir=tmp_path, database_url="sqlite:///elsewhere.db")
    assert explicit.database_url == "sqlite:///elsewhere.db"


def test_rest_sends_extra_fields_under_custom_as_rasa_does() -> None:
    out = render("u1", [Reply("Where are you?", request_location=True), Reply("ok")])
    assert out[0] == {"recipient_id": "u1", "text": "Where are you?", "custom": {"request_location": True}}
    assert out[1] == {"recipient_id": "u1", "text": "ok"}


def test_cors_origins_let_a_chat_widget_call_rest(settings: Settings, runtime: Runtime) -> None:
    settings = settings.model_copy(update={"rest_cors_origins": "https://widget.sahabat.test"})
    with TestClient(create_app(settings, runtime)) as c:
        ok = c.options("/webhooks/rest/webhook", headers={
            "Origin": "https://widget.sahabat.test", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        })
        assert ok.headers.get("access-control-allow-origin") == "https://widget.sahabat.test"
        other = c.post("/webhooks/rest/webhook", json={"sender": "c1", "message": "halo"},
                       headers={"Origin": "https://evil.test"})
        assert other.status_code == 200 and "access-control-allow-origin" not in other.headers


def test_readyz_warns_when_no_caseworker_alert_target(client: TestClient, settings: Settings, runtime: Runtime) -> None:
    r = client.get("/readyz")
    assert r.status_code == 200 and r.json()["warnings"] == [NO_ALERT_TARGET]
    hooked = settings.model_copy(update={"caseworker_webhook_url": "http://127.0.0.1:9/hook"})
    runtime.settings = hooked
    with TestClient(create_app(hooked, runtime)) as c:
        assert "warnings" not in c.get("/readyz").json()


def _latency_count(backend: str) -> float:
    return REGISTRY.get_sample_value("sahabat_nlu_latency_seconds_count", {"backend": backend}) or 0.0


def test_nlu_latency_is_labelled_by_the_backend_that_answered(nlu: NLU) -> None:
    rasa = RasaNLU("http://127.0.0.1:9", timeout=0.2, fallback=nlu)  # nothing listens: the fallback answers
    before_rasa, before_fallback = _latency_count("rasa"), _latency_count(nlu.name)
    turn = understand(Inbound("rest", "lat-1", text="halo"), rasa, frozenset(), 4096)
    rasa.close()
    assert turn is not None and rasa.answered_by() == nlu.name
    assert _latency_count(nlu.name) == before_fallback + 1 and _latency_count("rasa") == before_rasa


def test_gauge_for_the_oldest_unanswered_emergency(client: TestClient, runtime: Runtime) -> None:
    def gauge() -> float:
        for line in client.get("/metrics").text.splitlines():
            if line.startswith("sahabat_oldest_unanswered_emergency_seconds "):
                return float(line.split()[1])
        raise AssertionError("gauge missing")

    assert gauge() == 0.0
    with runtime.db.session() as s:
        s.add(Escalation(reference="E-OLD", category="emergency", priority=0, created_at=utcnow() - timedelta(minutes=20)))
        s.add(Escalation(reference="E-ANS", category="emergency", priority=0, created_at=utcnow() - timedelta(hours=3),
                         first_response_at=utcnow()))
    assert 20 * 60 <= gauge() < 21 * 60


def test_request_metrics_per_route_template(client: TestClient) -> None:
    client.post("/webhooks/rest/webhook", json={"sender": "h1", "message": "halo"})
    client.get("/console/no-such-page-081234567890")
    body = client.get("/metrics").text
    assert 'http_requests_total{handler="/webhooks/rest/webhook",method="POST",status="2xx"} 1.0' in body
    assert "081234567890" not in body  # untemplated paths are grouped, never reported as sent
