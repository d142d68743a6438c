"""content/crisis.yml: every crisis contact sourced and dated, and the check rejects an unlisted number."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from bot.knowledge.check import check_content
from bot.knowledge.content import CONTENT_DIR
from flows.actions_crisis import crisis_content, crisis_lines


def test_every_crisis_line_has_source_date_and_review() -> None:
    c = crisis_content()
    assert {h.id for h in c.lines} >= {"healing119"}
    for h in c.lines:
        assert h.source and h.reviewed and h.as_of
        assert all(s.startswith("https://") for s in h.source)


def test_an_unverified_crisis_number_fails_the_check(tmp_path: Path) -> None:
    d = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, d)
    path = d / "crisis.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["lines"][0]["contacts"].append(
        {"kind": "phone", "value": "0812 3456 7890", "label": {"id": "x", "en": "x"}}
    )
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    problems = check_content(d)
    assert any("crisis.yml" in p and "0812 3456 7890" in p for p in problems), problems


def test_crisis_reply_abroad_names_the_mission_and_at_home_the_emergency_line() -> None:
    abroad = "\n".join(crisis_lines("id", "Malaysia"))
    assert "healing119.id" in abroad and "+60 17-668 8032" in abroad
    home = "\n".join(crisis_lines("en", None))
    assert "119" in home and "Kuala Lumpur" not in home
    assert len(home) < 700 and len(abroad) < 700
