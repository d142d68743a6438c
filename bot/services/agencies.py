"""The licensed-agency list (P3MI) a flow looks a recruiter up in."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.services.base import Bound
from bot.store.agencies import AgencyMatch, find_agency
from bot.store.models import Agency


class AgencyServices(Bound):
    def agency_list_date(self) -> date | None:
        return self.s.scalars(select(Agency.list_date).limit(1)).first()

    def find_agency(self, name: str) -> tuple[list[AgencyMatch], date | None]:
        return find_agency(self.s, name)
