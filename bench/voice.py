"""Speech recognition speed on this machine: model load time, real-time factor and peak RSS.

    .venv/bin/python -m bench.voice [--json out.json]

Indonesian notes of about 5, 20 and 60 seconds are spoken by espeak-ng, then heard as the bot hears
them (bot.voice.pool.transcribe_bytes: PyAV decoding in memory, then Whisper base int8 on the CPU).
RTF = seconds of compute per second of audio (target: at most 0.5 for notes up to 60 s on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import time

from bot.voice import pool
from bot.voice.whisper import WhisperBackend

SENTENCES = [
    "paspor saya ditahan majikan, saya tidak boleh keluar.",
    "saya ditawari kerja di Kamboja, gaji lima belas juta, pakai visa turis.",
    "agen minta biaya proses tiga juta, katanya lewat sponsor di Malaysia.",
    "di mana sentra Kemensos terdekat dari Kupang?",
    "adik saya berangkat ke Arab Saudi bulan lalu dan sekarang tidak bisa dihubungi.",
]


def speak(text: str) -> bytes:
    out = subprocess.run(["espeak-ng", "-v", "id", "-s", "150", "--stdout", text], capture_output=True, check=True)
    return out.stdout


def note(seconds: float) -> bytes:
    """Sentences repeated until the note is about `seconds` long (espeak-ng at 150: ~1.6 words/s)."""
    words: list[str] = []
    i = 0
    while len(words) < seconds * 1.6:
        words += SENTENCES[i % len(SENTENCES)].split()
        i += 1
    return speak(" ".join(words))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()
    backend = pool.backend()
    assert isinstance(backend, WhisperBackend)
    backend.model()
    warm = pool.transcribe_bytes(speak("halo"), "id")  # the first call also sets CTranslate2 up
    rows = []
    for target in (5, 20, 60):
        t = pool.transcribe_bytes(note(target), "id")
        rows.append({"audio_s": t.duration_s, "compute_s": t.seconds, "rtf": round(t.seconds / t.duration_s, 3)})
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"model: {backend.name} int8, {backend.cpu_threads} CPU threads; load {backend.load_seconds:.2f} s")
    print(f"first note (warm-up): {warm.duration_s:.1f} s of audio in {warm.seconds:.2f} s")
    print(f"{'audio s':>8} {'compute s':>10} {'RTF':>6}")
    for r in rows:
        print(f"{r['audio_s']:>8.1f} {r['compute_s']:>10.2f} {r['rtf']:>6.3f}")
    print(f"peak RSS: {rss_mb:.0f} MB")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"load_s": backend.load_seconds, "notes": rows, "peak_rss_mb": rss_mb, "at": time.time()}, f)


if __name__ == "__main__":
    main()
