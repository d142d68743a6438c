"""Fixtures for the NLU tests: one embedded model trained from nlu/data per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu import embedded

ROOT = Path(__file__).resolve().parents[2]
NLU_DATA = ROOT / "nlu" / "data"
NLU_TEST = ROOT / "tests" / "data" / "nlu_test.yml"
THRESHOLD = 0.45  # the default of settings.nlu_fallback_threshold


@pytest.fixture(scope="session")
def embedded_model(tmp_path_factory: pytest.TempPathFactory) -> embedded.EmbeddedNLU:
    return embedded.load_or_train(NLU_DATA, tmp_path_factory.mktemp("embedded-nlu"), THRESHOLD)
