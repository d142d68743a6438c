"""What the Telegram and WhatsApp adapters share: delivery outcomes (bot/delivery.py, re-exported
here for the adapters) and once-only inbound handling."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.exc import IntegrityError

from bot.delivery import ChannelAdapter, Part, PermanentFailure, TemporaryFailure, send_all
from bot.engine import Engine
from bot.messages import Inbound, Reply
from bot.store import repo

__all__ = ["ChannelAdapter", "Part", "PermanentFailure", "TemporaryFailure", "handle_once", "send_all", "send_direct"]

log = logging.getLogger(__name__)


def handle_once(engine: Engine, msg: Inbound) -> list[Reply]:
    """Store the message and its replies (outbox) in one transaction, exactly once per channel id.

    A duplicate that arrives while the first copy is still being processed loses the race on the
    unique (channel, channel_message_id) constraint: it is then a duplicate, not an error."""
    try:
        return engine.handle(msg, enqueue=True)
    except IntegrityError:
        with engine.db.session() as s:
            if repo.seen_message(s, msg.channel, msg.message_id):
                return []
        raise


async def send_direct(adapter: Any, chat_id: int | str, replies: list[Reply]) -> None:
    """Straight to the channel's API, past the outbox (which needs the database): the replies to a
    danger message while the database is down (bot/turn/offline.py). Best effort: the webhook still
    answers 503, so the channel delivers the message again and its turn is recorded then."""
    for reply in replies:
        try:
            for part in adapter.render({**reply.as_dict(), "chat_id": chat_id}):
                await adapter.deliver(part)
        except Exception as exc:
            log.warning("offline reply not sent: %s", type(exc).__name__)
            return
