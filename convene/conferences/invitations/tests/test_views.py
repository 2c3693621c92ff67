from __future__ import annotations

from datetime import date, time

import pytest
from django.urls import reverse

from convene.access.models import User
from convene.conferences.enums import (
    ConferenceStatus,
    Delivery,
    InviteeRole,
    MeetingMode,
    RecordingDecision,
    Response,
)
from convene.conferences.models import Conference, Invitation, RecordingRequest
from convene.notifications.models import SentMessage
from convene.people.models import Child
from convene.testing.factories import (
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    InvitationFactory,
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


@pytest.fixture
def invitation(conference: Conference) -> Invitation:
    return InvitationFactory.create(
        conference=conference, email="pat@health.example", delivery=Delivery.EMAIL
    )


@pytest.fixture
def letter_invitation(conference: Conference) -> Invitation:
    return InvitationFactory.create(
        conference=conference,
        role=InviteeRole.PARENT_CARER,
        professional=None,
        agency=None,
        name="Sam Example",
        delivery=Delivery.LETTER,
        address="1 Example Road\nTS1 1AA",
    )


@pytest.fixture
def observer(conference: Conference) -> Invitation:
    return InvitationFactory.create(
        conference=conference,
        role=InviteeRole.OBSERVER,
        professional=None,
        agency=None,
        name="Obi Observer",
        email="obi@university.example",
    )


def _urls(conference: Conference, invitation: Invitation, observer: Invitation) -> dict[str, str]:
    pk = conference.pk
    return {
        "list": reverse("conferences:invitations", args=[pk]),
        "add": reverse("conferences:invitations-add", args=[pk]),
        "add-other": reverse("conferences:invitations-add-other", args=[pk]),
        "send": reverse("conferences:invitations-send", args=[pk]),
        "edit": reverse("conferences:invitation-edit", args=[pk, invitation.pk]),
        "answer": reverse("conferences:invitation-response", args=[pk, invitation.pk]),
        "letter": reverse("conferences:invitation-letter", args=[pk, invitation.pk]),
        "consent": reverse("conferences:invitation-consent", args=[pk, observer.pk]),
        "recording": reverse("conferences:recording-requests", args=[pk]),
    }


ADMIN_ONLY = ["add", "add-other", "send", "edit", "answer", "letter"]
ADMIN_OR_CHAIR = ["list", "consent", "recording"]


@pytest.mark.parametrize("persona", ["social_worker", "police_officer", "outsider", "team_manager"])
def test_people_who_do_not_arrange_or_chair_get_404_on_every_page(
    request, persona, as_user, conference, invitation, observer
):
    client = as_user(request.getfixturevalue(persona))
    for name, url in _urls(conference, invitation, observer).items():
        assert client.get(url).status_code == 404, name


def test_the_chair_gets_404_on_the_administrators_pages(
    as_user, chair, conference, invitation, observer
):
    client = as_user(chair)
    urls = _urls(conference, invitation, observer)
    for name in ADMIN_ONLY:
        assert client.get(urls[name]).status_code == 404, name
    for name in ADMIN_OR_CHAIR:
        assert client.get(urls[name]).status_code == 200, name


def test_an_administrator_may_use_every_page(
    as_user, administrator, conference, invitation, observer
):
    client = as_user(administrator)
    for name, url in _urls(conference, invitation, observer).items():
        assert client.get(url).status_code == 200, name


def test_a_chair_of_another_conference_gets_404(as_user, conference, invitation, observer):
    from convene.access.enums import Role
    from convene.testing.factories import UserFactory

    other_chair = UserFactory.create(roles=[Role.CONFERENCE_CHAIR])
    client = as_user(other_chair)
    for name in ADMIN_OR_CHAIR:
        url = _urls(conference, invitation, observer)[name]
        assert client.get(url).status_code == 404, name


def test_an_invitation_of_another_conference_is_404(as_user, administrator, conference):
    elsewhere = InvitationFactory.create()
    url = reverse("conferences:invitation-edit", args=[conference.pk, elsewhere.pk])
    assert as_user(administrator).get(url).status_code == 404


def test_consent_page_is_404_for_someone_who_is_not_an_observer(
    as_user, administrator, conference, invitation
):
    url = reverse("conferences:invitation-consent", args=[conference.pk, invitation.pk])
    assert as_user(administrator).get(url).status_code == 404


def test_the_add_page_shows_guidance_by_age_and_warns_about_police(
    as_user, administrator, conference
):
    ConferenceChildFactory.create(
        conference=conference,
        child=ChildFactory.create(first_name="Twelve", date_of_birth=date(2014, 3, 10)),
    )
    ConferenceChildFactory.create(
        conference=conference,
        child=ChildFactory.create(first_name="Eleven", date_of_birth=date(2014, 3, 11)),
    )
    page = as_user(administrator).get(reverse("conferences:invitations-add", args=[conference.pk]))
    text = page.content.decode()
    assert "The police have not been invited" in text
    twelve = text.index("Twelve Example</dt>")
    eleven = text.index("Eleven Example</dt>")
    assert "may attend at least part" in text[twelve : twelve + 300]
    assert "views are gathered" in text[eleven : eleven + 300]


def test_adding_suggested_people(as_user, administrator, conference, child):
    url = reverse("conferences:invitations-add", args=[conference.pk])
    response = as_user(administrator).post(url, {"invitees": [f"child-{child.pk}"]})
    assert response.status_code == 302
    assert conference.invitations.get().child == child


def test_choosing_nobody_shows_the_error_summary(as_user, administrator, conference, child):
    url = reverse("conferences:invitations-add", args=[conference.pk])
    response = as_user(administrator).post(url, {})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "Select at least one person to invite" in response.content.decode()


def test_adding_someone_else_needs_a_name_and_an_address(as_user, administrator, conference):
    url = reverse("conferences:invitations-add-other", args=[conference.pk])
    response = as_user(administrator).post(url, {"role": "supporter", "delivery": "email"})
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Enter their full name" in text
    assert "Enter an email address, or choose a printed letter" in text
    response = as_user(administrator).post(
        url,
        {
            "role": "advocate",
            "name": "Ari Advocate",
            "delivery": "email",
            "email": "ari@advocacy.example",
        },
    )
    assert response.status_code == 302
    assert conference.invitations.get().name == "Ari Advocate"


def test_a_stale_needs_form_is_refused(as_user, administrator, conference, invitation):
    url = reverse("conferences:invitation-edit", args=[conference.pk, invitation.pk])
    Invitation.objects.filter(pk=invitation.pk).update(version=2, interpreter_language="Urdu")
    response = as_user(administrator).post(
        url,
        {
            "delivery": "email",
            "email": "pat@health.example",
            "interpreter_language": "Polish",
            "version": 1,
        },
    )
    text = response.content.decode()
    assert "This changed since you opened it" in text
    invitation.refresh_from_db()
    assert invitation.interpreter_language == "Urdu"


def test_recording_an_answer(as_user, administrator, conference, invitation):
    url = reverse("conferences:invitation-response", args=[conference.pk, invitation.pk])
    bad = as_user(administrator).post(url, {"version": 1})
    assert "Select their answer" in bad.content.decode()
    response = as_user(administrator).post(
        url, {"response": Response.APOLOGIES_WITH_REPORT, "version": 1}
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.response == Response.APOLOGIES_WITH_REPORT


def test_the_chair_records_their_consent_and_the_administrator_cannot(
    as_user, administrator, chair, conference, observer
):
    url = reverse("conferences:invitation-consent", args=[conference.pk, observer.pk])
    admin_page = as_user(administrator).get(url).content.decode()
    assert 'name="chair_consents"' not in admin_page
    as_user(chair).post(url, {"chair_consents": "yes", "family_consents": "yes", "version": 1})
    observer.refresh_from_db()
    assert (observer.chair_consents, observer.family_consents) == (True, True)


def test_sending_before_scheduling_is_refused(as_user, administrator, conference, invitation):
    Conference.objects.filter(pk=conference.pk).update(status=ConferenceStatus.TO_ARRANGE)
    url = reverse("conferences:invitations-send", args=[conference.pk])
    page = as_user(administrator).get(url).content.decode()
    assert "only once the conference is scheduled" in page
    response = as_user(administrator).post(url, {"again": "no", "version": conference.version})
    assert "There is a problem" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.sent_on is None


def test_sending_invitations(
    as_user,
    administrator,
    conference,
    invitation,
    observer,
    django_capture_on_commit_callbacks,
):
    url = reverse("conferences:invitations-send", args=[conference.pk])
    page = as_user(administrator).get(url).content.decode()
    assert "cannot be sent yet: needs the chair&#x27;s and the family&#x27;s consent" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(administrator).post(url, {"again": "no", "version": conference.version})
    assert response.status_code == 302
    assert list(SentMessage.objects.values_list("to", flat=True)) == ["pat@health.example"]
    listing = as_user(administrator).get(reverse("conferences:invitations", args=[conference.pk]))
    assert "conference.ics" in listing.content.decode()


def test_a_stale_send_is_refused(as_user, administrator, conference, invitation):
    url = reverse("conferences:invitations-send", args=[conference.pk])
    response = as_user(administrator).post(url, {"again": "no", "version": 99})
    assert "This changed since you opened it" in response.content.decode()


def test_the_letter_shows_the_date_place_chair_and_needs_offer(
    as_user, administrator, chair, conference, letter_invitation
):
    url = reverse("conferences:invitation-letter", args=[conference.pk, letter_invitation.pk])
    text = as_user(administrator).get(url).content.decode()
    assert "Tuesday 10 March 2026" in text
    assert "10am to midday" in text
    assert "Room 2, Civic Centre, Northmoor" in text
    assert chair.get_full_name() in text
    assert "Tell us if you need an interpreter" in text
    assert "bring a supporter" in text
    assert "1 Example Road" in text


def test_recording_requests_are_added_and_decided_by_the_chair(
    as_user, administrator, chair, conference
):
    url = reverse("conferences:recording-requests", args=[conference.pk])
    bad = as_user(administrator).post(url, {"requested_by": ""})
    assert "Enter who asked to record the meeting" in bad.content.decode()
    as_user(administrator).post(url, {"requested_by": "Sam Example, father"})
    recording = RecordingRequest.objects.get()
    decide = reverse("conferences:recording-request-decide", args=[conference.pk, recording.pk])
    assert as_user(administrator).get(decide).status_code == 404
    bad = as_user(chair).post(decide, {"decision": RecordingDecision.REFUSED, "version": 1})
    assert "Enter the reasons for refusing" in bad.content.decode()
    as_user(chair).post(
        decide,
        {"decision": RecordingDecision.AGREED, "limits": "Family court only", "version": 1},
    )
    recording.refresh_from_db()
    assert recording.decision == RecordingDecision.AGREED
    assert recording.limits == "Family court only"


def test_a_stale_recording_decision_is_refused(as_user, chair, conference):
    recording = RecordingRequest.objects.create(conference=conference, requested_by="Sam")
    decide = reverse("conferences:recording-request-decide", args=[conference.pk, recording.pk])
    RecordingRequest.objects.filter(pk=recording.pk).update(version=2)
    response = as_user(chair).post(
        decide, {"decision": RecordingDecision.REFUSED, "reasons": "Advice", "version": 1}
    )
    assert "This changed since you opened it" in response.content.decode()
    recording.refresh_from_db()
    assert recording.decision == RecordingDecision.PENDING


def test_administrators_and_the_chair_add_requests_and_only_the_chair_decides(
    as_user, administrator, chair, social_worker, conference
):
    RecordingRequest.objects.create(conference=conference, requested_by="Sam Example")
    url = reverse("conferences:recording-requests", args=[conference.pk])
    admin_page = as_user(administrator).get(url).content.decode()
    assert "Add a request" in admin_page
    assert ">Decide<" not in admin_page
    chair_page = as_user(chair).get(url).content.decode()
    assert "Add a request" in chair_page
    assert ">Decide<" in chair_page
    assert as_user(chair).post(url, {"requested_by": "Someone"}).status_code == 302
    assert as_user(social_worker).post(url, {"requested_by": "Another"}).status_code == 404
    assert RecordingRequest.objects.count() == 2


def test_a_held_conference_offers_no_changes_to_its_invitations(
    as_user, administrator, conference, invitation
):
    Conference.objects.filter(pk=conference.pk).update(status=ConferenceStatus.HELD)
    text = as_user(administrator).get(reverse("conferences:invitations", args=[conference.pk]))
    text = text.content.decode()
    assert reverse("conferences:invitations-add", args=[conference.pk]) not in text
    assert reverse("conferences:invitations-send", args=[conference.pk]) not in text
    assert reverse("conferences:invitation-edit", args=[conference.pk, invitation.pk]) not in text


def test_the_overview_shows_the_invitations_section(
    as_user, administrator, social_worker, conference, invitation
):
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_on=date(2026, 3, 1), interpreter_language="Polish"
    )
    url = reverse("conferences:detail", args=[conference.pk])
    text = as_user(administrator).get(url).content.decode()
    assert "Invitations" in text
    assert "The police have not been invited" in text
    assert "Interpreters not booked" in text
    assert reverse("conferences:invitations", args=[conference.pk]) in text
    # The social worker sees the counts, not the names or links.
    text = as_user(social_worker).get(url).content.decode()
    assert "Sent, no answer yet" in text
    assert reverse("conferences:invitations", args=[conference.pk]) not in text


# Inviting a professional from any agency ---------------------------------------------------


def _add_professional_url(conference: Conference, **query: object) -> str:
    url = reverse("conferences:invitations-add-professional", args=[conference.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_administrator_chooses_the_agency_then_invites_an_officer_with_no_link(
    as_user, administrator, conference, child
):
    from convene.people.enums import AgencyType
    from convene.testing.factories import AgencyFactory, ProfessionalFactory

    police = AgencyFactory.create(name="Testshire Police", type=AgencyType.POLICE)
    AgencyFactory.create(name="Testshire Probation", type=AgencyType.PROBATION)
    officer = ProfessionalFactory.create(
        name="Pat Lane", job_title="Detective constable", agency=police, email="pat@police.example"
    )
    client = as_user(administrator)
    first = client.get(_add_professional_url(conference)).content.decode()
    assert "Which agency are they from?" in first
    assert "Testshire Police (police)" in first and "Testshire Probation (probation)" in first
    second = client.get(_add_professional_url(conference, agency=police.pk)).content.decode()
    assert "Invite a professional from Testshire Police" in second
    assert "Pat Lane, Detective constable" in second
    response = client.post(
        _add_professional_url(conference),
        {"agency": police.pk, "who": f"professional-{officer.pk}", "role": "Investigating officer"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse(
        "conferences:invitations", args=[conference.pk]
    )
    assert "Pat Lane invited" in response.content.decode()
    invitation = conference.invitations.get(professional=officer)
    assert invitation.email == "pat@police.example"
    assert officer.involvements.get(child=child).role == "Investigating officer"


def test_the_police_only_go_straight_to_the_officers_when_there_is_one_force(
    as_user, administrator, conference
):
    from convene.people.enums import AgencyType
    from convene.testing.factories import AgencyFactory

    AgencyFactory.create(name="Testshire Police", type=AgencyType.POLICE)
    page = as_user(administrator).get(_add_professional_url(conference, agency_type="police"))
    assert "Invite a professional from Testshire Police" in page.content.decode()
    AgencyFactory.create(name="Otherplace Police", type=AgencyType.POLICE)
    page = as_user(administrator).get(_add_professional_url(conference, agency_type="police"))
    text = page.content.decode()
    assert "Showing police agencies only" in text
    assert "Otherplace Police (police)" in text and "Testshire Police (police)" in text


def test_inviting_someone_new_needs_their_name_and_job_title(as_user, administrator, conference):
    from convene.people.enums import AgencyType
    from convene.testing.factories import AgencyFactory

    school = AgencyFactory.create(name="Testshire Schools", type=AgencyType.EDUCATION)
    client = as_user(administrator)
    empty = client.post(_add_professional_url(conference), {"agency": school.pk})
    assert "There is a problem" in empty.content.decode()
    assert "Select who you are inviting" in empty.content.decode()
    response = client.post(
        _add_professional_url(conference),
        {"agency": school.pk, "who": "new", "role": "Class teacher"},
    )
    text = response.content.decode()
    assert "Enter their full name" in text and "Enter their job title" in text
    assert 'href="#id_name"' in text
    response = client.post(
        _add_professional_url(conference),
        {"agency": school.pk, "who": "new", "name": "Lee Example", "job_title": "Teacher"},
    )
    assert "Enter their role with Mina Example" in response.content.decode()
    assert not conference.invitations.exists()


def test_the_search_narrows_the_agency_to_the_people_matching(as_user, administrator, conference):
    from convene.testing.factories import ProfessionalFactory

    nurse = ProfessionalFactory.create(name="Ada Nurse", job_title="School nurse")
    ProfessionalFactory.create(name="Bo Visitor", job_title="Health visitor")
    url = _add_professional_url(conference, agency=nurse.agency_id, q="school")
    text = as_user(administrator).get(url).content.decode()
    assert "Ada Nurse, School nurse" in text and "Bo Visitor" not in text


def test_people_who_sign_in_without_a_professional_record_are_offered(
    as_user, administrator, conference, police_officer, police
):
    text = as_user(administrator).get(_add_professional_url(conference, agency=police.pk))
    assert f'value="user-{police_officer.pk}"' in text.content.decode()


@pytest.mark.parametrize("persona", ["chair", "social_worker", "police_officer"])
def test_only_administrators_may_invite_a_professional(persona, request, as_user, conference):
    user = request.getfixturevalue(persona)
    assert as_user(user).get(_add_professional_url(conference)).status_code == 404


@pytest.mark.parametrize(
    "page", ["conferences:detail", "conferences:invitations", "conferences:invitations-send"]
)
def test_police_not_invited_is_answerable_from_the_page_that_raises_it(
    page, as_user, administrator, chair, conference
):
    invite = (
        reverse("conferences:invitations-add-professional", args=[conference.pk])
        + "?agency_type=police"
    )
    url = reverse(page, args=[conference.pk])
    text = as_user(administrator).get(url).content.decode()
    assert "The police have not been invited" in text
    assert f'<a class="govuk-link" href="{invite}">Invite a police officer</a>' in text
    if page != "conferences:invitations-send":
        for_chair = as_user(chair).get(url).content.decode()
        assert "The police have not been invited" in for_chair
        assert "Invite a police officer" not in for_chair


def test_the_invite_people_page_links_to_the_police_too(as_user, administrator, conference):
    text = (
        as_user(administrator)
        .get(reverse("conferences:invitations-add", args=[conference.pk]))
        .content.decode()
    )
    assert "The police have not been invited" in text
    assert "?agency_type=police" in text


@pytest.mark.parametrize("agency", ["99999999999999999999", "abc", "-1", "١٢"])
def test_an_impossible_agency_asks_for_the_agency_again(as_user, administrator, conference, agency):
    response = as_user(administrator).get(_add_professional_url(conference, agency=agency))
    assert response.status_code == 200
    assert "Select the agency they are from" in response.content.decode()
