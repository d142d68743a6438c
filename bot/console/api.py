"""The console's JSON API (`/api/...`): the same login as the pages; 401 without one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from bot.console import cases, scope
from bot.console.auth import Auth
from bot.console.web import QueueFilter, current_auth, load_queue, queue_filter, runtime
from bot.store.models import Caseworker

router = APIRouter(prefix="/api")


@router.get("/me")
def me(auth: Auth = Depends(current_auth)) -> dict[str, Any]:
    return {"username": auth.username, "role": auth.role}


@router.get("/escalations")
def escalations(
    request: Request, f: QueueFilter = Depends(queue_filter), auth: Auth = Depends(current_auth)
) -> dict[str, Any]:
    """The queue: emergencies first, then the oldest; each with its age against its target."""
    rt = runtime(request)
    with rt.db.session() as s:
        items = load_queue(s, rt, auth, f, "api")
    return {"escalations": [i.as_dict() for i in items], "count": len(items)}


@router.get("/escalations/{reference}")
def escalation(request: Request, reference: str, auth: Auth = Depends(current_auth)) -> JSONResponse:
    """One case with its transcript; the read is written to the audit log."""
    with runtime(request).db.session() as s:
        esc = cases.by_reference(s, reference)
        if esc is None:
            return JSONResponse({"detail": "not found"}, status_code=404)
        v = scope.viewer(s, auth.caseworker_id, auth.is_admin)
        if not scope.in_scope(esc, v):
            cases.audit(s, auth.caseworker_id, "view_denied", esc.reference, via="api", scope="region")
            return JSONResponse({"detail": "this case is outside your regions"}, status_code=403)
        if not cases.may_read(esc, auth.caseworker_id, auth.is_admin):
            cases.audit(s, auth.caseworker_id, "view_denied", esc.reference, via="api")
            return JSONResponse({"detail": "another caseworker holds this case"}, status_code=403)
        contact, known = scope.contact_secrets(s, esc)
        shown = scope.reveals(esc, v)
        show = scope.masker(shown, known)
        details = esc.details or {}
        if shown:
            fields = sorted((contact.profile if contact else None) or {}) + [
                k for k in scope.PERSONAL_KEYS if details.get(k)
            ]
            cases.audit(s, auth.caseworker_id, "reveal_personal", esc.reference, fields=fields, via="api")
        assignee = s.get(Caseworker, esc.assignee_id) if esc.assignee_id else None
        messages = cases.transcript(s, esc.contact_id)
        statuses = cases.reply_status(s, esc.contact_id)
        cases.audit(s, auth.caseworker_id, "view_case", esc.reference, messages=len(messages), via="api")
        body = {
            "reference": esc.reference,
            "category": esc.category,
            "priority": esc.priority,
            "status": esc.status,
            "summary": show(esc.summary),
            "details": details if shown else scope.masked_details(details, known),
            "personal_details_shown": shown,
            "assignee": assignee.username if assignee else None,
            "created_at": esc.created_at.isoformat(),
            "claimed_at": esc.claimed_at.isoformat() if esc.claimed_at else None,
            "first_response_at": esc.first_response_at.isoformat() if esc.first_response_at else None,
            "resolved_at": esc.resolved_at.isoformat() if esc.resolved_at else None,
            "outcome": esc.outcome,
            "contact": None
            if contact is None
            else {
                "channel": contact.channel,
                "language": contact.language,
                "consent_at": contact.consent_at.isoformat() if contact.consent_at else None,
            },
            "messages": [
                {
                    "id": m.id,
                    "direction": m.direction,
                    "sender": m.sender,
                    "text": show(m.text),
                    "created_at": m.created_at.isoformat(),
                    "delivery": statuses[m.meta["outbox_id"]].status
                    if (m.meta or {}).get("outbox_id") in statuses
                    else None,
                }
                for m in messages
            ],
        }
    return JSONResponse(body, headers={"Cache-Control": "no-store"})
