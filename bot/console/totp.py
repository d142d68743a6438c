"""Optional TOTP second factor for caseworkers (RFC 6238 through pyotp).

Enrolment stores a new secret as pending; it counts only once the caseworker has typed a code from
their authenticator app (proof the app has it). A code is accepted within one 30-second step either
side (phone clocks drift) and never twice: the step last used is stored."""

from __future__ import annotations

import pyotp
from sqlalchemy.orm import Session

from bot.store.models import Caseworker, utcnow

ISSUER = "Sahabat Migran"
_WINDOW = 1  # steps either side of now that are accepted


def enabled(cw: Caseworker) -> bool:
    return bool(cw.totp_secret and cw.totp_enabled_at)


def begin(cw: Caseworker) -> str:
    """A new pending secret (replacing any earlier pending one); returns it."""
    cw.totp_secret = pyotp.random_base32()
    cw.totp_enabled_at = None
    cw.totp_last_step = None
    return cw.totp_secret


def uri(cw: Caseworker) -> str:
    """The otpauth:// URI an authenticator app imports (as a QR code or typed in)."""
    assert cw.totp_secret
    return pyotp.TOTP(cw.totp_secret).provisioning_uri(name=cw.username, issuer_name=ISSUER)


def _clean(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch.isdigit())


def check(cw: Caseworker, code: str) -> bool:
    """True for a fresh valid code; records its step so the same code cannot be used again."""
    code = _clean(code)
    if not cw.totp_secret or len(code) != 6:
        return False
    totp = pyotp.TOTP(cw.totp_secret)
    now = utcnow()
    step_now = totp.timecode(now)
    for offset in range(-_WINDOW, _WINDOW + 1):
        step = step_now + offset
        if step <= (cw.totp_last_step or -1):
            continue
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            cw.totp_last_step = step
            return True
    return False


def confirm(s: Session, cw: Caseworker, code: str) -> bool:
    """Finish enrolment with a code from the app; True when it is now on."""
    if not check(cw, code):
        return False
    cw.totp_enabled_at = utcnow()
    s.flush()
    return True


def disable(cw: Caseworker) -> None:
    cw.totp_secret = None
    cw.totp_enabled_at = None
    cw.totp_last_step = None
