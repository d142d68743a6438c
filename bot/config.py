"""Settings from the environment (prefix SAHABAT_). Defaults are safe for a laptop."""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Where bot/, nlu/, flows/ and content/ are: the checkout, or site-packages (all four are packaged).
ROOT = Path(__file__).resolve().parent.parent


def default_data_dir() -> Path:
    """var/ beside the sources in a checkout; an installed package cannot write into site-packages
    (root-owned in the image), so it uses the user's data directory unless SAHABAT_DATA_DIR says."""
    if (ROOT / "pyproject.toml").is_file():
        return ROOT / "var"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "sahabat-migran"


DATA_DIR = default_data_dir()
DEFAULT_SECRET = "dev-only-change-me"

# --- Production hardening (issue 18): what SAHABAT_ENV may say, and secrets never to accept. ---
ENV_NAMES = {
    "production": "production", "prod": "production",
    "development": "development", "dev": "development", "local": "development",
    "test": "development", "testing": "development",
}
MIN_SECRET_CHARS = 32
# Values from .env.example, the docs and common tutorials: a copy-pasted example is no secret.
KNOWN_EXAMPLE_SECRETS = {
    DEFAULT_SECRET, "change-me", "changeme", "change-me-to-a-long-random-string", "secret",
    "password", "your-secret-key", "supersecret", "please-change-me", "replace-me",
}
_EXAMPLE_WORDS = ("change-me", "changeme", "change_me", "example", "replace-me", "your-secret")
_EXAMPLE_HOSTS = ("example.org", "example.com", "example.net", "your.host", "localhost")
_TELEGRAM_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what Telegram's setWebhook accepts
_CLIENT_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")


def weak_secret(value: str) -> str | None:
    """Why `value` is not fit to be a production secret, or None."""
    low = value.strip().lower()
    if low in KNOWN_EXAMPLE_SECRETS or any(w in low for w in _EXAMPLE_WORDS):
        return "is an example value"
    if len(value) < MIN_SECRET_CHARS:
        return f"is shorter than {MIN_SECRET_CHARS} characters"
    if len(set(value)) < 10:
        return "does not look random (too few different characters)"
    return None


def parse_rest_clients(value: str | None) -> dict[str, str]:
    """SAHABAT_REST_CLIENTS: `name:secret,other:secret` or a JSON object {"name": "secret"}."""
    if not value or not value.strip():
        return {}
    text = value.strip()
    if text.startswith("{"):
        data = json.loads(text)
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise ValueError('SAHABAT_REST_CLIENTS as JSON must be an object {"name": "secret"}')
        pairs = [(str(k), v) for k, v in data.items()]
    else:
        pairs = []
        for item in filter(None, (p.strip() for p in text.split(","))):
            name, sep, secret = item.partition(":")
            if not sep or not secret:
                raise ValueError("SAHABAT_REST_CLIENTS items must look like name:secret")
            pairs.append((name.strip(), secret.strip()))
    for name, secret in pairs:
        if not _CLIENT_NAME.match(name):
            raise ValueError(f"SAHABAT_REST_CLIENTS: client name {name!r} may use A-Z a-z 0-9 _ . - (1-32)")
        if not secret:
            raise ValueError(f"SAHABAT_REST_CLIENTS: client {name!r} has no secret")
    return dict(pairs)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SAHABAT_", env_file=".env", extra="ignore")

    env: str = Field(default="development", description="development | production")
    data_dir: Path = DATA_DIR  # writable: the SQLite default and the NLU model live here
    database_url: str = f"sqlite:///{DATA_DIR / 'sahabat.db'}"
    nlu_url: str | None = None
    nlu_token: str | None = None  # the Rasa server's --auth-token (sent as ?token=, as Rasa expects)
    nlu_timeout_s: float = 2.0
    nlu_model_dir: Path = DATA_DIR / "nlu-model"
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
    # One approved template per purpose; either unset: twilio_template_sid goes out for that purpose.
    twilio_template_followup_sid: str | None = None  # a follow-up question (bot/followup.py)
    twilio_template_case_update_sid: str | None = None  # a caseworker wrote about the case
    # Content SIDs of the in-session quick replies and list pickers, by definition hash
    # (`sahabat whatsapp sync-templates`, bot/channels/whatsapp_content.py).
    twilio_content_cache: Path = ROOT / "var" / "whatsapp-content.json"

    # Outbox: every reply is stored, then sent by one background task per process.
    outbox_enabled: bool = True
    outbox_poll_s: float = 1.0  # how often to look for due rows when nobody wakes the sender
    outbox_max_attempts: int = 10  # then the row is `failed` and kept for the console
    outbox_backoff_base_s: float = 2.0  # first retry after about this long, doubling each time
    outbox_backoff_max_s: float = 600.0
    outbox_lease_s: float = 60.0  # a claimed row is retried after this if its process died mid-send
    outbox_concurrency: int = 8  # chats sent to at the same time
    # Sent (and failed) rows name the chat (a phone number on WhatsApp): deleted after this many days.
    outbox_retention_days: int = Field(default=7, ge=1)
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
    # Login throttling (bot/console/auth.py): a delay, never a lock-out. From the Nth failure on
    # each try must wait login_lockout_seconds, doubling per failure, at most login_max_delay_seconds;
    # a browser that logged in to the account before (device cookie) skips the account's delay.
    login_max_failures: int = 5  # failures per account (or per trusted device) before delays start
    login_ip_max_failures: int = 20  # failures per client address (request.client.host) before delays
    login_lockout_seconds: int = 60  # the first delay
    login_max_delay_seconds: int = 900  # the longest delay
    login_device_days: int = 90  # how long a device cookie is trusted
    console_require_totp: bool = False  # every caseworker must enrol a TOTP app before using the console
    admin_telegram_chat_id: str | None = None  # security alerts (login throttling); else the caseworkers' chat
    console_timezone: str = "Asia/Jakarta"  # times in the console are shown in this zone
    # Assignment and SLA rounds (bot/console/assign.py, bot/console/sla_watch.py), every console_rounds_seconds.
    console_auto_assign: bool = True  # new cases go round-robin to caseworkers on shift
    console_max_open_cases: int = Field(default=5, ge=1)  # ... each holding at most this many claimed cases
    console_requeue_unanswered: bool = True  # a claimed case unanswered within its target returns to the queue
    console_rounds_seconds: float = Field(default=30.0, gt=0)

    # Chat turns run on the worker's event loop (no thread hand-offs; see bot/dispatch.py) unless
    # this is false or the NLU is a remote Rasa; then they run in a pool of `worker_threads`
    # (default 8 on SQLite, 40 on PostgreSQL). Console pages and the outbox always use the pool.
    inline_turns: bool = True
    worker_threads: int | None = None
    # On PostgreSQL those turns await each database round trip (bot/dispatch.py): a stalled connection
    # parks only its own turn. False: they block the loop while the database answers (~20% less CPU
    # per turn, but one stalled connection then holds every conversation on the worker).
    pg_async_turns: bool = True

    max_text_chars: int = 4096  # longest message the engine will analyse (Telegram's own limit)
    # Voice notes (bot/voice): transcribed offline; SAHABAT_VOICE=off answers them as before
    # ("please type"), and the model is then never loaded.
    voice: bool = True

    # --- Abuse limits and production hardening (issue 18); bot/http_guards.py, bot/ratelimit.py ---
    rest_enabled: bool | None = None  # the REST channel; unset: on in development, off in production
    rest_clients: str | None = None  # "name:secret,..." or {"name": "secret"}; set: every request authenticated
    rest_cors_origins: str = ""  # "https://a.org,https://b.org": browser chat widgets allowed to call REST
    rest_signature_max_age_s: int = 300  # an HMAC-signed request older than this is refused (replays)
    rate_limit_storage: str = "memory://"  # `limits` storage URI (per process); redis://host:6379 shares it
    rest_rate_per_sender: str = "30/minute;10/10second"  # per person; "" turns the limit off
    rest_rate_per_address: str = "600/minute"  # per client address (the trusted proxy's real client)
    rest_new_emergencies: str = "5/minute"  # new emergency cases per REST client; past it: numbers, no case
    max_body_bytes: int = 64 * 1024  # webhooks and the JSON API (Telegram, Twilio and REST bodies are small)
    max_form_bytes: int = 256 * 1024  # the caseworker console's forms
    max_json_depth: int = 32  # deeper JSON is refused with a 400
    metrics_token: str | None = None  # /metrics and the API docs need it (Bearer); unset: off in production
    forwarded_allow_ips: str = ""  # proxies whose X-Forwarded-For/-Proto are believed; "" trusts none

    @field_validator("env", mode="before")
    @classmethod
    def _normalise_env(cls, value: object) -> str:
        name = ENV_NAMES.get(str(value).strip().lower())
        if name is None:
            raise ValueError(f"SAHABAT_ENV must be production or development, not {str(value)[:40]!r}")
        return name

    @field_validator("rest_enabled", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value  # compose's ${VAR:-}

    @model_validator(mode="after")
    def _inside_data_dir(self) -> Settings:
        # SAHABAT_DATA_DIR moves the defaults that live in it; explicit settings win.
        if "data_dir" in self.model_fields_set:
            if "database_url" not in self.model_fields_set:
                self.database_url = f"sqlite:///{self.data_dir / 'sahabat.db'}"
            if "nlu_model_dir" not in self.model_fields_set:
                self.nlu_model_dir = self.data_dir / "nlu-model"
        return self

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def rest_on(self) -> bool:
        return self.rest_enabled if self.rest_enabled is not None else not self.is_production

    def production_problems(self) -> list[str]:
        """Every reason this configuration is unfit for production, each naming its setting."""
        problems: list[str] = []
        why = weak_secret(self.secret_key)
        if why:
            problems.append(f"SAHABAT_SECRET_KEY {why}: set a long random value")
        if self.telegram_token and not self.telegram_secret:
            problems.append("SAHABAT_TELEGRAM_SECRET must be set when SAHABAT_TELEGRAM_TOKEN is")
        if self.telegram_secret:
            why = weak_secret(self.telegram_secret)
            if not _TELEGRAM_SECRET.match(self.telegram_secret):
                problems.append("SAHABAT_TELEGRAM_SECRET may use only A-Z a-z 0-9 _ - (Telegram's rule)")
            elif why:
                problems.append(f"SAHABAT_TELEGRAM_SECRET {why}")
        base = (self.public_base_url or "").strip()
        host = (urlsplit(base).hostname or "") if base else ""
        if not base:
            problems.append("SAHABAT_PUBLIC_BASE_URL must be set to the server's public https:// address")
        elif not base.lower().startswith("https://") or not host:
            problems.append("SAHABAT_PUBLIC_BASE_URL must be an https:// address")
        elif host == "localhost" or any(host == h or host.endswith("." + h) for h in _EXAMPLE_HOSTS):
            problems.append("SAHABAT_PUBLIC_BASE_URL is an example address")
        try:
            clients = parse_rest_clients(self.rest_clients)
        except ValueError as exc:
            problems.append(str(exc))
            clients = {}
        if self.rest_on and not clients:
            problems.append("SAHABAT_REST_CLIENTS must name the REST clients when SAHABAT_REST_ENABLED is true")
        for name, secret in clients.items():
            why = weak_secret(secret)
            if why:
                problems.append(f"SAHABAT_REST_CLIENTS: the secret of {name!r} {why}")
        if self.nlu_url and not self.nlu_token:
            problems.append("SAHABAT_NLU_TOKEN must be set when SAHABAT_NLU_URL is (Rasa's --auth-token)")
        elif self.nlu_url and self.nlu_token and (why := weak_secret(self.nlu_token)):
            problems.append(f"SAHABAT_NLU_TOKEN {why}")
        if self.metrics_token:
            why = weak_secret(self.metrics_token)
            if why:
                problems.append(f"SAHABAT_METRICS_TOKEN {why}")
        password = _database_password(self.database_url)
        if password is not None and (password.lower() in KNOWN_EXAMPLE_SECRETS or len(password) < 12):
            problems.append("SAHABAT_DATABASE_URL has an example or short password (POSTGRES_PASSWORD)")
        return problems

    def check_production(self) -> None:
        """Refuse to run in production with weak, example or missing settings (all named at once)."""
        from bot.ratelimit import parse_rule  # late: it imports this module

        # Malformed lists and rates fail at start in development too, naming the setting.
        parse_rest_clients(self.rest_clients)
        for name in ("rest_rate_per_sender", "rest_rate_per_address", "rest_new_emergencies"):
            parse_rule(f"SAHABAT_{name.upper()}", getattr(self, name))
        if not self.is_production:
            return
        problems = self.production_problems()
        if problems:
            raise RuntimeError("unsafe production settings:\n- " + "\n- ".join(problems))


def _database_password(url: str) -> str | None:
    """The password in a database URL, if it has one (SQLite URLs have none)."""
    try:
        parts = urlsplit(url)
        return parts.password
    except ValueError:
        return None


@lru_cache
def get_settings() -> Settings:
    return Settings()
