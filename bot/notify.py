"""Tell caseworkers about new emergencies: a Telegram group message and/or a JSON webhook.

Two halves, so nothing is sent inside the message transaction:
- `Notifier` subscribes to the store's `EmergencyRaised` event (bot/events.py; `subscribe`, called
  by bot/app_state.py) and stores an outbox row with channel "notify" in the transaction that created
  the escalation or raised it to emergency;
- `NotifyAdapter` is the outbox sender's adapter for channel "notify": bot/outbox.py delivers
  those rows with its usual retries and back-off (its `SPEC` is in bot/channels/registry.py).

Without a target (no caseworker Telegram chat with a bot token, no webhook) a notice is stored as
already `failed` with the reason, never `pending`: nothing would deliver it, the outbox would only
grow, and configuring a target later would flood the group with stale alerts. A warning at start-up
and `sahabat_notices_unsent_total` say so.

A notice carries the reference, category, priority and province only: never a name, phone number,
message text or the person's chat id (a caseworker group is not a place for personal details)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.channels.spec import ChannelSpec
from bot.config import Settings
from bot.delivery import Part, PermanentFailure, TemporaryFailure
from bot.events import EmergencyRaised, Hub
from bot.metrics import NOTICES_UNSENT
from bot.store.models import Escalation, Outbox, utcnow

log = logging.getLogger(__name__)

CHANNEL = "notify"
NO_TARGET = "not sent: no notification target configured"
NO_ALERT_TARGET = (
    "no caseworker notification target (SAHABAT_CASEWORKER_TELEGRAM_CHAT_ID with SAHABAT_TELEGRAM_TOKEN,"
    " or SAHABAT_CASEWORKER_WEBHOOK_URL): emergency notices are recorded as not sent"
)
_NOTICE_KEYS = ("event", "reference", "category", "priority", "province", "created_at")
# Security notices (login throttling): the account name and the client address, never a password.
SECURITY_EVENT = "security.login_throttled"
_SECURITY_KEYS = ("event", "scope", "account", "address", "failures", "delay_s", "created_at")
# A case that missed its first-response target (bot/console/sla_watch.py), for the admins (supervisors).
SLA_EVENT = "sla.breached"
_SLA_KEYS = ("event", "reference", "category", "priority", "province", "assignee", "due_at", "requeued", "created_at")
_CATEGORY_ID = {
    "emergency": "darurat",
    "returnee_help": "bantuan purna",
    "report": "laporan",
    "human_request": "minta petugas",
    "offer_check": "cek tawaran",
}


def enqueue_escalation_notice(s: Session, esc: Escalation, *, configured: bool = True) -> Outbox | None:
    """Queue one notice per emergency escalation (priority 0); other priorities wait in the queue.
    Not `configured` (no target): the notice is recorded as not sent (see the module's docstring)."""
    if esc.priority != 0:
        return None
    recent = s.scalars(
        select(Outbox).where(Outbox.channel == CHANNEL, Outbox.created_at >= esc.created_at)
    ).all()
    if any((r.payload or {}).get("reference") == esc.reference for r in recent):
        return None
    return _store(s, notice_payload(esc), configured)


def enqueue_security_notice(s: Session, *, configured: bool = True, **fields: Any) -> Outbox:
    """Queue an alert for the admins (login throttling); delivered like the emergency notices."""
    payload = {"event": SECURITY_EVENT, **fields, "created_at": utcnow().isoformat()}
    return _store(s, {k: v for k, v in payload.items() if k in _SECURITY_KEYS}, configured)


def enqueue_sla_notice(s: Session, esc: Escalation, *, configured: bool = True, **fields: Any) -> Outbox:
    """Tell the admins a case missed its target: reference, category, priority, province, the
    caseworker holding it (an account name), when it was due; never the person's details."""
    details = esc.details or {}
    payload = {
        "event": SLA_EVENT,
        "reference": esc.reference,
        "category": esc.category,
        "priority": esc.priority,
        "province": details.get("province"),
        **fields,
        "created_at": utcnow().isoformat(),
    }
    return _store(s, {k: v for k, v in payload.items() if k in _SLA_KEYS}, configured)


def sla_text(payload: dict[str, Any], base_url: str | None) -> str:
    lines = [
        f"⏰ Target terlewati / SLA breached: {payload.get('reference')}",
        f"Kategori: {payload.get('category')} · prioritas {payload.get('priority')} · provinsi {payload.get('province') or '-'}",
        f"Petugas / caseworker: {payload.get('assignee') or '-'} · jatuh tempo / due {payload.get('due_at')}",
    ]
    if payload.get("requeued"):
        lines.append("Dikembalikan ke antrean / returned to the queue")
    if base_url:
        lines.append(f"{base_url.rstrip('/')}/console/cases/{payload.get('reference')}")
    return "\n".join(lines)


def _store(s: Session, payload: dict[str, Any], configured: bool) -> Outbox:
    row = Outbox(contact_id=None, channel=CHANNEL, payload=payload)
    if not configured:
        row.status, row.last_error = "failed", NO_TARGET
        NOTICES_UNSENT.labels(str(payload.get("event"))).inc()
    s.add(row)
    s.flush()
    return row


class Notifier:
    """The caseworkers' side of the store's events, for one runtime's settings."""

    def __init__(self, settings: Settings) -> None:
        self.configured = notify_configured(settings)

    def on_emergency(self, event: EmergencyRaised) -> None:
        enqueue_escalation_notice(event.session, event.escalation, configured=self.configured)


def subscribe(hub: Hub, settings: Settings) -> Notifier:
    """Listen to `hub` (a database's events) at start-up; warn once when no target is configured."""
    notifier = Notifier(settings)
    if not notifier.configured:
        log.warning(NO_ALERT_TARGET)
    hub.subscribe(EmergencyRaised, notifier.on_emergency)
    return notifier


def security_text(payload: dict[str, Any]) -> str:
    scope = "akun / account" if payload.get("scope") == "account" else "alamat / address"
    return "\n".join(
        [
            "🔐 Login ditahan / logins throttled",
            f"{scope}: {payload.get('account') or payload.get('address') or '?'}",
            f"Gagal / failures: {payload.get('failures')} · jeda / delay {payload.get('delay_s')} s",
            "Lihat / see /console/admin/audit",
        ]
    )


def notice_payload(esc: Escalation) -> dict[str, Any]:
    details = esc.details or {}
    return {
        "event": "escalation.emergency",
        "reference": esc.reference,
        "category": esc.category,
        "priority": esc.priority,
        "province": details.get("province"),
        "created_at": esc.created_at.isoformat(),
    }


def telegram_text(payload: dict[str, Any], base_url: str | None) -> str:
    cat = payload.get("category") or "?"
    lines = [
        f"🚨 Kasus darurat baru / new emergency: {payload.get('reference')}",
        f"Kategori: {_CATEGORY_ID.get(cat, cat)} ({cat})",
        f"Provinsi: {payload.get('province') or '-'}",
    ]
    if base_url:
        lines.append(f"{base_url.rstrip('/')}/console/cases/{payload.get('reference')}")
    return "\n".join(lines)


def webhook_signature(body: bytes, secret: str) -> str:
    """`X-Sahabat-Signature: sha256=<hex>` so the receiver can check the notice came from us."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def notify_configured(settings: Settings) -> bool:
    return bool(
        ((settings.caseworker_telegram_chat_id or settings.admin_telegram_chat_id) and settings.telegram_token)
        or settings.caseworker_webhook_url
    )


class NotifyAdapter:
    """The outbox's adapter for channel "notify" (bot/outbox.py schedules, retries and records).

    One part per configured target: the caseworkers' Telegram group, then the webhook."""

    channel = CHANNEL

    def __init__(self, settings: Settings, client: httpx.AsyncClient | None = None) -> None:
        self.settings = settings
        self.client = client or httpx.AsyncClient(timeout=10.0)

    def render(self, payload: dict[str, Any]) -> list[Part]:
        st = self.settings
        security = payload.get("event") == SECURITY_EVENT
        breach = payload.get("event") == SLA_EVENT
        keys = _SECURITY_KEYS if security else _SLA_KEYS if breach else _NOTICE_KEYS
        notice = {k: v for k, v in payload.items() if k in keys}  # not the sender's bookkeeping
        parts: list[Part] = []
        # Security and SLA notices are for the admins: their chat when there is one.
        chat = (st.admin_telegram_chat_id or st.caseworker_telegram_chat_id) if security or breach else None
        chat = chat or st.caseworker_telegram_chat_id
        if chat and st.telegram_token:
            url = f"{st.telegram_api_url.rstrip('/')}/bot{st.telegram_token}/sendMessage"
            if security:
                text = security_text(notice)
            elif breach:
                text = sla_text(notice, st.public_base_url)
            else:
                text = telegram_text(notice, st.public_base_url)
            parts.append(Part({"url": url, "json": {"chat_id": chat, "text": text}}, meta={"target": "telegram"}))
        if st.caseworker_webhook_url:
            base = st.public_base_url
            case_url = (
                f"{base.rstrip('/')}/console/cases/{notice.get('reference')}" if base and not security else None
            )
            raw = json.dumps({**notice, "url": case_url}, sort_keys=True).encode()
            headers = {
                "Content-Type": "application/json",
                "X-Sahabat-Signature": webhook_signature(raw, st.secret_key),
            }
            parts.append(
                Part({"url": st.caseworker_webhook_url, "content": raw.decode(), "headers": headers})
            )
        return parts

    async def deliver(self, part: Part) -> str:
        d = part.data
        try:
            if "json" in d:
                r = await self.client.post(d["url"], json=d["json"])
            else:
                r = await self.client.post(d["url"], content=d["content"].encode(), headers=d["headers"])
        except httpx.HTTPError as exc:
            raise TemporaryFailure(type(exc).__name__) from None
        if r.status_code == 429 or r.status_code >= 500:
            retry = r.headers.get("Retry-After")
            raise TemporaryFailure(
                f"HTTP {r.status_code}", float(retry) if retry and retry.isdigit() else None
            )
        if r.status_code >= 400:
            raise PermanentFailure(f"HTTP {r.status_code}")
        try:
            return str(r.json().get("result", {}).get("message_id", ""))
        except (ValueError, AttributeError):
            return ""

    async def send(self, payload: dict[str, Any]) -> str:
        provider_id = ""
        for part in self.render(payload):
            provider_id = await self.deliver(part)
        return provider_id

    async def close(self) -> None:
        await self.client.aclose()


# Not a person's channel: no routes, no inbound; registered so the outbox builds its sender.
SPEC = ChannelSpec(name=CHANNEL, title="Caseworker notices", sender=NotifyAdapter, enabled=notify_configured)
