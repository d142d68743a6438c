"""Settings from the environment (prefix SAHABAT_). Defaults are safe for a laptop."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET = "dev-only-change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SAHABAT_", env_file=".env", extra="ignore")

    env: str = Field("development", description="development | production")
    database_url: str = f"sqlite:///{ROOT / 'var' / 'sahabat.db'}"
    nlu_url: str | None = None
    nlu_timeout_s: float = 2.0
    nlu_model_dir: Path = ROOT / "var" / "nlu-model"
    nlu_data: Path = ROOT / "nlu" / "data"
    nlu_fallback_threshold: float = 0.45

    flows_dir: Path = ROOT / "flows"
    content_dir: Path = ROOT / "content"

    telegram_token: str | None = None
    telegram_secret: str | None = None
    telegram_api_url: str = "https://api.telegram.org"
    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_from: str | None = None
    twilio_api_url: str | None = None
    public_base_url: str | None = None
    secret_key: str = DEFAULT_SECRET

    target_emergency_minutes: int = 15  # how soon a caseworker should answer an emergency
    target_normal_hours: int = 24
    followup_days: int = 7  # check in this many days after a case is resolved

    max_text_chars: int = 4096  # longest message the engine will analyse (Telegram's own limit)

    def check_production(self) -> None:
        """Refuse to run in production with secrets left at their defaults."""
        if self.env == "production" and self.secret_key == DEFAULT_SECRET:
            raise RuntimeError("SAHABAT_SECRET_KEY must be set in production")


@lru_cache
def get_settings() -> Settings:
    return Settings()
