"""A plan's reviews between conferences: when the next is due and booking it, bringing it
forward (London CP4 §1.23) and the birth after a pre-birth conference (§1.21). Everyone here is
invented."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from convene.access.models import AuditEvent
from convene.conferences.enums import ConferenceStatus, ConferenceType, Route
from convene.core.services import Actor, ServiceError
from convene.people.enums import Sex
from convene.plans.enums import BroughtForwardReason
from convene.plans.models import Plan, ReviewBroughtForward
from convene.plans.reviews import services
from convene.plans.reviews.selectors import review_state
from convene.plans.reviews.views import plan_links
from convene.returns import deadline_store
from convene.testing.factories import (
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    PlanFactory,
    PlanReviewFactory,
)
from convene.timescales import get_profile

pytestmark = pytest.mark.django_db

# Wednesday 15 April 2026; the plan started on Monday 2 March, its first review due 2 June.
TODAY = date(2026, 4, 15)
NOW = "2026-04-15 10:00 +0100"
LONDON = get_profile("london")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def plan(child_known_to_police) -> Plan:
    return PlanFactory.create(child=child_known_to_police, start_date=date(2026, 3, 2))


def _forward(client, plan: Plan, **changes):
    data = {
        "reason": BroughtForwardReason.NEW_INCIDENT.value,
        "details": "Police were called to the home on 12 April 2026.",
        "due_day": "30",
        "due_month": "4",
        "due_year": "2026",
        "version": plan.version,
    } | changes
    return client.post(reverse("plans:review-bring-forward", args=[plan.pk]), data)


# When the next review is due, and booking it -------------------------------------------------


def test_the_review_page_shows_when_the_first_review_is_due(plan, social_worker, as_user):
    page = as_user(social_worker).get(reverse("plans:review", args=[plan.pk])).content.decode()
    assert "Tuesday 2 June 2026" in page
    assert "3 months after the initial conference" in page


def test_an_administrator_books_the_review_with_the_child_chosen(plan, administrator, as_user):
    client = as_user(administrator)
    page = client.get(reverse("plans:review", args=[plan.pk])).content.decode()
    book = reverse("conferences:start-route", args=[plan.child_id, Route.REVIEW])
    assert f'href="{book}"' in page and "Book the review conference" in page
    start = client.get(book)
    assert start.status_code == 200
    assert plan.child.display_name in start.content.decode()


def test_a_social_worker_cannot_book_the_review_but_is_told_who_does(plan, social_worker, as_user):
    page = as_user(social_worker).get(reverse("plans:review", args=[plan.pk])).content.decode()
    assert "Book the review conference" not in page
    assert "social care manager books it" in page


def test_a_review_already_arranged_is_shown_instead_of_booking_another(
    plan, administrator, as_user
):
    conference = ConferenceFactory.create(
        type=ConferenceType.REVIEW,
        route=Route.REVIEW,
        status=ConferenceStatus.SCHEDULED,
        date=date(2026, 5, 20),
    )
    ConferenceChildFactory.create(conference=conference, child=plan.child)
    page = as_user(administrator).get(reverse("plans:review", args=[plan.pk])).content.decode()
    assert "arranged for Wednesday 20 May 2026" in page
    assert "Book the review conference" not in page
    assert reverse("conferences:detail", args=[conference.pk]) in page


def test_anyone_who_may_not_see_the_child_finds_no_review_page(plan, outsider, as_user):
    assert as_user(outsider).get(reverse("plans:review", args=[plan.pk])).status_code == 404


# Bringing the review forward (§1.23) ---------------------------------------------------------


def test_the_social_worker_brings_the_review_forward(plan, social_worker, as_user):
    client = as_user(social_worker)
    response = _forward(client, plan)
    assert response.status_code == 302
    row = ReviewBroughtForward.objects.get()
    assert (row.due, row.recorded_on, row.recorded_by, row.reason) == (
        date(2026, 4, 30),
        TODAY,
        social_worker,
        BroughtForwardReason.NEW_INCIDENT,
    )
    assert AuditEvent.objects.filter(
        child=plan.child, reason__startswith="Review conference brought forward to 30 April 2026"
    ).exists()
    page = client.get(reverse("plans:review", args=[plan.pk])).content.decode()
    assert "Thursday 30 April 2026" in page and "Brought forward from 2 June 2026" in page


def test_the_conference_administrator_may_bring_the_review_forward(plan, administrator, as_user):
    assert _forward(as_user(administrator), plan).status_code == 302


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"due_day": "14"}, "must be today or in the future"),
        ({"due_day": "2", "due_month": "6"}, "must be before 2 June 2026"),
        ({"details": ""}, "Enter what has happened, in plain words"),
        ({"reason": "because"}, "Select a valid choice"),
    ],
    ids=["in the past", "not before the due date", "no details", "no such reason"],
)
def test_a_review_is_not_brought_forward_to_a_date_that_does_not_help(
    plan, social_worker, as_user, changes, message
):
    page = _forward(as_user(social_worker), plan, **changes).content.decode()
    assert message in page
    assert not ReviewBroughtForward.objects.exists()


def test_a_later_date_does_not_undo_a_review_brought_forward(plan, social_worker, as_user):
    client = as_user(social_worker)
    _forward(client, plan)
    plan.refresh_from_db()
    page = _forward(client, plan, due_day="20", due_month="5").content.decode()
    assert "must be before 30 April 2026" in page
    assert ReviewBroughtForward.objects.count() == 1


def test_a_review_is_not_brought_forward_for_an_ended_plan(plan, social_worker, as_user):
    Plan.objects.filter(pk=plan.pk).update(end_date=date(2026, 4, 1))
    deadline_store.refresh_for(plan)
    page = _forward(as_user(social_worker), plan).content.decode()
    assert "This plan ended on 1 April 2026" in page
    assert not ReviewBroughtForward.objects.exists()


def test_a_plan_another_authority_held_is_not_reviewed_here(social_worker, child):
    plan = PlanFactory.create(child=child, start_date=date(2026, 3, 2), other_authority=True)
    with pytest.raises(ServiceError, match="another authority"):
        services.review_bring_forward(
            plan=plan,
            version=plan.version,
            reason=BroughtForwardReason.OTHER,
            details="Invented",
            due=date(2026, 4, 30),
            today=TODAY,
            profile=LONDON,
            by=Actor(social_worker),
        )


def test_a_review_brought_forward_from_a_stale_page_is_refused(plan, social_worker, as_user):
    Plan.objects.filter(pk=plan.pk).update(version=plan.version + 1)
    page = _forward(as_user(social_worker), plan).content.decode()
    assert "This changed since you opened it" in page
    assert not ReviewBroughtForward.objects.exists()


def test_after_a_review_the_earlier_date_no_longer_holds(plan, social_worker):
    services.review_bring_forward(
        plan=plan,
        version=plan.version,
        reason=BroughtForwardReason.CORE_GROUP_REQUEST,
        details="The core group asked on 14 April 2026.",
        due=date(2026, 4, 30),
        today=TODAY,
        profile=LONDON,
        by=Actor(social_worker),
    )
    PlanReviewFactory.create(plan=plan, date=date(2026, 4, 29))
    assert review_state(plan, LONDON).due.due == date(2026, 10, 29)


@pytest.mark.parametrize("persona", ["chair", "police_officer", "senior_manager", "outsider"])
def test_only_the_lead_social_worker_their_manager_and_administrators_bring_it_forward(
    plan, as_user, request, persona
):
    client = as_user(request.getfixturevalue(persona))
    url = reverse("plans:review-bring-forward", args=[plan.pk])
    assert client.get(url).status_code == 404
    assert _forward(client, plan).status_code == 404
    assert not ReviewBroughtForward.objects.exists()


# The birth after a pre-birth conference (§1.21) ----------------------------------------------


@pytest.fixture
def unborn_plan(social_worker) -> Plan:
    baby = ChildFactory.create(
        first_name="",
        last_name="Example",
        date_of_birth=None,
        expected_date_of_birth=date(2026, 5, 1),
        sex=Sex.UNKNOWN,
        social_worker=social_worker,
    )
    return PlanFactory.create(child=baby, start_date=date(2026, 2, 2))


def _birth(client, plan: Plan, **changes):
    data = {
        "date_of_birth_day": "10",
        "date_of_birth_month": "4",
        "date_of_birth_year": "2026",
        "mother_unwell": "yes",
        "first_name": "Robin",
        "sex": Sex.FEMALE.value,
        "version": plan.version,
    } | changes
    return client.post(reverse("plans:birth", args=[plan.pk]), data)


def test_the_social_worker_records_the_birth(unborn_plan, social_worker, as_user):
    client = as_user(social_worker)
    form = client.get(reverse("plans:birth", args=[unborn_plan.pk])).content.decode()
    assert "expected on 1 May 2026" in form and "10 days after the baby" in form
    assert _birth(client, unborn_plan).status_code == 302
    unborn_plan.refresh_from_db()
    baby = unborn_plan.child
    baby.refresh_from_db()
    assert (baby.date_of_birth, baby.first_name, baby.sex) == (date(2026, 4, 10), "Robin", "F")
    assert unborn_plan.mother_unwell_after_birth is True
    assert baby.expected_date_of_birth == date(2026, 5, 1)
    assert AuditEvent.objects.filter(child=baby, reason__startswith="Birth recorded").exists()


def test_a_birth_with_only_its_date_keeps_the_rest_as_it_was(unborn_plan, social_worker, as_user):
    _birth(as_user(social_worker), unborn_plan, mother_unwell="no", first_name="", sex="")
    unborn_plan.refresh_from_db()
    baby = unborn_plan.child
    baby.refresh_from_db()
    assert (baby.date_of_birth, baby.first_name, baby.sex) == (date(2026, 4, 10), "", "U")
    assert unborn_plan.mother_unwell_after_birth is False


def test_a_birth_in_the_future_is_refused(unborn_plan, social_worker, as_user):
    page = _birth(as_user(social_worker), unborn_plan, date_of_birth_day="16").content.decode()
    assert "The date of birth must be today or in the past" in page
    unborn_plan.child.refresh_from_db()
    assert unborn_plan.child.date_of_birth is None


def test_a_birth_is_recorded_once(unborn_plan, social_worker, as_user):
    client = as_user(social_worker)
    _birth(client, unborn_plan)
    unborn_plan.refresh_from_db()
    again = _birth(client, unborn_plan, date_of_birth_day="11").content.decode()
    assert "birth is already recorded" in again
    unborn_plan.child.refresh_from_db()
    assert unborn_plan.child.date_of_birth == date(2026, 4, 10)


def test_there_is_no_birth_to_record_for_a_child_already_born(plan, social_worker, as_user):
    page = as_user(social_worker).get(reverse("plans:birth", args=[plan.pk])).content.decode()
    assert "was born on 1 June 2018" in page
    assert "<form" not in page.split("</header>")[1].split("</main>")[0]


@pytest.mark.parametrize("persona", ["chair", "administrator", "senior_manager"])
def test_only_the_lead_social_worker_and_their_manager_record_the_birth(
    unborn_plan, as_user, request, persona
):
    client = as_user(request.getfixturevalue(persona))
    assert _birth(client, unborn_plan).status_code == 404
    unborn_plan.child.refresh_from_db()
    assert unborn_plan.child.date_of_birth is None


def test_an_overdue_review_is_booked_rather_than_brought_forward(social_worker, child, as_user):
    late = PlanFactory.create(child=child, start_date=date(2025, 10, 1))
    page = as_user(social_worker).get(reverse("plans:review-bring-forward", args=[late.pk]))
    text = page.content.decode()
    assert "already overdue, so it cannot be brought forward" in text
    assert 'name="due_day"' not in text


def test_the_plan_page_is_offered_the_review_links_each_person_may_use(
    unborn_plan, social_worker, chair
):
    links = dict(plan_links(social_worker, unborn_plan, today=TODAY))
    assert links == {
        "Reviews": reverse("plans:review", args=[unborn_plan.pk]),
        "Bring the review forward": reverse("plans:review-bring-forward", args=[unborn_plan.pk]),
        "Record the birth": reverse("plans:birth", args=[unborn_plan.pk]),
    }
    assert [text for text, _url in plan_links(chair, unborn_plan, today=TODAY)] == ["Reviews"]
