"""Rules about a child's plan history, on plain values."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PlanFacts:
    """What the rules need to know of one plan."""

    start_date: date
    end_date: date | None
    previous_plans_elsewhere: int = 0
    other_authority: bool = False


def previous_plan_count(plan: PlanFacts, history: Iterable[PlanFacts]) -> int:
    """NumberOfPreviousCPP (census item N00106): the child's plans that started before this
    one, in this authority or recorded from another, plus the plans elsewhere recorded on this
    plan as a number. A transfer-in adds nothing by itself (cin-census.md)."""
    earlier = sum(1 for other in history if other.start_date < plan.start_date)
    return earlier + plan.previous_plans_elsewhere
