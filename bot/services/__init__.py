"""Side effects a flow may ask for (flows.runtime.Services), one module per domain, composed into
the one object a turn lends the flows, bound to one contact within the current transaction."""

from __future__ import annotations

from bot.services.agencies import AgencyServices
from bot.services.cases import CaseServices
from bot.services.contact import ContactServices
from bot.services.offers import OfferServices


class FlowServices(ContactServices, CaseServices, AgencyServices, OfferServices):
    pass
