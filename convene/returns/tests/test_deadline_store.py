"""The open deadlines kept as rows (issue 16 item 1, decision 0030): kept current by the
changes that move them, rebuilt when the procedures or the calendar change, checked and rebuilt
by the command. (Every other test that touches the database is also checked against the rules
afterwards: convene/conftest.py.)"""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from convene.authority.models import ClosureDay
from convene.authority.services import (
    authority_settings_get,
    authority_settings_update,
    closure_day_add,
    closure_day_remove,
)
from convene.conferences.enums import ConferenceStatus
from convene.core.services import Actor
from convene.returns import deadline_store
from convene.returns.deadlines import DeadlineKind, deadlines_as_of
from convene.returns.models import OpenDeadline
from convene.testing.factories import (
    ChildFactory,
    ConferenceChildFactory,
    EnquiryFactory,
    PlanFactory,
    PlanReviewFactory,
    UserFactory,
)
from convene.timescales import Nation

pytestmark = pytest.mark.django_db


def _stored(child=None):
    rows = OpenDeadline.objects.order_by("due", "kind")
    if child is not None:
        rows = rows.filter(child=child)
    return [(row.kind, row.due) for row in rows]


def test_an_enquiry_opens_the_initial_conference_deadline_and_holding_it_closes_it():
    child = ChildFactory.create()
    enquiry = EnquiryFactory.create(
        child=child, episode__child=child, strategy_discussion_date=date(2026, 11, 2)
    )
    # London CP4 §1.7: 15 working days after the strategy discussion.
    assert _stored(child) == [(DeadlineKind.ICPC, date(2026, 11, 23))]
    subject = ConferenceChildFactory.create(
        child=child,
        enquiry=enquiry,
        conference__date=date(2026, 11, 20),
        conference__status=ConferenceStatus.SCHEDULED,
    )
    assert _stored(child) == [(DeadlineKind.ICPC, date(2026, 11, 23))]
    conference = subject.conference
    conference.status = ConferenceStatus.HELD
    conference.save()
    assert _stored(child) == []


def test_a_review_moves_the_next_review_and_deleting_it_moves_it_back():
    plan = PlanFactory.create(start_date=date(2026, 1, 5))
    first = [row for row in _stored(plan.child) if row[0] == DeadlineKind.FIRST_REVIEW]
    assert first == [(DeadlineKind.FIRST_REVIEW, date(2026, 4, 5))]
    review = PlanReviewFactory.create(plan=plan, date=date(2026, 4, 1))
    assert (DeadlineKind.NEXT_REVIEW, date(2026, 10, 1)) in _stored(plan.child)
    review.delete()
    assert (DeadlineKind.FIRST_REVIEW, date(2026, 4, 5)) in _stored(plan.child)


def test_the_rows_hold_every_fact_recorded_whatever_the_day_it_is_read():
    child = ChildFactory.create()
    EnquiryFactory.create(
        child=child, episode__child=child, strategy_discussion_date=date(2026, 11, 2)
    )
    [row] = OpenDeadline.objects.filter(child=child)
    expected = deadlines_as_of(as_of=date(2026, 12, 1), procedures=deadline_store._procedures())
    assert [(d.kind, d.due, d.explanation) for d in expected] == [
        (row.kind, row.due, row.explanation)
    ]


def test_a_closure_day_moves_the_due_dates_and_removing_it_moves_them_back():
    admin = UserFactory.create()
    child = ChildFactory.create()
    EnquiryFactory.create(
        child=child, episode__child=child, strategy_discussion_date=date(2026, 11, 2)
    )
    assert _stored(child) == [(DeadlineKind.ICPC, date(2026, 11, 23))]
    closure = closure_day_add(day=date(2026, 11, 9), description="Office move", by=Actor(admin))
    assert _stored(child) == [(DeadlineKind.ICPC, date(2026, 11, 24))]
    closure_day_remove(closure=closure, by=Actor(admin))
    assert not ClosureDay.objects.exists()
    assert _stored(child) == [(DeadlineKind.ICPC, date(2026, 11, 23))]


def test_another_procedure_profile_gives_its_own_rules():
    admin = UserFactory.create()
    plan = PlanFactory.create(start_date=date(2026, 1, 5))

    def explanation():
        return OpenDeadline.objects.get(child=plan.child).explanation

    assert "London CP4" in explanation()
    current = authority_settings_get()
    authority_settings_update(
        profile="cornwall",
        nation=Nation.ENGLAND_AND_WALES,
        version=current.version,
        by=Actor(admin),
    )
    assert "Cornwall" in explanation()
    assert deadline_store.differences() == []


def test_a_child_deleted_takes_their_deadlines_with_them():
    plan = PlanFactory.create(start_date=date(2026, 1, 5))
    child = plan.child
    assert OpenDeadline.objects.filter(child=child).exists()
    plan.delete()
    child.delete()
    assert not OpenDeadline.objects.exists()


def test_the_command_checks_the_rows_and_rebuilds_them():
    plan = PlanFactory.create(start_date=date(2026, 1, 5))
    out = StringIO()
    call_command("deadlines", "--check", stdout=out)
    assert "are what the rules compute" in out.getvalue()
    # Changed behind Convene's back: a plain UPDATE sends no signal.
    OpenDeadline.objects.filter(child=plan.child).update(due=date(2030, 1, 1))
    with pytest.raises(CommandError, match=r"differences: run manage\.py deadlines --rebuild"):
        call_command("deadlines", "--check", stdout=StringIO())
    out = StringIO()
    call_command("deadlines", "--rebuild", stdout=out)
    assert "open deadlines worked out again" in out.getvalue()
    assert deadline_store.differences() == []


def test_the_command_asks_for_a_date_or_what_to_do():
    with pytest.raises(CommandError, match="Give --as-of DATE, --check or --rebuild"):
        call_command("deadlines", stdout=StringIO())


def test_a_rebuild_works_a_batch_of_children_at_a_time(monkeypatch):
    monkeypatch.setattr(deadline_store, "REBUILD_BATCH", 2)
    for start in (
        date(2026, 1, 5),
        date(2026, 2, 2),
        date(2026, 3, 2),
        date(2026, 4, 6),
        date(2026, 5, 4),
    ):
        PlanFactory.create(start_date=start)
    assert len(list(deadline_store._pk_ranges())) == 3
    OpenDeadline.objects.all().delete()
    assert deadline_store.rebuild() == 5  # a first review each
    assert deadline_store.differences() == []


def test_paused_writers_leave_the_rows_to_the_rebuild():
    with deadline_store.paused():
        PlanFactory.create(start_date=date(2026, 1, 5))
        assert not OpenDeadline.objects.exists()
    deadline_store.rebuild()
    assert OpenDeadline.objects.count() == 1


def test_a_database_from_before_the_rows_gets_them_when_migrated():
    PlanFactory.create(start_date=date(2026, 1, 5))
    OpenDeadline.objects.all().delete()  # as made by a version without them
    call_command("migrate", verbosity=0)
    assert OpenDeadline.objects.count() == 1
    assert deadline_store.differences() == []
