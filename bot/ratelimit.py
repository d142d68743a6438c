"""Rate limits (the `limits` library, moving windows) for the REST channel: per sender, per client
address, and a cap on new emergency cases per client.

One `RestLimits` per app. The default storage is the process's memory, so with several workers each
counts alone (a limit of N is then up to N x workers); `SAHABAT_RATE_LIMIT_STORAGE=redis://...`
shares the counts."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from starlette.exceptions import HTTPException

if TYPE_CHECKING:  # bot/config.py calls parse_rule: a run-time import back would be a cycle
    from bot.config import Settings


class RateLimited(HTTPException):
    """429 with the reason and when to retry (seconds, rounded up)."""

    def __init__(self, reason: str, retry_after: float) -> None:
        seconds = max(1, math.ceil(retry_after))
        super().__init__(429, f"{reason}; retry in {seconds} s", headers={"Retry-After": str(seconds)})


def parse_rule(setting: str, value: str) -> list[RateLimitItem]:
    """`"30/minute;10/10second"` -> limits' items; "" -> no limit. A bad value names its setting."""
    if not value.strip():
        return []
    try:
        return parse_many(value)
    except ValueError:
        raise ValueError(f"{setting} is not a rate like '30/minute' or '30/minute;10/10second'") from None


@dataclass
class RestLimits:
    limiter: MovingWindowRateLimiter
    per_sender: list[RateLimitItem]
    per_address: list[RateLimitItem]
    new_emergencies: list[RateLimitItem]

    @classmethod
    def from_settings(cls, settings: Settings) -> RestLimits:
        return cls(
            MovingWindowRateLimiter(storage_from_string(settings.rate_limit_storage)),
            parse_rule("SAHABAT_REST_RATE_PER_SENDER", settings.rest_rate_per_sender),
            parse_rule("SAHABAT_REST_RATE_PER_ADDRESS", settings.rest_rate_per_address),
            parse_rule("SAHABAT_REST_NEW_EMERGENCIES", settings.rest_new_emergencies),
        )

    def _hit(self, items: list[RateLimitItem], *key: str) -> float | None:
        """Count one request; None if allowed, else seconds until the window lets one through."""
        for item in items:
            if not self.limiter.hit(item, *key):
                reset = self.limiter.get_window_stats(item, *key).reset_time
                return max(reset - time.time(), 1.0)
        return None

    def check_address(self, address: str) -> None:
        wait = self._hit(self.per_address, "rest-address", address)
        if wait is not None:
            raise RateLimited("too many requests from this address", wait)

    def check_sender(self, sender: str) -> None:
        wait = self._hit(self.per_sender, "rest-sender", sender)
        if wait is not None:
            raise RateLimited("too many messages from this sender", wait)

    def may_open_case(self, client: str, category: str) -> bool:
        """Asked by the engine before it opens a new case for this client's sender. Only
        emergencies (the cases that alert caseworkers at once) are capped."""
        if category != "emergency":
            return True
        return self._hit(self.new_emergencies, "rest-emergency", client) is None
