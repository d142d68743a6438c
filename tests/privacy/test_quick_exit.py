"""Quick exit (content/quick_exit.yml) and erasure during a handoff, through the real engine and NLU.

A frightened person types "stop" however their phone spells it: at any step, mid-question, after
an emergency, while a caseworker holds the chat. Each must erase at once with one neutral line."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from bot.app_state import Runtime
from bot.messages import Inbound, Reply
from bot.store.models import Contact, Conversation, Escalation, Message, Outbox

SPELLINGS = [
    "stop", "Stop", "STOP", "stop.", "/stop", "keluar!", "keluar", "Berhenti", "EXIT", "hapus",
    "  stop  ", "stop 🙏", "Stop!!!", "/stop@SahabatBot", "stop stop", "/keluar",
]
_chats = itertools.count(70_000)


def say(rt: Runtime, chat: str, text: str) -> list[Reply]:
    return rt.engine.handle(Inbound("telegram", chat, text=text), enqueue=True)


def contact(rt: Runtime, chat: str) -> Contact | None:
    with rt.db.session() as s:
        return s.scalars(select(Contact).where(Contact.channel_user_id == chat)).first()


def set_state(rt: Runtime, chat: str, state: dict | None = None, mode: str | None = None) -> None:
    with rt.db.session() as s:
        c = s.scalars(select(Contact).where(Contact.channel_user_id == chat)).one()
        conv = s.scalars(select(Conversation).where(Conversation.contact_id == c.id)).one()
        if state is not None:
            conv.state = state
        if mode is not None:
            conv.mode = mode


def ask_states(rt: Runtime) -> list[tuple[str, str]]:
    """Every step of every flow that waits for an answer."""
    return [(f.name, sid) for f in rt.flows.flows.values() for sid, st in f.steps.items() if st.ask]


def assert_erased_quietly(rt: Runtime, chat: str, replies: list[Reply], where: str) -> None:
    assert len(replies) == 1, (where, [r.text for r in replies])
    assert "\n" not in replies[0].text and not replies[0].buttons, where
    assert "dihentikan" in replies[0].text or "stopped" in replies[0].text, (where, replies[0].text)
    assert contact(rt, chat) is None, f"{where}: the contact is still there"
    with rt.db.session() as s:
        left = s.scalars(select(Escalation).where(Escalation.status != "resolved")).all()
        assert not [e.reference for e in left], f"{where}: an open case is left behind"
        assert not s.scalars(select(Message)).all(), where


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_erases_in_every_flow_state_and_during_a_handoff(runtime: Runtime, spelling: str) -> None:
    states: list[tuple[dict | None, str | None]] = [(None, None), (None, "human")]
    states += [({"flow": f, "step": st, "slots": {}}, None) for f, st in ask_states(runtime)]
    states += [({"flow": f, "step": st, "slots": {}}, "human") for f, st in ask_states(runtime)[:3]]
    assert len(states) > 15
    for state, mode in states:
        chat = str(next(_chats))
        say(runtime, chat, "halo")
        set_state(runtime, chat, state, mode)
        where = f"{spelling!r} at {state and (state['flow'], state['step'])} mode={mode}"
        assert_erased_quietly(runtime, chat, say(runtime, chat, spelling), where)


def test_stop_right_after_an_emergency_leaves_no_empty_case_in_the_queue(runtime: Runtime) -> None:
    chat = str(next(_chats))
    first = say(runtime, chat, "tolong saya dikurung majikan di Malaysia, paspor ditahan")
    assert any("SM-" in r.text for r in first)
    with runtime.db.session() as s:
        esc = s.scalars(select(Escalation)).one()
        assert esc.priority == 0 and esc.status == "open"
    assert_erased_quietly(runtime, chat, say(runtime, chat, "Stop."), "after an emergency")
    with runtime.db.session() as s:
        esc = s.scalars(select(Escalation)).one()  # kept for anonymous statistics, closed
        assert (esc.status, esc.outcome, esc.contact_id, esc.summary) == ("resolved", "withdrawn", None, "")
        assert esc.category == "emergency" and esc.details.get("erased") is True


@pytest.mark.parametrize(
    "text",
    ["saya tidak boleh keluar", "stop kirim pesan", "hapus data saya", "keluar dari rumah majikan gimana caranya"],
)
def test_a_sentence_containing_an_exit_word_is_never_a_quick_exit(runtime: Runtime, text: str) -> None:
    chat = str(next(_chats))
    say(runtime, chat, "halo")
    replies = say(runtime, chat, text)
    assert contact(runtime, chat) is not None, text
    assert not any("dihentikan" in r.text for r in replies), text


def test_cannot_go_out_is_danger_not_an_exit(runtime: Runtime) -> None:
    chat = str(next(_chats))
    say(runtime, chat, "saya tidak boleh keluar rumah, paspor ditahan majikan")
    with runtime.db.session() as s:
        assert s.scalars(select(Escalation)).one().priority == 0


@pytest.mark.parametrize("answer", ["ya", "1", "iya", "yes", "ok", "Ya."])
def test_erasure_during_a_handoff_with_each_confirmation_word(runtime: Runtime, answer: str) -> None:
    chat = str(next(_chats))
    say(runtime, chat, "saya mau bicara dengan petugas")
    set_state(runtime, chat, mode="human")  # a caseworker holds the chat
    assert say(runtime, chat, "ini pesan untuk petugas") == []  # the bot stays silent for a person's words
    ask = say(runtime, chat, "hapus data saya")
    assert any("Lanjutkan" in r.text for r in ask), [r.text for r in ask]
    done = say(runtime, chat, answer)
    assert any("dihapus" in r.text or "deleted" in r.text for r in done), (answer, [r.text for r in done])
    assert contact(runtime, chat) is None, answer
    with runtime.db.session() as s:
        assert not s.scalars(select(Message)).all()
        # only the one answer to the erasure waits to be sent, without the contact
        rows = s.scalars(select(Outbox).where(Outbox.channel == "telegram")).all()
        assert [r.payload["chat_id"] for r in rows if r.contact_id is None] == [chat]


def test_during_a_handoff_any_other_answer_drops_the_question_and_goes_to_the_caseworker(
    runtime: Runtime,
) -> None:
    chat = str(next(_chats))
    say(runtime, chat, "saya mau bicara dengan petugas")
    set_state(runtime, chat, mode="human")
    say(runtime, chat, "hapus data saya")
    assert say(runtime, chat, "eh tunggu, saya mau tanya soal gaji dulu") == []
    assert say(runtime, chat, "ya") == []  # the question was dropped: "ya" is for the caseworker now
    assert contact(runtime, chat) is not None
    assert say(runtime, chat, "tidak") == []


@pytest.mark.parametrize(
    "text",
    ["tolong " * 20_000, "tolong… " * 20_000, "saya dikurung majikan, paspor ditahan. " + "bla " * 5_000],
)
def test_danger_at_the_start_of_a_too_long_message_opens_an_emergency(runtime: Runtime, text: str) -> None:
    chat = str(next(_chats))
    replies = say(runtime, chat, text)
    assert any("SM-" in r.text for r in replies), [r.text[:80] for r in replies]
    with runtime.db.session() as s:
        assert s.scalars(select(Escalation)).one().priority == 0


def test_a_harmless_too_long_message_still_gets_the_too_long_answer(runtime: Runtime) -> None:
    replies = say(runtime, str(next(_chats)), "halo apa kabar " * 2_000)
    assert len(replies) == 1 and "4096" in replies[0].text.replace(".", "").replace(",", "")


def test_danger_at_the_end_of_a_too_long_message_opens_an_emergency(runtime: Runtime) -> None:
    story = "Saya mau cerita dulu soal pekerjaan saya di sini, setiap hari masak dan bersih-bersih. " * 60
    text = story + "Sekarang saya dikurung majikan di kamar dan paspor saya ditahan, tolong jemput saya."
    assert len(text) > 4096
    replies = say(runtime, str(next(_chats)), text)
    assert any("SM-" in r.text for r in replies), [r.text[:80] for r in replies]
    with runtime.db.session() as s:
        assert s.scalars(select(Escalation)).one().priority == 0
