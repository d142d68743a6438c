"""Transcription off the event loop: one worker thread per process (CTranslate2 releases the GIL and
uses both cores itself), a short queue, and one model per process, loaded by the first note."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

from bot.voice.base import BUSY, Transcriber, Transcript, VoiceError

MAX_WAITING = 8  # notes queued behind the one being transcribed; more get "try again shortly"

_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="voice")
_waiting = threading.BoundedSemaphore(MAX_WAITING + 1)
_backend: Transcriber | None = None
_backend_lock = threading.Lock()


def backend() -> Transcriber:
    global _backend
    with _backend_lock:
        if _backend is None:
            from bot.voice.whisper import WhisperBackend

            _backend = WhisperBackend()
        return _backend


def transcribe_bytes(data: bytes, language: str) -> Transcript:
    """Blocking: decode in memory, then transcribe. The bytes are dropped when the call returns."""
    from bot.voice.decode import decode  # PyAV's FFmpeg libraries: loaded by the first note, not at start

    return backend().transcribe(decode(data), language)


async def transcribe(data: bytes, language: str) -> Transcript:
    if not _waiting.acquire(blocking=False):
        raise VoiceError(BUSY)
    try:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(_executor, transcribe_bytes, data, language)
    finally:
        _waiting.release()
