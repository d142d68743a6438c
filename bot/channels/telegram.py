"""Telegram: the webhook (`POST /webhooks/telegram`), long polling for development, and rendering.

Inbound: the Update is parsed with python-telegram-bot into an `Inbound` (text, tapped button,
location, media kind); `update_id` is the de-duplication id. Outbound: HTML text (the flows'
*bold* becomes <b>), inline keyboards for buttons, a "share my location" reply keyboard, and
messages split at Telegram's 4,096 characters. The Bot API base URL comes from settings, so tests
and self-hosted Bot API servers work."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import html
import logging
import re
import warnings
from collections.abc import Coroutine
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.concurrency import run_in_threadpool
from telegram import (
    Bot,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    LinkPreviewOptions,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.constants import ChatAction, MessageLimit, ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from bot import jsonbody
from bot.channels.common import Part, PermanentFailure, TemporaryFailure, handle_once, send_all, send_direct
from bot.channels.spec import Capabilities, ChannelSpec
from bot.channels.telegram_rate import ChatRateLimiter
from bot.config import Settings
from bot.dispatch import inline_ok, run_engine
from bot.language import pick
from bot.messages import CHAT_MESSAGE_ID, Inbound, Location, Reply
from bot.replies import split_long
from bot.store.db import Database
from bot.store.models import Outbox
from bot.turn.offline import DatabaseDownWithReplies
from bot.voice import fetch, queue
from bot.voice.base import TOO_BIG, TOO_LONG, UNREADABLE
from bot.voice.hear import Heard, apply, contact_language, hear
from bot.voice.limits import MAX_BYTES, MAX_SECONDS

CHANNEL = "telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "callback_query"]
CALLBACK_LIMIT = 64  # bytes of callback_data Telegram accepts
WEBHOOK_PATH = "/webhooks/telegram"
MAX_TEXT = MessageLimit.MAX_TEXT_LENGTH  # 4,096 characters per message
CAPABILITIES = Capabilities(
    push=True,
    max_text=MAX_TEXT,
    button_payload_bytes=CALLBACK_LIMIT,  # longer payloads go as "#<outbox id>.<index>" tokens
    location_request=True,
    delete_window=timedelta(hours=48),  # Bot API: deleteMessage(s) only for messages younger than 48 h
)
DELETE_BATCH = 100  # message ids per deleteMessages call (Bot API limit)
TYPING_AFTER_S = 1.0  # a reply slower than this (NLU, a busy database) shows "typing…" meanwhile

log = logging.getLogger(__name__)
router = APIRouter()

_MEDIA = (
    ("photo", "photo"),
    ("voice", "voice"),
    ("audio", "audio"),
    ("video", "video"),
    ("video_note", "video"),
    ("animation", "video"),
    ("sticker", "sticker"),
    ("document", "document"),
)
_LOCATION_BUTTON = {"id": "📍 Kirim lokasi saya", "en": "📍 Share my location"}
_CHOOSE = {"id": "Pilih:", "en": "Choose:"}
_BOLD = re.compile(r"\*([^*\n]+?)\*")
_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,64})(?:@\w+)?(?:\s|$)")
_TOKEN = re.compile(r"^#(\d{1,18})\.(\d{1,3})$")


# -- inbound ---------------------------------------------------------------------------------------
def check_secret(settings: Settings, header: str | None) -> bool:
    """Constant-time comparison; with no secret configured every request is refused."""
    secret = settings.telegram_secret
    if not secret or header is None:
        return False
    return hmac.compare_digest(header.encode(), secret.encode())


def to_inbound(update: Update, resolve: dict[str, str] | None = None) -> Inbound | None:
    """The engine's view of an update, or None for updates the bot does not answer (edits, group
    chats, channel posts, membership changes) or cannot read (a malformed update: no chat, a
    `text` that is not a string, ...), which are acknowledged and dropped: Telegram would retry them."""
    try:
        return _to_inbound(update, resolve)
    except (AttributeError, TypeError, ValueError):
        return None


def _to_inbound(update: Update, resolve: dict[str, str] | None) -> Inbound | None:
    cq = update.callback_query
    if cq is not None:
        chat = cq.message.chat if cq.message is not None else None
        if chat is not None and chat.type != "private":
            return None
        sender = str(chat.id if chat is not None else cq.from_user.id)
        message_id = _dedup_id(sender, update)
        data = cq.data or ""
        if not isinstance(data, str):
            return None
        payload = (resolve or {}).get(data, data)
        if payload.startswith("/"):  # the title is what the person saw and "said"; the payload decides
            title = _button_title(cq, data) or payload
            return Inbound(CHANNEL, sender, text=title, payload=payload, message_id=message_id)
        # An unknown token (its outbox row is gone): fall back to the button's title as text.
        return Inbound(CHANNEL, sender, text=_button_title(cq, data), message_id=message_id)
    msg = update.message
    if msg is None or msg.chat.type != "private":
        return None
    sender = str(msg.chat.id)
    message_id = _dedup_id(sender, update)
    text = msg.text or msg.caption or ""
    if not isinstance(text, str):
        return None
    loc = msg.location or (msg.venue.location if msg.venue else None)
    location = Location(loc.latitude, loc.longitude) if loc is not None else None
    media = next((kind for attr, kind in _MEDIA if getattr(msg, attr, None)), None)
    if media is None and not text and location is None and (msg.contact or msg.poll or msg.dice):
        media = "other"
    command = None
    m = _COMMAND.match(text)
    if m:  # "/start", "/start@SahabatBot", "/start deep-link": the engine knows the command names
        command = "/" + m.group(1).lower()
        text = command
    return Inbound(
        CHANNEL,
        sender,
        text=text,
        payload=command,
        location=location,
        media_kind=media,
        message_id=message_id,
        metadata={CHAT_MESSAGE_ID: str(msg.message_id)} if isinstance(msg.message_id, int) else {},
    )


def _dedup_id(chat: str, update: Update) -> str:
    """Update ids are unique per bot, but keyed with the chat a reused or forged id from another
    chat is never taken for a duplicate."""
    if not isinstance(update.update_id, int) or not chat.lstrip("-").isdigit():
        raise ValueError("not a Telegram chat")
    return f"{chat}:{update.update_id}"


def _button_title(cq: CallbackQuery, data: str) -> str:
    markup = getattr(cq.message, "reply_markup", None)  # an old message may be inaccessible
    for row in getattr(markup, "inline_keyboard", ()) or ():
        for b in row:
            if b.callback_data == data:
                title: str = b.text
                return title
    return ""


def resolve_tokens(db: Database, chat_id: str, data: str) -> dict[str, str]:
    """A long payload was sent as "#<outbox id>.<button index>": look the payload up in that row."""
    m = _TOKEN.match(data)
    if not m:
        return {}
    with db.session() as s:
        row = s.get(Outbox, int(m.group(1)))
        if row is None or row.channel != CHANNEL or str((row.payload or {}).get("chat_id")) != chat_id:
            return {}
        buttons = (row.payload or {}).get("buttons") or []
        i = int(m.group(2))
        return {data: str(buttons[i]["payload"])} if i < len(buttons) else {}


def process_update(runtime: Any, update: Update, heard: Heard | None = None) -> bool:
    """Handle one update (blocking: database and NLU); False if the bot does not answer it. `heard`:
    what a voice note said (or why it was not heard)."""
    resolve: dict[str, str] = {}
    cq = update.callback_query
    if cq is not None and isinstance(cq.data, str) and cq.data.startswith("#"):
        try:
            chat_id = str(cq.message.chat.id) if cq.message is not None else str(cq.from_user.id)
        except AttributeError:  # malformed: to_inbound drops it
            chat_id = ""
        resolve = resolve_tokens(runtime.db, chat_id, cq.data) if chat_id else {}
    inbound = to_inbound(update, resolve)
    if inbound is None:
        return False
    if heard is not None:
        apply(inbound, heard)
    handle_once(runtime.engine, inbound)
    return True


# -- voice notes: heard after the webhook is acknowledged (bot/voice) ------------------------------
def voice_note(update: Update) -> Any:
    """The Voice or Audio of a private message, else None."""
    msg = update.message
    if msg is None or getattr(msg.chat, "type", None) != "private":
        return None
    return msg.voice or msg.audio


async def hear_note(app: Any, update: Update, note: Any, give_up: bool = False) -> None:
    """Hear the note and store its turn (raises when the turn could not be stored: it is tried again).
    `give_up`: the note failed too often; answer it as unheard instead of trying once more."""
    rt = app.state.runtime
    size = note.file_size if isinstance(note.file_size, int) else 0
    with warnings.catch_warnings():  # PTB's notice that `duration` becomes a timedelta: both are read
        warnings.simplefilter("ignore")
        duration = _seconds(note.duration) if note.duration is not None else 0.0
    heard: Heard
    if give_up:
        heard = Heard(error=UNREADABLE)
    elif size > MAX_BYTES:
        heard = Heard(error=TOO_BIG)  # refused before any download
    elif duration > MAX_SECONDS + 1:
        heard = Heard(error=TOO_LONG)
    else:
        settings = rt.settings
        lang = await run_in_threadpool(contact_language, rt.db, CHANNEL, str(update.message.chat.id))  # type: ignore[union-attr]
        heard = await hear(
            lang, lambda: fetch.telegram_file(settings.telegram_api_url, settings.telegram_token, note.file_id)
        )
    if await run_engine(rt, process_update, rt, update, heard):
        outbox = getattr(app.state, "outbox", None)
        if outbox is not None:
            outbox.wake()


async def hear_stored(app: Any, job: queue.NoteJob) -> None:
    """A note kept in bot/voice/queue.py: the stored update, read again."""
    update = Update.de_json(job.body, None)
    note = voice_note(update)
    if note is not None:
        await hear_note(app, update, note, give_up=job.last_try)


queue.register(CHANNEL, hear_stored)


async def keep_note(app: Any, update: Update, data: dict[str, Any]) -> None:
    """Store a voice note's update (kept across a restart) and hear it in the background; a
    re-delivered copy is not heard twice. Not a real chat: dropped like other malformed updates."""
    rt = app.state.runtime
    chat_id = str(update.message.chat.id)  # type: ignore[union-attr]
    try:
        dedup = _dedup_id(chat_id, update)
    except ValueError:
        return
    job = await run_in_threadpool(queue.enqueue, rt.db, CHANNEL, dedup, chat_id, data)
    if job is not None:
        queue.start(app, job)


@router.post(WEBHOOK_PATH)
async def telegram_webhook(request: Request) -> dict[str, bool]:
    rt = request.app.state.runtime
    if not check_secret(rt.settings, request.headers.get(SECRET_HEADER)):
        raise HTTPException(status_code=403, detail="forbidden")
    try:
        data = jsonbody.loads(await request.body(), rt.settings.max_json_depth)  # deep nesting: a 400
    except ValueError:
        raise HTTPException(status_code=400, detail="the body is not valid JSON") from None
    # Malformed updates are acknowledged and dropped (nothing stored): a 4xx makes Telegram retry.
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        return {"ok": True}
    try:
        update = Update.de_json(data, None)
    except (KeyError, TypeError, ValueError, AttributeError):  # malformed: retrying will not help
        return {"ok": True}
    if rt.settings.voice and voice_note(update) is not None:
        # Heard in the background: a transcription can outlast Telegram's timeout.
        await keep_note(request.app, update, data)
        return {"ok": True}
    outbox = getattr(request.app.state, "outbox", None)
    adapter = outbox.adapters.get(CHANNEL) if outbox is not None else None
    chat = update.effective_chat
    typing = None
    # Inline turns take milliseconds (and hold the loop); a turn in the thread pool waits for a remote NLU.
    slow = not inline_ok(rt)
    if slow and adapter is not None and chat is not None and chat.type == "private" and isinstance(chat.id, int):
        typing = adapter.typing_after(chat.id, TYPING_AFTER_S)
    # Stored (with its replies in the outbox) before we answer 200: Telegram retries anything else.
    try:
        handled = await run_engine(rt, process_update, rt, update)
    except DatabaseDownWithReplies as exc:
        # Not stored, so Telegram gets the 503 and delivers the update again; the numbers go out now.
        if adapter is not None and chat is not None and chat.type == "private":
            await send_direct(adapter, chat.id, exc.replies)
        raise
    finally:
        if typing is not None:
            typing.cancel()
    if handled and outbox is not None:
        outbox.wake()
    if update.callback_query is not None and adapter is not None:
        adapter.answer_soon(update.callback_query.id)
    return {"ok": True}


# -- outbound --------------------------------------------------------------------------------------
def to_html(text: str) -> str:
    """Escape for Telegram's HTML mode; the flows' *bold* becomes <b>bold</b>."""
    return _BOLD.sub(r"<b>\1</b>", html.escape(text, quote=False))


def callback_data(payload: str, outbox_id: int | None, index: int) -> str:
    if len(payload.encode()) <= CALLBACK_LIMIT:
        return payload
    if outbox_id is None:
        raise PermanentFailure("button payload longer than 64 bytes and no outbox row to map it")
    return f"#{outbox_id}.{index}"


def render_payload(payload: dict[str, Any]) -> list[Part]:
    """Outbox payload ({"chat_id", "text", "buttons", "request_location", "sensitive", "pin",
    "retract", "lang"}) -> Bot API calls: deleteMessages first (a quick exit), then sendMessage(s),
    then a location pin."""
    chat_id = payload["chat_id"]
    protect = bool(payload.get("sensitive"))
    lang = str(payload.get("lang") or "")  # texts fall back along the catalog's chain
    buttons = payload.get("buttons") or []
    want_location = bool(payload.get("request_location"))
    text = str(payload.get("text") or "").strip() or pick(_CHOOSE, lang)
    pieces = [r.text for r in split_long([Reply(text)], MAX_TEXT - 96)]  # room for HTML tags
    inline = None
    if buttons:
        rows = [
            [
                InlineKeyboardButton(
                    str(b["title"])[:64],
                    callback_data=callback_data(str(b["payload"]), payload.get("outbox_id"), i),
                )
            ]
            for i, b in enumerate(buttons)
        ]
        inline = InlineKeyboardMarkup(rows)
    location_kb = ReplyKeyboardMarkup(
        [[KeyboardButton(pick(_LOCATION_BUTTON, lang), request_location=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )
    parts = _deletions(chat_id, payload.get("retract") or [])
    for i, piece in enumerate(pieces):
        last = i == len(pieces) - 1
        markup: Any = None
        if last:
            markup = inline if inline is not None else (location_kb if want_location else None)
        parts.append(Part(_message(chat_id, to_html(piece), markup, protect)))
    if want_location and inline is not None:
        # One message carries one keyboard: the location button gets a short message of its own.
        parts.append(Part(_message(chat_id, html.escape(pick(_LOCATION_BUTTON, lang)), location_kb, protect)))
    pin = payload.get("pin")
    if isinstance(pin, dict):
        data = {"chat_id": chat_id, "latitude": float(pin["lat"]), "longitude": float(pin["lon"])}
        parts.append(Part({**data, "protect_content": True} if protect else data, kind="location"))
    return parts


def _deletions(chat_id: Any, ids: list[Any]) -> list[Part]:
    """deleteMessages calls of at most 100 ids; ids that are not Telegram message ids are skipped."""
    numbers = sorted({int(i) for i in ids if str(i).isdigit()})
    return [
        Part({"chat_id": chat_id, "message_ids": numbers[i : i + DELETE_BATCH]}, kind="delete")
        for i in range(0, len(numbers), DELETE_BATCH)
    ]


def _message(chat_id: Any, text: str, markup: Any, protect: bool = False) -> dict[str, Any]:
    data = {
        "chat_id": chat_id,
        "text": text,
        "parse_mode": ParseMode.HTML,
        "reply_markup": markup,
        "link_preview_options": LinkPreviewOptions(is_disabled=True),
    }
    if protect:  # emergency advice and case codes cannot be forwarded or saved from the chat
        data["protect_content"] = True
    return data


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def make_bot(settings: Settings, *, poll_timeout: float = 0, limiter: ChatRateLimiter | None = None) -> Bot:
    """A Bot for the configured API; with `limiter`, every call waits for Telegram's flood limits."""
    assert settings.telegram_token, "SAHABAT_TELEGRAM_TOKEN is not set"
    base = settings.telegram_api_url.rstrip("/")
    return ExtBot(
        settings.telegram_token,
        base_url=f"{base}/bot",
        base_file_url=f"{base}/file/bot",
        request=HTTPXRequest(connection_pool_size=16, read_timeout=15, write_timeout=15, connect_timeout=5),
        get_updates_request=HTTPXRequest(read_timeout=poll_timeout + 10, connect_timeout=5),
        rate_limiter=limiter,
    )


class TelegramAdapter:
    channel = CHANNEL

    def __init__(self, settings: Settings, limiter: ChatRateLimiter | None = None) -> None:
        self.settings = settings
        self.limiter = limiter or ChatRateLimiter()
        self._bot: Bot | None = None
        self._ready = False
        self._pending: set[asyncio.Task[None]] = set()
        # httpx logs every request URL at INFO, and Bot API URLs contain the token.
        logging.getLogger("httpx").setLevel(logging.WARNING)

    async def bot(self) -> Bot:
        if self._bot is None:
            self._bot = make_bot(self.settings, limiter=self.limiter)
        if not self._ready:
            await self._bot.initialize()  # opens the HTTP pools and checks the token (getMe)
            self._ready = True
        return self._bot

    def render(self, payload: dict[str, Any]) -> list[Part]:
        return render_payload(payload)

    async def deliver(self, part: Part) -> str:
        try:
            bot = await self.bot()
            if part.kind == "delete":
                with contextlib.suppress(BadRequest):  # already gone or too old: nothing left to delete
                    await bot.delete_messages(**part.data)
                return ""
            if part.kind == "location":
                return str((await bot.send_location(**part.data)).message_id)
            try:
                msg = await bot.send_message(**part.data)
            except BadRequest as exc:
                if "entities" not in str(exc).lower():
                    raise
                # Our HTML was refused (should not happen): send the same words as plain text.
                plain = html.unescape(re.sub(r"</?b>", "", part.data["text"]))
                msg = await bot.send_message(**{**part.data, "text": plain, "parse_mode": None})
        except RetryAfter as exc:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                wait = _seconds(exc.retry_after)
            raise TemporaryFailure("telegram 429 flood control", retry_after=wait) from None
        except (Forbidden, ChatMigrated) as exc:
            raise PermanentFailure(f"telegram {type(exc).__name__}") from None
        except BadRequest as exc:
            raise PermanentFailure(f"telegram BadRequest: {_short(exc)}") from None
        except InvalidToken:
            raise TemporaryFailure("telegram rejected the bot token") from None
        except TelegramError as exc:  # NetworkError, TimedOut, 5xx
            raise TemporaryFailure(f"telegram {type(exc).__name__}") from None
        return str(msg.message_id)

    async def send(self, payload: dict[str, Any]) -> str:
        return await send_all(self, payload)

    def answer_soon(self, callback_query_id: str) -> None:
        """Stop the button's spinner; best effort, never delays or fails the webhook."""

        async def answer() -> None:
            with contextlib.suppress(Exception):
                bot = await self.bot()
                await bot.answer_callback_query(callback_query_id)

        self._background(answer())

    def typing_after(self, chat_id: int, delay: float) -> asyncio.Task[None]:
        """"typing…" in the chat if the reply is not ready within `delay` seconds; the caller cancels
        the task once the reply is stored. Best effort, like answer_soon."""

        async def typing() -> None:
            await asyncio.sleep(delay)
            with contextlib.suppress(Exception):
                bot = await self.bot()
                await bot.send_chat_action(chat_id, ChatAction.TYPING)

        return self._background(typing())

    def _background(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(work)
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)
        return task

    async def close(self) -> None:
        for task in list(self._pending):
            with contextlib.suppress(Exception):
                await asyncio.wait_for(task, 2)
        if self._bot is not None:
            with contextlib.suppress(Exception):
                await self._bot.shutdown()
            self._bot, self._ready = None, False


def _short(exc: Exception) -> str:
    # Telegram's error text names the problem ("chat not found"), never the message content.
    return str(exc)[:120]


# -- set-webhook and long polling (CLI) ------------------------------------------------------------
async def set_webhook(settings: Settings) -> str:
    if not settings.public_base_url:
        raise ValueError("SAHABAT_PUBLIC_BASE_URL is not set (the https address Telegram should call)")
    if not settings.telegram_secret or not re.fullmatch(r"[A-Za-z0-9_-]{16,256}", settings.telegram_secret):
        raise ValueError("SAHABAT_TELEGRAM_SECRET must be 16-256 characters of A-Z, a-z, 0-9, _ and -")
    url = settings.public_base_url.rstrip("/") + WEBHOOK_PATH
    async with make_bot(settings) as bot:
        await bot.set_webhook(url=url, secret_token=settings.telegram_secret, allowed_updates=ALLOWED_UPDATES)
    return url


async def delete_webhook(settings: Settings) -> None:
    async with make_bot(settings) as bot:
        await bot.delete_webhook()


async def poll(runtime: Any, stop: asyncio.Event, *, timeout: int = 25, outbox: Any = None) -> int:
    """Long polling for local development: getUpdates in a loop, each update handled like a webhook.

    Returns how many updates were handled. The caller runs an OutboxSender for the replies."""
    handled = 0
    offset: int | None = None
    bot = make_bot(runtime.settings, poll_timeout=timeout)
    # The voice queue and its hearers read the runtime and the outbox from an app's state.
    app = SimpleNamespace(state=SimpleNamespace(runtime=runtime, outbox=outbox))
    sweeper = asyncio.create_task(queue.sweep(app)) if runtime.settings.voice else None
    try:
        async with bot:
            await bot.delete_webhook()  # getUpdates is refused while a webhook is set
            delay = 1.0
            while not stop.is_set():
                try:
                    updates = await bot.get_updates(
                        offset=offset, timeout=timeout, allowed_updates=ALLOWED_UPDATES
                    )
                    delay = 1.0
                except RetryAfter as exc:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        await _wait(stop, _seconds(exc.retry_after))
                    continue
                except TelegramError as exc:
                    log.warning("getUpdates failed: %s", type(exc).__name__)
                    await _wait(stop, delay)
                    delay = min(delay * 2, 60)
                    continue
                for u in updates:
                    if runtime.settings.voice and voice_note(u) is not None:
                        await keep_note(app, u, u.to_dict())  # heard like a webhook's note, then answered
                    else:
                        await run_in_threadpool(process_update, runtime, u)
                    if u.callback_query is not None:
                        with contextlib.suppress(TelegramError):
                            await bot.answer_callback_query(u.callback_query.id)
                    offset = u.update_id + 1
                    handled += 1
                if updates and outbox is not None:
                    outbox.wake()
    finally:
        if sweeper is not None:
            sweeper.cancel()
    return handled


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


def _configured(settings: Settings) -> bool:
    return bool(settings.telegram_token)


SPEC = ChannelSpec(
    name=CHANNEL,
    title="Telegram",
    capabilities=CAPABILITIES,
    router=router,
    parse=to_inbound,
    sender=TelegramAdapter,
    enabled=_configured,
)
