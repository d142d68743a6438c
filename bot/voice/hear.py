"""From a downloaded note to the person's message: the transcript becomes the Inbound's text (so
consent, emergencies and flows treat it like typing), or the reason it was not heard is kept for a
polite reply. Logs carry sizes and durations only, never words or numbers."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import select

from bot.messages import Inbound
from bot.store.db import Database
from bot.store.models import Contact
from bot.voice import pool
from bot.voice.base import Transcript, VoiceError
from bot.voice.respell import respell

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Heard:
    transcript: Transcript | None = None
    error: str | None = None


def contact_language(db: Database, channel: str, sender: str) -> str:
    """Whisper is told the language: English for those who chose it, Indonesian for everyone else."""
    with db.session() as s:
        lang = s.scalar(
            select(Contact.language).where(Contact.channel == channel, Contact.channel_user_id == sender)
        )
    return "en" if lang == "en" else "id"


async def hear(language: str, fetch: Callable[[], Awaitable[bytes]]) -> Heard:
    started = time.perf_counter()
    size = 0
    try:
        data = await fetch()
        size = len(data)
        transcript = await pool.transcribe(data, language)
    except VoiceError as exc:
        log.info("voice note not heard: %s (%d bytes, %.1f s)", exc.reason, size, time.perf_counter() - started)
        return Heard(error=exc.reason)
    except Exception:  # a bug or a broken model must cost a polite reply, not the message
        log.exception("voice note failed (%d bytes)", size)
        return Heard(error="unheard")
    log.info(
        "voice note heard: %d bytes, %.1f s of audio in %.1f s", size, transcript.duration_s, transcript.seconds
    )
    return Heard(transcript=transcript)


def apply(msg: Inbound, heard: Heard) -> None:
    if heard.transcript is not None:
        msg.text = respell(heard.transcript.text)  # "jadikamboja" -> "jadi kamboja"
        msg.media_kind = None  # understood: the words are the message now
        msg.metadata["voice"] = {"duration_s": heard.transcript.duration_s}
    else:
        msg.metadata["voice_error"] = heard.error or "unheard"
