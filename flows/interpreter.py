"""Run flows: start one for an intent, carry a pending question across messages, follow steps."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.messages import Button, Reply
from flows import widgets
from flows.actions import ACTIONS, CONTRACTS, SENSITIVE
from flows.answers import choice_payload, consume, correction_place
from flows.choices import DYNAMIC_CHOICES
from flows.contract import ContractError
from flows.runtime import ActionContext, Services, State, Turn, render
from flows.schema import Ask, Branch, Choice, FlowSet, Step
from nlu.safety import is_danger

log = logging.getLogger(__name__)

# Intents that may always break out of a pending question; emergency is never held back.
DEFAULT_INTERRUPTS = ("emergency", "menu", "delete_data", "request_human", "change_language")
# Typed text must be this sure (and short) to break out of a free-text question.
TEXT_INTERRUPT_CONFIDENCE = 0.85
MAX_STEPS_PER_TURN = 40
# Flows that mean "I could not help"; two in a row offer a person.
MISS_FLOWS = ("fallback", "out_of_scope", "offer_person")


@dataclass
class Outcome:
    replies: list[Reply]
    state: State
    lang: str


class Interpreter:
    def __init__(self, flows: FlowSet, *, strict: bool = True) -> None:
        self.flows = flows
        # Strict (tests, development): a broken contract fails loudly. In production the reply a
        # person is waiting for matters more, so the breach is logged and the turn goes on.
        self.strict = strict

    # -- entry -----------------------------------------------------------------------------
    def handle(self, state: State, turn: Turn, lang: str, services: Services) -> Outcome:
        ctx = ActionContext(lang=lang, state=state, turn=turn, services=services)
        offered, state.memory.yes = state.memory.yes, None  # what a typed "ya" means after buttons were offered
        if state.waiting and not self._interrupts(state, turn):
            self._answer(ctx, turn)
        elif not state.waiting and self._corrects_last_place(ctx, turn):
            pass
        elif not state.waiting and offered and turn.intent in ("affirm", "deny") and not turn.from_button:
            if turn.intent == "affirm":
                self.start(ctx, self.flow_for(offered))
            else:
                self.start(ctx, "welcome", "menu")
        else:
            self.start(ctx, self.flow_for(turn.intent))
        if not ctx.state.waiting and ctx.replies and ctx.replies[-1].buttons:
            first = ctx.replies[-1].buttons[0].payload
            if first.startswith("/") and "{" not in first and first != "/menu":
                ctx.state.memory.yes = first[1:]
        return Outcome(ctx.replies, ctx.state, ctx.lang)

    def _answer(self, ctx: ActionContext, turn: Turn) -> None:
        state = ctx.state
        flow = state.flow
        assert flow is not None and state.step is not None
        step = self._step(flow, state.step)
        ask = step.ask
        assert ask is not None
        if self._corrects_earlier_place(ctx, turn, step):
            return
        if turn.location is not None and ask.expect != "location":
            ctx.say(self.flows.messages["location_not_expected"])
            self._reprompt(ctx, step, count=False)
            return
        choices = self._ordered_choices(ctx, step) if ask.expect in ("choice", "multi_choice") else []
        ok, value = consume(ask, turn, choices, shown=self._room(step))
        if not ok and ask.free_text and len(turn.text.split()) >= ask.free_text.min_words:
            state.slots[ask.free_text.slot] = turn.text
            ok, value = True, ask.free_text.value
        if not ok:
            if (ask.on_unmatched == "reroute" and not turn.from_button) or (
                turn.from_button and turn.value is None
            ):
                self.start(ctx, self.flow_for(turn.intent))
            else:
                self._reprompt(ctx, step)
            return
        state.slots[ask.slot] = value
        state.misses = 0
        self._continue_after(ctx, flow, step)

    def _room(self, step: Step) -> int:
        """How many choices fit beside the step's other buttons in one list (flows/widgets.py)."""
        others = len(step.buttons) + (len(self.flows.menus[step.menu]) if step.menu else 0)
        return max(widgets.MAX_LIST_ITEMS - others, 0)

    def _ordered_choices(self, ctx: ActionContext, step: Step) -> list[Choice]:
        """The choices in the order shown: a long source (16 red flags) shows its first, most important,
        items as one list and the rest stay reachable by name; the option just answered ("the topic
        just explained") is left out of the list. Typed numbers count in this order."""
        ask = step.ask
        assert ask is not None
        said = ctx.slots.get(ask.slot) if ask.expect == "choice" else None
        choices = self.choices(ctx, ask)
        return [c for c in choices if c.value != said] + [c for c in choices if c.value == said]

    def choices(self, ctx: ActionContext, ask: Ask) -> list[Choice]:
        if ask.choices:
            return ask.choices
        assert ask.choices_from is not None
        if ask.choices_from in self.flows.choice_sets:
            return self.flows.choice_sets[ask.choices_from]
        return DYNAMIC_CHOICES[ask.choices_from](ctx.lang)

    # -- corrections ("bukan, saya di Bima") -------------------------------------------------
    def _corrects_earlier_place(self, ctx: ActionContext, turn: Turn, current: Step) -> bool:
        """While a later question waits, a corrected place replaces the earlier answer."""
        place = correction_place(turn)
        if place is None or (current.ask and current.ask.expect == "location"):
            return False
        flow = self.flows.flows[ctx.state.flow]  # type: ignore[index]
        slots = [s.ask.slot for s in flow.steps.values() if s.ask and s.ask.expect == "location"]
        answered = [name for name in slots if name in ctx.slots]
        if not answered:
            return False
        ctx.slots[answered[-1]] = {"text": place}
        ctx.say(self.flows.messages["corrected"], [])
        ctx.replies[-1].text = render(ctx.replies[-1].text, ctx.lang, {"place": place})
        self._reprompt(ctx, current, count=False)
        return True

    def _corrects_last_place(self, ctx: ActionContext, turn: Turn) -> bool:
        """After a flow that used a place has finished, a correction runs it again with the new place."""
        place = correction_place(turn)
        last = ctx.memory.last_place_flow
        if place is None or not last or last not in self.flows.flows:
            return False
        self.start(ctx, last)
        ctx.slots["place"] = {"text": place}
        return True

    def flow_for(self, intent: str) -> str:
        return self.flows.by_trigger.get(intent, "fallback")

    def start(self, ctx: ActionContext, flow: str, step: str | None = None) -> None:
        ctx.state.flow, ctx.state.step, ctx.state.slots = flow, None, {}  # the memory stays
        if flow not in MISS_FLOWS:
            ctx.state.misses = 0
        self._run(ctx, flow, step or self.flows.flows[flow].start)

    # -- internals -------------------------------------------------------------------------
    def _interrupts(self, state: State, turn: Turn) -> bool:
        step = self._step(state.flow, state.step)  # type: ignore[arg-type]
        ask = step.ask
        held = turn.intent == "emergency" and ask is not None and ask.emergency_words_only
        if turn.intent in ("emergency", "self_harm") and not held:
            return True  # danger and crisis are never held back
        if held:  # only danger words (or the button) break out, not the classifier's guess
            return turn.from_button or is_danger(turn.text)
        if ask is None:
            return True
        allowed = ask.interrupts if ask.interrupts is not None else list(DEFAULT_INTERRUPTS)
        if turn.intent not in allowed and not (turn.from_button and turn.intent in self.flows.by_trigger):
            return False
        if turn.from_button:
            return True
        if ask.expect in ("yes_no",) and turn.intent in ("affirm", "deny"):
            return False
        # A free answer ("Bima", a pasted offer) must not be mistaken for a command.
        return turn.confidence >= TEXT_INTERRUPT_CONFIDENCE and len(turn.text.split()) <= 8

    def _step(self, flow: str, step: str) -> Step:
        return self.flows.flows[flow].steps[step]

    def _reprompt(self, ctx: ActionContext, step: Step, count: bool = True) -> None:
        """Ask the pending question again: a short "didn't catch that", or (count=False) the question itself."""
        ask = step.ask
        assert ask is not None
        if count:
            ctx.state.misses += 1
            msg = (
                ask.reprompt
                or self.flows.messages.get(f"reprompt_{ask.expect}")
                or self.flows.messages["reprompt"]
            )
            ctx.say(msg)
        else:
            for text in step.texts():
                ctx.say(text)
        if not ctx.replies:
            ctx.say(self.flows.messages["reprompt"])
        ctx.replies[-1].buttons.extend(self._buttons(ctx, step))
        ctx.replies[-1].request_location |= step.request_location
        if count and ctx.state.misses >= 2 and "reprompt_menu_hint" in self.flows.messages:
            ctx.say(self.flows.messages["reprompt_menu_hint"])

    def _buttons(self, ctx: ActionContext, step: Step) -> list[Button]:
        out = [Button(render(b.title, ctx.lang, ctx.values), b.payload) for b in step.buttons]
        if step.ask and step.ask.expect in ("choice", "multi_choice"):
            shown = self._ordered_choices(ctx, step)[: self._room(step)]
            out += [Button(c.label.get(ctx.lang), choice_payload(c.value)) for c in shown]
        elif step.ask and step.ask.expect == "yes_no" and not step.buttons:
            yes, no = self.flows.messages["button_yes"], self.flows.messages["button_no"]
            out += [Button(yes.get(ctx.lang), "/affirm"), Button(no.get(ctx.lang), "/deny")]
        if step.menu:
            out += [Button(b.title.get(ctx.lang), b.payload) for b in self.flows.menus[step.menu]]
        return out

    def _run(self, ctx: ActionContext, flow: str, step_id: str) -> None:
        for _ in range(MAX_STEPS_PER_TURN):
            ctx.state.flow, ctx.state.step = flow, None
            step = self._step(flow, step_id)
            if step.action:
                self._act(ctx, flow, step_id, step.action)
                if ctx.goto_flow:
                    target, ctx.goto_flow = ctx.goto_flow, None
                    self.start(ctx, target)
                    return
                if ctx.end:
                    self._finish(ctx)
                    return
            for text in step.texts():
                ctx.say(text)
            buttons = self._buttons(ctx, step)
            if buttons or step.request_location:
                if ctx.replies:
                    ctx.replies[-1].buttons.extend(buttons)
                    ctx.replies[-1].request_location |= step.request_location
                else:
                    ctx.replies.append(Reply("", buttons, step.request_location))
            override = ctx.goto if step.action else None
            ctx.goto = None
            if step.ask is not None and override is None:
                ctx.state.step = step_id
                return
            nxt = override or self._resolve(step, ctx.values)
            if nxt is not None:
                step_id = nxt
                continue
            if step.goto_flow:
                self.start(ctx, step.goto_flow)
                return
            self._finish(ctx)
            return
        raise RuntimeError(f"flow {flow!r} did not stop within {MAX_STEPS_PER_TURN} steps")

    def _continue_after(self, ctx: ActionContext, flow: str, step: Step) -> None:
        nxt = self._resolve(step, ctx.values)
        if nxt is not None:
            self._run(ctx, flow, nxt)
        elif step.goto_flow:
            self.start(ctx, step.goto_flow)
        else:
            self._finish(ctx)

    def _act(self, ctx: ActionContext, flow: str, step_id: str, name: str) -> None:
        """Run one action and hold it to its contract (flows/contract.py)."""
        ctx.goto = ctx.goto_flow = None
        ctx.end = False
        before = ctx.memory.snapshot()
        said = len(ctx.replies)
        ACTIONS[name](ctx)
        if name in SENSITIVE:
            for reply in ctx.replies[said:]:
                reply.sensitive = True
        after = ctx.memory.as_dict()
        changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
        try:
            CONTRACTS[name].check_run(name, f"flow {flow!r}, step {step_id!r}", ctx.goto, ctx.goto_flow, changed)
        except ContractError:
            if self.strict:
                raise
            log.warning("flow contract broken", exc_info=True)  # names of steps and fields only

    @staticmethod
    def _resolve(step: Step, slots: Mapping[str, Any]) -> str | None:
        if step.next is None or isinstance(step.next, str):
            return step.next
        for branch in step.next:
            if _holds(branch, slots):
                return branch.goto
        return None

    @staticmethod
    def _finish(ctx: ActionContext) -> None:
        ctx.state.flow, ctx.state.step, ctx.state.slots = None, None, {}  # the memory stays


def _holds(branch: Branch, slots: Mapping[str, Any]) -> bool:
    for key, want in branch.when.items():
        have = slots.get(key)
        if isinstance(want, list):
            if isinstance(have, list):
                if not set(map(str, have)) & set(map(str, want)):
                    return False
            elif have not in want:
                return False
        elif isinstance(have, list):
            if want not in have:
                return False
        elif have != want:
            return False
    return True
