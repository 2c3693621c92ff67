"""The plan page's rules on plain values: which plans may change, when an action is overdue,
what closing an action needs, the day it was done, and when the safer-sleeping discussion
belongs in the plan."""

from __future__ import annotations

import re
from datetime import date

import pytest

from convene.core.services import ServiceError
from convene.plans.enums import ActionStatus, Category
from convene.plans.plan_page.rules import (
    PLAIN_CATEGORY,
    PLAN,
    PlanState,
    action_overdue,
    done_on,
    plan_state,
    progress_problem,
    sudi_applies,
)
from convene.plans.rules import PlanAction

S = ActionStatus
TODAY = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("end_date", "other_authority", "state"),
    [
        (None, False, PlanState.OPEN),
        (date(2026, 3, 1), False, PlanState.ENDED),
        (None, True, PlanState.ELSEWHERE),
        (date(2026, 3, 1), True, PlanState.ELSEWHERE),
    ],
)
def test_a_plan_is_open_ended_or_kept_elsewhere(end_date, other_authority, state):
    assert plan_state(end_date=end_date, other_authority=other_authority) == state


@pytest.mark.parametrize("action", [a for a in PlanAction if a in PLAN.table])
@pytest.mark.parametrize("state", [PlanState.ENDED, PlanState.ELSEWHERE])
def test_only_an_open_plan_of_this_authoritys_may_change(action, state):
    assert PLAN.allows(action, PlanState.OPEN)
    with pytest.raises(ServiceError, match="Only an open plan"):
        PLAN.check(action, state)


def test_the_reviews_and_the_ending_are_not_limited_by_the_plan_page():
    offered = PLAN.offered(PlanState.ENDED, {"view", "edit", "end_without_conference"})
    assert offered == {"view", "end_without_conference"}


@pytest.mark.parametrize(
    ("due", "status", "overdue"),
    [
        (date(2026, 3, 9), S.NOT_STARTED, True),
        (date(2026, 3, 9), S.IN_PROGRESS, True),
        (date(2026, 3, 10), S.IN_PROGRESS, False),  # due today: not late until tomorrow
        (date(2026, 3, 11), S.NOT_STARTED, False),
        (date(2026, 1, 1), S.DONE, False),
        (date(2026, 1, 1), S.STOPPED, False),
    ],
)
def test_an_action_is_overdue_from_the_day_after_it_was_due_until_it_is_closed(
    due, status, overdue
):
    assert action_overdue(due=due, status=status, today=TODAY) is overdue


@pytest.mark.parametrize(
    ("before", "after", "progress", "refused"),
    [
        (S.IN_PROGRESS, S.DONE, "", "Say what was done"),
        (S.IN_PROGRESS, S.STOPPED, "  ", "Say why the action is no longer needed"),
        (S.IN_PROGRESS, S.DONE, "Kai has been at school every day for 4 weeks", None),
        (S.NOT_STARTED, S.IN_PROGRESS, "", None),
        (S.DONE, S.DONE, "", None),
    ],
)
def test_closing_an_action_needs_its_evidence(before, after, progress, refused):
    problem = progress_problem(before=before, after=after, progress=progress)
    assert (problem or "").startswith(refused or "") and bool(problem) == bool(refused)


@pytest.mark.parametrize(
    ("before", "before_done_on", "after", "expected"),
    [
        (S.IN_PROGRESS, None, S.DONE, TODAY),
        (S.DONE, date(2026, 2, 1), S.DONE, date(2026, 2, 1)),
        (S.DONE, date(2026, 2, 1), S.IN_PROGRESS, None),
        (S.NOT_STARTED, None, S.STOPPED, None),
    ],
)
def test_the_day_an_action_was_done_is_kept_until_it_is_reopened(
    before, before_done_on, after, expected
):
    assert done_on(before_status=before, before_done_on=before_done_on, after=after, on=TODAY) == (
        expected
    )


@pytest.mark.parametrize(
    ("born", "applies"),
    [
        (None, True),  # unborn
        (date(2025, 3, 11), True),  # a day short of one year old
        (date(2025, 3, 10), False),  # one year old today
        (date(2020, 1, 1), False),
        (date(2024, 2, 29), False),  # born on 29 February: one on 1 March 2025
    ],
)
def test_the_safer_sleeping_discussion_is_for_an_unborn_child_or_a_baby(born, applies):
    assert sudi_applies(date_of_birth=born, today=TODAY) is applies


def test_every_category_has_plain_words_without_abbreviations():
    assert set(PLAIN_CATEGORY) == set(Category)
    for words in PLAIN_CATEGORY.values():
        assert re.search(r"\b[A-Z]{2,}\b", words) is None, words
