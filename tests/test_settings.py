"""Production refuses to start with default, example, short or insecure settings, naming each."""

from __future__ import annotations

import secrets

import pytest
from pydantic import ValidationError

from bot.config import Settings

STRONG = secrets.token_urlsafe(32)
GOOD = {
    "secret_key": secrets.token_urlsafe(32),
    "public_base_url": "https://bot.sahabat-migran.id",
    "telegram_token": "123:abc",
    "telegram_secret": secrets.token_urlsafe(32),
}


def test_development_defaults_start() -> None:
    Settings(env="development").check_production()


@pytest.mark.parametrize("spelling", ["production", "Production", "prod", " PRODUCTION ", "PROD\n"])
def test_every_spelling_of_production_is_production(spelling: str) -> None:
    s = Settings(env=spelling)
    assert s.is_production
    with pytest.raises(RuntimeError, match="SAHABAT_SECRET_KEY"):
        s.check_production()


@pytest.mark.parametrize("spelling", ["staging", "live", "produktion", ""])
def test_unknown_environment_is_refused_naming_the_setting(spelling: str) -> None:
    with pytest.raises(ValidationError, match="SAHABAT_ENV"):
        Settings(env=spelling)


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"secret_key": "dev-only-change-me"}, "SAHABAT_SECRET_KEY"),  # the built-in default
        ({"secret_key": "change-me-to-a-long-random-string"}, "SAHABAT_SECRET_KEY"),  # .env.example
        ({"secret_key": "x"}, "SAHABAT_SECRET_KEY"),
        ({"secret_key": "k" * 31}, "SAHABAT_SECRET_KEY"),
        ({"secret_key": "ab" * 30}, "SAHABAT_SECRET_KEY"),  # long but not random
        ({"telegram_secret": None}, "SAHABAT_TELEGRAM_SECRET"),
        ({"telegram_secret": "x"}, "SAHABAT_TELEGRAM_SECRET"),
        ({"telegram_secret": STRONG[:31]}, "SAHABAT_TELEGRAM_SECRET"),
        ({"telegram_secret": STRONG + "!"}, "SAHABAT_TELEGRAM_SECRET"),  # Telegram's alphabet only
        ({"public_base_url": None}, "SAHABAT_PUBLIC_BASE_URL"),
        ({"public_base_url": ""}, "SAHABAT_PUBLIC_BASE_URL"),  # compose's ${VAR:-}
        ({"public_base_url": "http://bot.sahabat-migran.id"}, "SAHABAT_PUBLIC_BASE_URL"),
        ({"public_base_url": "https://bot.example.org"}, "SAHABAT_PUBLIC_BASE_URL"),  # .env.example
        ({"rest_enabled": True}, "SAHABAT_REST_CLIENTS"),  # an open REST channel
        ({"rest_enabled": True, "rest_clients": "web:short"}, "SAHABAT_REST_CLIENTS"),
        ({"rest_enabled": True, "rest_clients": "web:" + "change-me" * 4}, "SAHABAT_REST_CLIENTS"),
        ({"metrics_token": "metrics"}, "SAHABAT_METRICS_TOKEN"),
        ({"nlu_url": "http://rasa:5005"}, "SAHABAT_NLU_TOKEN"),  # Rasa's API open to the network
        ({"nlu_url": "http://rasa:5005", "nlu_token": "rasa"}, "SAHABAT_NLU_TOKEN"),
        ({"database_url": "postgresql://sahabat:change-me@postgres:5432/sahabat"}, "SAHABAT_DATABASE_URL"),
    ],
)
def test_production_refuses_each_weak_setting_by_name(overrides: dict[str, object], named: str) -> None:
    with pytest.raises(RuntimeError, match=named):
        Settings(env="production", **{**GOOD, **overrides}).check_production()


def test_every_problem_is_named_at_once() -> None:
    with pytest.raises(RuntimeError) as err:
        Settings(env="prod", secret_key="x", telegram_token="1:a", telegram_secret="y").check_production()
    message = str(err.value)
    assert "SAHABAT_SECRET_KEY" in message and "SAHABAT_TELEGRAM_SECRET" in message
    assert "SAHABAT_PUBLIC_BASE_URL" in message


def test_production_with_strong_settings_starts() -> None:
    Settings(env="production", **GOOD).check_production()
    clients = f"web:{secrets.token_urlsafe(32)},ngo:{secrets.token_urlsafe(32)}"
    Settings(env="production", rest_enabled=True, rest_clients=clients, **GOOD).check_production()
    Settings(env="production", metrics_token=secrets.token_hex(32), **GOOD).check_production()
    Settings(env="production", nlu_url="http://rasa:5005", nlu_token=secrets.token_hex(32), **GOOD).check_production()


def test_rest_channel_is_off_in_production_unless_enabled() -> None:
    assert Settings(env="development").rest_on
    assert not Settings(env="production").rest_on
    assert Settings(env="production", rest_enabled=True).rest_on


def test_malformed_rest_client_list_fails_at_start_even_in_development() -> None:
    with pytest.raises(ValueError, match="SAHABAT_REST_CLIENTS"):
        Settings(rest_clients="no-secret-here").check_production()
    with pytest.raises(ValueError, match="SAHABAT_REST_CLIENTS"):
        Settings(rest_clients="bad name:" + STRONG).check_production()


def test_a_malformed_rate_fails_at_start_naming_it() -> None:
    with pytest.raises(ValueError, match="SAHABAT_REST_RATE_PER_SENDER"):
        Settings(rest_rate_per_sender="lots").check_production()
    Settings(rest_rate_per_sender="").check_production()  # empty: no limit
