"""A caseworker holds the chat: the bot stays silent except for danger (then it answers and raises
the case), and for erasure and quick exit, which a person can always reach."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import sla
from bot.messages import Reply
from bot.services.cases import notify
from bot.store import repo
from bot.store.models import Contact, Conversation, Message, utcnow
from flows.actions_crisis import handoff_crisis_reply
from flows.actions_emergency import handoff_danger_reply
from flows.answers import yes_no
from flows.memory import Memory
from flows.runtime import State, Turn
from flows.texts import find_country
from nlu.safety import is_danger, says_safe

# A person can always leave or erase their data, even while a caseworker holds the chat.
ALWAYS_BOT = ("delete_data", "quick_exit")


def bot_answers(s: Session, conv: Conversation, state: State, turn: Turn | None, always_bot_flows: set[str]) -> bool:
    """While a caseworker holds the chat, erasure and quick exit still run in the bot, and so does
    the answer to their confirmation question ("ya", "1", "ok"). Any other message drops that
    question and goes to the caseworker, so the chat never sticks at it."""
    if turn is None:
        return False
    if turn.intent in ALWAYS_BOT:
        return True
    if not (state.waiting and state.flow in always_bot_flows):
        return False
    if turn.from_button or yes_no(turn) is not None:
        return True
    state.flow = state.step = None
    repo.save_state(s, conv, state.as_dict())
    return False


def human_mode(
    s: Session, contact: Contact, conv: Conversation, turn: Turn | None, meta: dict[str, Any]
) -> list[Reply]:
    """The bot stays silent, except for danger. Then the person gets the numbers for where they are
    at once, the message is flagged for the caseworker, and the case the caseworker holds is raised
    to emergency with an alert (the caseworker may be away or asleep)."""
    if turn is None:
        return []
    crisis = turn.intent == "self_harm"
    # The safety layer's reading always counts; the classifier's alone not where the person says
    # they are safe ("iya aman, saya di kamar" answering the caseworker reads as danger by its words).
    danger = bool(turn.text) and is_danger(turn.text)
    if not (crisis or danger or (turn.intent == "emergency" and not says_safe(turn.text))):
        return []
    meta["danger"] = True
    now = utcnow().isoformat()
    esc = repo.open_escalation(s, contact.id)  # the claimed case first
    country = find_country(turn.text, turn.entities) or Memory.from_state(conv.state).country
    if esc is None:
        country = country or _country_said(s, contact)
        details: dict[str, Any] = {"situation": "danger", "danger_during_handoff": 1, "danger_last_at": now}
        if country:
            details["country"] = country
        if crisis:
            details["situation"] = "self_harm"
        repo.create_escalation(s, contact, "emergency", sla.PRIORITY["emergency"],
                               "self-harm risk during a handoff" if crisis else "danger reported during a handoff",
                               details)
    else:
        country = country or (esc.details or {}).get("country") or _country_said(s, contact)
        details = {**(esc.details or {}), "danger_last_at": now}
        details["danger_during_handoff"] = int(details.get("danger_during_handoff") or 0) + 1
        if country and not details.get("country"):
            details["country"] = country
        raise_it = esc.priority > sla.PRIORITY["emergency"]
        if raise_it:
            esc.priority = sla.PRIORITY["emergency"]
            details["raised_to_emergency_at"] = now
        esc.details = details
        if raise_it:
            notify(s, esc)
    if crisis:  # never the trafficking advice: the calm reply with the crisis contacts
        return [Reply(handoff_crisis_reply(contact.language, country), sensitive=True)]
    return [Reply(handoff_danger_reply(contact.language, country), sensitive=True)]


def _country_said(s: Session, contact: Contact) -> str | None:
    """The country the person named most recently in this chat (what they wrote before the handoff)."""
    q = (
        select(Message.text)
        .where(Message.contact_id == contact.id, Message.direction == "in", Message.text != "")
        .order_by(Message.id.desc())
        .limit(30)
    )
    for text in s.scalars(q):
        found = find_country(text)
        if found:
            return found
    return None
