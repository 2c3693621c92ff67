"""The day of a conference: the attendance register, quorum for each child (London CP4 §3.10)
and marking it held, with a reason when inquorate and an early review after (§3.11 to §3.12)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

import pytest
import time_machine
from django.urls import reverse

from convene.access.enums import AuditVerb, Role
from convene.access.models import AuditEvent, User
from convene.conferences.enums import Attendance, ConferenceStatus
from convene.conferences.meeting.rules import early_review_due
from convene.conferences.meeting.services import (
    AttendanceEntry,
    attendance_record,
    conference_mark_held,
)
from convene.conferences.models import Conference, Invitation
from convene.conferences.selectors import conference_quorum
from convene.core.services import Actor, ServiceError, StaleEdit
from convene.people.enums import AgencyType
from convene.people.models import Agency, Child
from convene.testing.factories import (
    AgencyFactory,
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    InvitationFactory,
    InvolvementFactory,
    ProfessionalFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 10)
ON_THE_DAY = "2026-03-10 12:00 +0000"


@dataclass
class Meeting:
    conference: Conference
    csc: Invitation
    health: Invitation
    school: Invitation
    police: Invitation
    health_agency: Agency
    school_agency: Agency
    police_agency: Agency


def _agency(name: str, type: AgencyType) -> Agency:
    return AgencyFactory.create(name=name, type=type)


def _invite(conference: Conference, agency: Agency, name: str) -> Invitation:
    professional = ProfessionalFactory.create(name=name, agency=agency)
    return InvitationFactory.create(conference=conference, professional=professional)


def _knows(agency: Agency, child: Child, started: date = date(2025, 9, 1)) -> None:
    professional = ProfessionalFactory.create(agency=agency)
    InvolvementFactory.create(professional=professional, child=child, started=started)


@pytest.fixture
def meeting(chair: User, child: Child) -> Meeting:
    conference = ConferenceFactory.create(
        status=ConferenceStatus.SCHEDULED, date=DAY, starts_at=time(10), chair=chair
    )
    ConferenceChildFactory.create(conference=conference, child=child)
    csc = AgencyFactory.create()
    health = _agency("Testshire Health", AgencyType.HEALTH)
    school = _agency("Testshire Primary School", AgencyType.EDUCATION)
    police = _agency("Testshire Police", AgencyType.POLICE)
    _knows(health, child)
    _knows(school, child)
    return Meeting(
        conference=conference,
        csc=_invite(conference, csc, "Sam Social"),
        health=_invite(conference, health, "Hana Health"),
        school=_invite(conference, school, "Tom Teacher"),
        police=_invite(conference, police, "Pat Police"),
        health_agency=health,
        school_agency=school,
        police_agency=police,
    )


def _record(meeting: Meeting, by: User, **attendance: str) -> Conference:
    entries = [
        AttendanceEntry(getattr(meeting, who).pk, Attendance(how), time(10), time(11))
        for who, how in attendance.items()
    ]
    return attendance_record(
        conference=meeting.conference,
        entries=entries,
        version=meeting.conference.version,
        by=Actor(by),
        today=DAY,
    )


def _mark_held(meeting: Meeting, chair: User, reason: str) -> Conference:
    return conference_mark_held(
        conference=meeting.conference,
        inquorate_reason=reason,
        version=meeting.conference.version,
        by=Actor(chair),
        today=DAY,
    )


def _quorate(conference: Conference) -> dict[str, bool]:
    return {row.child.first_name: row.quorum.quorate for row in conference_quorum(conference)}


# The register and quorum ---------------------------------------------------------------


def test_csc_and_two_agencies_with_contact_make_the_conference_quorate(meeting, administrator):
    _record(meeting, administrator, csc="present", health="virtual", school="part")
    assert _quorate(meeting.conference) == {"Mina": True}
    [row] = conference_quorum(meeting.conference)
    assert row.counted_names == ["Testshire Health", "Testshire Primary School"]


def test_an_agency_present_without_contact_with_the_child_does_not_count(meeting, administrator):
    _record(meeting, administrator, csc="present", health="present", police="present")
    [row] = conference_quorum(meeting.conference)
    assert not row.quorum.quorate
    assert row.counted_names == ["Testshire Health"]


def test_apologies_and_absence_do_not_count(meeting, administrator):
    _record(meeting, administrator, csc="present", health="apologies", school="absent")
    assert _quorate(meeting.conference) == {"Mina": False}


def test_without_childrens_social_care_the_conference_is_not_quorate(meeting, administrator):
    _record(meeting, administrator, csc="absent", health="present", school="present")
    [row] = conference_quorum(meeting.conference)
    assert not row.quorum.quorate and not row.quorum.csc_present


def test_two_children_of_one_conference_can_differ(meeting, administrator, child):
    sibling = ChildFactory.create(first_name="Ola", household=child.household)
    ConferenceChildFactory.create(conference=meeting.conference, child=sibling)
    _knows(meeting.health_agency, sibling)
    _knows(meeting.police_agency, sibling)
    _record(meeting, administrator, csc="present", health="present", school="present")
    assert _quorate(meeting.conference) == {"Mina": True, "Ola": False}


def test_contact_that_began_after_the_conference_does_not_count(meeting, administrator, child):
    _knows(meeting.police_agency, child, started=date(2026, 4, 1))
    _record(meeting, administrator, csc="present", health="present", police="present")
    assert _quorate(meeting.conference) == {"Mina": False}


def test_contact_that_has_ended_still_counts(meeting, administrator, child):
    _knows(meeting.police_agency, child, started=date(2024, 1, 1))
    child.involvements.filter(professional__agency=meeting.police_agency).update(
        ended=date(2025, 1, 1)
    )
    _record(meeting, administrator, csc="present", health="present", police="present")
    assert _quorate(meeting.conference) == {"Mina": True}


def test_part_attendance_keeps_its_times_and_other_kinds_do_not(meeting, administrator):
    _record(meeting, administrator, csc="present", school="part")
    meeting.csc.refresh_from_db()
    meeting.school.refresh_from_db()
    assert (meeting.school.arrived_at, meeting.school.left_at) == (time(10), time(11))
    assert meeting.csc.arrived_at is None and meeting.csc.attendance == Attendance.PRESENT


def test_the_register_is_audited_on_each_childs_trail(meeting, administrator, child):
    _record(meeting, administrator, csc="present")
    event = AuditEvent.objects.get(child=child, verb=AuditVerb.CHANGED)
    assert event.actor == administrator and "Attendance recorded" in event.reason


def test_attendance_before_the_conference_date_is_refused(meeting, administrator):
    with pytest.raises(ServiceError, match="on or after the day of the conference"):
        attendance_record(
            conference=meeting.conference,
            entries=[AttendanceEntry(meeting.csc.pk, Attendance.PRESENT)],
            version=meeting.conference.version,
            by=Actor(administrator),
            today=date(2026, 3, 9),
        )


@pytest.mark.parametrize("status", [ConferenceStatus.TO_ARRANGE, ConferenceStatus.CANCELLED])
def test_attendance_is_refused_unless_the_conference_is_scheduled(meeting, administrator, status):
    Conference.objects.filter(pk=meeting.conference.pk).update(status=status)
    meeting.conference.refresh_from_db()
    with pytest.raises(ServiceError, match="only for a scheduled conference"):
        _record(meeting, administrator, csc="present")


def test_a_stale_register_is_refused_and_nothing_is_saved(meeting, administrator):
    stale = meeting.conference.version
    _record(meeting, administrator, csc="present")
    with pytest.raises(StaleEdit):
        attendance_record(
            conference=meeting.conference,
            entries=[AttendanceEntry(meeting.csc.pk, Attendance.ABSENT)],
            version=stale,
            by=Actor(administrator),
            today=DAY,
        )
    meeting.csc.refresh_from_db()
    assert meeting.csc.attendance == Attendance.PRESENT


def test_someone_not_invited_to_this_conference_cannot_be_recorded(meeting, administrator):
    elsewhere = InvitationFactory.create()
    with pytest.raises(ServiceError, match="was not invited to this conference"):
        attendance_record(
            conference=meeting.conference,
            entries=[AttendanceEntry(elsewhere.pk, Attendance.PRESENT)],
            version=meeting.conference.version,
            by=Actor(administrator),
            today=DAY,
        )


def test_leaving_before_arriving_is_refused(meeting, administrator):
    with pytest.raises(ServiceError, match="must be after the time they arrived"):
        attendance_record(
            conference=meeting.conference,
            entries=[AttendanceEntry(meeting.csc.pk, Attendance.PART, time(11), time(10))],
            version=meeting.conference.version,
            by=Actor(administrator),
            today=DAY,
        )


# Marking held --------------------------------------------------------------------------


def test_an_inquorate_conference_is_not_held_without_the_chairs_reason(meeting, chair):
    _record(meeting, chair, csc="present", health="present")
    with pytest.raises(ServiceError, match="without a quorum") as refused:
        _mark_held(meeting, chair, " ")
    assert refused.value.field == "inquorate_reason"
    meeting.conference.refresh_from_db()
    assert meeting.conference.status == ConferenceStatus.SCHEDULED


def test_with_a_reason_it_is_held_and_an_early_review_is_due(meeting, chair):
    _record(meeting, chair, csc="present", health="present")
    _mark_held(meeting, chair, "The school could not attend; the risk could not wait.")
    conference = Conference.objects.get(pk=meeting.conference.pk)
    assert conference.status == ConferenceStatus.HELD
    assert conference.quorate is False
    assert conference.inquorate_reason.startswith("The school could not attend")
    assert early_review_due(conference)


def test_a_quorate_conference_is_held_with_no_early_review(meeting, chair):
    _record(meeting, chair, csc="present", health="present", school="present")
    _mark_held(meeting, chair, "")
    conference = Conference.objects.get(pk=meeting.conference.pk)
    assert conference.status == ConferenceStatus.HELD and conference.quorate is True
    assert not early_review_due(conference)


def test_marking_held_needs_the_register_first(meeting, chair):
    with pytest.raises(ServiceError, match="Take the attendance register"):
        _mark_held(meeting, chair, "x")


def test_marking_held_twice_is_refused(meeting, chair):
    _record(meeting, chair, csc="present", health="present", school="present")
    _mark_held(meeting, chair, "")
    with pytest.raises(ServiceError, match="Only a scheduled conference can be marked held"):
        _mark_held(meeting, chair, "")


def test_marking_held_from_a_stale_page_is_refused(meeting, chair):
    stale = meeting.conference.version
    _record(meeting, chair, csc="present", health="present", school="present")
    with pytest.raises(StaleEdit):
        conference_mark_held(
            conference=meeting.conference,
            inquorate_reason="",
            by=Actor(chair),
            today=DAY,
            version=stale,
        )


# Pages ---------------------------------------------------------------------------------


def _register_post(meeting: Meeting, **overrides: str) -> dict[str, str]:
    data = {"version": str(meeting.conference.version)}
    for invitation in (meeting.csc, meeting.health, meeting.school, meeting.police):
        data[f"attendance_{invitation.pk}"] = "present"
        data[f"arrived_{invitation.pk}"] = ""
        data[f"left_{invitation.pk}"] = ""
    data.update(overrides)
    return data


def test_the_administrator_takes_the_register_on_the_day(as_user, administrator, meeting):
    url = reverse("conferences:meeting-attendance", args=[meeting.conference.pk])
    with time_machine.travel(ON_THE_DAY, tick=False):
        client = as_user(administrator)
        assert "Hana Health" in client.get(url).content.decode()
        response = client.post(url, _register_post(meeting), follow=True)
    body = response.content.decode()
    assert "The attendance register has been saved" in body
    assert "Quorate" in body and "Testshire Primary School" in body


def test_a_bad_register_shows_an_error_summary_not_a_500(as_user, chair, meeting):
    url = reverse("conferences:meeting-attendance", args=[meeting.conference.pk])
    school = meeting.school.pk
    bad = _register_post(
        meeting,
        **{
            f"attendance_{school}": "part",
            f"arrived_{school}": "11:00",
            f"left_{school}": "10:00",
            f"arrived_{meeting.csc.pk}": "half past",
            f"attendance_{meeting.health.pk}": "",
        },
    )
    with time_machine.travel(ON_THE_DAY, tick=False):
        response = as_user(chair).post(url, bad)
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Tom Teacher: the time they left must be after the time they arrived" in body
    assert "Enter the time they arrived, like 10:30" in body
    assert "Select how Hana Health attended" in body
    assert not Invitation.objects.exclude(attendance="").exists()


def test_a_stale_register_page_is_refused_keeping_the_answers(as_user, chair, meeting):
    url = reverse("conferences:meeting-attendance", args=[meeting.conference.pk])
    data = _register_post(meeting, version=str(meeting.conference.version + 5))
    with time_machine.travel(ON_THE_DAY, tick=False):
        body = as_user(chair).post(url, data).content.decode()
    assert "This changed since you opened it" in body
    assert not Invitation.objects.exclude(attendance="").exists()


def test_the_register_cannot_be_taken_before_the_day(as_user, administrator, meeting):
    url = reverse("conferences:meeting-attendance", args=[meeting.conference.pk])
    with time_machine.travel("2026-03-09 12:00 +0000", tick=False):
        client = as_user(administrator)
        assert "You can take the register on the day" in client.get(url).content.decode()
        response = client.post(url, _register_post(meeting))
    assert response.status_code == 200
    assert not Invitation.objects.exclude(attendance="").exists()


def test_the_chair_marks_an_inquorate_conference_held_with_a_reason(as_user, chair, meeting):
    _record(meeting, chair, csc="present", health="present")
    url = reverse("conferences:meeting-mark-held", args=[meeting.conference.pk])
    version = str(Conference.objects.get(pk=meeting.conference.pk).version)
    with time_machine.travel(ON_THE_DAY, tick=False):
        client = as_user(chair)
        page = client.get(url).content.decode()
        assert "Not quorate" in page and "One more agency" in page
        refused = client.post(url, {"version": version, "inquorate_reason": ""})
        assert "Enter why the conference went ahead without a quorum" in refused.content.decode()
        held = client.post(
            url, {"version": version, "inquorate_reason": "Risk too high to wait"}, follow=True
        )
        overview = held.content.decode()
    assert "The conference has been marked as held" in overview
    assert "An early review is due because the conference was not quorate" in overview
    assert Conference.objects.get(pk=meeting.conference.pk).status == ConferenceStatus.HELD


def test_the_overview_shows_quorum_for_each_child(as_user, social_worker, meeting, chair):
    _record(meeting, chair, csc="present", health="present", school="present")
    url = reverse("conferences:detail", args=[meeting.conference.pk])
    with time_machine.travel(ON_THE_DAY, tick=False):
        body = as_user(social_worker).get(url).content.decode()
    assert "On the day" in body and "Quorate" in body
    assert reverse("conferences:meeting-attendance", args=[meeting.conference.pk]) not in body


@pytest.fixture
def another_chair() -> User:
    return UserFactory.create(first_name="Other", roles=[Role.CONFERENCE_CHAIR])


@pytest.mark.parametrize("url_name", ["meeting-attendance", "meeting-quorum", "meeting-mark-held"])
@pytest.mark.parametrize(
    "persona", ["outsider", "police_officer", "social_worker", "another_chair", "team_manager"]
)
def test_people_who_may_not_use_the_meeting_pages_get_a_404(
    as_user, request, meeting, persona, url_name
):
    user = request.getfixturevalue(persona)
    url = reverse(f"conferences:{url_name}", args=[meeting.conference.pk])
    with time_machine.travel(ON_THE_DAY, tick=False):
        client = as_user(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code == 404


def test_only_the_chair_marks_a_conference_held(as_user, administrator, meeting):
    url = reverse("conferences:meeting-mark-held", args=[meeting.conference.pk])
    with time_machine.travel(ON_THE_DAY, tick=False):
        assert as_user(administrator).get(url).status_code == 404


def test_an_unknown_conference_is_a_404(as_user, administrator):
    url = reverse("conferences:meeting-quorum", args=[999999])
    assert as_user(administrator).get(url).status_code == 404


def test_the_overview_of_a_conference_still_to_arrange_says_the_register_comes_later(
    as_user, administrator, child
):
    conference = ConferenceFactory.create(status=ConferenceStatus.TO_ARRANGE, date=None)
    ConferenceChildFactory.create(conference=conference, child=child)
    response = as_user(administrator).get(reverse("conferences:detail", args=[conference.pk]))
    assert response.status_code == 200
    assert "The attendance register is taken on the day" in response.content.decode()


def test_the_quorum_page_shows_the_chairs_reason_after_an_inquorate_conference(
    as_user, administrator, chair, meeting
):
    _record(meeting, chair, csc="present", school="part")
    _mark_held(meeting, chair, "Fictional reason")
    url = reverse("conferences:meeting-quorum", args=[meeting.conference.pk])
    with time_machine.travel(ON_THE_DAY, tick=False):
        body = as_user(administrator).get(url).content.decode()
    assert "Fictional reason" in body
    assert "An early review is due because the conference was not quorate" in body
    assert "Present for part, 10:00 to 11:00" in body
    assert "Take the attendance register" not in body
