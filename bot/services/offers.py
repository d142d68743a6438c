"""Offer checks, counted for the statistics: the method and the verdict, no text, no person."""

from __future__ import annotations

from bot.services.base import Bound
from bot.store.models import OfferCheck


class OfferServices(Bound):
    def record_offer_check(self, method: str, risk: str, flags: list[str]) -> None:
        self.s.add(OfferCheck(channel=self.contact.channel, method=method, risk=risk, flags=flags))
