"""Flow files are validated at start-up with errors that name the file and the step."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.config import ROOT
from flows.registry import CONTRACTS, DYNAMIC_CHOICES
from flows.schema import FlowError, load_flows


def _copy(tmp_path: Path) -> Path:
    d = tmp_path / "flows"
    shutil.copytree(ROOT / "flows", d, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return d


def test_shipped_flows_are_valid() -> None:
    fs = load_flows(ROOT / "flows", CONTRACTS, set(DYNAMIC_CHOICES))
    for intent in ("greet", "check_offer", "emergency", "request_help", "find_sentra", "delete_data"):
        assert intent in fs.by_trigger


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("next: analyse", "next: analyze_typo"), "check_offer.yml: step 'ask_text': goes to unknown step 'analyze_typo'"),
        (("action: analyse_offer", "action: no_such_action"), "check_offer.yml: step 'analyse': unknown action"),
        (("expect: text}", "expect: telepathy}"), "check_offer.yml"),
        (("start: route", "start: nowhere"), "check_offer.yml: start step 'nowhere' does not exist"),
    ],
)
def test_broken_flow_names_file_and_step(tmp_path: Path, edit: tuple[str, str], expected: str) -> None:
    d = _copy(tmp_path)
    f = d / "check_offer.yml"
    text = f.read_text(encoding="utf-8")
    assert edit[0] in text
    f.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    with pytest.raises(FlowError) as err:
        load_flows(d, CONTRACTS, set(DYNAMIC_CHOICES))
    assert expected in str(err.value)


def test_not_yaml_is_reported(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    (d / "broken.yml").write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(FlowError, match=r"broken\.yml: not valid YAML"):
        load_flows(d, CONTRACTS, set(DYNAMIC_CHOICES))
