"""The person's own record: consent, profile, language, erasure."""

from __future__ import annotations

from typing import Any

from bot.services.base import Bound
from bot.store import repo
from bot.store.models import utcnow


class ContactServices(Bound):
    def has_consent(self) -> bool:
        return self.contact.consent_at is not None

    def set_consent(self, given: bool) -> None:
        self.contact.consent_at = utcnow() if given else None

    def save_profile(self, **fields: Any) -> None:
        self.contact.profile = {**(self.contact.profile or {}), **fields}

    def set_language(self, lang: str) -> None:
        self.contact.language = lang

    def delete_personal_data(self) -> None:
        from bot.store.erase import erase_contact

        if self.delete_window is not None:  # ids only: the rows that hold them are erased next
            self.retract = repo.recent_channel_ids(self.s, self.contact, utcnow() - self.delete_window)
        erase_contact(self.s, self.contact)
        self.deleted = True
