"""Fixtures for channel tests: fake provider APIs on 127.0.0.1 and the app wired to them.

The NLU here is a tiny keyword stub: these tests are about transport (parsing, rendering, retries,
order, de-duplication), and every other turn in them is a button, a menu number or a location."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot.app_state import Runtime, build_runtime
from bot.config import Settings
from bot.server import create_app
from tests.channels.fakes import FakeTelegram, FakeTwilio

TG_TOKEN = "123456:TEST-token_for-fake"
TG_SECRET = "s3cret-Token_for-tests-0123456789"
TW_SID = "AC" + "0" * 32
TW_TOKEN = "twilio-auth-token-for-tests"
PUBLIC = "https://bot.example.org"


class KeywordNLU:
    name = "keyword-stub"
    _GREET = {"halo", "hello", "hi", "hai", "pagi"}

    def parse(self, text: str) -> dict[str, Any]:
        words = set(text.lower().replace("!", " ").split())
        intent = "greet" if words & self._GREET else "nlu_fallback"
        conf = 0.99 if intent == "greet" else 0.1
        return {
            "text": text,
            "intent": {"name": intent, "confidence": conf},
            "entities": [],
            "intent_ranking": [],
        }

    def ready(self) -> bool:
        return True


@pytest.fixture
def fake_telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram(TG_TOKEN)
    fake.server.start()
    yield fake
    fake.server.stop()


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    fake = FakeTwilio(TW_SID, TW_TOKEN)
    fake.server.start()
    yield fake
    fake.server.stop()


@pytest.fixture
def channel_settings(
    settings: Settings, fake_telegram: FakeTelegram, fake_twilio: FakeTwilio, tmp_path: Path
) -> Settings:
    return settings.model_copy(
        update={
            "telegram_token": TG_TOKEN,
            "telegram_secret": TG_SECRET,
            "telegram_api_url": fake_telegram.url,
            "twilio_account_sid": TW_SID,
            "twilio_auth_token": TW_TOKEN,
            "twilio_from": "whatsapp:+14155238886",
            "twilio_api_url": fake_twilio.url,
            "public_base_url": PUBLIC,
            "twilio_content_cache": tmp_path / "whatsapp-content.json",  # empty: numbered menus
            # fast retries so the failure tests take a fraction of a second
            "outbox_poll_s": 0.05,
            "outbox_backoff_base_s": 0.02,
            "outbox_backoff_max_s": 0.2,
            "outbox_lease_s": 5.0,
            "outbox_max_attempts": 30,
        }
    )


@pytest.fixture
def channel_runtime(channel_settings: Settings) -> Iterator[Runtime]:
    rt = build_runtime(channel_settings, nlu=KeywordNLU())  # type: ignore[arg-type]
    yield rt
    rt.db.dispose()


@contextmanager
def running_app(settings: Settings, runtime: Runtime) -> Iterator[TestClient]:
    """The app with its lifespan (and so the outbox sender) running; leaving stops it like a shutdown."""
    with TestClient(create_app(settings, runtime), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def app_client(channel_settings: Settings, channel_runtime: Runtime) -> Iterator[TestClient]:
    with running_app(channel_settings, channel_runtime) as client:
        yield client


@pytest.fixture
def serve() -> Callable[[Settings, Runtime], Any]:
    return running_app
