"""A message that reads as danger while the database is unreachable still gets the numbers to call.

The turn itself cannot run (no contact, no case, no transcript), so the message is not acknowledged:
the channel gets a 503 and delivers it again, and the turn that runs then records it and opens the
case. Meanwhile the person is not left with silence: the emergency (or crisis) numbers for where
they say they are, built from content alone, with a line saying their message is not recorded yet.
Everything else waits for the database as before."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from bot.language import detect_language
from bot.messages import Reply
from flows.actions_crisis import crisis_lines
from flows.actions_emergency import emergency_numbers
from flows.runtime import Turn
from flows.texts import find_country
from nlu.safety import is_danger, says_safe

_NOT_RECORDED = {
    "id": "⚠️ Sistem kami sedang gangguan, jadi pesan Anda belum tercatat dan belum sampai ke petugas. "
    "Kami akan mencatatnya begitu sistem pulih. Kalau Anda dalam bahaya sekarang, jangan menunggu: "
    "hubungi nomor ini.",
    "en": "⚠️ Our system is having trouble, so your message is not recorded yet and has not reached a "
    "caseworker. We will record it as soon as the system is back. If you are in danger now, don't wait: "
    "call these numbers.",
}


class DatabaseDownWithReplies(OperationalError):
    """The database failed under a message that reads as danger; `replies` may go out without it.
    An OperationalError, so every channel that answers a database outage with a 503 still does."""

    def __init__(self, cause: Exception, replies: list[Reply]) -> None:
        super().__init__(None, None, cause)
        self.replies = replies


def offline_replies(turn: Turn | None) -> list[Reply]:
    """The numbers for a message that reads as danger or self-harm, else nothing."""
    if turn is None or not turn.text:
        return []
    crisis = turn.intent == "self_harm"
    danger = is_danger(turn.text) or (turn.intent == "emergency" and not says_safe(turn.text))
    if not (crisis or danger):
        return []
    lang = "en" if detect_language(turn.text) == "en" else "id"
    country = find_country(turn.text, turn.entities)
    numbers = "\n".join(crisis_lines(lang, country, brief=True)) if crisis else emergency_numbers(lang, country)
    return [Reply(f"{_NOT_RECORDED[lang]}\n\n{numbers}", sensitive=True)]
