"""The transcript rows a turn writes: plain dicts, inserted in one multi-row INSERT at the end
(cheaper than ORM objects on this hot path)."""

from __future__ import annotations

from typing import Any

from bot.messages import CHAT_MESSAGE_ID, Inbound, Reply
from bot.store.models import Contact, utcnow
from flows.runtime import Turn


def message_row(
    contact: Contact, direction: str, sender: str, text: str, message_id: str | None, meta: dict[str, Any]
) -> dict[str, Any]:
    return {
        "contact_id": contact.id, "channel": contact.channel, "channel_message_id": message_id,
        "direction": direction, "sender": sender, "text": text, "meta": meta, "created_at": utcnow(),
    }


def inbound_row(contact: Contact, msg: Inbound, turn: Turn | None, kept: bool) -> dict[str, Any]:
    """The person's message; its text only when `kept` (turn/privacy.py), else marked redacted."""
    return message_row(contact, "in", "user", msg.text if kept else "", msg.message_id, _in_meta(msg, turn, kept))


def reply_rows(
    contact: Contact, replies: list[Reply], kept: bool, meta: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The bot's replies; `meta` marks a turn the bot started (a follow-up) instead of the buttons count."""
    return [
        message_row(contact, "out", "bot", r.text if kept else "", None,
                    dict(meta) if meta is not None else {"buttons": len(r.buttons)} if r.buttons else {})
        for r in replies
    ]


def _in_meta(msg: Inbound, turn: Turn | None, kept: bool) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    if turn is not None:
        meta["intent"] = turn.intent
        meta["confidence"] = round(turn.confidence, 3)
    if msg.media_kind:
        meta["media"] = msg.media_kind
    if msg.metadata.get(CHAT_MESSAGE_ID):  # a quick exit deletes it from the chat (Telegram)
        meta[CHAT_MESSAGE_ID] = msg.metadata[CHAT_MESSAGE_ID]
    if msg.location is not None and kept:
        meta["location"] = {"lat": msg.location.lat, "lon": msg.location.lon}
    if not kept and msg.text:
        meta["redacted"] = True
    return meta
