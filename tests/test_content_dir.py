"""SAHABAT_CONTENT_DIR is where chat replies come from: every content file, not only some."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app_state import Runtime, build_runtime
from bot.config import Settings
from bot.knowledge.content import CONTENT_DIR
from bot.messages import Inbound
from nlu.base import NLU

# (file, text in the repository's content, what the copy says instead)
EDITS = [
    ("hotlines.yml", "Polisi (Polri)", "Polisi Uji Direktori"),
    ("crisis.yml", "Healing119.id (Kemenkes)", "Healing Uji Direktori"),
    ("questions.yml", "Kalau nama PT tidak ada di SISKOP2MI", "Uji direktori: kalau nama PT tidak ada di SISKOP2MI"),
]


@pytest.fixture
def own_content(settings: Settings, nlu: NLU, tmp_path: Path) -> Iterator[Runtime]:
    d = tmp_path / "my-content"
    shutil.copytree(CONTENT_DIR, d)
    for fname, old, new in EDITS:
        path = d / fname
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
    rt = build_runtime(settings.model_copy(update={"content_dir": d}), nlu=nlu)
    yield rt
    rt.db.dispose()


def _reply(rt: Runtime, user: str, text: str) -> str:
    return "\n".join(r.text for r in rt.engine.handle(Inbound("rest", user, text=text)))


def test_chat_replies_come_from_the_configured_content_directory(own_content: Runtime) -> None:
    emergency = _reply(own_content, "a", "tolong saya dikurung majikan")
    assert "Polisi Uji Direktori" in emergency and "Polisi (Polri)" not in emergency
    crisis = _reply(own_content, "b", "saya ingin bunuh diri")
    assert "Healing Uji Direktori" in crisis
    question = _reply(own_content, "c", "nama PT nya tidak ada di siskop2mi, gimana?")
    assert "Uji direktori" in question


def test_the_repository_content_is_used_again_by_a_runtime_without_the_setting(
    own_content: Runtime, runtime: Runtime
) -> None:
    _reply(own_content, "a", "tolong saya dikurung majikan")  # one directory does not leak into another
    assert "Polisi (Polri)" in _reply(runtime, "d", "tolong saya dikurung majikan")
