"""From a raw inbound message to a Turn: cleaning, commands and button payloads, the safety net on
an over-long message, then the NLU. None means nothing to understand (see special.py)."""

from __future__ import annotations

import json
import re
import time
from typing import Any

from bot import metrics
from bot.messages import Inbound
from bot.quick_exit import is_quick_exit
from flows.runtime import Turn
from nlu.base import NLU
from nlu.safety import is_danger

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PAYLOAD = re.compile(r"^/(?P<intent>[a-z_]+)(?P<data>\{.*\})?\s*$", re.S)
_COMMAND_ALIASES = {"start": "greet", "help": "menu", "bantuan": "menu", "stop": "quick_exit"}
# An over-long message is checked for danger in full up to this many characters (REST takes 20,000).
DANGER_SCAN_CHARS = 50_000


def clean(msg: Inbound) -> None:
    """Control characters (NUL above all: PostgreSQL refuses it in text) carry no meaning in chat."""
    msg.text = _CONTROL.sub("", msg.text)
    msg.sender_id = _CONTROL.sub("", msg.sender_id)
    if msg.message_id is not None:
        msg.message_id = _CONTROL.sub("", msg.message_id).strip() or None
    if msg.payload:
        msg.payload = _CONTROL.sub("", msg.payload)


def understand(msg: Inbound, nlu: NLU, exit_words: frozenset[str], max_chars: int) -> Turn | None:
    """Clean `msg` in place and read it. Runs before the transaction so row locks are held only for
    bookkeeping."""
    clean(msg)
    started = time.perf_counter()
    turn = _read(msg, nlu, exit_words, max_chars)
    if turn is not None and turn.nlu:
        answered_by = getattr(nlu, "answered_by", None)  # Rasa's client may have used its fallback
        backend = answered_by() if callable(answered_by) else nlu.name
        metrics.NLU_LATENCY.labels(backend).observe(time.perf_counter() - started)
    return turn


def _read(msg: Inbound, nlu: NLU, exit_words: frozenset[str], max_chars: int) -> Turn | None:
    raw = msg.payload or msg.text.strip()
    if is_quick_exit(raw, exit_words):  # before the NLU and any pending question
        return Turn(text="", intent="quick_exit", from_button=True)
    m = _PAYLOAD.match(raw) if raw.startswith("/") else None
    if m:
        return _command(m, msg)
    text = msg.text.strip()
    if msg.location is not None:
        return Turn(text=text, intent="share_location", location=msg.location)
    if len(text) > max_chars and _danger_anywhere(text, max_chars):
        # Too long to analyse, but a cry for help anywhere in it still reaches the emergency path.
        return Turn(text=text[:max_chars], intent="emergency", confidence=1.0)
    if not text or len(text) > max_chars or not any(ch.isalnum() for ch in text):
        return None  # handled as a special case inside the session
    result = nlu.parse(text)
    top = result.get("intent") or {}
    return Turn(
        text=text,
        intent=str(top.get("name") or "nlu_fallback"),
        confidence=float(top.get("confidence") or 0.0),
        entities=list(result.get("entities") or []),
        nlu=result,
    )


def _danger_anywhere(text: str, limit: int) -> bool:
    """The safety net on an over-long message: its first lines (where a bare "tolong tolong" is
    still a cry), the part the engine would analyse, and the whole text, so a plea that comes after
    a long story or a pasted offer is not lost. The whole text is read up to DANGER_SCAN_CHARS, more
    than any channel delivers (about 10 ms for 20,000 characters)."""
    return is_danger(text[:280]) or is_danger(text[:limit]) or is_danger(text[:DANGER_SCAN_CHARS])


def _command(m: re.Match[str], msg: Inbound) -> Turn:
    """A button payload or a typed command: `/intent{"value": ..., "entity": ...}`."""
    intent = _COMMAND_ALIASES.get(m.group("intent"), m.group("intent"))
    data: dict[str, Any] = {}
    if m.group("data"):
        try:
            data = json.loads(m.group("data"))
        except ValueError:
            data = {}
    value = data.get("value") if isinstance(data, dict) else None
    entities = [{"entity": k, "value": v} for k, v in data.items() if k != "value"]
    return Turn(
        text="",
        intent=intent,
        confidence=1.0,
        entities=entities,
        value=str(value) if value is not None else None,
        location=msg.location,
        from_button=True,
    )
