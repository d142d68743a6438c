"""Shape replies for chat: no message longer than WhatsApp's 1,600 characters."""

from __future__ import annotations

import re

from bot.messages import Reply

MAX_CHARS = 1600
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _pieces(text: str, limit: int) -> list[str]:
    """Split at paragraph breaks, then sentence ends, then spaces; never mid-word if avoidable."""
    if len(text) <= limit:
        return [text]
    out: list[str] = []
    current = ""
    units: list[str] = []
    for para in text.split("\n\n"):
        if len(para) <= limit:
            units.append(para)
            continue
        for sentence in _SENTENCE_END.split(para):
            while len(sentence) > limit:
                cut = sentence.rfind(" ", 0, limit)
                cut = cut if cut > limit // 2 else limit
                units.append(sentence[:cut])
                sentence = sentence[cut:].lstrip()
            units.append(sentence)
    for unit in units:
        sep = "\n\n" if current else ""
        if len(current) + len(sep) + len(unit) <= limit:
            current += sep + unit
        else:
            if current:
                out.append(current)
            current = unit
    if current:
        out.append(current)
    return out


def split_long(replies: list[Reply], limit: int = MAX_CHARS) -> list[Reply]:
    out: list[Reply] = []
    for r in replies:
        parts = _pieces(r.text, limit)
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            out.append(
                Reply(
                    part,
                    r.buttons if last else [],
                    r.request_location if last else False,
                    sensitive=r.sensitive,
                    pin=r.pin if last else None,
                    clear_chat=r.clear_chat if i == 0 else False,
                    retract=r.retract if i == 0 else [],
                )
            )
    return out
