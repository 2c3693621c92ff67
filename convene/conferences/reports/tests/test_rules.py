"""The pure rules for reports, uploads and exclusion requests, table by table."""

from __future__ import annotations

from datetime import date

import pytest

from convene.conferences.enums import ConferenceType, ReportKind
from convene.conferences.reports import rules
from convene.timescales import get_profile

# Monday 14 December 2026; no bank holidays in the fortnight before.
CONFERENCE = date(2026, 12, 14)


@pytest.mark.parametrize(
    ("profile", "conference_type", "kind", "to_chair", "to_family"),
    [
        # London CP4 §7.7 to §7.9: 2 working days before an initial conference, 5 before a review.
        (
            "london",
            ConferenceType.INITIAL,
            ReportKind.AGENCY,
            date(2026, 12, 10),
            date(2026, 12, 10),
        ),
        ("london", ConferenceType.REVIEW, ReportKind.AGENCY, date(2026, 12, 7), date(2026, 12, 7)),
        (
            "london",
            ConferenceType.PRE_BIRTH,
            ReportKind.CHILDRENS_SOCIAL_CARE,
            date(2026, 12, 10),
            date(2026, 12, 10),
        ),
        # §7.10: the police report never goes to the family.
        ("london", ConferenceType.INITIAL, ReportKind.POLICE, date(2026, 12, 10), None),
        # Medway: reports to the chair 24 hours before an initial conference.
        (
            "medway",
            ConferenceType.INITIAL,
            ReportKind.AGENCY,
            date(2026, 12, 13),
            date(2026, 12, 10),
        ),
        ("medway", ConferenceType.REVIEW, ReportKind.AGENCY, date(2026, 12, 9), date(2026, 12, 7)),
    ],
)
def test_the_profile_sets_when_reports_are_due(profile, conference_type, kind, to_chair, to_family):
    due = rules.report_deadlines(
        get_profile(profile), conference_type=conference_type, conference_date=CONFERENCE, kind=kind
    )
    assert (due.to_chair, due.to_family) == (to_chair, to_family)


def test_the_rule_is_explained_with_its_paragraph():
    due = rules.report_deadlines(
        get_profile("london"),
        conference_type=ConferenceType.REVIEW,
        conference_date=CONFERENCE,
        kind=ReportKind.AGENCY,
    )
    assert "5 working days before the review conference" in due.to_chair_rule


@pytest.mark.parametrize(
    ("due", "done_on", "today", "late"),
    [
        (date(2026, 12, 10), None, date(2026, 12, 10), False),  # due today: not late yet
        (date(2026, 12, 10), None, date(2026, 12, 11), True),
        (date(2026, 12, 10), date(2026, 12, 10), date(2026, 12, 20), False),
        (date(2026, 12, 10), date(2026, 12, 11), date(2026, 12, 20), True),
        (None, None, date(2026, 12, 20), False),  # nothing due (a police report to the family)
    ],
)
def test_late_means_after_the_due_date(due, done_on, today, late):
    assert rules.is_late(due=due, done_on=done_on, today=today) is late


TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("seen_on", "alone", "who", "why", "fields"),
    [
        (date(2026, 11, 20), True, "", "", set()),
        (date(2026, 11, 20), False, "Mother", "The child asked for her", set()),
        (date(2026, 11, 20), False, "", "", {"who_was_there", "why_not_alone"}),
        (date(2026, 11, 20), False, "Mother", "  ", {"why_not_alone"}),
        (date(2026, 12, 2), True, "", "", {"date"}),
        (None, None, "", "", {"date", "seen_alone"}),
    ],
)
def test_a_child_not_seen_alone_needs_who_and_why(seen_on, alone, who, why, fields):
    problems = rules.child_seen_problems(
        seen_on=seen_on, seen_alone=alone, who_was_there=who, why_not_alone=why, today=TODAY
    )
    assert set(problems) == fields


def test_a_report_needs_facts_opinion_recommendation_and_a_signature():
    problems = rules.report_submit_problems(
        kind=ReportKind.AGENCY,
        facts="",
        opinions="",
        recommendation="",
        signed_by=" ",
        children_not_seen=[],
    )
    assert set(problems) == {"facts", "opinions", "recommendation", "signed_by"}


def test_the_social_care_report_needs_each_child_seen():
    problems = rules.report_submit_problems(
        kind=ReportKind.CHILDRENS_SOCIAL_CARE,
        facts="f",
        opinions="o",
        recommendation="r",
        signed_by="Sol Tester",
        children_not_seen=["Mina Example"],
    )
    assert list(problems.values()) == ["Add when Mina Example was seen during the enquiry"]
