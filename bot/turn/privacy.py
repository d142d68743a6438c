"""What of a turn may be stored: message text only with consent, in an open case, or in danger;
what someone wrote before consent is held in the conversation state, not in the transcript."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.messages import Inbound
from bot.store import repo
from bot.store.models import Contact, Conversation, Message, utcnow
from flows.memory import Memory
from flows.runtime import State, Turn

UNSAVED_KEEP = 3  # messages written before consent, held in the conversation state
UNSAVED_TTL = timedelta(hours=2)


def may_store_text(s: Session, contact: Contact, conv: Conversation, turn: Turn | None) -> bool:
    """Message text is kept only with consent, in an open case, or when someone is in danger."""
    if contact.consent_at is not None:
        return True
    if turn is not None and turn.intent in ("emergency", "self_harm"):
        return True
    if not Memory.peek(conv.state, "case"):
        return False  # never had a case: no need to ask the database
    return repo.open_escalation(s, contact.id) is not None


def held_texts(state: State) -> list[str]:
    """What the person wrote before consent, for a case that opens in this turn."""
    return [e[1] for e in state.memory.unsaved]


def hold_unsaved(
    s: Session, contact: Contact, msg: Inbound, turn: Turn, kept: bool, conv: Conversation, state: State,
    case_opened: bool,
) -> None:
    """What someone wrote before consent (a mother's whole story) is held in the conversation state,
    not in the transcript; once they consent or a case opens it goes into the transcript, so nobody is
    asked to tell it again. Declining consent, or two hours, forgets it."""
    held = [e for e in state.memory.unsaved if _fresh(e[2])]
    if case_opened or contact.consent_at is not None:
        if held:
            for message_id, text, _at in held:
                if message_id:
                    s.execute(
                        update(Message)
                        .where(Message.contact_id == contact.id, Message.channel == contact.channel,
                               Message.channel_message_id == message_id)
                        .values(text=text)
                    )
        state.memory.unsaved = []
        return
    declined = turn.intent == "deny" and (conv.state or {}).get("step") == "consent"
    if declined:
        state.memory.unsaved = []
        return
    if not kept and turn.text and not turn.from_button:
        held = [*held, [msg.message_id, turn.text[:2000], utcnow().isoformat()]][-UNSAVED_KEEP:]
    state.memory.unsaved = held


def _fresh(at: str) -> bool:
    try:
        return utcnow() - datetime.fromisoformat(at) < UNSAVED_TTL
    except (TypeError, ValueError):
        return False
