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

from bot.config import Settings
from bot.store.models import Caseworker, ConsoleSession, LoginAttempt, utcnow

SESSION_COOKIE = "sm_session"
LOGIN_CSRF_COOKIE = "sm_login_csrf"
_TOUCH_EVERY = timedelta(seconds=60)  # last_seen is written at most once a minute per session
_MAX_LOCKOUT = timedelta(hours=1)


class NotLoggedIn(Exception):
    """No valid session: HTML routes redirect to the login page, /api routes answer 401."""


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


def set_session_cookie(response, request: Request, settings: Settings, value: str) -> None:  # type: ignore[no-untyped-def]
    response.set_cookie(
        SESSION_COOKIE,
        value,
        max_age=settings.console_session_hours * 3600,
        path="/",
        httponly=True,
        secure=cookie_secure(request, settings),
        samesite="lax",  # lax, not strict: a link from the caseworkers' Telegram group must open the case
    )


def clear_session_cookie(response) -> None:  # type: ignore[no-untyped-def]
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
    return Auth(cw.id, cw.username, cw.role, row.id, row.csrf_token)


def end_session(s: Session, session_id: str) -> None:
    s.execute(delete(ConsoleSession).where(ConsoleSession.id == session_id))


# ---- CSRF ----------------------------------------------------------------------------------------


def csrf_ok(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode())


def new_login_csrf() -> str:
    return secrets.token_urlsafe(24)


# ---- throttling ----------------------------------------------------------------------------------


def throttle_keys(username: str, ip: str | None) -> list[str]:
    keys = [f"user:{username.strip().lower()[:100]}"]
    if ip:
        keys.append(f"ip:{ip[:100]}")
    return keys


def locked_for(s: Session, keys: list[str], now: datetime | None = None) -> int:
    """Seconds until a login may be tried again for any of `keys` (0 = not locked)."""
    now = now or utcnow()
    wait = 0
    for row in s.scalars(select(LoginAttempt).where(LoginAttempt.key.in_(keys))):
        if row.locked_until and row.locked_until > now:
            wait = max(wait, int((row.locked_until - now).total_seconds()) + 1)
    return wait


def record_failure(s: Session, keys: list[str], settings: Settings, now: datetime | None = None) -> None:
    """Count a failure; from the Nth failure on, lock for base * 2^(failures - N), at most an hour.

    The IP key allows more failures than the user key (an office shares one address)."""
    now = now or utcnow()
    for key in keys:
        limit = settings.login_max_failures * (4 if key.startswith("ip:") else 1)
        row = s.get(LoginAttempt, key)
        if row is None:
            row = LoginAttempt(key=key, failures=0)
            s.add(row)
        row.failures = (row.failures or 0) + 1
        row.updated_at = now
        if row.failures >= limit:
            delay = timedelta(seconds=settings.login_lockout_seconds) * 2 ** min(row.failures - limit, 12)
            row.locked_until = now + min(delay, _MAX_LOCKOUT)
    s.flush()


def record_success(s: Session, username: str) -> None:
    s.execute(delete(LoginAttempt).where(LoginAttempt.key == throttle_keys(username, None)[0]))
