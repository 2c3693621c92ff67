"""Every event about a conference is on each subject child's audit trail, and on no other
child's: not a brother or sister who was only considered (London CP4 §1.5), not an unborn
sibling, not a child of another family. Runs on SQLite and on PostgreSQL (CI)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time

import pytest
import time_machine

from convene.access.enums import AuditVerb, Role
from convene.access.models import AuditEvent
from convene.conferences.contributions import services as contributions
from convene.conferences.convening import services as convening
from convene.conferences.enums import (
    Attendance,
    ConferenceStatus,
    ContributionKind,
    ExclusionDecision,
    InviteeRole,
    MeetingMode,
)
from convene.conferences.exclusions import services as exclusions
from convene.conferences.invitations import services as invitations
from convene.conferences.meeting import services as meeting
from convene.conferences.models import ConferenceChild
from convene.conferences.reports import services as reports
from convene.core.services import Actor
from convene.people.enums import AgencyType
from convene.testing.factories import (
    AgencyFactory,
    ChildFactory,
    ConferenceFactory,
    HouseholdFactory,
    ProfessionalFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 14)


def test_each_event_is_on_every_subject_childs_trail_and_no_other(administrator, chair):
    household = HouseholdFactory.create()
    older, younger = ChildFactory.create_batch(2, household=household)
    # Ordered first by date of birth on SQLite: the unborn sibling once took every report event.
    unborn = ChildFactory.create(
        household=household, date_of_birth=None, expected_date_of_birth=date(2027, 2, 1)
    )
    stranger = ChildFactory.create()
    conference = ConferenceFactory.create(
        household=household, status=ConferenceStatus.TO_ARRANGE, date=None
    )
    for kid in (older, younger):
        ConferenceChild.objects.create(conference=conference, child=kid)
    ConferenceChild.objects.create(
        conference=conference, child=unborn, is_subject=False, not_subject_reason="Not born yet"
    )
    police = AgencyFactory.create(name="Testshire Police", type=AgencyType.POLICE)
    officer = UserFactory.create(agency=police, roles=[Role.AGENCY_PROFESSIONAL])
    by, by_chair, by_officer = Actor(administrator), Actor(chair), Actor(officer)

    with time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=UTC), tick=False):
        convening.conference_schedule(
            conference=conference,
            date=DAY,
            starts_at=time(10),
            ends_at=time(12),
            mode=MeetingMode.IN_PERSON,
            venue="Northmoor Civic Centre",
            chair=chair,
            version=conference.version,
            by=by,
            today=date(2026, 12, 1),
        )
        pro = ProfessionalFactory.create(agency=police, user=officer, email="pip@police.example")
        invitations.invitation_add(
            conference=conference, role=InviteeRole.PROFESSIONAL, professional=pro, by=by
        )
        parent = invitations.invitation_add(
            conference=conference,
            role=InviteeRole.PARENT_CARER,
            name="A Parent",
            email="parent@example.com",
            by=by,
        )
        conference.refresh_from_db()
        invitations.invitations_send(
            conference=conference,
            conference_version=conference.version,
            today=date(2026, 12, 1),
            stamp=datetime(2026, 12, 1, 10, tzinfo=UTC),
            by=by,
        )
        [police_report] = reports.report_request(conference=conference, by=by)
        reports.report_save_draft(
            report=police_report,
            version=police_report.version,
            facts="Known to police.",
            allegations="",
            opinions="Concerned.",
            worries="",
            working_well="",
            recommendation="A plan.",
            by=by_officer,
        )
        exclusion = exclusions.exclusion_request(
            conference=conference,
            invitation=parent,
            grounds="Risk of violence",
            evidence="Police log",
            today=date(2026, 12, 1),
            by=by_officer,
        )
        exclusions.exclusion_decide(
            exclusion=exclusion,
            version=exclusion.version,
            decision=ExclusionDecision.PART,
            parts="While the police speak",
            reasons="An open investigation",
            today=date(2026, 12, 1),
            by=by_chair,
        )
        contributions.contribution_upload(
            conference=conference,
            kind=ContributionKind.STATEMENT,
            from_whom="The older child",
            child=older,
            name="words.txt",
            data=b"I want to stay at home.",
            by=by,
        )
    conference.refresh_from_db()
    entries = [
        meeting.AttendanceEntry(invitation.pk, Attendance.PRESENT)
        for invitation in conference.invitations.all()
    ]
    meeting.attendance_record(
        conference=conference, entries=entries, version=conference.version, by=by, today=DAY
    )
    conference.refresh_from_db()
    meeting.conference_mark_held(
        conference=conference,
        inquorate_reason="The family asked for it to go ahead",
        version=conference.version,
        by=by_chair,
        today=DAY,
    )

    events = AuditEvent.objects.exclude(verb=AuditVerb.IMPORTED)
    per_child = Counter(events.values_list("child_id", flat=True))
    assert per_child[unborn.pk] == 0
    assert per_child[stranger.pk] == 0
    assert None not in per_child
    trail = {
        kid.pk: sorted(
            events.filter(child=kid).values_list("verb", "object_type", "object_id", "reason")
        )
        for kid in (older, younger)
    }
    assert trail[older.pk] == trail[younger.pk]
    types = {object_type for _, object_type, _, _ in trail[older.pk]}
    assert types >= {
        "conferences.Conference",
        "conferences.Invitation",
        "conferences.Report",
        "conferences.ExclusionRequest",
        "conferences.Contribution",
    }
