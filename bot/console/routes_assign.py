"""Shifts, manual assignment and transfer (the automatic part is bot/console/assign.py)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from bot.console import assign, cases
from bot.console.auth import Auth
from bot.console.routes_cases import act
from bot.console.web import form_auth, runtime

router = APIRouter(prefix="/console")


@router.post("/shift")
def shift(request: Request, on: bool = Form(False), auth: Auth = Depends(form_auth)) -> Response:
    """Start or end one's own shift; starting one hands waiting cases out at once."""
    rt = runtime(request)
    with rt.db.session() as s:
        changed = assign.set_shift(s, auth.caseworker_id, on)
        if changed and on and rt.settings.console_auto_assign:
            assign.assign_waiting(s, rt.settings.console_max_open_cases)
    return RedirectResponse("/console/", status_code=303)


@router.post("/cases/{reference}/assign")
def assign_case(
    request: Request,
    reference: str,
    to: str = Form("", max_length=20),
    reason: str = Form("", max_length=300),
    auth: Auth = Depends(form_auth),
) -> Response:
    """`to` = a caseworker's id, or "queue". An admin assigns an open case; the holder or an admin
    transfers a claimed one (a reason is required)."""
    target: int | None
    if to == "queue":
        target = None
    elif to.isdigit():
        target = int(to)
    else:
        target = -1  # nobody: refused below as "choose an active caseworker" (or "claim first")
    return act(
        request,
        auth,
        reference,
        lambda s, e: cases.transfer(s, e, auth.caseworker_id, target, reason, admin=auth.is_admin),
    )
