"""Login, logout and password change."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from bot.console import auth as authn
from bot.console import totp
from bot.console.cases import audit
from bot.console.i18n import Bi, message
from bot.console.passwords import AccountError, set_password, verify
from bot.console.sending import wake_sender
from bot.console.web import client_ip, current_auth, form_auth, render, runtime
from bot.notify import enqueue_security_notice, notify_configured
from bot.store.models import Caseworker

router = APIRouter(prefix="/console")


def safe_next(target: str | None) -> str:
    """Only a path inside the console: never another host (open redirect)."""
    if target and target.startswith("/console/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/console/"


def _login_page(request: Request, nxt: str, error: str | None = None, status: int = 200) -> Response:
    token = authn.new_login_csrf()
    resp = render(request, "login.html", {"login_csrf": token, "next": nxt, "error": error}, status)
    resp.set_cookie(
        authn.LOGIN_CSRF_COOKIE,
        token,
        max_age=3600,
        path="/console/login",
        httponly=True,
        secure=authn.cookie_secure(request, runtime(request).settings),
        samesite="strict",
    )
    return resp


@router.get("/login")
def login_form(request: Request, next: str = "/console/") -> Response:
    return _login_page(request, safe_next(next))


@router.post("/login")
def login(
    request: Request,
    username: str = Form("", max_length=200),
    password: str = Form("", max_length=1024),
    code: str = Form("", max_length=20),
    csrf_token: str = Form(""),
    next: str = Form("/console/"),
) -> Response:
    rt = runtime(request)
    nxt = safe_next(next)
    if not authn.csrf_ok(request.cookies.get(authn.LOGIN_CSRF_COOKIE) or "", csrf_token):
        return _login_page(
            request, nxt, Bi("Formulir kedaluwarsa, coba lagi", "Form expired, try again"), 400
        )
    name = username.strip().lower()[:80]
    device = authn.device_key(request.cookies.get(authn.DEVICE_COOKIE), username, rt.settings)
    keys = authn.throttle_keys(username, client_ip(request), device)
    with rt.db.session() as s:
        wait = authn.locked_for(s, keys)
        if wait:
            audit(s, None, "login_delayed", name, wait_s=wait)
            msg = Bi(
                f"Terlalu banyak percobaan. Coba lagi dalam {wait} detik", f"Too many attempts, wait {wait} s"
            )
            page = _login_page(request, nxt, msg, 429)
            page.headers["Retry-After"] = str(wait)
            return page
        cw = verify(s, username, password)
        reason = "password"
        if cw is not None and totp.enabled(cw) and not totp.check(cw, code):
            cw, reason = None, "code"
        if cw is None:
            crossed = authn.record_failure(s, keys, rt.settings)
            audit(s, None, "login_failed", name, reason=reason, device=bool(device))
            for c in crossed:
                _alert(s, c, name, client_ip(request), notify_configured(rt.settings))
            ok = False
        else:
            authn.record_success(s, cw.username, device)
            cookie, _ = authn.create_session(s, cw, rt.settings)
            audit(s, cw.id, "login", cw.username, totp=totp.enabled(cw))
            device_cookie = authn.new_device_cookie(cw.username, rt.settings)
            ok = True
    if not ok:
        if crossed:
            wake_sender()  # the alert goes out now
        return _login_page(
            request, nxt, Bi("Nama pengguna, sandi atau kode salah", "Wrong username, password or code"), 401
        )
    resp = RedirectResponse(nxt, status_code=303)
    authn.set_session_cookie(resp, request, rt.settings, cookie)
    authn.set_device_cookie(resp, request, rt.settings, device_cookie)
    resp.delete_cookie(authn.LOGIN_CSRF_COOKIE, path="/console/login")
    return resp


def _alert(s: Session, c: authn.Throttled, name: str, ip: str | None, configured: bool) -> None:
    """A counter reached its limit: one audit event and one notice to the admins (bot/notify.py)."""
    scope = {"ip": "address", "user": "account", "dev": "device"}[c.key.partition(":")[0]]
    who = {"account": name, "device": name, "address": None}[scope]
    audit(
        s,
        None,
        "login_throttled",
        (who or ip or "")[:80],
        scope=scope,
        failures=c.failures,
        delay_s=c.delay_s,
        address=ip,
    )
    enqueue_security_notice(
        s, configured=configured, scope=scope, account=who, address=ip, failures=c.failures, delay_s=c.delay_s
    )


@router.post("/logout")
def logout(request: Request, auth: authn.Auth = Depends(form_auth)) -> Response:
    with runtime(request).db.session() as s:
        authn.end_session(s, auth.session_id)
        audit(s, auth.caseworker_id, "logout", auth.username)
    resp = RedirectResponse("/console/login", status_code=303)
    authn.clear_session_cookie(resp)
    return resp


@router.get("/password")
def password_form(request: Request, auth: authn.Auth = Depends(current_auth)) -> Response:
    return render(request, "password.html", {})


@router.post("/password")
def password_change(
    request: Request,
    current: str = Form("", max_length=1024),
    new: str = Form("", max_length=1024),
    repeat: str = Form("", max_length=1024),
    auth: authn.Auth = Depends(form_auth),
) -> Response:
    rt = runtime(request)
    error: str | None = None
    with rt.db.session() as s:
        cw = verify(s, auth.username, current)
        if cw is None:
            error = Bi("Sandi sekarang salah", "The current password is wrong")
        elif new != repeat:
            error = Bi("Sandi baru tidak sama", "The new passwords differ")
        else:
            try:
                set_password(s, cw, new, keep_session=auth.session_id)
            except AccountError as exc:
                error = message(exc)
            else:
                audit(s, auth.caseworker_id, "password_change", auth.username)
    if error:
        return render(request, "password.html", {"error": error}, 400)
    return render(request, "password.html", {"done": True})


# ---- TOTP ----------------------------------------------------------------------------------------


def _totp_page(request: Request, auth: authn.Auth, error: str | None = None, status: int = 200) -> Response:
    rt = runtime(request)
    with rt.db.session() as s:
        cw = s.get(Caseworker, auth.caseworker_id)
        assert cw is not None
        on = totp.enabled(cw)
        if not on and not cw.totp_secret:
            totp.begin(cw)  # a pending secret, shown until a code from the app confirms it
        ctx = {
            "on": on,
            "since": cw.totp_enabled_at,
            "secret": None if on else cw.totp_secret,
            "uri": None if on else totp.uri(cw),
            "required": rt.settings.console_require_totp,
            "error": error,
        }
    return render(request, "totp.html", ctx, status)


@router.get("/totp")
def totp_form(request: Request, auth: authn.Auth = Depends(current_auth)) -> Response:
    return _totp_page(request, auth)


@router.post("/totp")
def totp_enable(
    request: Request, code: str = Form("", max_length=20), auth: authn.Auth = Depends(form_auth)
) -> Response:
    """Confirm enrolment with a code from the app; from now on the login asks for a code."""
    with runtime(request).db.session() as s:
        cw = s.get(Caseworker, auth.caseworker_id)
        assert cw is not None
        ok = not totp.enabled(cw) and bool(cw.totp_secret) and totp.confirm(s, cw, code)
        if ok:
            audit(s, auth.caseworker_id, "totp_enable", auth.username)
    if not ok:
        return _totp_page(request, auth, Bi("Kode salah atau kedaluwarsa", "Wrong or expired code"), 400)
    return RedirectResponse("/console/totp", status_code=303)


@router.post("/totp/disable")
def totp_disable(
    request: Request, current: str = Form("", max_length=1024), auth: authn.Auth = Depends(form_auth)
) -> Response:
    rt = runtime(request)
    if rt.settings.console_require_totp:
        return _totp_page(request, auth, Bi("Admin mewajibkan TOTP", "TOTP is required here"), 400)
    with rt.db.session() as s:
        cw = verify(s, auth.username, current)
        if cw is not None:
            totp.disable(cw)
            audit(s, auth.caseworker_id, "totp_disable", auth.username)
    if cw is None:
        return _totp_page(request, auth, Bi("Sandi sekarang salah", "The current password is wrong"), 400)
    return RedirectResponse("/console/totp", status_code=303)
