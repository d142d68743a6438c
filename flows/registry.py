"""Import every action module so ACTIONS and DYNAMIC_CHOICES are complete before flows load."""

from flows import actions_case, actions_emergency, actions_info, actions_offer, actions_report  # noqa: F401  (registration side effects)
from flows.actions import ACTIONS
from flows.choices import DYNAMIC_CHOICES

__all__ = ["ACTIONS", "DYNAMIC_CHOICES"]
