from __future__ import annotations

from datetime import date, datetime, time

import icalendar
import pytest
from django.utils import timezone

from convene.access.enums import AuditVerb
from convene.access.models import AuditEvent, User
from convene.conferences.enums import (
    ConferenceStatus,
    Delivery,
    InviteeRole,
    MeetingMode,
    RecordingDecision,
    Response,
)
from convene.conferences.invitations import messages, services
from convene.conferences.invitations import recording as recording_services
from convene.conferences.models import Conference, Invitation, RecordingRequest
from convene.core.services import Actor, ServiceError, StaleEdit
from convene.notifications.models import SentMessage
from convene.people.enums import AgencyType, RelationshipKind
from convene.people.models import Child
from convene.testing.factories import (
    AgencyFactory,
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    InvitationFactory,
    InvolvementFactory,
    ProfessionalFactory,
    RelationshipFactory,
)

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 10)
STAMP = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.get_current_timezone())


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


def _email_invitation(conference: Conference, **kwargs: object) -> Invitation:
    return InvitationFactory.create(
        conference=conference, email="pat@health.example", delivery=Delivery.EMAIL, **kwargs
    )


def test_adding_someone_writes_an_audit_row_for_the_child(conference, administrator, child):
    invitation = services.invitation_add(
        conference=conference,
        role=InviteeRole.SUPPORTER,
        name="Alex Friend",
        address="1 Road\nTS1 1AA",
        delivery=Delivery.LETTER,
        by=Actor(administrator),
    )
    event = AuditEvent.objects.get(object_id=str(invitation.pk))
    assert event.verb == AuditVerb.CREATED
    assert event.child == child


def test_the_same_person_cannot_be_invited_twice(conference, administrator):
    invitation = _email_invitation(conference)
    with pytest.raises(ServiceError, match="already been invited"):
        services.invitation_add(
            conference=conference,
            role=InviteeRole.PROFESSIONAL,
            professional=invitation.professional,
            by=Actor(administrator),
        )


def test_suggestions_are_parents_children_the_lead_social_worker_and_professionals(
    conference, child, social_worker
):
    RelationshipFactory.create(child=child, kind=RelationshipKind.PARENT)
    RelationshipFactory.create(
        child=child, kind=RelationshipKind.GRANDPARENT, parental_responsibility=False
    )
    InvolvementFactory.create(child=child, started=date(2025, 1, 1))
    suggestions = services.invitation_suggestions(conference=conference, today=DAY)
    assert sorted(s.role for s in suggestions) == sorted(
        [
            InviteeRole.PARENT_CARER,
            InviteeRole.SUPPORTER,
            InviteeRole.CHILD,
            InviteeRole.PROFESSIONAL,
            InviteeRole.PROFESSIONAL,
        ]
    )
    worker = next(s for s in suggestions if s.worker is not None)
    assert worker.worker == social_worker
    assert worker.label.startswith(f"{social_worker.get_full_name()}, lead social worker for Mina")


def test_a_child_of_12_on_the_day_may_attend_and_one_of_11_has_views_gathered(conference):
    twelve = ChildFactory.create(date_of_birth=date(2014, 3, 10))
    eleven = ChildFactory.create(date_of_birth=date(2014, 3, 11))
    for child in (twelve, eleven):
        ConferenceChildFactory.create(conference=conference, child=child)
    guidance = {
        s.child.pk: s.guidance
        for s in services.invitation_suggestions(conference=conference, today=date(2026, 1, 1))
        if s.child is not None
    }
    assert guidance[twelve.pk] == "may_attend"
    assert guidance[eleven.pk] == "views_gathered"


def test_sending_before_the_conference_is_scheduled_is_refused(conference, administrator):
    Conference.objects.filter(pk=conference.pk).update(status=ConferenceStatus.TO_ARRANGE)
    conference.refresh_from_db()
    _email_invitation(conference)
    with pytest.raises(ServiceError, match="only once the conference is scheduled"):
        services.invitations_send(
            conference=conference,
            conference_version=conference.version,
            today=DAY,
            stamp=STAMP,
            by=Actor(administrator),
        )


def test_sending_emails_an_ics_and_marks_it_sent(
    conference, administrator, django_capture_on_commit_callbacks
):
    invitation = _email_invitation(conference)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.invitations_send(
            conference=conference,
            conference_version=conference.version,
            today=date(2026, 3, 1),
            stamp=STAMP,
            by=Actor(administrator),
        )
    assert result.sent == [invitation]
    invitation.refresh_from_db()
    assert invitation.sent_on == date(2026, 3, 1)
    message = SentMessage.objects.get()
    assert message.to == "pat@health.example"
    assert message.attachment_names == ["conference.ics"]
    assert "Tuesday 10 March 2026, 10am to midday" in message.body
    assert "interpreter" in message.body


def test_the_calendar_entry_has_the_time_place_and_a_stable_uid(conference):
    invitation = _email_invitation(conference)
    calendar = icalendar.Calendar.from_ical(messages.invitation_ics(invitation, stamp=STAMP))
    event = next(iter(calendar.walk("VEVENT")))
    assert event.decoded("dtstart") == datetime(2026, 3, 10, 10, 0, tzinfo=messages.LONDON)
    assert event.decoded("dtend") == datetime(2026, 3, 10, 12, 0, tzinfo=messages.LONDON)
    assert str(event["location"]) == "Room 2, Civic Centre, Northmoor"
    uid = str(event["uid"])
    assert uid == f"conference-{conference.pk}-invitation-{invitation.pk}@northmoor.example"
    # Sent again after a change of time: same UID, a later sequence, the new time.
    Conference.objects.filter(pk=conference.pk).update(starts_at=time(14, 0), ends_at=None)
    invitation.conference.refresh_from_db()
    again = icalendar.Calendar.from_ical(messages.invitation_ics(invitation, stamp=STAMP))
    event = next(iter(again.walk("VEVENT")))
    assert str(event["uid"]) == uid
    assert event.decoded("dtstart") == datetime(2026, 3, 10, 14, 0, tzinfo=messages.LONDON)
    assert event.decoded("dtend") == datetime(2026, 3, 10, 16, 0, tzinfo=messages.LONDON)


def test_an_observer_is_not_sent_until_both_consents_are_yes(
    conference, administrator, chair, django_capture_on_commit_callbacks
):
    observer = services.invitation_add(
        conference=conference,
        role=InviteeRole.OBSERVER,
        name="Obi Observer",
        email="obi@university.example",
        by=Actor(administrator),
    )
    result = services.invitations_send(
        conference=conference,
        conference_version=conference.version,
        today=DAY,
        stamp=STAMP,
        by=Actor(administrator),
    )
    assert result.sent == []
    assert result.refused[0][0] == observer
    # The family says yes (recorded by the administrator) — still not enough.
    services.invitation_record_consent(
        invitation=observer, version=observer.version, family_consents=True, by=Actor(administrator)
    )
    assert (
        services.invitations_send(
            conference=conference,
            conference_version=conference.version,
            today=DAY,
            stamp=STAMP,
            by=Actor(administrator),
        ).sent
        == []
    )
    services.invitation_record_consent(
        invitation=observer,
        version=observer.version,
        chair_consents=True,
        family_consents=True,
        record_chair=True,
        by=Actor(chair),
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = services.invitations_send(
            conference=conference,
            conference_version=conference.version,
            today=DAY,
            stamp=STAMP,
            by=Actor(administrator),
        )
    assert result.sent == [observer]
    assert SentMessage.objects.get().to == "obi@university.example"


def test_an_administrator_cannot_record_the_chairs_consent(conference, administrator):
    observer = InvitationFactory.create(
        conference=conference, role=InviteeRole.OBSERVER, professional=None, agency=None, name="O"
    )
    services.invitation_record_consent(
        invitation=observer,
        version=observer.version,
        chair_consents=True,
        family_consents=True,
        by=Actor(administrator),
    )
    assert observer.chair_consents is None
    assert observer.family_consents is True


def test_a_stale_answer_is_refused(conference, administrator):
    invitation = _email_invitation(conference)
    services.invitation_record_response(
        invitation=invitation, version=1, response=Response.ATTENDING, by=Actor(administrator)
    )
    with pytest.raises(StaleEdit):
        services.invitation_record_response(
            invitation=invitation, version=1, response=Response.DECLINED, by=Actor(administrator)
        )
    invitation.refresh_from_db()
    assert invitation.response == Response.ATTENDING


def test_needs_are_recorded(conference, administrator):
    invitation = _email_invitation(conference)
    services.invitation_update_needs(
        invitation=invitation,
        version=invitation.version,
        interpreter_language="Polish",
        dyslexia=True,
        by=Actor(administrator),
    )
    invitation.refresh_from_db()
    assert invitation.interpreter_language == "Polish"
    assert invitation.interpreter_booked is False
    assert invitation.dyslexia is True


def test_sending_again_reaches_those_already_sent(
    conference, administrator, django_capture_on_commit_callbacks
):
    _email_invitation(conference, sent_on=date(2026, 2, 1))
    assert (
        services.invitations_send(
            conference=conference,
            conference_version=conference.version,
            today=DAY,
            stamp=STAMP,
            by=Actor(administrator),
        ).sent
        == []
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = services.invitations_send(
            conference=conference,
            conference_version=conference.version,
            today=DAY,
            stamp=STAMP,
            again=True,
            by=Actor(administrator),
        )
    assert len(result.sent) == 1
    assert SentMessage.objects.count() == 1


def test_a_letter_invitation_is_kept_for_printing(
    conference, administrator, django_capture_on_commit_callbacks
):
    RelationshipFactory.create(child=conference.subjects.get().child)
    InvitationFactory.create(
        conference=conference,
        role=InviteeRole.PARENT_CARER,
        professional=None,
        agency=None,
        name="Sam Example",
        delivery=Delivery.LETTER,
        address="1 Road\nTS1 1AA",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(
            conference=conference,
            conference_version=conference.version,
            today=DAY,
            stamp=STAMP,
            by=Actor(administrator),
        )
    assert SentMessage.objects.get().channel == "letter"


def test_a_recording_request_is_decided_once_with_limits(conference, administrator, chair):
    recording = recording_services.recording_request_add(
        conference=conference, requested_by="Sam Example, father", by=Actor(administrator)
    )
    with pytest.raises(ServiceError, match="limits"):
        recording_services.recording_request_decide(
            recording_request=recording,
            version=recording.version,
            decision=RecordingDecision.AGREED,
            by=Actor(chair),
        )
    recording_services.recording_request_decide(
        recording_request=recording,
        version=recording.version,
        decision=RecordingDecision.AGREED,
        limits="Family court proceedings only",
        by=Actor(chair),
    )
    assert recording.decision == RecordingDecision.AGREED
    with pytest.raises(ServiceError, match="already been decided"):
        recording_services.recording_request_decide(
            recording_request=recording,
            version=recording.version,
            decision=RecordingDecision.REFUSED,
            reasons="Changed my mind",
            by=Actor(chair),
        )


def test_a_recording_decision_from_a_stale_page_is_refused(conference, administrator, chair):
    recording = recording_services.recording_request_add(
        conference=conference, requested_by="Sam Example, father", by=Actor(administrator)
    )
    opened = RecordingRequest.objects.get(pk=recording.pk)  # the same page, open elsewhere
    recording_services.recording_request_decide(
        recording_request=recording,
        version=recording.version,
        decision=RecordingDecision.AGREED,
        limits="Family court proceedings only",
        by=Actor(chair),
    )
    with pytest.raises(StaleEdit):
        recording_services.recording_request_decide(
            recording_request=opened,
            version=opened.version,
            decision=RecordingDecision.REFUSED,
            reasons="Legal advice",
            by=Actor(chair),
        )
    opened.refresh_from_db()
    assert opened.decision == RecordingDecision.AGREED


def test_events_go_on_the_subject_childrens_trails_only(conference, administrator, child):
    sibling = ChildFactory.create()
    ConferenceChildFactory.create(conference=conference, child=sibling, is_subject=False)
    invitation = services.invitation_add(
        conference=conference,
        role=InviteeRole.SUPPORTER,
        name="Alex Friend",
        email="alex@example.com",
        by=Actor(administrator),
    )
    events = AuditEvent.objects.filter(object_id=str(invitation.pk))
    assert [event.child for event in events] == [child]


def test_a_second_send_from_the_same_page_is_refused(conference, administrator):
    invitation = _email_invitation(conference)
    opened = conference.version
    services.invitations_send(
        conference=conference,
        conference_version=opened,
        today=DAY,
        stamp=STAMP,
        by=Actor(administrator),
    )
    with pytest.raises(StaleEdit):
        services.invitations_send(
            conference=conference,
            conference_version=opened,
            today=DAY,
            stamp=STAMP,
            again=True,
            by=Actor(administrator),
        )
    invitation.refresh_from_db()
    assert invitation.sent_on == DAY


def test_police_invited_clears_the_missing_police_flag(conference, administrator):
    from convene.conferences.invitations.views import overview_context

    assert overview_context(conference, administrator, DAY)["invitations_stage"]["police_missing"]
    police = AgencyFactory.create(name="Testshire Police", type=AgencyType.POLICE)
    officer = ProfessionalFactory.create(agency=police, job_title="Detective constable")
    services.invitation_add(
        conference=conference,
        role=InviteeRole.PROFESSIONAL,
        professional=officer,
        by=Actor(administrator),
    )
    stage = overview_context(conference, administrator, DAY)["invitations_stage"]
    assert not stage["police_missing"]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (time(10, 0), "10am"),
        (time(14, 30), "2:30pm"),
        (time(12, 0), "midday"),
        (time(0, 0), "12am"),
    ],
)
def test_times_are_written_the_govuk_way(value, text):
    assert messages.clock_text(value) == text
