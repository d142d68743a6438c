"""Case priorities and the response targets that follow from them: the one place they are written.

Targets come from settings (`SAHABAT_TARGET_EMERGENCY_MINUTES`, `SAHABAT_TARGET_NORMAL_HOURS`) as a
pair (emergency minutes, other hours). Used by the engine (what the person is told), the console
(due times, overdue marks) and the statistics."""

from __future__ import annotations

from datetime import timedelta

PRIORITY = {"emergency": 0, "urgent": 1, "normal": 2}
EMERGENCY = PRIORITY["emergency"]

Targets = tuple[int, int]  # (emergency minutes, other hours)


def is_emergency(priority: int) -> bool:
    return priority == EMERGENCY


def target_for(priority: int, targets: Targets) -> timedelta:
    """How soon a caseworker should answer a case of this priority."""
    return timedelta(minutes=targets[0]) if is_emergency(priority) else timedelta(hours=targets[1])


def target_words(priority: int, targets: Targets) -> tuple[int, str]:
    """The same target as the person is told it: (15, "minutes") or (24, "hours")."""
    return (targets[0], "minutes") if is_emergency(priority) else (targets[1], "hours")
