"""Login, logout and password change."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from bot.console import auth as authn
from bot.console.cases import audit
from bot.console.passwords import AccountError, set_password, verify
from bot.console.web import client_ip, current_auth, form_auth, render, runtime

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
    csrf_token: str = Form(""),
    next: str = Form("/console/"),
) -> Response:
    rt = runtime(request)
    nxt = safe_next(next)
    if not authn.csrf_ok(request.cookies.get(authn.LOGIN_CSRF_COOKIE) or "", csrf_token):
        return _login_page(request, nxt, "Formulir kedaluwarsa, coba lagi / form expired, try again", 400)
    keys = authn.throttle_keys(username, client_ip(request))
    with rt.db.session() as s:
        wait = authn.locked_for(s, keys)
        if wait:
            audit(s, None, "login_locked", username.strip().lower()[:80])
            minutes = max(1, (wait + 59) // 60)
            msg = f"Terlalu banyak percobaan. Coba lagi dalam {minutes} menit / too many attempts, wait {minutes} min"
            page = _login_page(request, nxt, msg, 429)
            page.headers["Retry-After"] = str(wait)
            return page
        cw = verify(s, username, password)
        if cw is None:
            authn.record_failure(s, keys, rt.settings)
            audit(s, None, "login_failed", username.strip().lower()[:80])
            ok = False
        else:
            authn.record_success(s, cw.username)
            cookie, _ = authn.create_session(s, cw, rt.settings)
            audit(s, cw.id, "login", cw.username)
            ok = True
    if not ok:
        return _login_page(request, nxt, "Nama pengguna atau sandi salah / wrong username or password", 401)
    resp = RedirectResponse(nxt, status_code=303)
    authn.set_session_cookie(resp, request, rt.settings, cookie)
    resp.delete_cookie(authn.LOGIN_CSRF_COOKIE, path="/console/login")
    return resp


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
    error = None
    with rt.db.session() as s:
        cw = verify(s, auth.username, current)
        if cw is None:
            error = "Sandi sekarang salah / current password is wrong"
        elif new != repeat:
            error = "Sandi baru tidak sama / the new passwords differ"
        else:
            try:
                set_password(s, cw, new, keep_session=auth.session_id)
            except AccountError as exc:
                error = str(exc)
            else:
                audit(s, auth.caseworker_id, "password_change", auth.username)
    if error:
        return render(request, "password.html", {"error": error}, 400)
    return render(request, "password.html", {"done": True})
