"""Schema-driven and property-based fuzzing of every public endpoint: no 500, no traceback."""

from __future__ import annotations

from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app_state import Runtime
from bot.config import Settings
from bot.server import create_app

FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))


def test_every_endpoint_survives_generated_requests(settings: Settings, runtime: Runtime) -> None:
    app = create_app(settings, runtime)
    app.state.runtime = runtime  # the schema's client does not run the lifespan
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @FUZZ
        def call(case: Any) -> None:
            response = case.call()
            assert response.status_code < 500, f"{case.method} {case.path} -> {response.status_code}: {response.text[:300]}"
            assert "Traceback" not in response.text

        call()
        checked.append(operation.label)
    assert any("/webhooks/rest/webhook" in label for label in checked)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=50),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


@given(body=st.one_of(json_values, st.fixed_dictionaries({"sender": st.text(max_size=140), "message": st.text(max_size=300)})))
@FUZZ
def test_rest_webhook_never_fails_on_odd_bodies(client: TestClient, body: Any) -> None:
    r = client.post("/webhooks/rest/webhook", json=body)
    assert r.status_code in (200, 422), r.text[:300]
    assert "Traceback" not in r.text


@given(raw=st.binary(max_size=400))
@FUZZ
def test_rest_webhook_survives_raw_bytes(client: TestClient, raw: bytes) -> None:
    r = client.post("/webhooks/rest/webhook", content=raw, headers={"content-type": "application/json"})
    assert r.status_code in (200, 400, 422), r.text[:300]
