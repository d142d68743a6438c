"""What every domain's services share: one contact, within the current transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy.orm import Session

from bot.store.models import Contact, Conversation


class Bound:
    def __init__(
        self, s: Session, contact: Contact, conv: Conversation, targets: tuple[int, int],
        case_gate: Callable[[str], bool] | None = None,
        delete_window: timedelta | None = None,
    ) -> None:
        self.s, self.contact, self.conv, self.targets = s, contact, conv, targets
        self.case_gate = case_gate  # see Inbound.case_gate
        # How old a message the channel lets the bot delete (Capabilities.delete_window); None: none.
        self.delete_window = delete_window
        self.retract: list[str] = []  # the chat's deletable message ids, read before an erasure
        self.deleted = False  # the contact was erased in this turn (services/contact.py)
        self.case_opened = False  # a case opened or was joined in this turn (services/cases.py)
        self.unsaved: list[str] = []  # what the person wrote before consent (turn/privacy.py)
