"""The "rasa" NLU backend: a Rasa 3.6 server's `POST /model/parse`, with the embedded engine
as a fallback.

A slow or dead Rasa must never block a conversation: on a time-out, connection error, non-2xx
answer or malformed body the message is parsed by the fallback, and Rasa is left alone for a
back-off (growing from `retry_after` up to `max_retry_after`) so that a dead server does not add
a time-out to every message. Every result passes through the safety layer (nlu.safety), so
danger reaches `emergency` whichever engine answered. Message text is never logged.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import httpx

from nlu.base import FALLBACK, NLU, ParseResult
from nlu.narrative import apply_readings
from nlu.safety import apply_safety

log = logging.getLogger(__name__)


class RasaNLU:
    name = "rasa"

    def __init__(
        self,
        url: str,
        timeout: float = 2.0,
        *,
        fallback: NLU,
        retry_after: float = 5.0,
        max_retry_after: float = 60.0,
        token: str | None = None,
        safety: bool = True,
    ) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.fallback = fallback
        self.safety = safety  # off only to measure the bare classifier (bench on foreign data)
        self.retry_after = retry_after
        self.max_retry_after = max_retry_after
        self._params = {"token": token} if token else {}
        self._client = httpx.Client(timeout=httpx.Timeout(timeout))  # keep-alive pool
        self._lock = threading.Lock()
        self._reachable: bool | None = None  # None: not tried yet
        self._down_until = 0.0
        self._backoff = retry_after
        self._answered = threading.local()  # which engine read this thread's last message

    def answered_by(self) -> str:
        """The backend that read this thread's last message: "rasa", or the fallback's name."""
        return str(getattr(self._answered, "name", self.name))

    # -- NLU interface -------------------------------------------------------------------
    def parse(self, text: str) -> ParseResult:
        result = self._parse_rasa(text) if self._may_try() else None
        self._answered.name = self.name
        if result is None:
            result = self.fallback.parse(text)
            self._answered.name = getattr(self.fallback, "name", "fallback")
        result = apply_readings(result)  # nlu.narrative, as the embedded backend does
        return apply_safety(result) if self.safety else result

    def ready(self) -> bool:
        """Able to answer: Rasa is reachable, or else the fallback is ready."""
        return self._probe() or self.fallback.ready()

    def status(self) -> dict[str, Any]:
        """What /readyz reports about the NLU."""
        return {
            "backend": self.name,
            "rasa_reachable": self._probe(),
            "fallback": getattr(self.fallback, "name", "embedded"),
        }

    def close(self) -> None:
        self._client.close()

    # -- internals -----------------------------------------------------------------------
    def _may_try(self) -> bool:
        return time.monotonic() >= self._down_until

    def _parse_rasa(self, text: str) -> ParseResult | None:
        try:
            r = self._client.post(f"{self.url}/model/parse", json={"text": text}, params=self._params)
            r.raise_for_status()
            result = _normalise(r.json(), text)
        except (httpx.HTTPError, ValueError, TypeError, AttributeError) as exc:
            self._mark_down(exc)
            return None
        self._mark_up()
        return result

    def _probe(self) -> bool:
        """Cheap reachability check; inside a back-off window it reports down without a request."""
        if not self._may_try():
            return False
        try:
            r = self._client.get(f"{self.url}/status", params=self._params)
            r.raise_for_status()
        except httpx.HTTPError as exc:
            self._mark_down(exc)
            return False
        self._mark_up()
        return True

    def _mark_down(self, exc: Exception) -> None:
        with self._lock:
            wait = self._backoff if self._reachable is False else self.retry_after
            self._down_until = time.monotonic() + wait
            self._backoff = min(wait * 2, self.max_retry_after)
            was = self._reachable
            self._reachable = False
        if was is not False:  # log transitions, not every message
            log.warning(
                "Rasa NLU at %s unavailable (%s); using the %s fallback, retrying in %.0fs",
                self.url, type(exc).__name__, getattr(self.fallback, "name", "fallback"), wait,
            )  # fmt: skip

    def _mark_up(self) -> None:
        with self._lock:
            was = self._reachable
            self._reachable = True
            self._down_until = 0.0
            self._backoff = self.retry_after
        if was is False:
            log.info("Rasa NLU at %s reachable again", self.url)


def _normalise(body: Any, text: str) -> ParseResult:
    """Rasa's /model/parse body, with the fields the bot relies on always present."""
    if not isinstance(body, dict) or not isinstance(body.get("intent"), dict):
        raise ValueError("not a /model/parse answer")
    intent = body["intent"]
    name = intent.get("name") or FALLBACK  # Rasa answers name=None for an empty message
    return {
        **body,
        "text": body.get("text", text),
        "intent": {"name": name, "confidence": float(intent.get("confidence") or 0.0)},
        "entities": list(body.get("entities") or []),
        "intent_ranking": list(body.get("intent_ranking") or []),
    }
