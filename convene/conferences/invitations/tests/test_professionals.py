"""Inviting professionals: each child's lead social worker by default, and anyone from any
agency, who is then linked to the children."""

from __future__ import annotations

from datetime import date, time

import pytest

from convene.access.models import AuditEvent, User
from convene.conferences.enums import ConferenceStatus, InviteeRole, MeetingMode
from convene.conferences.invitations import professionals, services
from convene.conferences.models import Conference, Invitation
from convene.core.services import Actor, ServiceError
from convene.people.enums import AgencyType
from convene.people.models import Child
from convene.testing.factories import (
    AgencyFactory,
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    InvolvementFactory,
    ProfessionalFactory,
)

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 10)


@pytest.fixture
def conference(chair: User, child: Child) -> Conference:
    conference = ConferenceFactory.create(
        status=ConferenceStatus.SCHEDULED,
        date=DAY,
        starts_at=time(10, 0),
        ends_at=time(12, 0),
        mode=MeetingMode.IN_PERSON,
        venue="Room 2, Civic Centre, Northmoor",
        chair=chair,
    )
    ConferenceChildFactory.create(conference=conference, child=child)
    return conference


def _lead(conference: Conference, by: User) -> list[Invitation]:
    return professionals.invitations_add_lead_social_workers(conference=conference, by=Actor(by))


# The lead social worker, invited by default -----------------------------------------------


def test_the_lead_social_worker_is_invited_as_children_social_care(
    conference, administrator, social_worker, child
):
    added = _lead(conference, administrator)
    assert len(added) == 1
    invitation = added[0]
    assert invitation.role == InviteeRole.PROFESSIONAL
    assert invitation.professional is not None
    assert invitation.professional.user == social_worker
    assert invitation.agency is not None and invitation.agency == social_worker.agency
    assert invitation.agency.type == AgencyType.CHILDRENS_SOCIAL_CARE
    assert invitation.email == social_worker.email
    event = AuditEvent.objects.get(object_id=str(invitation.pk), child=child)
    assert event.reason == "Invited as the lead social worker for Mina Example"


def test_inviting_the_lead_social_workers_again_changes_nothing(conference, administrator):
    _lead(conference, administrator)
    again = _lead(conference, administrator)
    assert again == []
    assert conference.invitations.count() == 1


def test_one_social_worker_for_two_children_is_invited_once(
    conference, administrator, social_worker
):
    ConferenceChildFactory.create(
        conference=conference, child=ChildFactory.create(social_worker=social_worker)
    )
    added = _lead(conference, administrator)
    assert len(added) == 1


def test_a_social_worker_with_a_professional_record_is_invited_as_it(
    conference, administrator, social_worker
):
    record = ProfessionalFactory.create(
        agency=social_worker.agency, user=social_worker, name="Sol Tester"
    )
    [invitation] = _lead(conference, administrator)
    assert invitation.professional == record


def test_no_one_is_invited_for_a_child_with_no_social_worker_or_to_a_held_conference(
    conference, administrator, child
):
    Child.objects.filter(pk=child.pk).update(social_worker=None)
    assert _lead(conference, administrator) == []
    held = ConferenceFactory.create(status=ConferenceStatus.HELD)
    ConferenceChildFactory.create(conference=held, child=ChildFactory.create())
    assert _lead(held, administrator) == []


def test_a_present_lead_social_worker_makes_children_social_care_present(conference, administrator):
    from convene.conferences.enums import Attendance
    from convene.conferences.selectors import conference_quorum

    [invitation] = _lead(conference, administrator)
    assert not conference_quorum(conference)[0].quorum.csc_present
    Invitation.objects.filter(pk=invitation.pk).update(attendance=Attendance.PRESENT)
    assert conference_quorum(conference)[0].quorum.csc_present


def test_a_lead_social_worker_not_yet_invited_is_suggested_and_invited(
    conference, administrator, social_worker
):
    [suggestion] = [
        s
        for s in services.invitation_suggestions(conference=conference, today=DAY)
        if s.worker is not None
    ]
    [invitation] = services.invitations_add_suggested(
        conference=conference, keys=[suggestion.key], today=DAY, by=Actor(administrator)
    )
    assert invitation.professional is not None
    assert invitation.professional.user == social_worker
    assert not [
        s
        for s in services.invitation_suggestions(conference=conference, today=DAY)
        if s.worker is not None
    ]


# Any professional of any agency -------------------------------------------------------------


@pytest.fixture
def police_force():
    return AgencyFactory.create(name="Testshire Police", type=AgencyType.POLICE)


def _invite_professional(conference, agency, who, administrator, role="Investigating officer"):
    return professionals.invitation_add_professional(
        conference=conference,
        agency=agency,
        who=who,
        role=role,
        today=DAY,
        by=Actor(administrator),
    )


def test_a_police_officer_with_no_link_to_the_child_is_invited_and_linked(
    conference, administrator, child, police_force
):
    from convene.people.models import Involvement

    officer = ProfessionalFactory.create(agency=police_force, job_title="Detective constable")
    invitation = _invite_professional(conference, police_force, officer, administrator)
    assert invitation.professional == officer
    assert invitation.agency == police_force
    assert invitation.role == InviteeRole.PROFESSIONAL
    link = Involvement.objects.get(professional=officer, child=child)
    assert (link.role, link.started, link.ended) == ("Investigating officer", DAY, None)
    trail = AuditEvent.objects.get(
        child=child, object_type="people.Involvement", object_id=str(link.pk)
    )
    assert "linked to Mina Example as Investigating officer" in trail.reason
    assert AuditEvent.objects.filter(
        child=child, object_type="conferences.Invitation", object_id=str(invitation.pk)
    ).exists()


def test_their_role_with_the_children_is_needed_when_they_do_not_work_with_them(
    conference, administrator, police_force
):
    officer = ProfessionalFactory.create(agency=police_force)
    with pytest.raises(ServiceError) as refused:
        _invite_professional(conference, police_force, officer, administrator, role=" ")
    assert refused.value.field == "role"
    assert "Enter their role with Mina Example" in refused.value.message
    assert not conference.invitations.exists()


def test_someone_already_working_with_the_child_keeps_their_role(
    conference, administrator, child, police_force
):
    officer = ProfessionalFactory.create(agency=police_force)
    InvolvementFactory.create(professional=officer, child=child, role="Child abuse officer")
    _invite_professional(conference, police_force, officer, administrator, role="")
    assert list(officer.involvements.values_list("role", flat=True)) == ["Child abuse officer"]


def test_someone_who_signs_in_is_given_a_professional_record_and_then_sees_the_conference(
    conference, administrator, child, police_officer, police
):
    from convene import policy

    invitation = _invite_professional(conference, police, police_officer, administrator)
    assert invitation.professional is not None
    assert invitation.professional.user == police_officer
    assert invitation.professional.agency == police
    assert policy.conference_for(police_officer, conference.pk, today=DAY)
    assert policy.child_for(police_officer, child.pk, today=DAY) == child


def test_someone_new_to_convene_is_added_to_their_agency_and_invited(
    conference, administrator, police_force
):
    new = professionals.NewProfessional("Robin Example", "Police sergeant", "robin@police.example")
    invitation = _invite_professional(conference, police_force, new, administrator)
    professional = invitation.professional
    assert professional is not None
    assert (professional.name, professional.job_title, professional.agency) == (
        "Robin Example",
        "Police sergeant",
        police_force,
    )
    assert invitation.email == "robin@police.example"


def test_someone_from_another_agency_is_refused(conference, administrator, police_force):
    nurse = ProfessionalFactory.create()
    with pytest.raises(ServiceError, match="Select someone from Testshire Police"):
        _invite_professional(conference, police_force, nurse, administrator)


def test_no_one_is_invited_to_a_held_conference(conference, administrator, police_force):
    Conference.objects.filter(pk=conference.pk).update(status=ConferenceStatus.HELD)
    conference.refresh_from_db()
    officer = ProfessionalFactory.create(agency=police_force)
    with pytest.raises(ServiceError, match="only to a conference being arranged or scheduled"):
        _invite_professional(conference, police_force, officer, administrator)
    assert not officer.involvements.exists()
