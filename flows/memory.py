"""The flow memory: what a conversation remembers across flows, as typed fields.

A flow's own slots are dropped when it ends or another flow starts; these fields survive both. Each
field says who writes and who reads it, so a rename or a dead field shows up here, not at run time.
Flow files read a field as `_name` (`when: {_consent: true}`, `{_case_ref}` in a text).

Stored in the conversation state as `"memory": {name: value}` (only fields that are set). States
written before this module kept the same values as `_name` keys among the slots; `from_state` still
reads them, and drops the two that nothing read (`_corrected`, `_last_offer_flags`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(slots=True)
class Memory:
    # -- place and emergency -------------------------------------------------------------------
    # The country the person last said they are in. Written by crisis_now, crisis_details,
    # hotline_answer/hotline_for_where and the emergency actions; read by show_hotlines, hotline_answer,
    # crisis_now, the emergency actions and the engine's reply to danger during a handoff.
    country: str | None = None
    # What the person said during an emergency (country, place, holder, passport, battery, credit,
    # contact, safe_time, phone_given, told, ref, at). Written and read by the emergency_* actions.
    em: dict[str, Any] = field(default_factory=dict)
    # The details question was asked, so a bare time ("jam 9") is a safe time to call.
    # Written by emergency_details; read by the emergency actions (remember).
    em_asked_contact: bool = False
    # No case could be opened for the emergency (a channel's cap): emergency_now writes it,
    # emergency_where reads and clears it on the next answer.
    no_case: bool = False
    # The self-harm case already answered in full. Written and read by crisis_now.
    crisis_ref: str | None = None
    # The country whose mission numbers crisis_details last gave. Written and read by crisis_details.
    crisis_country: str | None = None

    # -- cases, consent, reports ---------------------------------------------------------------
    # Whether the person has consented. Written by intake_start, report_start, record_consent;
    # read by intake.yml, report.yml, human.yml (`when: {_consent: true}`).
    consent: bool = False
    # Needs chosen in the aid flow, carried into intake. Written by carry_needs_to_intake; read and
    # cleared by intake_start.
    carry_needs: list[str] = field(default_factory=list)
    # The report made ({ref, at, added}), so what the reporter writes next joins it. Written by
    # escalate_report (remember_report) and report_start/report_more; read by report_start/report_more.
    report: dict[str, Any] = field(default_factory=dict)
    # The report's questions have been asked once. Written and read by report_next; cleared by
    # remember_report.
    asked_report: bool = False
    # The case a follow-up check-in asks about. Written by bot/followup.py (through Engine.start_flow); read by record_followup
    # and followup.yml (`{_case_ref}`).
    case_ref: str | None = None
    # This person has had a case, so their messages are stored for the caseworker. Written by the
    # engine (a case opened) and the console (handoff); read by the engine (turn/privacy.may_store_text).
    case: bool = False
    # Messages written before consent: [message id, text, ISO time], at most a few, for two hours.
    # Written and read by the engine (turn/privacy.hold_unsaved, services unsaved).
    unsaved: list[list[Any]] = field(default_factory=list)

    # -- conversation mechanics ----------------------------------------------------------------
    # The flow a typed "ya" starts after the last reply offered buttons. Written by the interpreter
    # and the engine (a location shared out of the blue); read and cleared by the interpreter.
    yes: str | None = None
    # A shared location to use for find_sentra without asking. Written by the engine; read and
    # cleared by place_in_message.
    place_given: dict[str, Any] | None = None
    # The last flow that answered for a place, run again on "bukan, saya di Bima". Written by
    # nearest_sentra; read by the interpreter.
    last_place_flow: str | None = None
    # The how-to-check-an-agency text was shown in this verify_agency round. Written by
    # agency_how_to_check; read by agency_how_to_check, cleared by agency_lookup.
    shown_how_to_check_agency: bool = False
    # The last offer given a verdict ({flags, risk, countries, jobs, at}; no message text, forgotten after
    # two hours), so what the person adds ("bu yati tetangga sy sendiri") is read as more about the same
    # offer. Written by analyse_offer, checklist_verdict and offer_more; read by offer_in_message and
    # offer_more.
    offer: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_state(cls, state: dict[str, Any] | None) -> Memory:
        """The memory of a stored conversation state, old (`_name` slots) or new (`memory`)."""
        state = state or {}
        raw: dict[str, Any] = {
            k[1:]: v for k, v in (state.get("slots") or {}).items() if isinstance(k, str) and k.startswith("_")
        }
        raw.update(state.get("memory") or {})
        # A copy: an action changing a list or dict in place must not change the stored state it came
        # from, or repo.save_state would see no change and skip the write.
        return cls(**copy.deepcopy({k: v for k, v in raw.items() if k in FIELDS and v is not None}))

    @staticmethod
    def peek(state: dict[str, Any] | None, name: str) -> Any:
        """One field of a stored state, read without building (and deep-copying) the whole memory."""
        state = state or {}
        value = (state.get("memory") or {}).get(name)
        if value is None:
            value = (state.get("slots") or {}).get(f"_{name}")
        return value

    def as_dict(self) -> dict[str, Any]:
        """The fields that are set (not at their default), ready for JSON."""
        return {
            name: value
            for name in _NAMES
            if (value := getattr(self, name)) != getattr(_BLANK, name)
        }

    def snapshot(self) -> dict[str, Any]:
        """A deep copy of the set fields, to see what an action changed."""
        return copy.deepcopy(self.as_dict())

    def get(self, name: str, default: Any = None) -> Any:
        """A field for a flow file (`_name`); unset (None) reads as `default`."""
        if name not in FIELDS:
            return default
        value = getattr(self, name)
        return default if value is None else value


_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Memory))
_BLANK = Memory()
FIELDS: frozenset[str] = frozenset(_NAMES)
