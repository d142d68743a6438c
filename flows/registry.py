"""Import every action module so ACTIONS, CONTRACTS and DYNAMIC_CHOICES are complete before flows load."""

from flows import (  # noqa: F401  (registration side effects)
    actions_case,
    actions_crisis,
    actions_emergency,
    actions_info,
    actions_offer,
    actions_offer_talk,
    actions_questions,
    actions_report,
)
from flows.actions import ACTIONS, CONTRACTS
from flows.choices import DYNAMIC_CHOICES

__all__ = ["ACTIONS", "CONTRACTS", "DYNAMIC_CHOICES"]
