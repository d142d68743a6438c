"""Console logins: signed session cookies backed by server-side sessions, CSRF tokens, login throttling.

The cookie carries a random token and its HMAC (SAHABAT_SECRET_KEY); the database keeps only the
token's SHA-256, the account, the CSRF token and the expiry times, so logging out or changing a
password ends a session at once, and a leaked database does not hand out live cookies."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import Request
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from starlette.responses import Response

from bot.config import Settings
from bot.store.models import Caseworker, ConsoleSession, LoginAttempt, utcnow

SESSION_COOKIE = "sm_session"
LOGIN_CSRF_COOKIE = "sm_login_csrf"
_TOUCH_EVERY = timedelta(seconds=60)  # last_seen is written at most once a minute per session


class NotLoggedIn(Exception):
    """No valid session: HTML routes redirect to the login page, /api routes answer 401."""


class TotpRequired(Exception):
    """SAHABAT_CONSOLE_REQUIRE_TOTP is on and this account has not enrolled yet: pages send it to
    /console/totp, /api answers 403."""


class Forbidden(Exception):
    """Logged in, but this needs the admin role (or the CSRF token was wrong)."""

    def __init__(self, reason: str = "forbidden") -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Auth:
    caseworker_id: int
    username: str
    role: str
    session_id: str
    csrf: str
    totp: bool = False  # the account has a confirmed TOTP second factor

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


# ---- cookies -------------------------------------------------------------------------------------


def _sign(token: str, secret: str) -> str:
    mac = hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()
    return f"{token}.{mac}"


def _unsign(value: str, secret: str) -> str | None:
    token, _, _mac = value.rpartition(".")
    if not token or not hmac.compare_digest(_sign(token, secret), value):
        return None
    return token


def _session_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def cookie_secure(request: Request, settings: Settings) -> bool:
    base = settings.public_base_url or ""
    if settings.console_secure_cookies or settings.is_production:  # production is https-only
        return True
    return request.url.scheme == "https" or base.startswith("https://")


def set_session_cookie(response: Response, request: Request, settings: Settings, value: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        value,
        max_age=settings.console_session_hours * 3600,
        path="/",
        httponly=True,
        secure=cookie_secure(request, settings),
        samesite="lax",  # lax, not strict: a link from the caseworkers' Telegram group must open the case
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


# ---- sessions ------------------------------------------------------------------------------------


def create_session(s: Session, cw: Caseworker, settings: Settings) -> tuple[str, ConsoleSession]:
    """A new session for `cw`; returns the cookie value (token + signature) and the row."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    row = ConsoleSession(
        id=_session_id(token),
        caseworker_id=cw.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(hours=settings.console_session_hours),
    )
    s.add(row)
    # Housekeeping: drop this account's expired sessions while we are here.
    s.execute(
        delete(ConsoleSession).where(ConsoleSession.caseworker_id == cw.id, ConsoleSession.expires_at < now)
    )
    s.flush()
    return _sign(token, settings.secret_key), row


def load_session(
    s: Session, cookie: str | None, settings: Settings, now: datetime | None = None
) -> Auth | None:
    if not cookie:
        return None
    token = _unsign(cookie, settings.secret_key)
    if token is None:
        return None
    now = now or utcnow()
    row = s.get(ConsoleSession, _session_id(token))
    if row is None:
        return None
    idle = timedelta(minutes=settings.console_idle_minutes)
    if row.expires_at <= now or row.last_seen_at + idle <= now:
        s.delete(row)
        return None
    cw = s.get(Caseworker, row.caseworker_id)
    if cw is None or not cw.active:
        s.delete(row)
        return None
    if now - row.last_seen_at >= _TOUCH_EVERY:
        row.last_seen_at = now
    return Auth(cw.id, cw.username, cw.role, row.id, row.csrf_token, totp=bool(cw.totp_enabled_at))


def end_session(s: Session, session_id: str) -> None:
    s.execute(delete(ConsoleSession).where(ConsoleSession.id == session_id))


# ---- CSRF ----------------------------------------------------------------------------------------


def csrf_ok(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode())


def new_login_csrf() -> str:
    return secrets.token_urlsafe(24)


# ---- throttling ----------------------------------------------------------------------------------
#
# A delay, never a lock-out. Each failed login counts against the account ("user:NAME") and the
# client address ("ip:ADDR", request.client.host: uvicorn rewrites it from X-Forwarded-For only for
# the proxies in forwarded_allow_ips, so a client cannot pick its own address). From the Nth failure
# on, the next try must wait a delay that doubles per failure, capped; when the delay has passed
# the right password works again. A browser that has logged in to this account before carries a
# signed device cookie; its tries count only against that device ("dev:ID"), so someone guessing a
# caseworker's password from elsewhere slows down themselves, not the caseworker (OWASP's "device
# cookies" scheme). Counters are in the database so that every worker process shares them.

DEVICE_COOKIE = "sm_device"
_FORGET_AFTER = timedelta(hours=24)  # failures older than this no longer count


def _name_key(username: str) -> str:
    return username.strip().lower()[:100]


def new_device_cookie(username: str, settings: Settings, now: datetime | None = None) -> str:
    stamp = int((now or utcnow()).timestamp())
    return _sign(f"{_name_key(username)}:{stamp}:{secrets.token_urlsafe(16)}", settings.secret_key)


def device_key(cookie: str | None, username: str, settings: Settings, now: datetime | None = None) -> str | None:
    """The throttle key of a valid, unexpired device cookie issued for this username, else None."""
    token = _unsign(cookie, settings.secret_key) if cookie else None
    if token is None:
        return None
    name, _, rest = token.partition(":")  # usernames have no ":" (passwords.USERNAME)
    stamp = rest.partition(":")[0]
    if name != _name_key(username) or not stamp.isdigit():
        return None
    age = (now or utcnow()).timestamp() - int(stamp)
    if not 0 <= age <= settings.login_device_days * 86400:
        return None
    return "dev:" + hashlib.sha256(token.encode()).hexdigest()[:40]


def set_device_cookie(response: Response, request: Request, settings: Settings, value: str) -> None:
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=settings.login_device_days * 86400,
        path="/console/login",
        httponly=True,
        secure=cookie_secure(request, settings),
        samesite="strict",
    )


def throttle_keys(username: str, ip: str | None, device: str | None = None) -> list[str]:
    """The counters one login try is checked against and counts toward."""
    if device:
        return [device]
    keys = [f"user:{_name_key(username)}"]
    if ip:
        keys.append(f"ip:{ip[:100]}")
    return keys


def _limit(key: str, settings: Settings) -> int:
    return settings.login_ip_max_failures if key.startswith("ip:") else settings.login_max_failures


def locked_for(s: Session, keys: list[str], now: datetime | None = None) -> int:
    """Seconds until a login may be tried again for any of `keys` (0 = may try now)."""
    now = now or utcnow()
    wait = 0
    for row in s.scalars(select(LoginAttempt).where(LoginAttempt.key.in_(keys))):
        if row.locked_until and row.locked_until > now:
            wait = max(wait, int((row.locked_until - now).total_seconds()) + 1)
    return wait


@dataclass(frozen=True)
class Throttled:
    """A counter that has just reached its limit: audited and alerted once, not on every try."""

    key: str
    failures: int
    delay_s: int


def record_failure(
    s: Session, keys: list[str], settings: Settings, now: datetime | None = None
) -> list[Throttled]:
    """Count a failure; from the Nth failure on, the next try waits base * 2^(failures - N), capped.

    Returns the counters that reached their limit with this failure (for the alert)."""
    now = now or utcnow()
    crossed: list[Throttled] = []
    cap = timedelta(seconds=settings.login_max_delay_seconds)
    for key in keys:
        limit = _limit(key, settings)
        row = s.get(LoginAttempt, key)
        if row is None:
            row = LoginAttempt(key=key, failures=0)
            s.add(row)
        elif row.updated_at and now - row.updated_at > _FORGET_AFTER:
            row.failures, row.locked_until = 0, None
        row.failures = (row.failures or 0) + 1
        row.updated_at = now
        if row.failures >= limit:
            delay = min(timedelta(seconds=settings.login_lockout_seconds) * 2 ** min(row.failures - limit, 16), cap)
            row.locked_until = now + delay
            if row.failures == limit:
                crossed.append(Throttled(key, row.failures, int(delay.total_seconds())))
    s.flush()
    return crossed


def record_success(s: Session, username: str, device: str | None = None) -> None:
    """The account's (and this device's) counters start again; the address's do not (one good
    login from an address must not wipe out its guessing at other accounts)."""
    keys = [f"user:{_name_key(username)}"] + ([device] if device else [])
    s.execute(delete(LoginAttempt).where(LoginAttempt.key.in_(keys)))
