"""The flow file format, validated at start-up with errors that name the file and the step.

A flow file holds one flow:

    name: check_offer
    triggers: [check_offer]          # intents that start it when no question is pending
    start: ask_text
    steps:
      ask_text:
        say: {id: "Tempel teks tawarannya.", en: "Paste the offer text."}
        ask: {slot: offer_text, expect: text}
        next: analyse
      analyse:
        action: analyse_offer        # a Python action from flows/actions
        end: true

Step fields run in this order: `action`, `say`, buttons/menu, then either `ask` (wait for the
person) or `next`/`goto_flow`/`end`.

An action may jump elsewhere (`analyse_offer` above never does; `offer_in_message` goes to `analyse`):
the steps and flows it may go to are declared with the action (flows/contract.py) and checked here
against every flow that runs it. `_name` in a `when` or a `{_name}` in a text reads the conversation's
memory (flows/memory.py), checked here too.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.language import Text as Text  # one message, by language (content/languages.yml)
from bot.language import pick
from flows import widgets
from flows.contract import Contract
from flows.memory import FIELDS as MEMORY_FIELDS


class FlowError(ValueError):
    """A flow file is invalid; the message names the file and the step."""


class ButtonSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Text
    payload: str


class Choice(BaseModel):
    """An answer option of a `choice` question: tapped, typed by number, by title or by a keyword."""

    model_config = ConfigDict(extra="forbid")
    value: str
    title: Text
    keywords: list[str] = Field(default_factory=list)
    short: Text | None = None  # the button's title where `title` is longer than a list item allows

    @property
    def label(self) -> Text:
        return self.short or self.title


class FreeText(BaseModel):
    """A choice question that also takes a free answer (e.g. the offer pasted straight away)."""

    model_config = ConfigDict(extra="forbid")
    slot: str
    value: str
    min_words: int = 6


class Ask(BaseModel):
    model_config = ConfigDict(extra="forbid")
    slot: str
    expect: Literal["text", "yes_no", "choice", "multi_choice", "location"] = "text"
    choices: list[Choice] = Field(default_factory=list)
    # A named choice set from menus.yml `choice_sets`, or one built from content (see flows/choices.py).
    choices_from: str | None = None
    free_text: FreeText | None = None
    reprompt: Text | None = None
    # Intents that may break out of this question (emergency always can).
    interrupts: list[str] | None = None
    # Emergency interrupts only on danger words, not on a classifier's guess: for a question whose
    # answers are places and circumstances ("saya di malaysia" reads as `emergency` to the classifier).
    emergency_words_only: bool = False
    # `reroute`: an answer that is no option ends the flow and is understood afresh (browsing menus).
    on_unmatched: Literal["reprompt", "reroute"] = "reprompt"

    @model_validator(mode="after")
    def _choices_present(self) -> Ask:
        if self.expect in ("choice", "multi_choice") and not (self.choices or self.choices_from):
            raise ValueError("a choice question needs `choices` or `choices_from`")
        return self


class Branch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    goto: str
    # Conditions on slots, all of which must hold: {slot: value} or {slot: [values]}.
    when: dict[str, str | bool | int | list[str | bool | int] | None] = Field(default_factory=dict)


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: str | None = None
    say: Text | list[Text] | None = None
    buttons: list[ButtonSpec] = Field(default_factory=list)
    menu: str | None = None
    request_location: bool = False
    ask: Ask | None = None
    next: str | list[Branch] | None = None
    goto_flow: str | None = None
    end: bool = False

    @model_validator(mode="after")
    def _one_exit(self) -> Step:
        exits = (
            sum(x is not None for x in (self.ask, self.next, self.goto_flow)) + self.end
        )
        if exits == 0 and self.action is None:
            raise ValueError("a step needs one of `ask`, `next`, `goto_flow` or `end: true`")
        if exits > 1 and not (self.ask is not None and self.next is not None and exits == 2):
            raise ValueError(
                "a step may have only one of `next`, `goto_flow`, `end` (plus `ask` before `next`)"
            )
        return self

    def texts(self) -> list[Text]:
        if self.say is None:
            return []
        return self.say if isinstance(self.say, list) else [self.say]


class Flow(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    description: str = ""
    triggers: list[str] = Field(default_factory=list)
    start: str
    steps: dict[str, Step]

    @field_validator("steps")
    @classmethod
    def _not_empty(cls, v: dict[str, Step]) -> dict[str, Step]:
        if not v:
            raise ValueError("a flow needs at least one step")
        return v


class Menus(BaseModel):
    model_config = ConfigDict(extra="forbid")
    menus: dict[str, list[ButtonSpec]]
    choice_sets: dict[str, list[Choice]] = Field(default_factory=dict)
    messages: dict[str, Text] = Field(default_factory=dict)


class FlowSet(BaseModel):
    flows: dict[str, Flow]
    menus: dict[str, list[ButtonSpec]]
    choice_sets: dict[str, list[Choice]]
    messages: dict[str, Text]
    by_trigger: dict[str, str]


def _fmt(err: ValidationError) -> str:
    parts = []
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"])
        parts.append(f"{loc}: {e['msg']}")
    return "; ".join(parts)


_MEMORY_REF = re.compile(r"\{_([a-z0-9_]+)\}")


def _memory_refs(step: Step) -> list[str]:
    """The memory fields (`_name`) a step's conditions and texts read."""
    names = [k[1:] for b in (step.next if isinstance(step.next, list) else []) for k in b.when if k.startswith("_")]
    texts = [*step.texts(), *(b.title for b in step.buttons)]
    return names + [n for t in texts for raw in t.texts().values() for n in _MEMORY_REF.findall(raw)]


def step_titles(
    step: Step,
    menus: Mapping[str, list[ButtonSpec]],
    choice_sets: Mapping[str, list[Choice]],
    messages: Mapping[str, Text],
    dynamic: Collection[Choice] = (),
) -> dict[str, list[str]]:
    """The titles of the choices a step shows, per language (as the interpreter builds them; a dynamic
    choice source's choices are passed in `dynamic`, else left out)."""
    texts: list[Text] = [b.title for b in step.buttons]
    ask = step.ask
    if ask is not None and ask.expect in ("choice", "multi_choice"):
        static = ask.choices or (choice_sets.get(ask.choices_from or "") or [])
        texts += [c.label for c in [*static, *dynamic]]
    elif ask is not None and ask.expect == "yes_no" and not step.buttons:
        texts += [messages[k] for k in ("button_yes", "button_no") if k in messages]
    if step.menu:
        texts += [b.title for b in menus.get(step.menu, [])]
    langs = {code for t in texts for code in t.texts()}
    return {code: [pick(t.texts(), code) for t in texts] for code in sorted(langs)}


def load_flows(
    directory: Path,
    actions: Mapping[str, Contract] | None = None,
    dynamic_choices: Collection[str] | None = None,
) -> FlowSet:
    """Read every flows/*.yml, validate each and their links; raise FlowError naming file and step.

    `actions` maps each action to its contract (flows.registry.CONTRACTS): an action's declared jumps
    must be steps of every flow that runs it, and its declared flows must exist."""
    flows: dict[str, Flow] = {}
    menus: dict[str, list[ButtonSpec]] = {}
    choice_sets: dict[str, list[Choice]] = {}
    messages: dict[str, Text] = {}
    sources: dict[str, Path] = {}
    for path in sorted(directory.glob("*.yml")):
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise FlowError(f"{path.name}: not valid YAML: {exc}") from exc
        if not isinstance(raw, dict):
            raise FlowError(f"{path.name}: expected a mapping at the top level")
        try:
            if "menus" in raw:
                m = Menus.model_validate(raw)
                menus.update(m.menus)
                choice_sets.update(m.choice_sets)
                messages.update(m.messages)
                continue
            flow = Flow.model_validate(raw)
        except ValidationError as exc:
            raise FlowError(f"{path.name}: {_fmt(exc)}") from exc
        if flow.name in flows:
            raise FlowError(f"{path.name}: flow name {flow.name!r} is also used in {sources[flow.name].name}")
        flows[flow.name] = flow
        sources[flow.name] = path

    by_trigger: dict[str, str] = {}
    for name, flow in flows.items():
        fname = sources[name].name
        if flow.start not in flow.steps:
            raise FlowError(f"{fname}: start step {flow.start!r} does not exist")
        for trig in flow.triggers:
            if trig in by_trigger:
                raise FlowError(f"{fname}: trigger {trig!r} already starts flow {by_trigger[trig]!r}")
            by_trigger[trig] = name
        for sid, step in flow.steps.items():
            where = f"{fname}: step {sid!r}"
            targets = [step.next] if isinstance(step.next, str) else [b.goto for b in step.next or []]
            for t in targets:
                if t not in flow.steps:
                    raise FlowError(f"{where}: goes to unknown step {t!r}")
            if step.goto_flow and step.goto_flow not in flows:
                raise FlowError(f"{where}: goes to unknown flow {step.goto_flow!r}")
            if step.menu and step.menu not in menus:
                raise FlowError(f"{where}: unknown menu {step.menu!r}")
            if actions is not None and step.action and step.action not in actions:
                raise FlowError(f"{where}: unknown action {step.action!r}")
            contract = actions.get(step.action) if actions is not None and step.action else None
            if contract is not None:
                missing = sorted(contract.jumps - flow.steps.keys())
                if missing:
                    raise FlowError(f"{where}: action {step.action!r} jumps to unknown step {missing[0]!r}")
                missing = sorted(contract.flows - flows.keys())
                if missing:
                    raise FlowError(f"{where}: action {step.action!r} starts unknown flow {missing[0]!r}")
            for name in _memory_refs(step):
                if name not in MEMORY_FIELDS:
                    raise FlowError(f"{where}: reads unknown memory field '_{name}' (see flows/memory.py)")
            src = step.ask.choices_from if step.ask else None
            if src and src not in choice_sets and (dynamic_choices is None or src not in dynamic_choices):
                raise FlowError(f"{where}: unknown choice set {src!r}")
            for lang, titles in step_titles(step, menus, choice_sets, messages).items():
                broken = widgets.problems(titles)
                if broken:
                    raise FlowError(f"{where}: ({lang}) {broken[0]}")
    for required in ("welcome", "fallback"):
        if required not in flows:
            raise FlowError(f"flows/: the {required!r} flow is missing")
    return FlowSet(
        flows=flows, menus=menus, choice_sets=choice_sets, messages=messages, by_trigger=by_trigger
    )
