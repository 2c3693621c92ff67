import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from convene.authority.models import ClosureDay
from convene.authority.selectors import authority_procedures
from convene.conferences.enums import ConferenceStatus
from convene.people.models import Child
from convene.returns.deadlines import (
    DeadlineKind,
    EnquiryFacts,
    OpenPlanFacts,
    deadlines_as_of,
    enquiry_deadline,
    is_overdue,
    open_deadlines,
    plan_deadline,
)
from convene.testing.factories import (
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    EnquiryFactory,
    PlanFactory,
    PlanReviewFactory,
)
from convene.timescales import get_profile

LONDON = get_profile("london")
AS_OF = date(2026, 11, 24)


# The rules, on plain values ------------------------------------------------------------


@pytest.mark.parametrize(
    ("strategy_discussion", "due"),
    [
        # London CP4 §1.7: 15 working days after the strategy discussion.
        (date(2026, 11, 2), date(2026, 11, 23)),
        # Across Christmas: 25 and 28 December (Boxing Day moved) and 1 January are holidays.
        (date(2026, 12, 14), date(2027, 1, 7)),
        # A Saturday strategy discussion counts from the Monday.
        (date(2026, 11, 7), date(2026, 11, 27)),
        # 27 and 28 December 2027 and 3 January 2028 are the holidays moved off a weekend.
        (date(2027, 12, 13), date(2028, 1, 6)),
    ],
)
def test_the_icpc_is_due_15_working_days_after_the_strategy_discussion(strategy_discussion, due):
    facts = EnquiryFacts(child="C1", strategy_discussion_date=strategy_discussion)
    deadline = enquiry_deadline(facts, procedures=LONDON, as_of=strategy_discussion)
    assert deadline is not None
    assert (deadline.kind, deadline.due, deadline.counts_from) == (
        DeadlineKind.ICPC,
        due,
        strategy_discussion,
    )
    assert deadline.explanation == (
        "15 working days after the strategy discussion (London CP4 §1.7)"
    )


@pytest.mark.parametrize(
    ("held", "not_required", "has_deadline"),
    [
        (False, False, True),
        (True, False, False),  # the conference was held
        (False, True, False),  # no further action: no conference is needed
        (True, True, False),
    ],
)
def test_an_enquiry_has_a_deadline_only_while_it_waits_for_a_conference(
    held, not_required, has_deadline
):
    facts = EnquiryFacts(
        child="C1",
        strategy_discussion_date=date(2026, 11, 2),
        conference_held=held,
        conference_not_required=not_required,
    )
    assert (enquiry_deadline(facts, procedures=LONDON, as_of=AS_OF) is not None) is has_deadline


@pytest.mark.parametrize(
    ("start", "last_review", "kind", "due"),
    [
        # London CP4 §1.20: the first review within 3 months of the initial conference,
        # months clamping to the month's last day.
        (date(2026, 11, 30), None, DeadlineKind.FIRST_REVIEW, date(2027, 2, 28)),
        (date(2026, 9, 15), None, DeadlineKind.FIRST_REVIEW, date(2026, 12, 15)),
        # Then every 6 months from the last review.
        (date(2026, 11, 30), date(2027, 2, 20), DeadlineKind.NEXT_REVIEW, date(2027, 8, 20)),
        (date(2025, 3, 1), date(2026, 8, 31), DeadlineKind.NEXT_REVIEW, date(2027, 2, 28)),
    ],
)
def test_an_open_plan_waits_for_its_first_or_next_review(start, last_review, kind, due):
    facts = OpenPlanFacts(child="C1", start_date=start, last_review=last_review)
    deadline = plan_deadline(facts, procedures=LONDON, as_of=AS_OF)
    assert deadline is not None
    assert (deadline.kind, deadline.due) == (kind, due)
    assert deadline.counts_from == (last_review or start)


def test_a_plan_another_authority_holds_has_no_deadline_here():
    facts = OpenPlanFacts(child="C1", start_date=date(2026, 9, 1), other_authority=True)
    assert plan_deadline(facts, procedures=LONDON, as_of=AS_OF) is None


@pytest.mark.parametrize(
    ("as_of", "overdue"),
    [
        (date(2026, 11, 22), False),
        (date(2026, 11, 23), False),  # due today: still in time
        (date(2026, 11, 24), True),  # the day after
    ],
)
def test_a_deadline_is_overdue_from_the_day_after_it_is_due(as_of, overdue):
    assert is_overdue(date(2026, 11, 23), as_of) is overdue
    facts = EnquiryFacts(child="C1", strategy_discussion_date=date(2026, 11, 2))
    deadline = enquiry_deadline(facts, procedures=LONDON, as_of=as_of)
    assert deadline is not None
    assert deadline.overdue is overdue


def test_open_deadlines_come_soonest_first():
    found = open_deadlines(
        [
            EnquiryFacts(child="B", strategy_discussion_date=date(2026, 11, 2)),
            EnquiryFacts(child="A", strategy_discussion_date=date(2026, 11, 9)),
            EnquiryFacts(
                child="X", strategy_discussion_date=date(2026, 11, 2), conference_held=True
            ),
        ],
        [OpenPlanFacts(child="C", start_date=date(2026, 8, 1))],
        procedures=LONDON,
        as_of=AS_OF,
    )
    assert [(d.child, d.due) for d in found] == [
        ("C", date(2026, 11, 1)),
        ("B", date(2026, 11, 23)),
        ("A", date(2026, 11, 30)),
    ]
    assert [d.overdue for d in found] == [True, True, False]


# The selector: facts from the database ------------------------------------------------


@pytest.mark.django_db
def test_an_enquiry_counts_as_conferenced_only_once_its_linked_conference_was_held():
    waiting = EnquiryFactory.create(strategy_discussion_date=date(2026, 11, 2))
    scheduled = EnquiryFactory.create(strategy_discussion_date=date(2026, 11, 2))
    ConferenceChildFactory.create(
        child=scheduled.child,
        enquiry=scheduled,
        conference=ConferenceFactory.create(
            date=date(2026, 11, 30), status=ConferenceStatus.SCHEDULED
        ),
    )
    held = EnquiryFactory.create(strategy_discussion_date=date(2026, 11, 2))
    ConferenceChildFactory.create(
        child=held.child,
        enquiry=held,
        conference=ConferenceFactory.create(date=date(2026, 11, 20)),
    )
    EnquiryFactory.create(strategy_discussion_date=date(2026, 11, 2), conference_not_required=True)
    found = deadlines_as_of(as_of=AS_OF, procedures=authority_procedures())
    assert sorted(d.child for d in found) == sorted(
        [waiting.child.la_child_id, scheduled.child.la_child_id]
    )
    assert {d.kind for d in found} == {DeadlineKind.ICPC}


@pytest.mark.django_db
def test_a_conference_held_after_the_date_asked_about_does_not_count_yet():
    enquiry = EnquiryFactory.create(strategy_discussion_date=date(2026, 11, 2))
    ConferenceChildFactory.create(
        child=enquiry.child,
        enquiry=enquiry,
        conference=ConferenceFactory.create(date=date(2026, 11, 20)),
    )
    before = deadlines_as_of(as_of=date(2026, 11, 19), procedures=authority_procedures())
    assert [d.child for d in before] == [enquiry.child.la_child_id]
    assert deadlines_as_of(as_of=date(2026, 11, 20), procedures=authority_procedures()) == []


@pytest.mark.django_db
def test_open_plans_wait_for_their_first_or_next_review():
    first = PlanFactory.create(start_date=date(2026, 9, 15))
    reviewed = PlanFactory.create(start_date=date(2026, 3, 2))
    PlanReviewFactory.create(plan=reviewed, date=date(2026, 6, 1))
    PlanReviewFactory.create(plan=reviewed, date=date(2026, 12, 1))  # after the date asked about
    PlanFactory.create(start_date=date(2025, 1, 6), end_date=date(2026, 10, 1))  # ended
    PlanFactory.create(start_date=date(2026, 9, 1), other_authority=True)
    PlanFactory.create(start_date=date(2026, 12, 1))  # not started yet
    found = deadlines_as_of(as_of=AS_OF, procedures=authority_procedures())
    assert [(d.child, d.kind, d.due) for d in found] == [
        (reviewed.child.la_child_id, DeadlineKind.NEXT_REVIEW, date(2026, 12, 1)),
        (first.child.la_child_id, DeadlineKind.FIRST_REVIEW, date(2026, 12, 15)),
    ]


@pytest.mark.django_db
def test_the_icpc_deadline_moves_past_the_authoritys_closure_days():
    EnquiryFactory.create(strategy_discussion_date=date(2026, 11, 2))
    ClosureDay.objects.create(day=date(2026, 11, 13), description="Office move")
    [deadline] = deadlines_as_of(as_of=AS_OF, procedures=authority_procedures())
    assert deadline.due == date(2026, 11, 24)


@pytest.mark.django_db
def test_the_selector_can_be_limited_to_some_children():
    mine = EnquiryFactory.create(strategy_discussion_date=date(2026, 11, 2))
    EnquiryFactory.create(strategy_discussion_date=date(2026, 11, 2))
    PlanFactory.create(start_date=date(2026, 9, 15))
    found = deadlines_as_of(
        as_of=AS_OF,
        procedures=authority_procedures(),
        children=Child.objects.filter(pk=mine.child.pk),
    )
    assert [d.child for d in found] == [mine.child.la_child_id]


def _make_cases(n):
    for _ in range(n):
        child = ChildFactory.create()
        EnquiryFactory.create(episode__child=child, strategy_discussion_date=date(2026, 11, 2))
        plan = PlanFactory.create(child=ChildFactory.create(), start_date=date(2026, 3, 2))
        PlanReviewFactory.create(plan=plan, date=date(2026, 6, 1))


@pytest.mark.django_db
def test_loading_the_deadlines_takes_the_same_queries_however_many_there_are():
    procedures = authority_procedures()
    _make_cases(1)
    with CaptureQueriesContext(connection) as few:
        assert len(deadlines_as_of(as_of=AS_OF, procedures=procedures)) == 2
    _make_cases(10)
    with CaptureQueriesContext(connection) as many:
        assert len(deadlines_as_of(as_of=AS_OF, procedures=procedures)) == 22
    # Enquiries, plans, reviews brought forward, follow-ups, child in need plans, and the
    # letters and records of conferences decided in Convene.
    assert len(many) == len(few) == 6


# The command ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_prints_the_deadlines_as_json_soonest_first():
    late = EnquiryFactory.create(strategy_discussion_date=date(2026, 11, 9))
    early = EnquiryFactory.create(strategy_discussion_date=date(2026, 11, 2))
    plan = PlanFactory.create(start_date=date(2026, 11, 20))
    out = StringIO()
    call_command("deadlines", "--as-of", "2026-11-24", "--format", "json", stdout=out)
    icpc = "15 working days after the strategy discussion (London CP4 §1.7)"
    assert json.loads(out.getvalue()) == [
        {
            "child": early.child.la_child_id,
            "kind": "icpc",
            "due": "2026-11-23",
            "overdue": True,
            "rule": icpc,
        },
        {
            "child": late.child.la_child_id,
            "kind": "icpc",
            "due": "2026-11-30",
            "overdue": False,
            "rule": icpc,
        },
        {
            "child": plan.child.la_child_id,
            "kind": "first_review",
            "due": "2027-02-20",
            "overdue": False,
            "rule": "3 months after the initial conference (London CP4 §1.20)",
        },
    ]


@pytest.mark.django_db
def test_the_command_prints_text_with_the_rule():
    enquiry = EnquiryFactory.create(strategy_discussion_date=date(2026, 11, 2))
    out = StringIO()
    call_command("deadlines", "--as-of", "2026-11-24", "--format", "text", stdout=out)
    line = out.getvalue().strip()
    assert line.startswith("2026-11-23  OVERDUE")
    assert enquiry.child.la_child_id in line
    assert "Initial child protection conference (ICPC)" in line
    assert "15 working days after the strategy discussion (London CP4 §1.7)" in line
    assert line.endswith("the strategy discussion was on 2026-11-02")


@pytest.mark.django_db
def test_the_command_says_when_nothing_is_open():
    out = StringIO()
    call_command("deadlines", "--as-of", "2026-11-24", "--format", "text", stdout=out)
    assert out.getvalue().strip() == "No open deadlines on 2026-11-24."
    out = StringIO()
    call_command("deadlines", "--as-of", "2026-11-24", stdout=out)
    assert json.loads(out.getvalue()) == []


def test_the_command_refuses_a_date_it_cannot_read():
    with pytest.raises(CommandError, match="year-month-day"):
        call_command("deadlines", "--as-of", "24/11/2026")
