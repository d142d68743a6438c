"""What the Telegram and WhatsApp adapters share: delivery outcomes (bot/delivery.py, re-exported
here for the adapters) and once-only inbound handling."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from bot.delivery import ChannelAdapter, Part, PermanentFailure, TemporaryFailure, send_all
from bot.engine import Engine
from bot.messages import Inbound, Reply
from bot.store import repo

__all__ = ["ChannelAdapter", "Part", "PermanentFailure", "TemporaryFailure", "handle_once", "send_all"]


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
