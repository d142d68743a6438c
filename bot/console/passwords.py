"""Caseworker accounts: argon2 password hashes, password strength (zxcvbn) and account changes shared
by the CLI and the admin pages."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from zxcvbn import zxcvbn

from bot.console.i18n import Bi
from bot.store.models import Caseworker, ConsoleSession

ROLES = ("caseworker", "admin")
MIN_PASSWORD = 10
MIN_SCORE = 3  # zxcvbn: 3 = "safely unguessable: moderate protection from offline slow-hash attacks"
_SCORED_CHARS = 100  # zxcvbn's time grows with length; the first 100 characters decide anyway
# Words every account here would be tempted to use, so zxcvbn treats them as guessable.
_SITE_WORDS = ["sahabat", "migran", "sahabatmigran", "kemensos", "pekerja", "sosial", "petugas", "console"]
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified against when the username is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password-0")


class AccountError(ValueError):
    """A reason an account change was refused, fit to show to the person who asked."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_rules(password: str, username: str = "") -> None:
    """Length, then strength as estimated by zxcvbn (dictionary words, keyboard walks, dates, the
    username and the site's own words all count as guessable)."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(
            Bi(
                f"Sandi minimal {MIN_PASSWORD} karakter",
                f"The password must have at least {MIN_PASSWORD} characters",
            )
        )
    if len(password) > 1024:
        raise AccountError(Bi("Sandi terlalu panjang", "The password is too long"))
    result = zxcvbn(
        password[:_SCORED_CHARS], user_inputs=[username, *_SITE_WORDS] if username else _SITE_WORDS
    )
    if result["score"] < MIN_SCORE:
        fb = result.get("feedback") or {}
        hints = " ".join(h for h in [fb.get("warning") or "", *(fb.get("suggestions") or [])] if h)
        raise AccountError(
            Bi(
                f"Sandi terlalu mudah ditebak (kekuatan {result['score']}/4, perlu {MIN_SCORE}); "
                "pakai beberapa kata yang tidak umum",
                f"Password too easy to guess (strength {result['score']}/4, needs {MIN_SCORE})"
                + (f": {hints}" if hints else ""),
            )
        )


def normalise_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise AccountError("username: 2-63 characters, lower-case letters, digits, '.', '_' or '-'")
    return name


def verify(s: Session, username: str, password: str) -> Caseworker | None:
    """The active caseworker whose password this is, or None. Rehashes when parameters changed."""
    try:
        name = normalise_username(username)
    except AccountError:
        name = ""
    cw = s.scalars(select(Caseworker).where(Caseworker.username == name)).first() if name else None
    try:
        _hasher.verify(cw.password_hash if cw else _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if cw is None or not cw.active:
        return None
    if _hasher.check_needs_rehash(cw.password_hash):
        cw.password_hash = _hasher.hash(password)
    return cw


def add_caseworker(s: Session, username: str, password: str, role: str = "caseworker") -> Caseworker:
    name = normalise_username(username)
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    check_password_rules(password, name)
    if s.scalars(select(Caseworker.id).where(Caseworker.username == name)).first() is not None:
        raise AccountError(f"username {name!r} already exists")
    cw = Caseworker(username=name, password_hash=hash_password(password), role=role, active=True)
    s.add(cw)
    s.flush()
    return cw


def set_password(s: Session, cw: Caseworker, password: str, *, keep_session: str | None = None) -> None:
    """New password; every other session of this account ends (a stolen cookie stops working)."""
    check_password_rules(password, cw.username)
    cw.password_hash = hash_password(password)
    q = delete(ConsoleSession).where(ConsoleSession.caseworker_id == cw.id)
    if keep_session:
        q = q.where(ConsoleSession.id != keep_session)
    s.execute(q)


def set_active(s: Session, cw: Caseworker, active: bool) -> None:
    cw.active = active
    if not active:
        s.execute(delete(ConsoleSession).where(ConsoleSession.caseworker_id == cw.id))


def set_role(s: Session, cw: Caseworker, role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    cw.role = role
