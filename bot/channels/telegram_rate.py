"""Telegram's flood limits on the sending side: about 30 messages a second overall and one a second
per chat (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).

python-telegram-bot's AIORateLimiter keeps the overall rate (and groups' 20 a minute), but it does
not pace private chats; this subclass adds one leaky bucket per private chat. A short burst is let
through (a turn's two or three replies arrive together), then one message per `per_chat_period`.
A 429 is not retried here (max_retries=0): the outbox reschedules the row after `retry_after`."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.ext import AIORateLimiter

# Calls that are not messages in the chat: they do not spend the chat's budget.
_UNPACED = {"sendChatAction", "answerCallbackQuery", "getMe"}
_MAX_CHATS = 4096  # buckets kept; the least recently used chat's bucket is dropped (it is full anyway)


class ChatRateLimiter(AIORateLimiter):
    def __init__(
        self,
        *,
        overall_max_rate: float = 30,
        per_chat_burst: float = 3,
        per_chat_period: float = 3.0,
    ) -> None:
        super().__init__(overall_max_rate=overall_max_rate, overall_time_period=1, max_retries=0)
        self._burst, self._period = per_chat_burst, per_chat_period
        self._chats: OrderedDict[int, AsyncLimiter] = OrderedDict()

    def _bucket(self, chat_id: int) -> AsyncLimiter:
        bucket = self._chats.pop(chat_id, None) or AsyncLimiter(self._burst, self._period)
        self._chats[chat_id] = bucket
        while len(self._chats) > _MAX_CHATS:
            self._chats.popitem(last=False)
        return bucket

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat = _private_chat(data.get("chat_id"))
        if chat is not None and endpoint not in _UNPACED:
            async with self._bucket(chat):
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)


def _private_chat(chat_id: Any) -> int | None:
    """Private chats have positive ids; groups and channels are paced by AIORateLimiter itself."""
    try:
        n = int(chat_id)
    except (TypeError, ValueError):
        return None
    return n if n > 0 else None
