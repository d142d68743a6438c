"""Issue 15: content/red_flags.yml decides the flags, the grave ones and the risk rule; `content check` fails
when code names a flag content lacks, or content has a flag no analyzer rule raises."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.knowledge.check import check_content
from bot.knowledge.content import CONTENT_DIR, load_content
from bot.knowledge.flag_ids import ANALYZER, FLOW_FILES, LEARNED, LEXICON, ROOT, code_flag_uses
from bot.knowledge.offers import analyze_offer, risk_of


def _code_copy(tmp_path: Path) -> Path:
    root = tmp_path / "code"
    for rel in (LEXICON, ANALYZER, LEARNED, *FLOW_FILES):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, root / rel)
    return root


def _content_copy(tmp_path: Path) -> Path:
    d = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, d)
    return d


def test_every_flag_in_code_is_in_content_and_the_check_passes() -> None:
    uses = code_flag_uses()
    assert {u.flag for u in uses if u.detects} == set(load_content().red_flags)
    assert any(u.file.startswith("flows/") for u in uses)  # the flows' checklist is read too
    assert check_content(CONTENT_DIR) == []


@pytest.mark.parametrize(
    ("rel", "old", "new"),
    [
        (LEXICON, '"secrecy",', '"secrecyy",'),
        (ANALYZER, 'found.add("banned_placement"', 'found.add("banned_placment"'),
        (Path("flows/actions_offer.py"), '("no_contract", False)', '("no_contracts", False)'),
        (LEARNED, '"rushed_process",', '"rushed",'),
    ],
)
def test_a_flag_in_code_that_content_lacks_fails_the_check(tmp_path: Path, rel: Path, old: str, new: str) -> None:
    root = _code_copy(tmp_path)
    text = (root / rel).read_text(encoding="utf-8")
    assert old in text
    (root / rel).write_text(text.replace(old, new, 1), encoding="utf-8")
    problems = check_content(CONTENT_DIR, code_root=root)
    flag = new.split('"')[1]
    assert any(str(rel) in p and repr(flag) in p and "used in code" in p for p in problems), problems


def test_a_content_flag_no_rule_raises_fails_the_check(tmp_path: Path) -> None:
    root = _code_copy(tmp_path)
    lexicon = (root / LEXICON).read_text(encoding="utf-8")
    # the lexicon's romance_lure rule removed: nothing raises the flag content still lists
    (root / LEXICON).write_text(lexicon.replace('"romance_lure",', '"secrecy",'), encoding="utf-8")
    problems = check_content(CONTENT_DIR, code_root=root)
    assert any("red_flags[romance_lure]" in p and "no analyzer rule" in p for p in problems), problems


def _edit_flags(d: Path, edit: object) -> None:
    path = d / "red_flags.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_the_risk_rule_comes_from_content(tmp_path: Path) -> None:
    d = _content_copy(tmp_path / "a")
    offer = "Biaya pendaftaran 5 juta, proses cepat, tidak perlu pengalaman"  # three non-grave flags
    assert analyze_offer(offer).risk == "high"
    _edit_flags(d, lambda data: data["risk"].update(high_from=4))
    assert analyze_offer(offer, content_dir=d).risk == "medium"
    d = _content_copy(tmp_path / "b")  # (content is cached per directory)
    _edit_flags(d, lambda data: next(f for f in data["red_flags"] if f["id"] == "upfront_fee").update(grave=True))
    one_fee = analyze_offer("Biaya pendaftaran 5 juta dibayar dulu", content_dir=d)
    assert (one_fee.flag_ids, one_fee.risk) == (["upfront_fee"], "high")


def test_risk_counts_each_flag_once() -> None:
    c = load_content()
    assert risk_of(["upfront_fee", "upfront_fee", "upfront_fee"], c) == "medium"
    assert risk_of([], c) == "low"


def test_a_broken_risk_rule_fails_the_check(tmp_path: Path) -> None:
    d = _content_copy(tmp_path)
    _edit_flags(d, lambda data: data["risk"].update(medium_from=3))
    problems = check_content(d)
    assert any(p.startswith("red_flags.yml") and "medium_from" in p for p in problems), problems
