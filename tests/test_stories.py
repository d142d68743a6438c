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
          asked_details: true       # the person asked for more: replies may exceed SHORT_REPLY
          max_chars: 700            # a tighter limit for this step's replies (an answer on one screen)
          flagged: true             # the message is flagged as danger for the caseworker
          open_cases: 1             # how many unresolved cases this person has
          stored: ["namanya Sari"]  # the transcript the caseworker reads holds these
        - claim: true               # a caseworker claims the person's open case (the chat is theirs)

Every reply in every story stays within SHORT_REPLY characters (a phone screen) unless the step
says the person asked for details, and carries at most 3 quick replies or one list of at most 10
with titles a phone shows whole (flows/widgets.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select

from bot.app_state import Runtime
from bot.console import cases
from bot.messages import Inbound, Location
from bot.replies import MAX_CHARS
from bot.store import repo
from bot.store.models import Caseworker, Contact, Escalation, Message
from flows import widgets

STORIES = Path(__file__).parent / "stories"
SHORT_REPLY = 1000


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


def _contact_id(runtime: Runtime, sender: str) -> int:
    with runtime.db.session() as s:
        return s.scalars(select(Contact.id).where(Contact.channel_user_id == sender)).one()


def _open_cases(runtime: Runtime, sender: str) -> list[Escalation]:
    with runtime.db.session() as s:
        q = select(Escalation).where(
            Escalation.contact_id == _contact_id(runtime, sender), Escalation.status != "resolved"
        )
        return list(s.scalars(q).all())


def _last_in(runtime: Runtime, sender: str) -> Message:
    with runtime.db.session() as s:
        q = select(Message).where(Message.contact_id == _contact_id(runtime, sender), Message.direction == "in")
        return s.scalars(q.order_by(Message.id.desc())).first()  # type: ignore[return-value]


def _transcript(runtime: Runtime, sender: str) -> list[str]:
    with runtime.db.session() as s:
        q = select(Message.text).where(Message.contact_id == _contact_id(runtime, sender), Message.direction == "in")
        return list(s.scalars(q.order_by(Message.id)).all())


def _claim(runtime: Runtime, sender: str) -> None:
    """What a caseworker's "claim" button does in the console, on the person's open case."""
    with runtime.db.session() as s:
        who = s.scalars(select(Caseworker.id).where(Caseworker.username == "story-cw")).first()
        if who is None:
            cw = Caseworker(username="story-cw", password_hash="-")
            s.add(cw)
            s.flush()
            who = cw.id
        esc = repo.open_escalation(s, _contact_id(runtime, sender))
        assert esc is not None, "nothing to claim"
        cases.claim(s, esc, who)


@pytest.mark.parametrize("story", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_story(story: dict[str, Any], runtime: Runtime) -> None:
    sender = f"story-{abs(hash(story['story']))}"
    for n, step in enumerate(story["steps"]):
        if step.get("claim"):
            _claim(runtime, sender)
            continue
        replies = runtime.engine.handle(_inbound(sender, step, n))
        said = "\n".join(r.text for r in replies)
        low = said.lower()
        where = f"step {n + 1} ({step.get('user', step.get('location', step.get('media')))!r}) got:\n{said}"
        limit = step.get("max_chars") or (MAX_CHARS if step.get("asked_details") else SHORT_REPLY)
        for r in replies:
            assert len(r.text) <= limit, f"reply of {len(r.text)} characters (over {limit}) at {where}"
            broken = widgets.problems(b.title for b in r.buttons)  # what a phone can show natively
            assert not broken, f"{broken[0]} at {where}"
        if "flagged" in step:
            assert _last_in(runtime, sender).meta.get("danger", False) is step["flagged"], where
        if "stored" in step:
            transcript = "\n".join(_transcript(runtime, sender)).lower()
            for frag in step["stored"]:
                assert str(frag).lower() in transcript, f"{frag!r} not stored at {where}"
        if "open_cases" in step:
            assert len(_open_cases(runtime, sender)) == step["open_cases"], where
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
