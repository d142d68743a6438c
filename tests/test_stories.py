"""Conversation tests that read like stories: tests/stories/*.yml, run through the real engine,
embedded NLU and database. Each step is what the person sends and what the bot's reply must show.

    - story: name
      lang: en                      # optional, informational
      steps:
        - user: "halo"              # or `location: [lat, lon]`, or `media: voice`
          bot: ["Sahabat Migran"]   # every fragment must appear (case-insensitive)
          bot_any: ["..", ".."]     # at least one must appear
          bot_not: [".."]           # none may appear
          buttons: ["/check_offer"] # these payloads must be offered
          escalation: {category: emergency, priority: 0, details: [situation]}
          silent: true              # no reply at all
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select

from bot.app_state import Runtime
from bot.messages import Inbound, Location
from bot.replies import MAX_CHARS
from bot.store.models import Escalation

STORIES = Path(__file__).parent / "stories"


def _load() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(STORIES.glob("*.yml")):
        for story in yaml.safe_load(path.read_text(encoding="utf-8")):
            out.append((f"{path.stem}: {story['story']}", story))
    return out


CASES = _load()


def _inbound(sender: str, step: dict[str, Any], n: int) -> Inbound:
    if "location" in step:
        lat, lon = step["location"]
        return Inbound("story", sender, location=Location(lat, lon), message_id=f"{sender}-{n}")
    if "media" in step:
        return Inbound("story", sender, text=step.get("user", ""), media_kind=step["media"], message_id=f"{sender}-{n}")
    text = str(step["user"])
    if text == "LONG":  # a 5,000-character paste
        text = ("Saya mau tanya soal lowongan kerja ini. " * 130)[:5000]
    payload = text if text.startswith("/") else None
    return Inbound("story", sender, text=text, payload=payload, message_id=f"{sender}-{n}")


@pytest.mark.parametrize("story", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_story(story: dict[str, Any], runtime: Runtime) -> None:
    sender = f"story-{abs(hash(story['story']))}"
    for n, step in enumerate(story["steps"]):
        replies = runtime.engine.handle(_inbound(sender, step, n))
        said = "\n".join(r.text for r in replies)
        low = said.lower()
        where = f"step {n + 1} ({step.get('user', step.get('location', step.get('media')))!r}) got:\n{said}"
        for r in replies:
            assert len(r.text) <= MAX_CHARS, f"reply over {MAX_CHARS} characters at {where}"
        if step.get("silent"):
            assert replies == [], where
            continue
        assert replies, f"no reply at {where}"
        for frag in step.get("bot", []):
            assert str(frag).lower() in low, f"missing {frag!r} at {where}"
        if "bot_any" in step:
            assert any(str(f).lower() in low for f in step["bot_any"]), f"none of {step['bot_any']} at {where}"
        for frag in step.get("bot_not", []):
            assert str(frag).lower() not in low, f"unexpected {frag!r} at {where}"
        payloads = {b.payload for r in replies for b in r.buttons}
        for p in step.get("buttons", []):
            assert p in payloads, f"button {p!r} missing at {where}; offered {sorted(payloads)}"
        if "escalation" in step:
            want = step["escalation"]
            with runtime.db.session() as s:
                esc = s.scalars(select(Escalation).order_by(Escalation.id.desc())).first()
            assert esc is not None, f"no escalation after {where}"
            assert esc.reference.startswith("SM-")
            for key in ("category", "priority", "status"):
                if key in want:
                    assert getattr(esc, key) == want[key], f"{key}={getattr(esc, key)!r} at {where}"
            for key in want.get("details", []):
                assert key in esc.details, f"escalation lacks {key!r}: {esc.details} at {where}"
