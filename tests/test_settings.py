"""Production refuses to start with default or missing secrets."""

from __future__ import annotations

import pytest

from bot.config import Settings


def test_development_defaults_start() -> None:
    Settings(env="development").check_production()


@pytest.mark.parametrize(
    ("overrides", "missing"),
    [
        ({}, "SAHABAT_SECRET_KEY"),
        ({"secret_key": "s" * 40, "telegram_token": "123:abc"}, "SAHABAT_TELEGRAM_SECRET"),
        ({"secret_key": "s" * 40, "twilio_auth_token": "tok"}, "SAHABAT_PUBLIC_BASE_URL"),
    ],
)
def test_production_refuses_unsafe_settings(overrides: dict[str, str], missing: str) -> None:
    with pytest.raises(RuntimeError, match=missing):
        Settings(env="production", **overrides).check_production()


def test_production_with_secrets_starts() -> None:
    Settings(env="production", secret_key="s" * 40, telegram_token="1:a", telegram_secret="x").check_production()
