"""What the Rasa runner does without Rasa itself: clear errors and the epochs override."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nlu.rasa_runner import CONFIG, RasaError, RasaServer, rasa_python, write_config


def test_missing_venv_says_how_to_build_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAHABAT_RASA_VENV", str(tmp_path / "no-venv"))
    with pytest.raises(RasaError, match="make rasa-venv"):
        rasa_python()


def test_epochs_override_changes_only_diet(tmp_path: Path) -> None:
    original = yaml.safe_load(CONFIG.read_text())
    written = yaml.safe_load(write_config(tmp_path / "config.yml", epochs=7).read_text())
    diet = [c for c in written["pipeline"] if c["name"] == "DIETClassifier"]
    assert [c["epochs"] for c in diet] == [7]
    for before, after in zip(original["pipeline"], written["pipeline"], strict=True):
        if before["name"] != "DIETClassifier":
            assert before == after
    assert written["language"] == original["language"]


def test_server_refuses_a_missing_model(tmp_path: Path) -> None:
    with pytest.raises(RasaError, match="model not found"), RasaServer(tmp_path / "absent.tar.gz"):
        pass
