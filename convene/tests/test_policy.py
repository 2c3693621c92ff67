from datetime import date

import pytest
from django.http import Http404

from convene import policy
from convene.testing.factories import ChildFactory, InvolvementFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    "persona",
    ["administrator", "chair", "senior_manager", "data_officer"],
)
def test_authority_wide_roles_see_every_child(persona, request, child):
    user = request.getfixturevalue(persona)
    other = ChildFactory.create()
    assert set(policy.visible_children(user, today=TODAY)) == {child, other}


def test_a_social_worker_sees_only_the_children_allocated_to_them(social_worker, child):
    ChildFactory.create()  # someone else's
    assert list(policy.visible_children(social_worker, today=TODAY)) == [child]


def test_a_team_manager_sees_the_children_of_their_team(team_manager, child):
    ChildFactory.create()
    assert list(policy.visible_children(team_manager, today=TODAY)) == [child]


def test_a_professional_sees_children_they_work_with(police_officer, child_known_to_police):
    ChildFactory.create()
    assert list(policy.visible_children(police_officer, today=TODAY)) == [child_known_to_police]


def test_a_professional_loses_sight_of_a_child_once_their_work_has_ended(
    police_officer, child_known_to_police
):
    child_known_to_police.involvements.update(ended=date(2026, 11, 1))
    visible = policy.visible_children
    assert not visible(police_officer, today=TODAY).filter(pk=child_known_to_police.pk).exists()
    assert visible(police_officer, today=date(2026, 10, 1)).filter(pk=child_known_to_police.pk)


@pytest.mark.parametrize("persona", ["outsider", "system_administrator", "police_officer"])
def test_child_for_raises_404_for_someone_who_may_not_see_the_child(persona, request, child):
    user = request.getfixturevalue(persona)
    with pytest.raises(Http404):
        policy.child_for(user, child.pk, today=TODAY)


def test_an_inactive_user_has_no_capabilities(chair):
    chair.is_active = False
    assert policy.capabilities(chair) == frozenset()


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("system_administrator", True),
        ("team_manager", True),
        ("social_worker", False),
        ("chair", False),
        ("administrator", False),
        ("outsider", False),
    ],
)
def test_who_may_read_a_childs_audit_trail(persona, allowed, request, child):
    user = request.getfixturevalue(persona)
    assert policy.can_read_child_audit_trail(user, child, today=TODAY) is allowed


def test_a_team_manager_may_not_read_the_trail_of_another_teams_child(team_manager):
    other = ChildFactory.create()
    with pytest.raises(Http404):
        policy.child_audit_trail_for(team_manager, other.pk, today=TODAY)


def test_every_role_is_given_its_capabilities_explicitly():
    from convene.access.enums import Role

    assert set(policy.ROLE_CAPABILITIES) == set(Role)


def test_involvement_without_user_grants_nothing(outsider):
    InvolvementFactory.create()
    assert not policy.visible_children(outsider, today=TODAY).exists()
