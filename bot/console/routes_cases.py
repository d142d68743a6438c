"""The queue and the case page, with every action a caseworker takes on a case."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from starlette.responses import Response

from bot.channels import registry
from bot.console import cases, consent, handoff, presence, scope
from bot.console.auth import Auth
from bot.console.canned import canned_replies, referral_targets
from bot.console.i18n import Bi, lang_of, message, pick
from bot.console.sending import wake_sender
from bot.console.web import (
    OUTBOX_LABELS,
    QueueFilter,
    current_auth,
    form_auth,
    load_queue,
    queue_filter,
    render,
    runtime,
    targets,
    templates,
    translator,
)
from bot.store.models import Caseworker, Contact, Conversation, Escalation, Message, utcnow

router = APIRouter(prefix="/console")

# Details keys shown elsewhere on the page or only for the machine.
_HIDDEN_DETAILS = {"language", "province", "country", "place", "consent_to"}  # consent: its own list


class _NotFound(Exception):
    pass


def _queue_ctx(request: Request, auth: Auth, f: QueueFilter, via: str) -> dict[str, Any]:
    rt = runtime(request)
    with rt.db.session() as s:
        items = load_queue(s, rt, auth, f, via)
        provs = cases.provinces(s, scope.viewer(s, auth.caseworker_id, auth.is_admin))
        me = s.get(Caseworker, auth.caseworker_id)
        on_shift = bool(me and me.on_shift)
    return {
        "on_shift": on_shift,
        "items": items,
        "provinces": provs,
        "f": {"category": f.category, "province": f.province, "status": f.status, "mine": f.mine},
        "categories": cases.CATEGORIES,
        "statuses": cases.STATUSES,
    }


@router.get("/")
def queue_page(
    request: Request, f: QueueFilter = Depends(queue_filter), auth: Auth = Depends(current_auth)
) -> Response:
    return render(request, "queue.html", _queue_ctx(request, auth, f, "page"))


@router.get("/queue")
def queue_fragment(
    request: Request, f: QueueFilter = Depends(queue_filter), auth: Auth = Depends(current_auth)
) -> Response:
    """The queue's rows only, polled by the page every few seconds."""
    return render(request, "_queue_rows.html", _queue_ctx(request, auth, f, "poll"))


def _load(s: Session, reference: str) -> Escalation:
    esc = cases.by_reference(s, reference)
    if esc is None:
        raise _NotFound()
    return esc


def _case_ctx(
    s: Session,
    request: Request,
    auth: Auth,
    esc: Escalation,
    *,
    reveal: bool = False,
    via: str = "page",
    reason: str = "",
) -> dict[str, Any]:
    """The case page's data. Personal details in full only when the viewer holds the case (or an
    admin asked to reveal them, `reveal`); every such view writes a `reveal_personal` audit event."""
    rt = runtime(request)
    contact, known = scope.contact_secrets(s, esc)
    conv = s.query(Conversation).filter_by(contact_id=contact.id).first() if contact else None
    assignee = s.get(Caseworker, esc.assignee_id) if esc.assignee_id else None
    messages = cases.transcript(s, esc.contact_id)
    lang = contact.language if contact else "id"
    now = utcnow()
    details = esc.details or {}
    profile = (contact.profile if contact else None) or {}
    shown = reveal or scope.reveals(esc, scope.viewer(s, auth.caseworker_id, auth.is_admin))
    if shown:
        fields = sorted(profile) + [k for k in scope.PERSONAL_KEYS if details.get(k)]
        why = {"reason": reason} if reason else {}
        cases.audit(s, auth.caseworker_id, "reveal_personal", esc.reference, fields=fields, via=via, **why)
    else:
        details, profile = scope.masked_details(details, known), scope.masked_profile(profile)
    staff = s.execute(
        select(Caseworker.id, Caseworker.username)
        .where(Caseworker.active.is_(True))
        .order_by(Caseworker.username)
    ).all()
    return {
        "staff": [(i, u) for i, u in staff if i != esc.assignee_id],
        "revealed": shown,
        "consent_to": consent.consent_of(esc),
        "handoff": handoff.summary(
            esc, contact, messages, scope.masker(shown, known), _fmt(request), lang_of(request)
        ),
        "history": handoff.history(s, esc, contact),
        "consent_labels": consent.LABELS,
        "show": scope.masker(shown, known),
        "profile": profile,
        "esc": esc,
        "contact": contact,
        "mode": conv.mode if conv else "bot",
        "assignee": assignee.username if assignee else None,
        "holder": esc.status == "claimed" and esc.assignee_id == auth.caseworker_id,
        "may_reply": esc.status == "claimed" and (esc.assignee_id == auth.caseworker_id or auth.is_admin),
        "may_annotate": cases.may_annotate(esc, auth.caseworker_id, auth.is_admin),
        "details": {k: v for k, v in details.items() if k not in _HIDDEN_DETAILS},
        "place": {k: details.get(k) for k in ("country", "province", "place")},
        "messages": messages,
        "last_id": messages[-1].id if messages else 0,
        "statuses": cases.reply_status(s, esc.contact_id),
        "notes": cases.notes(s, esc.id),
        "referrals": cases.referrals(s, esc.id),
        "targets_ref": referral_targets(rt.settings.content_dir),
        "canned": [
            (c.id, c.title.get("id"), c.text.get(lang)) for c in canned_replies(rt.settings.content_dir)
        ],
        "outcomes": cases.OUTCOMES,
        "age": now - esc.created_at,
        "target": cases.target_for(esc.priority, targets(rt)),
        "overdue": cases.is_overdue(esc, targets(rt), now),
        "max_reply": cases.MAX_REPLY_CHARS,
        "is_template": cases.is_template_send,
        "delivery_label": cases.delivery_label,
        "window_closed": _window_closed(contact, messages, now),
    }


def _window_closed(contact: Contact | None, messages: list[Message], now: datetime) -> dict[str, Any] | None:
    """The channel's session window (WhatsApp: free text only within 24 hours of the person's last
    message) when it is closed, for the notice that a template goes out instead; else None."""
    spec = registry.get(contact.channel) if contact is not None else None
    window = spec.capabilities.session_window if spec is not None else None
    if spec is None or window is None:
        return None
    last_in = max((m.created_at for m in messages if m.direction == "in"), default=None)
    if not spec.capabilities.window_closed(last_in, now):
        return None
    return {"title": spec.title, "hours": round(window.total_seconds() / 3600)}


def _not_found(request: Request) -> Response:
    return render(request, "message.html", {"title": Bi("Tidak ditemukan", "Not found"), "text": ""}, 404)


NOT_YOURS = Bi(
    "Kasus ini dipegang petugas lain; minta admin bila perlu dialihkan.",
    "Another caseworker holds this case; ask an admin to reassign it.",
)


OUT_OF_SCOPE = Bi(
    "Kasus ini di luar wilayah Anda; minta admin bila perlu.",
    "This case is outside your regions; ask an admin.",
)


def _may_read(s: Session, auth: Auth, esc: Escalation) -> bool:
    """In the viewer's scope (regions or assigned), and open or theirs (or an admin)."""
    v = scope.viewer(s, auth.caseworker_id, auth.is_admin)
    return scope.in_scope(esc, v) and cases.may_read(esc, auth.caseworker_id, auth.is_admin)


def _readable(s: Session, request: Request, auth: Auth, reference: str) -> Escalation | Response:
    """The case if this viewer may read it, else the page that says why not (404 or 403, audited)."""
    try:
        esc = _load(s, reference)
    except _NotFound:
        return _not_found(request)
    if not _may_read(s, auth, esc):
        return _refuse_read(s, request, auth, esc)
    return esc


def _refuse_read(s: Session, request: Request, auth: Auth, esc: Escalation) -> Response:
    """A claimed or resolved case of someone else: no transcript, no personal details (403)."""
    v = scope.viewer(s, auth.caseworker_id, auth.is_admin)
    outside = not scope.in_scope(esc, v)
    cases.audit(
        s, auth.caseworker_id, "view_denied", esc.reference, **({"scope": "region"} if outside else {})
    )
    return render(
        request, "message.html", {"title": "403", "text": OUT_OF_SCOPE if outside else NOT_YOURS}, 403
    )


@router.get("/cases/{reference}")
def case_page(request: Request, reference: str, auth: Auth = Depends(current_auth)) -> Response:
    with runtime(request).db.session() as s:
        esc = _readable(s, request, auth, reference)
        if isinstance(esc, Response):
            return esc
        ctx = _case_ctx(s, request, auth, esc)
        ctx["viewers"] = presence.touch(s, esc.id, auth.caseworker_id)
        # The view is recorded in the same transaction that read the transcript.
        cases.audit(s, auth.caseworker_id, "view_case", esc.reference, messages=len(ctx["messages"]))
    return render(request, "case.html", ctx)


@router.get("/cases/{reference}/updates")
def case_updates(
    request: Request, reference: str, after: int = Query(0, ge=0), auth: Auth = Depends(current_auth)
) -> Response:
    """New messages since `after` and the delivery status of replies; polled by the case page."""
    lang = lang_of(request)
    with runtime(request).db.session() as s:
        esc = cases.by_reference(s, reference)
        if esc is None:
            return JSONResponse({"detail": "not found"}, status_code=404)
        if not _may_read(s, auth, esc):
            outside = not scope.in_scope(esc, scope.viewer(s, auth.caseworker_id, auth.is_admin))
            why = {"scope": "region"} if outside else {}
            cases.audit(s, auth.caseworker_id, "view_denied", esc.reference, via="updates", **why)
            return JSONResponse(
                {"detail": pick(OUT_OF_SCOPE if outside else NOT_YOURS, lang)}, status_code=403
            )
        messages = cases.transcript(s, esc.contact_id, after_id=after)
        statuses = cases.reply_status(s, esc.contact_id)
        shown = scope.reveals(esc, scope.viewer(s, auth.caseworker_id, auth.is_admin))
        if messages:  # only a poll that shows message text is a view of the transcript
            cases.audit(
                s,
                auth.caseworker_id,
                "view_transcript",
                esc.reference,
                messages=len(messages),
                revealed=shown,
            )
        conv = s.query(Conversation).filter_by(contact_id=esc.contact_id).first() if esc.contact_id else None
        html = templates.get_template("_messages.html").render(
            messages=messages,
            statuses=statuses,
            is_template=cases.is_template_send,
            delivery_label=cases.delivery_label,
            OUTBOX_LABELS=OUTBOX_LABELS,
            t=translator(lang),
            fmt_dt=_fmt(request),
            show=scope.masker(shown, scope.contact_secrets(s, esc)[1]),
        )
        body = {
            "html": html,
            "last_id": messages[-1].id if messages else after,
            "statuses": {
                str(k): {
                    "status": cases.delivery_label(r),
                    "label": pick(OUTBOX_LABELS.get(cases.delivery_label(r), r.status), lang),
                    "template": cases.is_template_send(r),
                }
                for k, r in statuses.items()
            },
            "case_status": esc.status,
            "viewers": presence.touch(s, esc.id, auth.caseworker_id),
            "mode": conv.mode if conv else "bot",
        }
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


def _fmt(request: Request) -> Callable[[datetime | None], str]:
    from bot.console.web import _zone

    zone = _zone(request)
    return lambda d: d.astimezone(zone).strftime("%d-%m-%Y %H:%M") if d else "—"


def act(
    request: Request, auth: Auth, reference: str, fn: Callable[[Session, Escalation], object]
) -> Response:
    """Run one case action; on a refused action show the case again with the reason (409)."""
    db = runtime(request).db
    for attempt in range(3):
        try:
            with db.session() as s:
                esc = _load(s, reference)
                if not scope.in_scope(esc, scope.viewer(s, auth.caseworker_id, auth.is_admin)):
                    raise cases.NotYours(OUT_OF_SCOPE)
                fn(s, esc)
            wake_sender()  # committed: replies and the bot's "I'm back" go out now, not at the next poll
            return RedirectResponse(f"/console/cases/{reference}", status_code=303)
        except _NotFound:
            return _not_found(request)
        except cases.CaseError as exc:
            status = 403 if isinstance(exc, cases.NotYours) else 409
            with db.session() as s:
                esc = _load(s, reference)
                cases.audit(s, auth.caseworker_id, "action_refused", esc.reference, reason=str(exc)[:120])
                if not _may_read(s, auth, esc):
                    return render(
                        request, "message.html", {"title": str(status), "text": message(exc)}, status
                    )
                ctx = _case_ctx(s, request, auth, esc)
                cases.audit(s, auth.caseworker_id, "view_case", esc.reference, messages=len(ctx["messages"]))
            return render(request, "case.html", {**ctx, "error": message(exc)}, status)
        except (StaleDataError, OperationalError):  # the bot wrote to the same conversation at this moment
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@router.post("/cases/{reference}/claim")
def claim(request: Request, reference: str, auth: Auth = Depends(form_auth)) -> Response:
    return act(request, auth, reference, lambda s, e: cases.claim(s, e, auth.caseworker_id))


@router.post("/cases/{reference}/release")
def release(request: Request, reference: str, auth: Auth = Depends(form_auth)) -> Response:
    return act(
        request, auth, reference, lambda s, e: cases.release(s, e, auth.caseworker_id, admin=auth.is_admin)
    )


@router.post("/cases/{reference}/reply")
def reply(
    request: Request,
    reference: str,
    text: str = Form("", max_length=5000),
    auth: Auth = Depends(form_auth),
) -> Response:
    return act(
        request,
        auth,
        reference,
        lambda s, e: cases.send_reply(s, e, auth.caseworker_id, text, admin=auth.is_admin),
    )


@router.post("/cases/{reference}/note")
def note(
    request: Request, reference: str, text: str = Form("", max_length=10_000), auth: Auth = Depends(form_auth)
) -> Response:
    return act(
        request,
        auth,
        reference,
        lambda s, e: cases.add_note(s, e, auth.caseworker_id, text, admin=auth.is_admin),
    )


@router.post("/cases/{reference}/referral")
def referral(
    request: Request,
    reference: str,
    target: str = Form("", max_length=80),
    note: str = Form("", max_length=2000),
    exception: str = Form("", max_length=20),
    auth: Auth = Depends(form_auth),
) -> Response:
    kind, _, target_id = target.partition(":")
    return act(
        request,
        auth,
        reference,
        lambda s, e: cases.add_referral(
            s, e, auth.caseworker_id, kind, target_id, note, admin=auth.is_admin, exception=exception
        ),
    )


@router.post("/cases/{reference}/resolve")
def resolve(
    request: Request,
    reference: str,
    outcome: str = Form("", max_length=40),
    note: str = Form("", max_length=10_000),
    auth: Auth = Depends(form_auth),
) -> Response:
    return act(
        request,
        auth,
        reference,
        lambda s, e: cases.resolve(s, e, auth.caseworker_id, outcome, note, admin=auth.is_admin),
    )


@router.post("/cases/{reference}/end-handoff")
def end_handoff(request: Request, reference: str, auth: Auth = Depends(form_auth)) -> Response:
    return act(
        request,
        auth,
        reference,
        lambda s, e: cases.end_handoff(s, e, auth.caseworker_id, admin=auth.is_admin),
    )


@router.post("/cases/{reference}/reveal")
def reveal(
    request: Request, reference: str, reason: str = Form("", max_length=300), auth: Auth = Depends(form_auth)
) -> Response:
    """An admin (oversight, a reassignment) sees the personal details of a case they do not hold;
    the reason goes into the `reveal_personal` audit event. The holder sees them anyway."""
    with runtime(request).db.session() as s:
        esc = _readable(s, request, auth, reference)
        if isinstance(esc, Response):
            return esc
        holder = scope.reveals(esc, scope.viewer(s, auth.caseworker_id, auth.is_admin))
        if not (auth.is_admin or holder):
            cases.audit(s, auth.caseworker_id, "action_refused", esc.reference, reason="reveal")
            return render(
                request,
                "message.html",
                {"title": "403", "text": Bi("Ambil kasus ini dulu", "Claim this case first")},
                403,
            )
        if not holder and not reason.strip():
            ctx = _case_ctx(s, request, auth, esc)
            cases.audit(s, auth.caseworker_id, "view_case", esc.reference, messages=len(ctx["messages"]))
            return render(request, "case.html", {**ctx, "error": Bi("Tulis alasan", "Give a reason")}, 400)
        ctx = _case_ctx(s, request, auth, esc, reveal=True, via="reveal", reason=reason.strip()[:300])
        cases.audit(s, auth.caseworker_id, "view_case", esc.reference, messages=len(ctx["messages"]))
    return render(request, "case.html", ctx)
