"""WhatsApp through Twilio: the signed webhooks and rendering for the REST API.

Inbound (`POST /webhooks/twilio`): the X-Twilio-Signature is checked with twilio's RequestValidator
against SAHABAT_PUBLIC_BASE_URL + path (so it holds behind a proxy or tunnel), the message is stored
with its replies in the outbox, and the webhook is acknowledged with empty TwiML; replies go out
through the REST API. `MessageSid` is the de-duplication id.

WhatsApp sessions have no free buttons, so a reply's buttons become a numbered list ("Balas 1, 2
atau 3"). Which numbers mean what is not stored anywhere new: it is the buttons of the bot's last
*sent* outbox row, provided the person has not written since (any message of theirs consumes the
menu, so a later "2" answering a question is just "2").

Outside WhatsApp's 24-hour window a free-form message is refused by WhatsApp: a configured template
(SAHABAT_TWILIO_TEMPLATE_SID) goes out instead, the row becomes `template`, and the real message is
sent as soon as the person writes again."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from fastapi import APIRouter, HTTPException, Request, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from twilio.base.exceptions import TwilioException, TwilioRestException, TwilioServiceException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response as TwilioResponse
from twilio.request_validator import RequestValidator
from twilio.rest import Client
from twilio.twiml.messaging_response import MessagingResponse

from bot.channels.common import Part, PermanentFailure, TemporaryFailure, handle_once, send_all, send_direct
from bot.channels.spec import Capabilities, ChannelSpec
from bot.channels.whatsapp_content import ContentCache, widget
from bot.config import Settings
from bot.dispatch import run_engine
from bot.language import pick
from bot.messages import Inbound, Location, Reply
from bot.replies import MAX_CHARS, split_long
from bot.store.models import Contact, Message, Outbox
from bot.store.repo import record_delivery
from bot.turn.offline import DatabaseDownWithReplies
from bot.voice import fetch, queue
from bot.voice.base import UNREADABLE
from bot.voice.hear import Heard, apply, contact_language, hear

CHANNEL = "whatsapp"
WEBHOOK_PATH = "/webhooks/twilio"
STATUS_PATH = "/webhooks/twilio/status"
CAPABILITIES = Capabilities(
    push=True,
    max_text=MAX_CHARS,
    session_window=timedelta(hours=24),  # WhatsApp's customer service window
    window_margin=timedelta(minutes=5),  # a row checked now is sent a moment later
    max_buttons=0,  # no free buttons in a session: they become a numbered list
)
EMPTY_TWIML = str(MessagingResponse())

log = logging.getLogger(__name__)
router = APIRouter()

_DIGITS = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")
_OUTSIDE_WINDOW_CODES = {63016}  # Twilio: "outside the allowed window"


# -- signatures ------------------------------------------------------------------------------------
def public_url(settings: Settings, request: Request) -> str:
    """The URL Twilio called, as Twilio saw it: the configured public base + path + query."""
    if not settings.public_base_url:
        return str(request.url)  # development without a proxy; behind one, set the base URL
    url = settings.public_base_url.rstrip("/") + request.url.path
    return f"{url}?{request.url.query}" if request.url.query else url


def signature_ok(settings: Settings, request: Request, params: dict[str, str]) -> bool:
    signature = request.headers.get("X-Twilio-Signature")
    if not settings.twilio_auth_token or not signature:
        return False
    return bool(
        RequestValidator(settings.twilio_auth_token).validate(
            public_url(settings, request), params, signature
        )
    )


async def _signed_form(request: Request) -> dict[str, str]:
    form = await request.form()
    params = {k: v for k, v in form.items() if isinstance(v, str)}
    if not signature_ok(request.app.state.runtime.settings, request, params):
        raise HTTPException(status_code=403, detail="forbidden")
    return params


# -- inbound ---------------------------------------------------------------------------------------
def media_kind(content_type: str) -> str:
    ct = content_type.lower()
    if ct == "image/webp":
        return "sticker"  # WhatsApp stickers arrive as WebP images
    if ct.startswith("image/"):
        return "photo"
    if ct.startswith("audio/"):
        return "voice" if "ogg" in ct or "opus" in ct else "audio"
    if ct.startswith("video/"):
        return "video"
    if ct.startswith(("application/", "text/plain")):
        return "document"
    return "other"


def _location(params: dict[str, str]) -> Location | None:
    try:
        lat, lon = float(params["Latitude"]), float(params["Longitude"])
    except (KeyError, ValueError):
        return None
    return Location(lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


def to_inbound(params: dict[str, str], menu: list[dict[str, Any]] | None = None) -> Inbound | None:
    """The engine's view of a Twilio message; a bare number picks from the menu last offered."""
    sender = params.get("From", "")
    sid = params.get("MessageSid") or params.get("SmsMessageSid")
    if not sender or not sid:
        return None
    text = params.get("Body", "")
    payload = None
    # A tapped quick reply (ButtonPayload) or list item (ListId): its payload, or its menu number.
    choice = params.get("ButtonPayload") or params.get("ListId") or ""
    if choice.startswith("/"):
        payload = choice
    elif menu:
        m = _DIGITS.match(choice or text)
        if m and 1 <= int(m.group(1)) <= len(menu):
            payload = str(menu[int(m.group(1)) - 1]["payload"])
    media = None
    try:
        if int(params.get("NumMedia") or 0) > 0:
            media = media_kind(params.get("MediaContentType0", ""))
    except ValueError:
        media = None
    return Inbound(
        CHANNEL,
        sender,
        text=text,
        payload=payload,
        location=_location(params),
        media_kind=media,
        message_id=sid,
    )


def offered_menu(s: Session, contact: Contact) -> list[dict[str, Any]] | None:
    """The buttons of the bot's last sent reply, if the person has not written since it was sent."""
    last_in = s.scalar(
        select(func.max(Message.created_at)).where(
            Message.contact_id == contact.id, Message.direction == "in"
        )
    )
    rows = s.scalars(
        select(Outbox)
        .where(Outbox.contact_id == contact.id, Outbox.status == "sent", Outbox.sent_at.is_not(None))
        .order_by(Outbox.sent_at.desc(), Outbox.id.desc())
        .limit(10)
    )
    for row in rows:
        if last_in is not None and row.sent_at is not None and row.sent_at <= last_in:
            return None
        payload = row.payload or {}
        if payload.get("sender") != "bot":
            return None  # a caseworker wrote after the menu: a number now is an answer to them
        if payload.get("buttons"):
            return list(payload["buttons"])
    return None


def process_message(runtime: Any, params: dict[str, str], heard: Heard | None = None) -> bool:
    """Map a menu number, then handle the message once (blocking: database and NLU). `heard`: what a
    voice note said (or why it was not heard)."""
    menu = None
    sender = params.get("From", "")
    with runtime.db.session() as s:
        contact = s.scalars(
            select(Contact).where(Contact.channel == CHANNEL, Contact.channel_user_id == sender)
        ).first()
        if contact is not None:
            menu = offered_menu(s, contact)
    inbound = to_inbound(params, menu)
    if inbound is None:
        return False
    if heard is not None:
        apply(inbound, heard)
    handle_once(runtime.engine, inbound)
    return True


# -- voice notes: heard after the webhook is acknowledged (bot/voice) ------------------------------
def voice_note(params: dict[str, str]) -> str | None:
    """The URL of an audio message's first medium, else None."""
    if not params.get("From") or not params.get("MediaUrl0"):
        return None
    return params["MediaUrl0"] if params.get("MediaContentType0", "").lower().startswith("audio/") else None


async def hear_note(app: Any, params: dict[str, str], url: str, give_up: bool = False) -> None:
    """Hear the note and store its turn (raises when the turn could not be stored: it is tried again).
    `give_up`: the note failed too often; answer it as unheard instead of trying once more."""
    rt = app.state.runtime
    settings = rt.settings
    if give_up:
        heard = Heard(error=UNREADABLE)
    else:
        lang = await run_in_threadpool(contact_language, rt.db, CHANNEL, params["From"])
        heard = await hear(
            lang,
            lambda: fetch.twilio_media(
                url, settings.twilio_account_sid or "", settings.twilio_auth_token or "", settings.twilio_api_url
            ),
        )
    if await run_engine(rt, process_message, rt, params, heard):
        outbox = getattr(app.state, "outbox", None)
        if outbox is not None:
            outbox.wake()


async def hear_stored(app: Any, job: queue.NoteJob) -> None:
    """A note kept in bot/voice/queue.py: the stored webhook form, read again."""
    params = {str(k): str(v) for k, v in job.body.items()}
    url = voice_note(params)
    if url is not None:
        await hear_note(app, params, url, give_up=job.last_try)


queue.register(CHANNEL, hear_stored)


@router.post(WEBHOOK_PATH)
async def twilio_webhook(request: Request) -> Response:
    params = await _signed_form(request)
    rt = request.app.state.runtime
    url = voice_note(params) if rt.settings.voice else None
    sid = params.get("MessageSid") or params.get("SmsMessageSid")
    if url is not None and sid:  # Twilio always sends the sid; without one it is answered as audio
        # Stored before the 200 (kept across a restart); a re-delivered copy is not heard twice.
        job = await run_in_threadpool(queue.enqueue, rt.db, CHANNEL, sid, params["From"], params)
        if job is not None:
            queue.start(request.app, job)
        return Response(EMPTY_TWIML, media_type="application/xml")
    # Stored (with its replies in the outbox) before we answer; a re-delivered copy is de-duplicated.
    outbox = getattr(request.app.state, "outbox", None)
    try:
        handled = await run_engine(rt, process_message, rt, params)
    except DatabaseDownWithReplies as exc:  # not stored (503); the numbers go out now through the API
        adapter = outbox.adapters.get(CHANNEL) if outbox is not None else None
        if adapter is not None and params.get("From"):
            await send_direct(adapter, params["From"], exc.replies)
        raise
    if handled and outbox is not None:
        outbox.wake()
    return Response(EMPTY_TWIML, media_type="application/xml")


@router.post(STATUS_PATH)
async def twilio_status(request: Request) -> Response:
    params = await _signed_form(request)
    rt = request.app.state.runtime
    try:
        outbox_id = int(request.query_params.get("outbox", ""))
    except ValueError:
        return Response(status_code=204)
    sid = params.get("MessageSid") or params.get("SmsSid") or ""
    status = (params.get("MessageStatus") or params.get("SmsStatus") or "").lower()
    if sid and status:

        def record() -> None:
            with rt.db.session() as s:
                record_delivery(s, outbox_id, sid, status, params.get("ErrorCode"))

        await run_in_threadpool(record)
    return Response(status_code=204)


# -- outbound --------------------------------------------------------------------------------------
# The hint under a numbered menu, by language: one option, two or three, more.
_MENU_HINT = {
    "id": ("Balas 1", "Balas {first} atau {n}", "Balas dengan angka 1 sampai {n}"),
    "en": ("Reply 1", "Reply {first} or {n}", "Reply with a number from 1 to {n}"),
}


# WhatsApp lets nobody else delete a chat: after a quick exit the person is told how to.
_CLEAR_CHAT = {
    "id": "Untuk menghapus chat ini dari HP: di daftar chat, tekan lama chat ini lalu pilih Hapus (Android), "
    "atau geser ke kiri lalu Lainnya > Hapus Chat (iPhone).",
    "en": "To delete this chat from your phone: in the chat list, press and hold it and tap Delete (Android), "
    "or swipe it left and tap More > Delete Chat (iPhone).",
}


def menu_hint(n: int, lang: str) -> str:
    one, few, many = pick(_MENU_HINT, lang)
    if n == 1:
        return one
    return (few if n <= 3 else many).format(first=", ".join(map(str, range(1, n))), n=n)


def numbered(text: str, buttons: list[dict[str, Any]], lang: str) -> str:
    lines = [f"{i}. {b['title']}" for i, b in enumerate(buttons, 1)]
    menu = "\n".join(lines) + "\n\n" + menu_hint(len(buttons), lang)
    return f"{text}\n\n{menu}" if text.strip() else menu


def outside_window(payload: dict[str, Any], now: datetime | None = None) -> bool:
    """Rows of a known contact carry `last_inbound_at`; no inbound at all is outside too."""
    if "last_inbound_at" not in payload:
        return False
    last = payload["last_inbound_at"]
    when = datetime.fromisoformat(last) if last else None
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return CAPABILITIES.window_closed(when, now or datetime.now(UTC))


class _AsyncHttp(AsyncTwilioHttpClient):  # type: ignore[misc]  # twilio ships no type information
    """Twilio's async HTTP client, with JSON bodies encoded as JSON: it hands aiohttp the dict as
    form data under a JSON content type (the sync client does not), which the Content API refuses."""

    async def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> TwilioResponse:
        headers = kwargs.get("headers") or {}
        if headers.get("Content-Type") == "application/json" and isinstance(kwargs.get("data"), dict):
            kwargs["data"] = json.dumps({k: v for k, v in kwargs["data"].items() if v is not None})
        return await super().request(method, url, *args, **kwargs)


class _LocalApi(_AsyncHttp):
    """Twilio's own async HTTP client, sending to another origin (a test fake or a proxy) instead
    of https://*.twilio.com: the supported extension point is a custom `http_client`."""

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base = urlsplit(base_url.rstrip("/"))

    async def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> TwilioResponse:
        u = urlsplit(url)
        url = urlunsplit((self.base.scheme, self.base.netloc, self.base.path + u.path, u.query, u.fragment))
        return await super().request(method, url, *args, **kwargs)


class WhatsAppAdapter:
    channel = CHANNEL

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.content = ContentCache(settings.twilio_content_cache)
        self._client: Client | None = None
        self._http: AsyncTwilioHttpClient | None = None
        # Twilio's client logs requests and responses at INFO (numbers, bodies): keep its logger quiet.
        self._quiet = logging.getLogger("bot.channels.whatsapp.http")
        self._quiet.setLevel(logging.WARNING)

    def client(self) -> Client:
        if self._client is None:  # created on the event loop that sends (aiohttp sessions are bound to it)
            st = self.settings
            kwargs: dict[str, Any] = {"logger": self._quiet, "timeout": 15}
            self._http = (
                _LocalApi(st.twilio_api_url, **kwargs)
                if st.twilio_api_url
                else _AsyncHttp(**kwargs)
            )
            self._client = Client(st.twilio_account_sid, st.twilio_auth_token, http_client=self._http)
        return self._client

    def _sender(self) -> dict[str, str]:
        src = self.settings.twilio_from or ""
        if src.startswith("MG"):
            return {"messaging_service_sid": src}
        return {"from_": src if src.startswith("whatsapp:") else f"whatsapp:{src}"}

    def _status_callback(self, outbox_id: Any) -> str | None:
        base = self.settings.public_base_url
        if not base or outbox_id is None:
            return None
        return f"{base.rstrip('/')}{STATUS_PATH}?outbox={outbox_id}"

    def render(self, payload: dict[str, Any]) -> list[Part]:
        to = str(payload["chat_id"])
        common = {
            "to": to,
            **self._sender(),
            "status_callback": self._status_callback(payload.get("outbox_id")),
        }
        if outside_window(payload):
            sid = self._template_for(payload)
            if not sid:
                raise PermanentFailure("outside WhatsApp's 24-hour window and no template configured")
            data = {**common, "content_sid": sid}
            if self.settings.twilio_template_variables:
                data["content_variables"] = self.settings.twilio_template_variables
            return [Part(data, kind="template")]
        lang = str(payload.get("lang") or "")  # the hint falls back along the catalog's chain
        text = str(payload.get("text") or "")
        buttons = payload.get("buttons") or []
        body = numbered(text, buttons, lang) if buttons else text
        if payload.get("clear_chat"):
            body = f"{body}\n\n{pick(_CLEAR_CHAT, lang)}" if body.strip() else pick(_CLEAR_CHAT, lang)
        pieces = [r.text for r in split_long([Reply(body)], MAX_CHARS)] if body.strip() else []
        parts = [Part({**common, "body": piece}) for piece in pieces]
        native = widget(self.content, text, buttons, lang) if buttons else None
        if native is not None:  # a quick reply or list picker; the numbered text if Twilio refuses it
            parts = [Part({**common, **native}, meta={"fallback": [p.data for p in parts]})]
        pin = payload.get("pin")
        if isinstance(pin, dict):  # a WhatsApp location message (Twilio's geo: persistent action)
            label = str(pin.get("name") or "")[:100]
            geo = f"geo:{float(pin['lat'])},{float(pin['lon'])}|{label}"
            parts.append(Part({**common, "body": label or "📍", "persistent_action": [geo]}, kind="location"))
        return parts

    def _template_for(self, payload: dict[str, Any]) -> str | None:
        """The approved template for what is waiting: a case update (a caseworker wrote), a
        follow-up question, or the general one."""
        st = self.settings
        if payload.get("sender") == "caseworker":
            return st.twilio_template_case_update_sid or st.twilio_template_sid
        if payload.get("purpose") == "followup":
            return st.twilio_template_followup_sid or st.twilio_template_sid
        return st.twilio_template_sid

    async def deliver(self, part: Part) -> str:
        fallback = part.meta.get("fallback")
        if not fallback:
            return await self._create(part.data)
        try:
            return await self._create(part.data)
        except PermanentFailure as exc:  # the template was refused (deleted, not synced to this sender)
            log.warning("WhatsApp content template refused (%s): sending numbered text", exc.reason)
            sid = ""
            for data in fallback:
                sid = await self._create(data)
            return sid

    async def _create(self, part_data: dict[str, Any]) -> str:
        data = {k: v for k, v in part_data.items() if v is not None}
        try:
            msg = await self.client().messages.create_async(**data)
        except (TwilioRestException, TwilioServiceException) as exc:
            if exc.status == 429 or exc.status >= 500:
                raise TemporaryFailure(f"twilio {exc.status} (code {exc.code})") from None
            if exc.code in _OUTSIDE_WINDOW_CODES:
                raise PermanentFailure("outside WhatsApp's 24-hour window (twilio 63016)") from None
            raise PermanentFailure(f"twilio {exc.status} (code {exc.code})") from None
        except (aiohttp.ClientError, TimeoutError, TwilioException) as exc:
            raise TemporaryFailure(f"twilio {type(exc).__name__}") from None
        return str(msg.sid)

    async def send(self, payload: dict[str, Any]) -> str:
        return await send_all(self, payload)

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
        self._client = self._http = None


def _configured(settings: Settings) -> bool:
    return bool(settings.twilio_account_sid and settings.twilio_auth_token and settings.twilio_from)


SPEC = ChannelSpec(
    name=CHANNEL,
    title="WhatsApp",
    capabilities=CAPABILITIES,
    router=router,
    parse=to_inbound,
    sender=WhatsAppAdapter,
    enabled=_configured,
)
