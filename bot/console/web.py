"""Shared pieces of the console's routes: login dependencies, CSRF check, template rendering."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import Depends, Query, Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from bot.app_state import Runtime
from bot.console.auth import (
    SESSION_COOKIE,
    Auth,
    Forbidden,
    NotLoggedIn,
    TotpRequired,
    csrf_ok,
    load_session,
)
from bot.console.i18n import Bi, Lang, lang_of, pick
from bot.store.models import utcnow

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))

CATEGORY_LABELS = {
    "emergency": Bi("Darurat", "Emergency"),
    "returnee_help": Bi("Bantuan purna", "Returnee help"),
    "report": Bi("Laporan", "Report"),
    "human_request": Bi("Minta petugas", "Asked for a person"),
    "offer_check": Bi("Cek tawaran", "Offer check"),
}
STATUS_LABELS = {
    "open": Bi("Baru", "Open"),
    "claimed": Bi("Ditangani", "Claimed"),
    "resolved": Bi("Selesai", "Resolved"),
}
OUTBOX_LABELS = {
    "pending": Bi("menunggu", "queued"),
    "sent": Bi("terkirim", "sent"),
    "delivered": Bi("sampai", "delivered"),
    "read": Bi("dibaca", "read"),
    "failed": Bi("gagal", "failed"),
    "undelivered": Bi("tidak sampai", "undelivered"),
    "template": Bi("ditahan (aturan 24 jam)", "held (24-hour rule)"),
}
OUTCOME_LABELS = {
    "referred": Bi("Dirujuk", "Referred"),
    "assisted": Bi("Dibantu langsung", "Assisted"),
    "information_given": Bi("Informasi diberikan", "Information given"),
    "unreachable": Bi("Tidak bisa dihubungi", "Unreachable"),
    "declined": Bi("Menolak bantuan", "Declined help"),
    "duplicate": Bi("Duplikat", "Duplicate"),
    "other": Bi("Lainnya", "Other"),
    # Set by the bot, not chosen: the person erased their data (bot/store/erase.py).
    "withdrawn": Bi("Dihapus oleh pengguna", "Erased by the person"),
}


# The names of intake and emergency fields on the case page (bot/console/templates/case.html); a key
# not listed is shown as it is stored.
FIELD_LABELS = {
    "name": Bi("Nama", "Name"),
    "phone": Bi("Telepon", "Phone"),
    "callback": Bi("Nomor untuk dihubungi", "Call-back number"),
    "situation": Bi("Situasi", "Situation"),
    "needs": Bi("Kebutuhan", "Needs"),
    "urgency": Bi("Seberapa mendesak", "Urgency"),
    "contact_via": Bi("Dihubungi lewat", "Contact via"),
    "safe_time": Bi("Waktu aman", "Safe time"),
    "red_flags": Bi("Tanda bahaya tawaran", "Offer red flags"),
    "anonymous": Bi("Laporan anonim", "Anonymous report"),
    "followup_of": Bi("Tindak lanjut dari", "Follow-up of"),
    "emergency_holder": Bi("Paspor dipegang", "Passport held by"),
    "emergency_passport": Bi("Paspor", "Passport"),
    "emergency_battery": Bi("Baterai ponsel", "Phone battery"),
    "emergency_credit": Bi("Pulsa", "Phone credit"),
    "emergency_safe_time": Bi("Waktu aman dihubungi", "Safe time to call"),
    "emergency_contact": Bi("Kontak darurat", "Emergency contact"),
}


def runtime(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


def targets(rt: Runtime) -> tuple[int, int]:
    return (rt.settings.target_emergency_minutes, rt.settings.target_normal_hours)


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


# ---- dependencies --------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilter:
    """The queue's filters, as the page, its polled fragment and the JSON API all take them."""

    category: str = ""
    province: str = ""
    status: str = ""
    mine: bool = False


def queue_filter(
    category: str = Query("", max_length=40),
    province: str = Query("", max_length=100),
    status: str = Query("", max_length=20),
    mine: bool = False,
) -> QueueFilter:
    return QueueFilter(category, province, status, mine)


def load_queue(s: Any, rt: Runtime, auth: Auth, f: QueueFilter, via: str) -> list[Any]:
    """The queue as one caseworker sees it; the view (it shows case summaries) is one audit event
    naming the cases shown, written in the same transaction as the read: `via` page, poll or api."""
    from bot.console import cases, scope

    items = cases.queue(
        s,
        targets(rt),
        category=f.category or None,
        province=f.province or None,
        status=f.status or None,
        mine=auth.caseworker_id if f.mine else None,
        viewer=scope.viewer(s, auth.caseworker_id, auth.is_admin),
    )
    filters = {k: v for k, v in vars(f).items() if v}
    cases.audit(
        s, auth.caseworker_id, "view_queue", "", via=via, shown=[i.reference for i in items], filters=filters
    )
    return items


def current_auth(request: Request) -> Auth:
    rt = runtime(request)
    with rt.db.session() as s:
        auth = load_session(s, request.cookies.get(SESSION_COOKIE), rt.settings)
    if auth is None:
        raise NotLoggedIn()
    request.state.auth = auth
    if rt.settings.console_require_totp and not auth.totp and request.url.path not in TOTP_EXEMPT:
        raise TotpRequired()
    return auth


# Reachable before enrolment when TOTP is required: the enrolment page itself and logging out.
TOTP_EXEMPT = {"/console/totp", "/console/logout"}


def admin_auth(auth: Auth = Depends(current_auth)) -> Auth:
    if not auth.is_admin:
        raise Forbidden(Bi("Hanya admin", "Admins only"))
    return auth


async def _check_csrf(request: Request, auth: Auth) -> Auth:
    token = request.headers.get("x-csrf-token")
    if token is None:
        form = await request.form()
        value = form.get("csrf_token")
        token = value if isinstance(value, str) else None
    if not csrf_ok(auth.csrf, token):
        raise Forbidden(Bi("Formulir kedaluwarsa, muat ulang halaman", "Form expired, reload the page"))
    return auth


async def form_auth(request: Request, auth: Auth = Depends(current_auth)) -> Auth:
    """A logged-in caseworker posting a form with this session's CSRF token."""
    return await _check_csrf(request, auth)


async def admin_form_auth(request: Request, auth: Auth = Depends(admin_auth)) -> Auth:
    return await _check_csrf(request, auth)


# ---- rendering -----------------------------------------------------------------------------------


def _zone(request: Request) -> ZoneInfo | Any:
    try:
        return ZoneInfo(runtime(request).settings.console_timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def fmt_age(delta: timedelta, lang: Lang = "id") -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 0)} {'min' if lang == 'en' else 'mnt'}"
    if minutes < 48 * 60:
        return f"{minutes // 60} {'h' if lang == 'en' else 'j'} {minutes % 60:02d} m"
    return f"{minutes // 1440} {'days' if lang == 'en' else 'hari'}"


def fmt_left(delta: timedelta | None, lang: Lang = "id") -> str:
    """Time left until due: "12 mnt lagi", or "lewat 1 j 05 m" when overdue (English: "12 min left")."""
    if delta is None:
        return "—"
    if delta.total_seconds() < 0:
        return f"{'over' if lang == 'en' else 'lewat'} {fmt_age(-delta, lang)}"
    return f"{fmt_age(delta, lang)} {'left' if lang == 'en' else 'lagi'}"


def here(request: Request) -> str:
    """Where the language switch comes back to: this page; after a form post, the case it was
    about (`/console/cases/REF/claim` -> the case page), else the queue."""
    if request.method != "GET":
        parts = request.url.path.split("/")
        return "/".join(parts[:4]) if len(parts) == 5 and parts[2] == "cases" else "/console/"
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def translator(lang: Lang) -> Callable[..., str]:
    """The templates' `t`: `t("Indonesian", "English")`, or `t(label)` for a `Bi` or a plain string."""

    def t(text: str, en: str | None = None) -> str:
        return (en if lang == "en" else text) if en is not None else pick(text, lang)

    return t


def render(request: Request, name: str, ctx: dict[str, Any] | None = None, status: int = 200) -> Response:
    zone = _zone(request)

    def fmt_dt(d: datetime | None) -> str:
        return d.astimezone(zone).strftime("%d-%m-%Y %H:%M") if d else "—"

    auth: Auth | None = getattr(request.state, "auth", None)
    lang = lang_of(request)
    base = {
        "lang": lang,
        "t": translator(lang),
        "here": here(request),
        "auth": auth,
        "csrf": auth.csrf if auth else "",
        "fmt_dt": fmt_dt,
        "fmt_age": lambda d: fmt_age(d, lang),
        "fmt_left": lambda d: fmt_left(d, lang),
        "zone_name": str(getattr(zone, "key", "UTC")),
        "now": utcnow(),
        "CATEGORY_LABELS": CATEGORY_LABELS,
        "STATUS_LABELS": STATUS_LABELS,
        "OUTBOX_LABELS": OUTBOX_LABELS,
        "OUTCOME_LABELS": OUTCOME_LABELS,
        "FIELD_LABELS": FIELD_LABELS,
    }
    return templates.TemplateResponse(request, name, {**base, **(ctx or {})}, status_code=status)
