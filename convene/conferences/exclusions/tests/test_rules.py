from __future__ import annotations

from datetime import date

import pytest

from convene.conferences.enums import ExclusionDecision
from convene.conferences.exclusions import rules
from convene.conferences.exclusions.rules import EXCLUSION, ExclusionAction
from convene.timescales import get_profile

# Monday 14 December 2026; no bank holidays in the fortnight before.
CONFERENCE = date(2026, 12, 14)


@pytest.mark.parametrize(
    ("requested_on", "late"),
    [
        (date(2026, 12, 8), False),
        (date(2026, 12, 9), False),  # exactly 3 working days before Monday 14 December
        (date(2026, 12, 10), True),
        (date(2026, 12, 14), True),
    ],
)
def test_an_exclusion_request_less_than_3_working_days_before_is_late(requested_on, late):
    due = rules.exclusion_request_due(get_profile("london"), conference_date=CONFERENCE)
    assert due == date(2026, 12, 9)
    assert rules.exclusion_request_is_late(due=due, requested_on=requested_on) is late


@pytest.mark.parametrize(
    ("decision", "available"),
    [
        (ExclusionDecision.PENDING, {ExclusionAction.DECIDE}),
        (ExclusionDecision.WHOLE, {ExclusionAction.RECORD_VIEWS, ExclusionAction.WRITE_LETTER}),
        (ExclusionDecision.PART, {ExclusionAction.RECORD_VIEWS, ExclusionAction.WRITE_LETTER}),
        (ExclusionDecision.REFUSED, set()),
    ],
)
def test_the_chairs_decision_is_final_and_only_the_excluded_get_a_letter(decision, available):
    assert EXCLUSION.available(decision) == available
