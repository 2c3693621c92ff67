"""The decision's rules on plain values: what each conference may decide, what each decision
needs, who counts in which group, and the scores over time."""

from __future__ import annotations

from datetime import date

import pytest

from convene.conferences.decision.rules import (
    CHART_H,
    CHART_PAD,
    DecisionEntry,
    ScoreEntry,
    chart_lines,
    decision_problems,
    outcomes_for,
    participant_group,
    scores_over_time,
)
from convene.conferences.enums import ChildOutcome, ConferenceType, ParticipantGroup

INITIAL = ConferenceType.INITIAL


def _problems(conference_type: str = INITIAL, has_open_plan: bool = False, **entry: str) -> dict:
    entry.setdefault("reasons", "Kai has been left alone at night.")
    return decision_problems(
        DecisionEntry(**entry),
        conference_type=conference_type,
        child="Kai",
        has_open_plan=has_open_plan,
    )


def test_a_first_conference_decides_a_plan_a_child_in_need_plan_no_action_or_defers():
    assert outcomes_for(INITIAL) == (
        ChildOutcome.CP_PLAN,
        ChildOutcome.CIN_PLAN,
        ChildOutcome.NO_FURTHER_ACTION,
        ChildOutcome.DEFERRED,
    )
    assert outcomes_for(ConferenceType.REVIEW) == (
        ChildOutcome.CONTINUE_PLAN,
        ChildOutcome.END_PLAN,
    )
    # The reconvened conference must decide: it cannot put it off again.
    assert ChildOutcome.DEFERRED not in outcomes_for(ConferenceType.RECONVENED)


def test_a_plan_needs_a_category_and_nothing_else_has_one():
    assert _problems(outcome="cp_plan", category="NEG") == {}
    assert _problems(outcome="cp_plan") == {"category": "Select the category of abuse"}
    assert _problems(outcome="cin_plan", category="NEG") == {
        "category": "A category is given only for a child protection plan"
    }


def test_every_decision_needs_its_reasons():
    assert _problems(outcome="cin_plan", reasons="  ") == {
        "reasons": "Enter the reasons for the decision, in plain words"
    }


def test_a_deferral_needs_its_reasons_and_an_interim_plan():
    problems = _problems(outcome="deferred")
    assert set(problems) == {"deferral_reasons", "interim_plan"}
    assert _problems(outcome="deferred", deferral_reasons="x", interim_plan="y") == {}


def test_no_further_action_comes_with_recommendations():
    assert set(_problems(outcome="nfa")) == {"recommendations"}
    assert _problems(outcome="nfa", recommendations="Early help from the family hub") == {}


def test_a_review_decision_needs_an_open_plan_and_an_ending_needs_its_reason():
    review = ConferenceType.REVIEW
    assert _problems(review, outcome="continue_plan", category="NEG") == {
        "outcome": "Kai has no child protection plan open to review"
    }
    assert _problems(review, True, outcome="continue_plan", category="EMO") == {}
    assert set(_problems(review, True, outcome="end_plan")) == {"plan_end_reason", "after_plan"}
    assert (
        _problems(
            review,
            True,
            outcome="end_plan",
            plan_end_reason="no_longer_at_risk",
            after_plan="cin_plan",
        )
        == {}
    )


def test_an_outcome_the_conference_cannot_decide_is_refused():
    assert "outcome" in _problems(outcome="continue_plan", category="NEG")
    assert "outcome" in _problems(ConferenceType.REVIEW, True, outcome="cp_plan", category="NEG")
    assert "outcome" in _problems(outcome="")


def test_a_child_already_on_a_plan_here_is_not_given_a_second():
    assert _problems(has_open_plan=True, outcome="cp_plan", category="NEG") == {
        "outcome": "Kai is already on a child protection plan: decide it at a review conference"
    }


@pytest.mark.parametrize(
    ("role", "agency_type", "group"),
    [
        ("parent_carer", None, ParticipantGroup.PARENT_CARER),
        ("child", None, ParticipantGroup.CHILD),
        ("advocate", None, ParticipantGroup.FAMILY_FRIEND),
        ("professional", "csc", ParticipantGroup.CHILDRENS_SOCIAL_CARE),
        ("professional", "police", ParticipantGroup.POLICE),
        ("professional", "health", ParticipantGroup.HEALTH),
        ("professional", "other", ParticipantGroup.OTHER_AGENCY),
        ("observer", None, ParticipantGroup.OTHER_AGENCY),
    ],
)
def test_each_participant_counts_in_one_group(role, agency_type, group):
    assert participant_group(role, agency_type) == group


def test_scores_over_time_are_grouped_by_conference_and_group():
    first, review = date(2026, 3, 9), date(2026, 6, 8)
    dates, series = scores_over_time(
        [
            ScoreEntry(first, "parent_carer", 6),
            ScoreEntry(first, "health", 2),
            ScoreEntry(first, "health", 3),
            ScoreEntry(review, "health", 5),
        ]
    )
    assert dates == [first, review]
    health, parents = series  # in the order ParticipantGroup lists them
    assert health.group == ParticipantGroup.HEALTH and parents.group == "parent_carer"
    assert [(p.scores, p.mean) for p in health.points] == [((2, 3), 2.5), ((5,), 5.0)]
    lines = chart_lines(dates, series)
    # 0 is at the bottom of the chart, 10 at the top; the review is to the right.
    (x1, y1, _), (x2, y2, _) = lines[0].points
    assert x2 > x1 and y2 < y1
    assert CHART_PAD <= y2 <= CHART_H - CHART_PAD
    assert lines[0].dash != lines[1].dash
