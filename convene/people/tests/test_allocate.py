"""Allocating a child's social worker (issue 15): the team manager for their team's children,
the conference service for any child, a child with no social worker too. Audited; a change
someone else made meanwhile is refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from convene.access.enums import AuditVerb, Role
from convene.access.models import AuditEvent, User
from convene.core.services import Actor, StaleEdit
from convene.people import selectors, services
from convene.people.models import Child, Team
from convene.testing.factories import ChildFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(team: Team) -> User:
    return UserFactory.create(first_name="Col", team=team, roles=[Role.SOCIAL_WORKER])


@pytest.fixture
def elsewhere() -> User:
    """A social worker in a team the team manager does not manage."""
    return UserFactory.create(
        first_name="Far", team=TeamFactory.create(), roles=[Role.SOCIAL_WORKER]
    )


def test_the_conference_service_allocates_a_child_with_no_social_worker(
    as_user, administrator, social_worker, elsewhere
):
    child = ChildFactory.create(social_worker=None)
    client = as_user(administrator)
    record = client.get(reverse("people:child-detail", args=[child.pk])).content.decode()
    assert "Allocate a social worker" in record
    url = reverse("people:child-allocate", args=[child.pk])
    page = client.get(url).content.decode()
    assert social_worker.get_full_name() in page and elsewhere.get_full_name() in page
    response = client.post(url, {"social_worker": social_worker.pk, "was": ""})
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.social_worker == social_worker
    assert AuditEvent.objects.filter(
        verb=AuditVerb.CHANGED, reason__startswith="Allocated to", child=child
    ).exists()


def test_a_team_manager_reallocates_only_to_their_own_team(
    as_user, team_manager, social_worker, colleague, elsewhere, child
):
    client = as_user(team_manager)
    url = reverse("people:child-allocate", args=[child.pk])
    assert elsewhere.get_full_name() not in client.get(url).content.decode()
    refused = client.post(url, {"social_worker": elsewhere.pk, "was": social_worker.pk})
    assert "Select a social worker from the list" in refused.content.decode()
    client.post(url, {"social_worker": colleague.pk, "was": social_worker.pk})
    child.refresh_from_db()
    assert child.social_worker == colleague


@pytest.mark.parametrize("persona", ["social_worker", "chair", "police_officer", "outsider"])
def test_nobody_else_may_allocate(as_user, request, persona, child):
    url = reverse("people:child-allocate", args=[child.pk])
    assert as_user(request.getfixturevalue(persona)).get(url).status_code == 404
    record = reverse("people:child-detail", args=[child.pk])
    body = as_user(request.getfixturevalue(persona)).get(record).content.decode()
    assert url not in body


def test_a_change_made_meanwhile_is_refused_and_nothing_is_overwritten(
    administrator, social_worker, colleague, child
):
    workers = list(selectors.social_workers_to_allocate(administrator))
    # The page showed no social worker, but Sol was allocated since.
    with pytest.raises(StaleEdit):
        services.child_allocate(
            child=child,
            social_worker=colleague,
            was=None,
            allowed=workers,
            by=Actor(administrator),
        )
    assert Child.objects.get(pk=child.pk).social_worker == social_worker


def test_the_refusal_shows_on_the_page(as_user, administrator, social_worker, colleague, child):
    url = reverse("people:child-allocate", args=[child.pk])
    body = as_user(administrator).post(url, {"social_worker": colleague.pk, "was": ""})
    assert "This changed since you opened it" in body.content.decode()


def test_unallocated_children_are_on_the_conference_services_home_page(
    as_user, administrator, team_manager
):
    child = ChildFactory.create(first_name="Nobody", last_name="Allocated", social_worker=None)
    body = as_user(administrator).get(reverse("core:home")).content.decode()
    assert reverse("people:child-allocate", args=[child.pk]) in body
    body = as_user(team_manager).get(reverse("core:home")).content.decode()
    assert "Nobody Allocated" not in body
