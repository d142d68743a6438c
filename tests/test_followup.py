"""Follow-up check-ins after a resolved case, answered into the case."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.app_state import Runtime
from bot.followup import run_followups
from bot.messages import Inbound
from bot.store import repo
from bot.store.models import Escalation, Message, Outbox, utcnow


def _resolved_case(rt: Runtime, days_ago: int, channel: str = "telegram", user: str = "42") -> str:
    with rt.db.session() as s:
        contact = repo.get_or_create_contact(s, channel, user)
        esc = repo.create_escalation(s, contact, "returnee_help", 2, "test", {"province": "Nusa Tenggara Barat"})
        esc.status = "resolved"
        esc.resolved_at = utcnow() - timedelta(days=days_ago)
        return esc.reference


def test_checkin_is_sent_once_and_the_answer_goes_into_the_case(runtime: Runtime) -> None:
    ref = _resolved_case(runtime, days_ago=8)
    assert run_followups(runtime.engine, days=7) == 1
    assert run_followups(runtime.engine, days=7) == 0  # never twice
    with runtime.db.session() as s:
        out = s.scalars(select(Outbox)).all()
    assert len(out) == 1 and ref in out[0].payload["text"]
    assert {b["payload"] for b in out[0].payload["buttons"]} >= {"/affirm", "/deny"}

    replies = runtime.engine.handle(Inbound("telegram", "42", text="belum, saya belum dapat apa-apa"))
    assert "petugas" in " ".join(r.text for r in replies)
    with runtime.db.session() as s:
        cases = s.scalars(select(Escalation).order_by(Escalation.id)).all()
    assert cases[0].details["followup_helped"] is False
    assert len(cases) == 2 and cases[1].status == "open" and cases[1].details["followup_of"] == ref


def test_no_checkin_before_the_configured_days(runtime: Runtime) -> None:
    _resolved_case(runtime, days_ago=3)
    assert run_followups(runtime.engine, days=7) == 0


def test_a_checkin_enters_through_the_engine_as_a_turn_the_bot_starts(runtime: Runtime) -> None:
    ref = _resolved_case(runtime, days_ago=8)
    with runtime.db.session() as s:
        contact = repo.get_or_create_contact(s, "telegram", "42")
        contact.language, contact.last_seen_at = "en", utcnow() - timedelta(days=9)
        before = contact.last_seen_at
    assert run_followups(runtime.engine, days=7) == 1
    with runtime.db.session() as s:
        contact = repo.get_or_create_contact(s, "telegram", "42")
        rows = s.scalars(select(Message).where(Message.contact_id == contact.id)).all()
        conv = repo.lock_conversation(s, contact)
        # A system event: not stored as the person's words, last seen and language untouched.
        assert [(m.direction, m.sender, m.meta) for m in rows] == [("out", "bot", {"followup": ref})]
        assert ref in rows[0].text and len(s.scalars(select(Outbox)).all()) == 1
        assert contact.last_seen_at == before and contact.language == "en"
        assert conv.state["flow"] == "followup" and conv.state["memory"]["case_ref"] == ref

    runtime.engine.handle(Inbound("telegram", "42", text="tidak"))  # the answer, typed
    with runtime.db.session() as s:
        cases = s.scalars(select(Escalation).order_by(Escalation.id)).all()
    assert len(cases) == 2 and cases[1].details["followup_of"] == ref


def test_no_checkin_interrupts_a_question_being_answered_but_the_case_is_marked(runtime: Runtime) -> None:
    _resolved_case(runtime, days_ago=8)
    with runtime.db.session() as s:
        conv = repo.lock_conversation(s, repo.get_or_create_contact(s, "telegram", "42"))
        conv.state = {"flow": "intake", "step": "province"}
    assert run_followups(runtime.engine, days=7) == 0
    with runtime.db.session() as s:
        assert s.scalars(select(Outbox)).all() == [] and s.scalars(select(Message)).all() == []
        assert s.scalars(select(Escalation)).one().details["followup_sent_at"]
