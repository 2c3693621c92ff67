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


# The police report and invitations: access follows the person's relationship to the
# conference (invited, the report's author, the chair), not their agency alone -------------


@pytest.fixture
def police_conference(child, chair):
    from convene.conferences.enums import ConferenceStatus
    from convene.testing.factories import ConferenceChildFactory, ConferenceFactory

    conference = ConferenceFactory.create(
        status=ConferenceStatus.SCHEDULED, date=date(2026, 12, 14), chair=chair
    )
    ConferenceChildFactory.create(conference=conference, child=child)
    return conference


@pytest.fixture
def police_report(police_conference, police):
    from convene.conferences.enums import ReportKind
    from convene.testing.factories import ReportFactory

    return ReportFactory.create(conference=police_conference, agency=police, kind=ReportKind.POLICE)


def _invite(conference, professional, **fields):
    from convene.testing.factories import InvitationFactory

    return InvitationFactory.create(
        conference=conference, professional=professional, email=professional.email, **fields
    )


def _may_open(user, report):
    try:
        policy.report_for(user, report.pk, today=TODAY)
    except Http404:
        return False
    return True


def test_a_police_officer_invited_as_themselves_sees_the_conference_and_the_police_report(
    police_officer, police, police_conference, police_report
):
    from convene.testing.factories import ProfessionalFactory

    _invite(police_conference, ProfessionalFactory.create(agency=police, user=police_officer))
    assert policy.conference_for(police_officer, police_conference.pk, today=TODAY)
    assert _may_open(police_officer, police_report)
    policy.report_for(police_officer, police_report.pk, today=TODAY, action="save_draft")


def test_a_police_officer_invited_at_their_own_address_sees_the_conference(
    police_officer, police, police_conference, police_report
):
    """An imported professional record is not linked to the officer's account; the invitation
    went to their sign-in address, for their agency: it is them."""
    from convene.testing.factories import ProfessionalFactory

    imported = ProfessionalFactory.create(agency=police, email=police_officer.email.upper())
    _invite(police_conference, imported)
    assert policy.conference_for(police_officer, police_conference.pk, today=TODAY)
    assert _may_open(police_officer, police_report)


def test_an_invitation_at_their_address_for_another_agency_or_as_a_guest_grants_nothing(
    police_officer, police_conference, police_report
):
    from convene.testing.factories import InvitationFactory, ProfessionalFactory

    health_record = ProfessionalFactory.create(email=police_officer.email)
    _invite(police_conference, health_record)
    InvitationFactory.create(
        conference=police_conference,
        role="observer",
        professional=None,
        agency=None,
        name="Pip",
        email=police_officer.email,
    )
    with pytest.raises(Http404):
        policy.conference_for(police_officer, police_conference.pk, today=TODAY)
    assert not _may_open(police_officer, police_report)


def test_a_police_officer_who_works_with_the_child_but_is_not_invited_may_not_open_the_report(
    police_officer, child_known_to_police, police_conference, police_report
):
    # They see the conference (they work with the child), but the report is the invited
    # officer's and the chair's (London CP4 §7.10).
    assert policy.conference_for(police_officer, police_conference.pk, today=TODAY)
    assert not _may_open(police_officer, police_report)


def test_an_officer_of_the_force_with_no_link_to_the_conference_may_not_open_the_report(
    police_officer, police_conference, police_report
):
    assert not _may_open(police_officer, police_report)
    with pytest.raises(Http404):
        policy.conference_for(police_officer, police_conference.pk, today=TODAY)


def test_the_author_of_a_police_report_may_still_open_it(
    police_officer, child_known_to_police, police_conference, police_report
):
    police_report.author = police_officer
    police_report.save()
    assert _may_open(police_officer, police_report)


def test_the_police_report_stays_hidden_from_an_invited_professional_of_another_agency(
    police_conference, police_report
):
    from convene.access.enums import Role
    from convene.testing.factories import ProfessionalFactory, UserFactory

    nurse = UserFactory.create(roles=[Role.AGENCY_PROFESSIONAL])
    _invite(police_conference, ProfessionalFactory.create(agency=nurse.agency, user=nurse))
    assert policy.conference_for(nurse, police_conference.pk, today=TODAY)
    assert not _may_open(nurse, police_report)
