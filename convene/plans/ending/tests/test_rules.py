"""The rules for ending a plan without a conference and for child in need plans, on plain
values (London CP4 §10.5 to §10.10, §2.6)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from convene.plans.ending import rules
from convene.plans.ending.rules import EndingFacts
from convene.plans.enums import PlanEndReason
from convene.timescales import get_profile

START = date(2026, 1, 5)
TODAY = date(2026, 4, 15)
ALLOWED = [
    PlanEndReason.TURNED_18,
    PlanEndReason.DIED,
    PlanEndReason.LEFT_COUNTRY,
    PlanEndReason.TRANSFERRED,
    PlanEndReason.CARE_ORDER,
]


def _facts(**changes: Any) -> EndingFacts:
    facts = EndingFacts(
        reason=PlanEndReason.CARE_ORDER,
        details="Care order made on 10 April 2026.",
        consultation="Health visitor and school agreed.",
        consulted_on=date(2026, 4, 13),
        ended_on=TODAY,
    )
    return replace(facts, **changes)


def _problems(facts: EndingFacts, born: date | None = date(2018, 6, 1)) -> dict[str, str]:
    return rules.ending_problems(facts, start_date=START, date_of_birth=born, today=TODAY)


@pytest.mark.parametrize("reason", ALLOWED)
def test_a_plan_may_end_without_a_conference_in_the_allowed_cases(reason):
    born = date(2008, 1, 1)  # 18 by now, for the one case that needs it
    assert _problems(_facts(reason=reason), born) == {}


@pytest.mark.parametrize(
    "reason", [PlanEndReason.NO_LONGER_AT_RISK, PlanEndReason.OTHER, PlanEndReason.NOT_RECORDED]
)
def test_any_other_reason_needs_a_review_conference(reason):
    assert "ends at a review conference" in _problems(_facts(reason=reason))["reason"]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"details": " "}, "details", "Enter the details"),
        ({"consultation": ""}, "consultation", "Record who you consulted"),
        ({"consulted_on": None}, "consulted_on", "Enter the date you consulted"),
        ({"consulted_on": date(2026, 4, 16)}, "consulted_on", "today or in the past"),
        ({"consulted_on": date(2026, 1, 4)}, "consulted_on", "on or after 5 January 2026"),
        ({"ended_on": None}, "ended_on", "Enter the date the plan ends"),
        ({"ended_on": START}, "ended_on", "must be after 5 January 2026"),
        ({"ended_on": date(2026, 1, 1)}, "ended_on", "must be after 5 January 2026"),
        ({"ended_on": date(2026, 4, 16)}, "ended_on", "today or in the past"),
        ({"ended_on": date(2026, 4, 10)}, "ended_on", "only after you have consulted"),
    ],
    ids=[
        "no details",
        "no consultation",
        "no consultation date",
        "consulted in the future",
        "consulted before the plan",
        "no end date",
        "ends the day it started",
        "ends before it started",
        "ends in the future",
        "ends before the consultation",
    ],
)
def test_an_ending_is_refused_until_it_is_complete_and_in_order(changes, field, words):
    assert words in _problems(_facts(**changes))[field]


def test_a_child_has_not_turned_18_before_their_birthday():
    facts = _facts(reason=PlanEndReason.TURNED_18)
    assert "turns 18 on 16 April 2026" in _problems(facts, date(2008, 4, 16))["ended_on"]
    assert _problems(facts, date(2008, 4, 15)) == {}
    assert "no date of birth" in _problems(facts, None)["reason"]


def test_someone_born_on_29_february_turns_18_on_1_march():
    assert rules.eighteenth_birthday(date(2008, 2, 29)) == date(2026, 3, 1)


@pytest.mark.parametrize(
    ("reason", "allowed"),
    [
        (PlanEndReason.DIED, False),
        (PlanEndReason.TURNED_18, False),
        (PlanEndReason.CARE_ORDER, True),
        (PlanEndReason.TRANSFERRED, True),
    ],
)
def test_a_child_in_need_plan_follows_only_for_a_living_child(reason, allowed):
    found = _problems(_facts(reason=reason, cin_plan_follows=True), date(2008, 1, 1))
    assert ("cin_plan_follows" not in found) is allowed


def test_every_allowed_reason_has_plain_words_for_the_message():
    assert set(rules.IN_WORDS) == set(ALLOWED)


@pytest.mark.parametrize(
    ("email", "address", "letter", "how"),
    [
        ("a@b.example", "", False, "email"),
        ("a@b.example", "1 Road", True, "letter"),
        ("a@b.example", "", True, "email"),
        ("", "1 Road", False, "letter"),
        ("", " ", False, None),
    ],
    ids=["e-mail", "prefers a letter", "prefers a letter, has no address", "letter", "neither"],
)
def test_people_are_told_the_way_they_can_be(email, address, letter, how):
    assert rules.channel(email=email, address=address, prefers_letter=letter) == how


# Child in need plans (§10.10) ---------------------------------------------------------------

LONDON = get_profile("london")


def test_a_child_in_need_plan_is_reviewed_every_12_weeks_from_its_start_then_its_last_review():
    assert rules.cin_review_due(LONDON, start=START, last_review=None) == date(2026, 3, 30)
    assert rules.cin_review_due(LONDON, start=START, last_review=TODAY) == date(2026, 7, 8)


@pytest.mark.parametrize(
    ("day", "end", "words"),
    [
        (None, None, "Enter the date"),
        (date(2026, 4, 16), None, "today or in the past"),
        (date(2026, 1, 4), None, "on or after 5 January 2026"),
        (date(2026, 3, 2), date(2026, 3, 1), "on or before 1 March 2026"),
        (date(2026, 2, 2), None, "already recorded"),
        (date(2026, 3, 2), None, ""),
    ],
    ids=["missing", "future", "before the plan", "after it ended", "twice", "fine"],
)
def test_a_child_in_need_plan_review_is_within_the_plan(day, end, words):
    found = rules.cin_review_problems(
        day, start=START, end=end, today=TODAY, held=[date(2026, 2, 2)]
    )
    assert words in found.get("date", "") if words else found == {}


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (None, "Enter the date"),
        (date(2026, 4, 16), "today or in the past"),
        (date(2026, 1, 4), "on or after 5 January 2026"),
        (date(2026, 2, 1), "on or after its last review"),
        (START, "on or after its last review"),
        (date(2026, 2, 2), ""),
    ],
)
def test_a_child_in_need_plan_ends_after_its_last_review(day, words):
    found = rules.cin_end_problems(day, start=START, today=TODAY, last_review=date(2026, 2, 2))
    assert words in found.get("end_date", "") if words else found == {}
