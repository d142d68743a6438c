"""The language switch (ID | EN in every page's header): a plain link, so it works without JS.

It sets only a display preference in this browser (no server state, no session needed, so the
login page has it too); `next` is kept inside the console like the login redirect."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from bot.console import auth as authn
from bot.console.i18n import LANG_COOKIE
from bot.console.routes_auth import safe_next
from bot.console.web import runtime

router = APIRouter(prefix="/console")

ONE_YEAR = 365 * 24 * 3600


@router.get("/lang/{code}")
def switch_language(request: Request, code: Literal["id", "en"], next: str = "/console/") -> Response:
    resp = RedirectResponse(safe_next(next), status_code=303)
    resp.set_cookie(
        LANG_COOKIE,
        code,
        max_age=ONE_YEAR,
        path="/console",
        secure=authn.cookie_secure(request, runtime(request).settings),
        samesite="strict",
    )
    return resp
