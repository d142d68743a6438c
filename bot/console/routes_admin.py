"""Admin pages (accounts, audit log) and the statistics page with its CSV export."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.responses import Response

from bot.console import stats as stats_mod
from bot.console import totp
from bot.console.auth import Auth
from bot.console.cases import audit
from bot.console.i18n import Bi, lang_of, message
from bot.console.passwords import ROLES, AccountError, add_caseworker, set_active, set_password, set_role
from bot.console.scope import parse_regions
from bot.console.web import admin_auth, admin_form_auth, current_auth, render, runtime, translator
from bot.store.models import AuditEvent, Caseworker, ConsoleSession, utcnow

router = APIRouter(prefix="/console")
AUDIT_PAGE = 100


# ---- accounts ------------------------------------------------------------------------------------


def _users_page(
    request: Request, error: str | None = None, done: str | None = None, status: int = 200
) -> Response:
    with runtime(request).db.session() as s:
        users = list(s.scalars(select(Caseworker).order_by(Caseworker.username)))
        live = dict(
            s.execute(
                select(ConsoleSession.caseworker_id, func.count())
                .where(ConsoleSession.expires_at > utcnow())
                .group_by(ConsoleSession.caseworker_id)
            ).all()
        )
    return render(
        request,
        "admin_users.html",
        {"users": users, "live": live, "roles": ROLES, "error": error, "done": done},
        status,
    )


@router.get("/admin/users")
def users(request: Request, auth: Auth = Depends(admin_auth)) -> Response:
    return _users_page(request)


@router.post("/admin/users")
def user_add(
    request: Request,
    username: str = Form("", max_length=100),
    role: str = Form("caseworker", max_length=20),
    password: str = Form("", max_length=1024),
    auth: Auth = Depends(admin_form_auth),
) -> Response:
    try:
        with runtime(request).db.session() as s:
            cw = add_caseworker(s, username, password, role)
            audit(s, auth.caseworker_id, "account_add", cw.username, role=role)
    except AccountError as exc:
        return _users_page(request, error=message(exc), status=400)
    return _users_page(request, done=Bi(f"Akun {cw.username} dibuat", f"Account {cw.username} created"))


def _change(
    request: Request,
    auth: Auth,
    user_id: int,
    action: str,
    fn: Callable[[Session, Caseworker], object],
    **detail: Any,
) -> Response:
    try:
        with runtime(request).db.session() as s:
            cw = s.get(Caseworker, user_id)
            if cw is None:
                return _users_page(request, error=Bi("Akun tidak ditemukan", "No such account"), status=404)
            fn(s, cw)
            audit(s, auth.caseworker_id, action, cw.username, **detail)
            name = cw.username
    except AccountError as exc:
        return _users_page(request, error=message(exc), status=400)
    return _users_page(request, done=f"{name}: {action}")


@router.post("/admin/users/{user_id}/active")
def user_active(
    request: Request, user_id: int, active: bool = Form(False), auth: Auth = Depends(admin_form_auth)
) -> Response:
    if user_id == auth.caseworker_id and not active:
        return _users_page(
            request,
            error=Bi("Tidak bisa menonaktifkan akun sendiri", "You cannot deactivate yourself"),
            status=400,
        )
    return _change(
        request,
        auth,
        user_id,
        "account_activate" if active else "account_deactivate",
        lambda s, cw: set_active(s, cw, active),
    )


@router.post("/admin/users/{user_id}/role")
def user_role(
    request: Request, user_id: int, role: str = Form("", max_length=20), auth: Auth = Depends(admin_form_auth)
) -> Response:
    if user_id == auth.caseworker_id and role != "admin":
        return _users_page(
            request,
            error=Bi("Tidak bisa mencabut peran admin sendiri", "You cannot demote yourself"),
            status=400,
        )
    return _change(request, auth, user_id, "account_role", lambda s, cw: set_role(s, cw, role), role=role)


@router.post("/admin/users/{user_id}/password")
def user_password(
    request: Request,
    user_id: int,
    password: str = Form("", max_length=1024),
    auth: Auth = Depends(admin_form_auth),
) -> Response:
    # Every session of that account ends: whoever had it must log in with the new password.
    return _change(
        request, auth, user_id, "account_password_reset", lambda s, cw: set_password(s, cw, password)
    )


@router.post("/admin/users/{user_id}/regions")
def user_regions(
    request: Request,
    user_id: int,
    regions: str = Form("", max_length=4000),
    auth: Auth = Depends(admin_form_auth),
) -> Response:
    """The provinces whose cases this caseworker sees (comma-separated; empty = every province)."""
    names = parse_regions(regions)

    def apply(s: Session, cw: Caseworker) -> None:
        cw.regions = names

    return _change(request, auth, user_id, "account_regions", apply, regions=names)


@router.post("/admin/users/{user_id}/totp-reset")
def user_totp_reset(request: Request, user_id: int, auth: Auth = Depends(admin_form_auth)) -> Response:
    """A lost phone: the account logs in with its password alone again (and may enrol anew)."""
    return _change(request, auth, user_id, "account_totp_reset", lambda s, cw: totp.disable(cw))


# ---- audit log -----------------------------------------------------------------------------------


@router.get("/admin/audit")
def audit_log(
    request: Request,
    user: str = Query("", max_length=100),
    action: str = Query("", max_length=40),
    target: str = Query("", max_length=80),
    since: str = Query("", max_length=10),
    until: str = Query("", max_length=10),
    page: int = Query(1, ge=1, le=10_000),
    auth: Auth = Depends(admin_auth),
) -> Response:
    q = select(AuditEvent, Caseworker.username).outerjoin(
        Caseworker, Caseworker.id == AuditEvent.caseworker_id
    )
    if user:
        q = q.where(Caseworker.username == user.strip().lower())
    if action:
        q = q.where(AuditEvent.action == action)
    if target:
        q = q.where(AuditEvent.target == target.strip())
    for value, op in ((since, "ge"), (until, "lt")):
        try:
            day = datetime.fromisoformat(value) if value else None
        except ValueError:
            day = None
        if day is not None:
            day = day.replace(tzinfo=day.tzinfo or utcnow().tzinfo)
            q = q.where(
                AuditEvent.created_at >= day
                if op == "ge"
                else AuditEvent.created_at < day + timedelta(days=1)
            )
    q = (
        q.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .offset((page - 1) * AUDIT_PAGE)
        .limit(AUDIT_PAGE + 1)
    )
    with runtime(request).db.session() as s:
        rows = s.execute(q).all()
        actions = sorted(a for (a,) in s.execute(select(AuditEvent.action).distinct()))
    ctx = {
        "rows": rows[:AUDIT_PAGE],
        "more": len(rows) > AUDIT_PAGE,
        "page": page,
        "actions": actions,
        "f": {"user": user, "action": action, "target": target, "since": since, "until": until},
    }
    return render(request, "admin_audit.html", ctx)


# ---- statistics ----------------------------------------------------------------------------------


@router.get("/stats")
def stats_page(request: Request, weeks: int = Query(12), auth: Auth = Depends(current_auth)) -> Response:
    with runtime(request).db.session() as s:
        st = stats_mod.compute(s, weeks)
    lang = lang_of(request)
    tr = translator(lang)
    nothing = tr(stats_mod.NO_DATA)
    charts = {
        "category": stats_mod.hbar_chart(
            st.by_category, tr("Kasus per kategori", "Cases by category"), empty=nothing
        ),
        "province": stats_mod.hbar_chart(
            st.by_province, tr("Kasus per provinsi", "Cases by province"), empty=nothing
        ),
        "week": stats_mod.column_chart(st.by_week, tr("Kasus per minggu", "Cases per week"), empty=nothing),
        "flags": stats_mod.hbar_chart(st.red_flags, tr("Tanda bahaya", "Red flags"), empty=nothing),
        "outcome": stats_mod.hbar_chart(st.outcomes, tr("Hasil", "Outcomes"), empty=nothing),
        "offer_risk": stats_mod.hbar_chart(
            st.offer_risk, tr("Tawaran dicek per risiko", "Checked offers by risk"), empty=nothing
        ),
        "offer_flags": stats_mod.hbar_chart(
            st.offer_flags, tr("Tanda bahaya di tawaran", "Red flags in offers"), empty=nothing
        ),
    }
    return render(
        request,
        "stats.html",
        {
            "st": st,
            "charts": charts,
            "periods": stats_mod.PERIODS,
            "fmt_minutes": lambda m: stats_mod.fmt_minutes(m, lang),
        },
    )


@router.get("/stats.csv")
def stats_csv(request: Request, weeks: int = Query(12), auth: Auth = Depends(current_auth)) -> Response:
    with runtime(request).db.session() as s:
        st = stats_mod.compute(s, weeks)
        audit(s, auth.caseworker_id, "stats_export", f"{st.weeks}w")
    name = f"sahabat-stats-{utcnow().date().isoformat()}-{st.weeks}w.csv"
    return Response(
        stats_mod.to_csv(st),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/admin")
def admin_home(auth: Auth = Depends(admin_auth)) -> Response:
    return RedirectResponse("/console/admin/users", status_code=303)
