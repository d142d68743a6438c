"""Mount the caseworker console on the FastAPI app: `install_console(app)` adds the routes, the
static files, the login redirects and the security headers (called once from bot/server.py)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

from bot.console import api, routes_admin, routes_assign, routes_auth, routes_cases, routes_lang
from bot.console.auth import Forbidden, NotLoggedIn, TotpRequired
from bot.console.headers import ConsoleHeaders
from bot.console.i18n import lang_of, pick
from bot.console.web import HERE, render


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def install_console(app: FastAPI, *, hsts: bool = False) -> None:
    app.include_router(routes_auth.router)
    app.include_router(routes_lang.router)
    app.include_router(routes_cases.router)
    app.include_router(routes_assign.router)
    app.include_router(routes_admin.router)
    app.include_router(api.router)
    # Static files (CSS, JS) are public: the login page needs them and they hold no case data.
    app.mount("/console/static", StaticFiles(directory=HERE / "static"), name="console-static")

    @app.exception_handler(NotLoggedIn)
    async def not_logged_in(request: Request, _: NotLoggedIn) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": "login required"}, status_code=401)
        target = request.url.path if request.method == "GET" else "/console/"
        if request.method == "GET" and request.url.query:
            target += "?" + request.url.query
        return RedirectResponse(f"/console/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(TotpRequired)
    async def totp_required(request: Request, _: TotpRequired) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": "TOTP enrolment required: open /console/totp"}, status_code=403)
        return RedirectResponse("/console/totp", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": pick(exc.reason, lang_of(request))}, status_code=403)
        return render(request, "message.html", {"title": "403", "text": exc.reason}, 403)

    app.add_middleware(ConsoleHeaders, hsts=hsts)  # hsts: production is https-only
