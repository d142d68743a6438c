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
    # WhatsApp only lets a business write first inside 24 h of the person's last message; outside it
    # a pre-approved template (Twilio Content SID, "HX...") goes out and the message waits for a reply.
    twilio_template_sid: str | None = None
    twilio_template_variables: str | None = None  # JSON object for the template, e.g. {"1": "Sahabat Migran"}

    # Outbox: every reply is stored, then sent by one background task per process.
    outbox_enabled: bool = True
    outbox_poll_s: float = 1.0  # how often to look for due rows when nobody wakes the sender
    outbox_max_attempts: int = 10  # then the row is `failed` and kept for the console
    outbox_backoff_base_s: float = 2.0  # first retry after about this long, doubling each time
    outbox_backoff_max_s: float = 600.0
    outbox_lease_s: float = 60.0  # a claimed row is retried after this if its process died mid-send
    outbox_concurrency: int = 8  # chats sent to at the same time
    # Sent (and failed) rows name the chat (a phone number on WhatsApp): deleted after this many days.
    outbox_retention_days: int = Field(7, ge=1)
    secret_key: str = DEFAULT_SECRET

    target_emergency_minutes: int = 15  # how soon a caseworker should answer an emergency
    target_normal_hours: int = 24
    followup_days: int = 7  # check in this many days after a case is resolved

    # Caseworker console (bot/console) and its notifications (bot/notify.py).
    caseworker_telegram_chat_id: str | None = None  # a Telegram group of caseworkers told of emergencies
    caseworker_webhook_url: str | None = None  # JSON POST for each new emergency escalation
    console_secure_cookies: bool = False  # force Secure cookies (also set when the request is HTTPS)
    console_session_hours: int = 12  # a login lasts at most this long
    console_idle_minutes: int = 120  # ... and ends after this long without a request
    login_max_failures: int = 5  # failures per username or IP before a lockout
    login_lockout_seconds: int = 60  # first lockout; doubles with each further failure, up to an hour
    console_timezone: str = "Asia/Jakarta"  # times in the console are shown in this zone

    # Chat turns run on the worker's event loop (no thread hand-offs; see bot/dispatch.py) unless
    # this is false or the NLU is a remote Rasa; then they run in a pool of `worker_threads`
    # (default 8 on SQLite, 40 on PostgreSQL). Console pages and the outbox always use the pool.
    inline_turns: bool = True
    worker_threads: int | None = None

    max_text_chars: int = 4096  # longest message the engine will analyse (Telegram's own limit)

    def check_production(self) -> None:
        """Refuse to run in production with secrets left at their defaults."""
        if self.env != "production":
            return
        if self.secret_key == DEFAULT_SECRET:
            raise RuntimeError("SAHABAT_SECRET_KEY must be set in production")
        if self.telegram_token and not self.telegram_secret:
            raise RuntimeError("SAHABAT_TELEGRAM_SECRET must be set when SAHABAT_TELEGRAM_TOKEN is")
        if self.twilio_auth_token and not self.public_base_url:
            raise RuntimeError("SAHABAT_PUBLIC_BASE_URL must be set for Twilio signature checks")


@lru_cache
def get_settings() -> Settings:
    return Settings()
