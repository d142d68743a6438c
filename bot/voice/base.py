"""The transcriber interface and its outcomes; a failure carries a reason, never the audio."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

Samples = npt.NDArray[np.float32]  # 16 kHz mono

# Why a note was not heard; each has a polite reply (bot/voice/readback.py).
TOO_BIG, TOO_LONG, UNREADABLE, UNHEARD, BUSY = "too_big", "too_long", "unreadable", "unheard", "busy"


class VoiceError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Transcript:
    text: str
    language: str
    duration_s: float  # of the audio
    seconds: float  # of compute


class Transcriber(Protocol):
    name: str

    def transcribe(self, samples: Samples, language: str) -> Transcript: ...
