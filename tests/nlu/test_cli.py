"""`sahabat nlu train|parse|eval` through typer's CliRunner."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.config import get_settings
from nlu.cli import app
from tests.nlu.conftest import NLU_TEST

runner = CliRunner()

TRAIN = """version: "3.1"
nlu:
- intent: greet
  examples: |
    - halo
    - hai kak
    - selamat pagi
    - assalamualaikum
- intent: goodbye
  examples: |
    - dadah
    - sampai jumpa
    - bye kak
    - selamat tinggal
- intent: emergency
  examples: |
    - saya dikurung majikan
    - tolong saya dipukul
    - saya disekap
    - paspor saya ditahan, tidak boleh keluar
"""
TEST = """version: "3.1"
nlu:
- intent: greet
  examples: |
    - halo min
- intent: goodbye
  examples: |
    - sampai nanti
- intent: emergency
  examples: |
    - sy dkurung gk blh kluar
"""


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("SAHABAT_NLU_MODEL_DIR", str(tmp_path / "default-model"))
    monkeypatch.delenv("SAHABAT_NLU_URL", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_train_then_parse(tmp_path: Path) -> None:
    data = tmp_path / "train.yml"
    data.write_text(TRAIN)
    out = tmp_path / "model"
    res = runner.invoke(app, ["train", "--data", str(data), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "3 intents" in res.output

    res = runner.invoke(app, ["parse", "--model", str(out), "sampai jumpa kak"])
    assert res.exit_code == 0, res.output
    parsed = json.loads(res.output)
    assert parsed["intent"]["name"] == "goodbye"
    assert set(parsed) == {"text", "intent", "entities", "intent_ranking"}


def test_parse_without_a_model_dir_says_so(tmp_path: Path) -> None:
    res = runner.invoke(app, ["parse", "--model", str(tmp_path / "nothing"), "halo"])
    assert res.exit_code == 2


def test_eval_with_train_writes_rasa_report(tmp_path: Path) -> None:
    train, test = tmp_path / "train.yml", tmp_path / "test.yml"
    train.write_text(TRAIN)
    test.write_text(TEST)
    report_dir = tmp_path / "report"
    res = runner.invoke(
        app,
        ["eval", "--data", str(test), "--train", str(train), "--report", str(report_dir), "--threshold", "0"],
    )
    assert res.exit_code == 0, res.output
    assert "macro F1" in res.output and "emergency recall  1.0000" in res.output
    report = json.loads((report_dir / "intent_report.json").read_text())
    assert {"accuracy", "macro avg", "weighted avg", "greet", "goodbye", "emergency"} <= set(report)
    assert report["emergency"]["support"] == 1


def test_eval_default_model_on_project_test_set(tmp_path: Path) -> None:
    res = runner.invoke(app, ["eval", "--data", str(NLU_TEST), "--report", str(tmp_path)])
    assert res.exit_code == 0, res.output
    report = json.loads((tmp_path / "intent_report.json").read_text())
    assert report["emergency_recall"] == 1.0
    assert report["macro avg"]["support"] >= 300


def test_rasa_backend_without_url_or_train_fails_clearly(tmp_path: Path) -> None:
    test = tmp_path / "test.yml"
    test.write_text(TEST)
    res = runner.invoke(app, ["eval", "--data", str(test), "--backend", "rasa"])
    assert res.exit_code == 2
    assert "SAHABAT_NLU_URL" in res.output


def test_eval_rasa_backend_via_url_applies_safety(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.rasa.fake_rasa import running_fake

    test = tmp_path / "test.yml"
    test.write_text(TEST)
    with running_fake() as fake:  # a stand-in Rasa on 127.0.0.1 that answers "greet" to everything
        monkeypatch.setenv("SAHABAT_NLU_URL", fake.url)
        get_settings.cache_clear()
        res = runner.invoke(app, ["eval", "--data", str(test), "--backend", "rasa", "--report", str(tmp_path)])
    assert res.exit_code == 0, res.output
    report = json.loads((tmp_path / "intent_report.json").read_text())
    assert report["backend"] == "rasa"
    assert report["greet"]["recall"] == 1.0 and report["goodbye"]["recall"] == 0.0
    assert report["emergency_recall"] == 1.0  # Rasa said "greet"; the safety net said emergency
