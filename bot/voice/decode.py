"""Audio bytes -> 16 kHz mono samples with PyAV (the FFmpeg libraries inside its wheel: ogg/opus,
amr, mp3, m4a, wav), in memory only: nothing is written to disk. PyAV rather than Debian's ffmpeg
because faster-whisper already depends on it, it comes from the lock like everything else, and no
subprocess or temp file is needed."""

from __future__ import annotations

import io

import av
import numpy as np

from bot.voice.base import TOO_LONG, UNREADABLE, Samples, VoiceError
from bot.voice.limits import MAX_SECONDS, SAMPLE_RATE


def decode(data: bytes, max_seconds: float = MAX_SECONDS) -> Samples:
    """The note's samples; VoiceError(TOO_LONG) as soon as more than `max_seconds` are decoded (a
    container's declared duration can lie), VoiceError(UNREADABLE) for anything FFmpeg cannot read."""
    if not data:
        raise VoiceError(UNREADABLE)
    limit = int(max_seconds * SAMPLE_RATE)
    chunks: list[Samples] = []
    total = 0
    try:
        with av.open(io.BytesIO(data), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise VoiceError(UNREADABLE)
            declared = container.duration  # microseconds, when the container says
            if declared is not None and declared / 1_000_000 > max_seconds + 1:
                raise VoiceError(TOO_LONG)
            resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
            for frame in container.decode(audio=0):
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1).astype(np.float32, copy=False)
                    total += chunk.size
                    if total > limit + SAMPLE_RATE:
                        raise VoiceError(TOO_LONG)
                    chunks.append(chunk)
    except VoiceError:
        raise
    except (av.FFmpegError, ValueError, OSError, IndexError, EOFError):
        raise VoiceError(UNREADABLE) from None
    if total < SAMPLE_RATE // 10:  # under 0.1 s: nothing to hear
        raise VoiceError(UNREADABLE)
    return np.concatenate(chunks)
