from datetime import date

import pytest
from django.urls import reverse

from convene.access.enums import AuditVerb
from convene.access.models import AuditEvent
from convene.conferences.enums import ChildOutcome
from convene.plans.enums import Category
from convene.testing.factories import (
    ChildFactory,
    ConferenceChildFactory,
    EnquiryFactory,
    PlanFactory,
    PlanReviewFactory,
    RelationshipFactory,
)
from convene.testing.pages import count_queries, main_content

pytestmark = pytest.mark.django_db


def test_opening_a_childs_record_writes_an_audit_row(as_user, social_worker, child):
    response = as_user(social_worker).get(
        reverse("people:child-detail", args=[child.pk]), REMOTE_ADDR="192.0.2.10"
    )
    assert response.status_code == 200
    event = AuditEvent.objects.get(verb=AuditVerb.VIEWED_CHILD)
    assert (event.actor, event.child, event.ip_address) == (social_worker, child, "192.0.2.10")


@pytest.mark.parametrize("persona", ["outsider", "system_administrator", "police_officer"])
def test_a_childs_record_is_not_found_for_someone_without_access(as_user, persona, request, child):
    user = request.getfixturevalue(persona)
    response = as_user(user).get(reverse("people:child-detail", args=[child.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(verb=AuditVerb.VIEWED_CHILD).exists()


def test_a_missing_child_and_a_forbidden_child_look_the_same(as_user, outsider, child):
    forbidden = as_user(outsider).get(reverse("people:child-detail", args=[child.pk]))
    missing = as_user(outsider).get(reverse("people:child-detail", args=[child.pk + 999]))
    assert forbidden.status_code == missing.status_code == 404
    assert main_content(forbidden) == main_content(missing)


def test_the_record_shows_parents_and_the_social_worker(as_user, chair, child, social_worker):
    RelationshipFactory.create(child=child, adult__first_name="Robin", adult__last_name="Example")
    body = as_user(chair).get(reverse("people:child-detail", args=[child.pk])).content.decode()
    assert "Robin Example" in body
    assert "has parental responsibility" in body
    assert social_worker.get_full_name() in body


def test_an_unborn_child_is_shown_with_the_expected_date(as_user, chair):
    unborn = ChildFactory.create(
        first_name="", last_name="Example", date_of_birth=None, expected_date_of_birth="2027-03-10"
    )
    body = as_user(chair).get(reverse("people:child-detail", args=[unborn.pk])).content.decode()
    assert "Unborn baby Example" in body
    assert "10 March 2027" in body


def test_the_children_list_shows_only_children_the_user_may_see(as_user, social_worker, child):
    ChildFactory.create(first_name="Hidden")
    body = as_user(social_worker).get(reverse("people:child-list")).content.decode()
    assert child.first_name in body
    assert "Hidden" not in body


def test_the_children_list_searches_by_name_and_id(as_user, chair, child):
    ChildFactory.create(first_name="Other")
    body = as_user(chair).get(reverse("people:child-list"), {"q": child.la_child_id}).content
    assert child.first_name in body.decode() and "Other" not in body.decode()
    none = as_user(chair).get(reverse("people:child-list"), {"q": "zzz"}).content.decode()
    assert "No children match" in none


def test_the_children_list_keeps_a_constant_number_of_queries(as_user, chair):
    client = as_user(chair)
    ChildFactory.create_batch(3)
    few = count_queries(client, reverse("people:child-list"))
    ChildFactory.create_batch(40)
    assert count_queries(client, reverse("people:child-list")) == few


@pytest.mark.parametrize("pk", ["99999999999999999999999", "-1", "1e3"])
def test_an_impossible_child_id_is_not_found(as_user, chair, pk):
    assert as_user(chair).get(f"/children/{pk}/").status_code == 404


def test_the_record_shows_the_childs_plans_conferences_and_enquiries(as_user, chair, child):
    enquiry = EnquiryFactory.create(child=child, episode__child=child)
    place = ConferenceChildFactory.create(
        child=child,
        enquiry=enquiry,
        outcome=ChildOutcome.CP_PLAN,
        conference__date=date(2025, 6, 20),
    )
    PlanFactory.create(
        child=child,
        start_date=date(2021, 2, 1),
        end_date=date(2022, 2, 1),
        latest_category=Category.EMOTIONAL,
    )
    plan = PlanFactory.create(
        child=child, start_date=date(2025, 6, 20), started_by=place.conference
    )
    PlanReviewFactory.create(plan=plan, date=date(2025, 9, 18))
    body = as_user(chair).get(reverse("people:child-detail", args=[child.pk])).content.decode()
    for text in ("20 Jun 2025", "18 Sep 2025", "1 Feb 2022", "Emotional abuse", "Neglect"):
        assert text in body
    assert "Initial child protection conference" in body
    assert "Child protection plan" in body
    assert "2 Jun 2025" in body  # the strategy discussion


def test_the_record_keeps_a_constant_number_of_queries(as_user, chair, child):
    client = as_user(chair)
    url = reverse("people:child-detail", args=[child.pk])
    PlanFactory.create(child=child, start_date=date(2014, 1, 5), end_date=date(2014, 6, 5))
    before = count_queries(client, url)
    for year in range(2015, 2025):
        plan = PlanFactory.create(
            child=child, start_date=date(year, 1, 5), end_date=date(year, 6, 5)
        )
        PlanReviewFactory.create(plan=plan, date=date(year, 4, 5))
        ConferenceChildFactory.create(child=child, conference__date=date(year, 1, 5))
    assert count_queries(client, url) == before


def test_a_search_with_a_nul_character_is_not_a_server_error(as_user, chair, child):
    # PostgreSQL refuses NUL in a query; the search drops it rather than failing.
    response = as_user(chair).get(reverse("people:child-list"), {"q": f"{child.first_name}\x00"})
    assert response.status_code == 200
    assert child.first_name in response.content.decode()


@pytest.mark.parametrize("persona", ["chair", "social_worker", "team_manager"])
def test_each_conference_on_the_record_links_to_the_conference(as_user, persona, request, child):
    held = ConferenceChildFactory.create(child=child, conference__date=date(2025, 6, 20))
    to_arrange = ConferenceChildFactory.create(
        child=child, conference__date=None, conference__status="to_arrange"
    )
    user = request.getfixturevalue(persona)
    body = as_user(user).get(reverse("people:child-detail", args=[child.pk])).content.decode()
    for place in (held, to_arrange):
        assert f'href="{reverse("conferences:detail", args=[place.conference.pk])}"' in body
    assert "Not arranged yet" in body


def test_a_conference_the_viewer_may_not_open_is_listed_as_plain_text(
    as_user, social_worker, child, monkeypatch
):
    from convene import policy

    place = ConferenceChildFactory.create(child=child, conference__date=date(2025, 6, 20))
    monkeypatch.setattr(policy, "allowed_pks", lambda *args, **kwargs: set())
    url = reverse("people:child-detail", args=[child.pk])
    body = as_user(social_worker).get(url).content.decode()
    assert "Initial child protection conference" in body
    assert reverse("conferences:detail", args=[place.conference.pk]) not in body


def test_the_record_keeps_a_constant_number_of_queries_for_a_social_worker(
    as_user, social_worker, child
):
    client = as_user(social_worker)
    url = reverse("people:child-detail", args=[child.pk])
    ConferenceChildFactory.create(child=child, conference__date=date(2014, 1, 5))
    before = count_queries(client, url)
    for year in range(2015, 2025):
        ConferenceChildFactory.create(child=child, conference__date=date(year, 1, 5))
    assert count_queries(client, url) == before
