"""Action contracts (the steps, flows and memory an action declares) and the typed flow memory."""

from __future__ import annotations

import ast
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.app_state import Runtime
from bot.config import ROOT
from bot.messages import Inbound
from bot.store.models import Contact, Conversation
from flows.actions import ACTIONS, CONTRACTS, action
from flows.contract import ContractError
from flows.interpreter import Interpreter
from flows.memory import FIELDS, Memory
from flows.registry import DYNAMIC_CHOICES
from flows.runtime import ActionContext, State, Turn
from flows.schema import FlowError, load_flows


def _copy(tmp_path: Path) -> Path:
    d = tmp_path / "flows"
    shutil.copytree(ROOT / "flows", d, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return d


def test_a_renamed_step_an_action_jumps_to_fails_at_load(tmp_path: Path) -> None:
    """check_offer's `analyse` renamed everywhere in the YAML: the file is consistent, but the action
    offer_in_message still jumps to `analyse`, which used to crash mid-chat with KeyError."""
    d = _copy(tmp_path)
    f = d / "check_offer.yml"
    text = f.read_text(encoding="utf-8")
    renamed = re.sub(r"\banalyse\b", "analyse_text", text)
    assert renamed != text
    f.write_text(renamed, encoding="utf-8")
    with pytest.raises(FlowError) as err:
        load_flows(d, CONTRACTS, set(DYNAMIC_CHOICES))
    assert "check_offer.yml: step 'route': action 'offer_in_message' jumps to unknown step 'analyse'" in str(
        err.value
    )


def test_a_flow_reading_an_unknown_memory_field_fails_at_load(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    f = d / "intake.yml"
    text = f.read_text(encoding="utf-8")
    assert "{_consent: true}" in text
    f.write_text(text.replace("{_consent: true}", "{_consented: true}", 1), encoding="utf-8")
    with pytest.raises(FlowError, match=r"intake\.yml: step '\w+': reads unknown memory field '_consented'"):
        load_flows(d, CONTRACTS, set(DYNAMIC_CHOICES))


def test_an_unknown_memory_field_in_a_contract_fails_at_import() -> None:
    with pytest.raises(ContractError, match=r"'spelt_wrong'.*unknown memory field"):
        action("spelt_wrong", reads=("countyr",))


# -- at run time -----------------------------------------------------------------------------------


class _NoServices:
    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"unexpected service call {name}")


@pytest.fixture
def rogue() -> Iterator[None]:
    """Actions that break their contracts, registered for one test only."""

    @action("test_jump_undeclared", jumps=("b",))
    def jump_undeclared(ctx: ActionContext) -> None:
        ctx.goto = "c"

    @action("test_flow_undeclared")
    def flow_undeclared(ctx: ActionContext) -> None:
        ctx.goto_flow = "other"

    @action("test_write_undeclared", writes=("country",))
    def write_undeclared(ctx: ActionContext) -> None:
        ctx.memory.country = "Malaysia"
        ctx.memory.consent = True

    @action("test_keeps_contract", jumps=("c",), writes=("country",))
    def keeps_contract(ctx: ActionContext) -> None:
        ctx.goto = "c"
        ctx.memory.country = "Malaysia"

    yield
    for name in ("test_jump_undeclared", "test_flow_undeclared", "test_write_undeclared", "test_keeps_contract"):
        ACTIONS.pop(name, None)
        CONTRACTS.pop(name, None)


def _flows(tmp_path: Path, act: str) -> Interpreter:
    d = tmp_path / "f"
    d.mkdir()
    (d / "menus.yml").write_text("menus: {main: []}\n", encoding="utf-8")
    (d / "welcome.yml").write_text(
        "name: welcome\nstart: a\nsteps:\n  a: {say: {id: hai, en: hi}, end: true}\n", encoding="utf-8"
    )
    (d / "fallback.yml").write_text(
        "name: fallback\nstart: a\nsteps:\n  a: {say: {id: maaf, en: sorry}, end: true}\n", encoding="utf-8"
    )
    (d / "other.yml").write_text(
        "name: other\nstart: a\nsteps:\n  a: {say: {id: lain, en: other}, end: true}\n", encoding="utf-8"
    )
    (d / "t.yml").write_text(
        f"name: t\ntriggers: [go]\nstart: a\nsteps:\n  a: {{action: {act}, next: b}}\n"
        "  b: {say: {id: B, en: B}, end: true}\n  c: {say: {id: C, en: C}, end: true}\n",
        encoding="utf-8",
    )
    return Interpreter(load_flows(d, CONTRACTS))


def _run(interp: Interpreter) -> tuple[list[str], State]:
    out = interp.handle(State(), Turn(text="go", intent="go"), "en", _NoServices())  # type: ignore[arg-type]
    return [r.text for r in out.replies], out.state


@pytest.mark.parametrize(
    ("act", "message"),
    [
        ("test_jump_undeclared", "flow 't', step 'a': action 'test_jump_undeclared' jumped to step 'c', not declared"),
        ("test_flow_undeclared", "flow 't', step 'a': action 'test_flow_undeclared' started flow 'other', not declared"),
        ("test_write_undeclared", "action 'test_write_undeclared' changed memory ['consent'], not declared"),
    ],
)
def test_an_action_breaking_its_contract_is_caught(
    rogue: None, tmp_path: Path, act: str, message: str
) -> None:
    interp = _flows(tmp_path, act)
    with pytest.raises(ContractError) as err:
        _run(interp)
    assert message in str(err.value)


def test_in_production_a_broken_contract_is_logged_and_the_person_still_gets_the_reply(
    rogue: None, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    interp = _flows(tmp_path, "test_write_undeclared")
    interp.strict = False
    texts, state = _run(interp)
    assert texts == ["B"] and state.memory.consent
    assert "test_write_undeclared" in caplog.text


def test_an_action_keeping_its_contract_runs(rogue: None, tmp_path: Path) -> None:
    texts, state = _run(_flows(tmp_path, "test_keeps_contract"))
    assert texts == ["C"]
    assert state.memory.country == "Malaysia"


def test_every_shipped_action_declares_a_contract() -> None:
    assert set(ACTIONS) == set(CONTRACTS)


# -- the memory's stored form ----------------------------------------------------------------------

OLD_STATE: dict[str, Any] = {
    "flow": None,
    "step": None,
    "misses": 0,
    "slots": {
        "_country": "Malaysia",
        "_case": True,
        "_consent": True,
        "_em": {"country": "Malaysia", "ref": "SM-1"},
        "_corrected": True,  # written and never read: dropped
        "_last_offer_flags": ["upfront_fee"],  # written and never read: dropped
        "_unsaved": [["m1", "cerita", "2026-01-01T00:00:00+00:00"]],
    },
}


def test_a_state_stored_with_underscore_slots_loads_into_the_memory() -> None:
    state = State.from_dict(OLD_STATE)
    assert state.slots == {}
    assert state.memory == Memory(
        country="Malaysia", case=True, consent=True, em={"country": "Malaysia", "ref": "SM-1"},
        unsaved=[["m1", "cerita", "2026-01-01T00:00:00+00:00"]],
    )
    stored = state.as_dict()
    assert stored["slots"] == {}
    assert State.from_dict(stored) == state


def test_changing_the_memory_in_place_leaves_the_stored_state_alone() -> None:
    """repo.save_state skips the write when the new state equals the stored one: a list or dict in
    the memory changed in place must not change the stored state it was read from."""
    stored: dict[str, Any] = {"slots": {}, "memory": {"em": {"told": False}, "unsaved": [["m", "t", "x"]]}}
    state = State.from_dict(stored)
    state.memory.em["told"] = True
    state.memory.unsaved.append(["m2", "t2", "y"])
    assert stored["memory"] == {"em": {"told": False}, "unsaved": [["m", "t", "x"]]}
    assert state.as_dict() != stored


def test_an_old_conversation_keeps_what_it_remembered(runtime: Runtime) -> None:
    """A conversation stored before the typed memory (the country as `_country`): asking for the
    embassy's number answers for Malaysia at once instead of asking which country."""
    chat = "contract-old-1"

    def say(text: str) -> str:
        return "\n".join(r.text for r in runtime.engine.handle(Inbound("telegram", chat, text=text)))

    say("halo")
    with runtime.db.session() as s:
        c = s.scalars(select(Contact).where(Contact.channel_user_id == chat)).one()
        conv = s.scalars(select(Conversation).where(Conversation.contact_id == c.id)).one()
        conv.state = {"flow": None, "step": None, "misses": 0, "slots": {"_country": "Malaysia"}}
    reply = say("nomor kbri berapa?")
    assert "Untuk negara mana" not in reply  # the question a conversation without a country gets
    assert "Kuala Lumpur" in reply, reply
    with runtime.db.session() as s:
        conv = s.scalars(select(Conversation).where(Conversation.contact_id == c.id)).one()
        assert conv.state["memory"]["country"] == "Malaysia"
        assert not [k for k in conv.state["slots"] if k.startswith("_")]


# -- declarations match the code -------------------------------------------------------------------


def _memory_use() -> dict[str, tuple[set[str], set[str], set[str]]]:
    """For each function in flows/actions*.py: the memory fields it reads, those it writes (a whole
    new memory counts as every field), and the names of the functions it calls."""
    out: dict[str, tuple[set[str], set[str], set[str]]] = {}
    for path in sorted((ROOT / "flows").glob("actions*.py")):
        for fn in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(fn, ast.FunctionDef):
                continue
            reads, writes, calls = out.setdefault(fn.name, (set(), set(), set()))
            for node in ast.walk(fn):
                if isinstance(node, ast.Call):
                    f = node.func
                    calls.add(f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else "")
                elif isinstance(node, ast.Attribute) and node.attr == "memory" and isinstance(node.ctx, ast.Store):
                    writes.update(FIELDS)
                elif isinstance(node, ast.Subscript) and not isinstance(node.ctx, ast.Load):
                    v = node.value
                    if isinstance(v, ast.Attribute) and isinstance(v.value, ast.Attribute) and v.value.attr == "memory":
                        writes.add(v.attr)  # ctx.memory.em["told"] = True
                elif (
                    isinstance(node, ast.Attribute)
                    and isinstance(node.value, ast.Attribute)
                    and node.value.attr == "memory"
                    and node.attr in FIELDS
                ):
                    (reads if isinstance(node.ctx, ast.Load) else writes).add(node.attr)
    return out


def _reach(use: dict[str, tuple[set[str], set[str], set[str]]], start: str) -> tuple[set[str], set[str]]:
    reads: set[str] = set()
    writes: set[str] = set()
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name in seen or name not in use:
            continue
        seen.add(name)
        r, w, calls = use[name]
        reads |= r
        writes |= w
        todo += calls
    return reads, writes


def test_each_action_declares_exactly_the_memory_its_code_uses() -> None:
    """Read from the source (the action and the helpers it calls), so a read nobody declared, or a
    declaration nothing uses, fails here rather than misleading the next reader."""
    use = _memory_use()
    wrong = []
    for name, fn in ACTIONS.items():
        if name.startswith("test_"):
            continue
        reads, writes = _reach(use, fn.__name__)
        c = CONTRACTS[name]
        if reads != c.reads or writes != c.writes:
            wrong.append(f"{name}: code reads {sorted(reads)} writes {sorted(writes)}; "
                         f"declared reads {sorted(c.reads)} writes {sorted(c.writes)}")
    assert not wrong, "\n".join(wrong)
