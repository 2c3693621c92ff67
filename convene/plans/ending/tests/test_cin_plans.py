"""Child in need plans: seeing one, recording its reviews (at least every 12 weeks) and ending
it (London CP4 §10.10). Everyone here is invented."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from convene.access.models import AuditEvent
from convene.people.models import Professional
from convene.plans.models import ChildInNeedPlan, ChildInNeedPlanReview
from convene.testing.factories import ChildFactory, InvolvementFactory, PlanFactory

pytestmark = pytest.mark.django_db

NOW = "2026-04-15 10:00 +0100"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def following(child_known_to_police) -> ChildInNeedPlan:
    """A child in need plan following a child protection plan that ended on 2 March 2026."""
    plan = PlanFactory.create(
        child=child_known_to_police, start_date=date(2025, 9, 1), end_date=date(2026, 3, 2)
    )
    return ChildInNeedPlan.objects.create(
        child=plan.child, start_date=date(2026, 3, 2), follows=plan
    )


@pytest.fixture
def decided(child_known_to_police, social_worker, police_officer) -> ChildInNeedPlan:
    """A child in need plan decided at a conference, with no child protection plan, for Mina's
    brother (the same social worker; the police officer works with him too)."""
    brother = ChildFactory.create(
        first_name="Gethin", household=child_known_to_police.household, social_worker=social_worker
    )
    InvolvementFactory.create(
        professional=Professional.objects.get(user=police_officer), child=brother
    )
    return ChildInNeedPlan.objects.create(child=brother, start_date=date(2026, 3, 2))


def _review(client, cin_plan, day="14", month="4"):
    return client.post(
        reverse("plans:cin-plan-review", args=[cin_plan.pk]),
        {"date_day": day, "date_month": month, "date_year": "2026"},
        follow=True,
    )


def _end(client, cin_plan, day="15", month="4"):
    return client.post(
        reverse("plans:cin-plan-end", args=[cin_plan.pk]),
        {"end_date_day": day, "end_date_month": month, "end_date_year": "2026"},
        follow=True,
    )


def test_the_plan_shows_when_its_next_review_is_due(following, social_worker, as_user):
    page = as_user(social_worker).get(reverse("plans:cin-plan", args=[following.pk]))
    text = page.content.decode()
    assert "Monday 25 May 2026" in text and "12 weeks after" in text
    assert "when the child protection plan from 1 September 2025 ended" in text
    assert "Record a review" in text


def test_the_social_worker_records_a_review_and_the_next_is_due_12_weeks_on(
    following, social_worker, as_user
):
    page = _review(as_user(social_worker), following).content.decode()
    assert "The review on 14 April 2026 is recorded" in page
    assert "Tuesday 7 July 2026" in page
    assert ChildInNeedPlanReview.objects.get().date == date(2026, 4, 14)
    assert AuditEvent.objects.filter(
        child=following.child, reason__startswith="Child in need plan review recorded"
    ).exists()


@pytest.mark.parametrize(
    ("day", "month", "words"),
    [
        ("16", "4", "must be today or in the past"),
        ("1", "3", "must be on or after 2 March 2026"),
    ],
    ids=["in the future", "before the plan"],
)
def test_a_review_outside_the_plan_is_refused(following, social_worker, as_user, day, month, words):
    assert words in _review(as_user(social_worker), following, day, month).content.decode()
    assert not ChildInNeedPlanReview.objects.exists()


def test_a_review_is_recorded_once_for_a_day(following, social_worker, as_user):
    client = as_user(social_worker)
    _review(client, following)
    assert "already recorded" in _review(client, following).content.decode()
    assert ChildInNeedPlanReview.objects.count() == 1


def test_the_team_manager_ends_the_plan(following, team_manager, as_user):
    page = _end(as_user(team_manager), following).content.decode()
    assert "The child in need plan ended on 15 April 2026" in page
    following.refresh_from_db()
    assert following.end_date == date(2026, 4, 15)
    assert "End the child in need plan</a>" not in page
    again = _end(as_user(team_manager), following, day="14").content.decode()
    assert "already ended, on 15 April 2026" in again


def test_a_plan_does_not_end_before_its_last_review(following, social_worker, as_user):
    client = as_user(social_worker)
    _review(client, following)
    assert "on or after its last review" in _end(client, following, day="13").content.decode()
    following.refresh_from_db()
    assert following.end_date is None


@pytest.mark.parametrize("persona", ["chair", "police_officer", "senior_manager"])
def test_others_may_see_the_plan_but_not_keep_it(following, decided, as_user, request, persona):
    client = as_user(request.getfixturevalue(persona))
    for cin_plan in (following, decided):
        page = client.get(reverse("plans:cin-plan", args=[cin_plan.pk]))
        assert page.status_code == 200
        assert "Record a review" not in page.content.decode()
        assert _review(client, cin_plan).status_code == 404
        assert _end(client, cin_plan).status_code == 404
    assert not ChildInNeedPlanReview.objects.exists()


def test_a_plan_decided_at_a_conference_is_kept_by_those_who_record_enquiries(
    decided, social_worker, team_manager, as_user
):
    assert _review(as_user(social_worker), decided).status_code == 200
    assert _end(as_user(team_manager), decided).status_code == 200
    decided.refresh_from_db()
    assert decided.end_date == date(2026, 4, 15)


def test_anyone_who_may_not_see_the_child_finds_no_plan(following, decided, outsider, as_user):
    client = as_user(outsider)
    for cin_plan in (following, decided):
        assert client.get(reverse("plans:cin-plan", args=[cin_plan.pk])).status_code == 404


def test_the_childs_record_links_to_their_child_in_need_plans(following, social_worker, as_user):
    page = as_user(social_worker).get(reverse("people:child-detail", args=[following.child_id]))
    assert reverse("plans:cin-plan", args=[following.pk]) in page.content.decode()
