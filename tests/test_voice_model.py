"""The speech model the wheels install is the upstream faster-whisper base, byte for byte (MODEL.md)."""

from __future__ import annotations

import hashlib

import pytest

from bot.voice.whisper import model_dirs

MODEL_BIN = (145_217_532, "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9")
SMALL = {
    "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    "tokenizer.json": "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
    "vocabulary.txt": "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
}


def test_the_installed_model_is_upstream_whisper_base() -> None:
    dirs = model_dirs()
    if dirs is None:
        pytest.skip("the Whisper model wheels are not installed")
    digest, size = hashlib.sha256(), 0
    for i, d in enumerate(dirs, 1):
        with open(d / f"model.bin.part{i}", "rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
    assert (size, digest.hexdigest()) == MODEL_BIN
    for name, sha in SMALL.items():
        assert hashlib.sha256((dirs[0] / name).read_bytes()).hexdigest() == sha
