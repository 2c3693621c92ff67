"""Shared set-up for the reports and exclusion tests. Everyone here is invented."""

from __future__ import annotations

import dataclasses
from datetime import date

from convene.access.enums import Role
from convene.access.models import User
from convene.authority.models import AuthoritySettings
from convene.conferences.enums import ConferenceStatus, ConferenceType, ReportKind
from convene.conferences.models import Conference, Report
from convene.people.enums import AgencyType
from convene.people.models import Agency, Child, Professional
from convene.testing.factories import (
    AgencyFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    InvitationFactory,
    InvolvementFactory,
    ProfessionalFactory,
    ReportFactory,
    UserFactory,
)

# Monday 14 December 2026. London: reports due to the chair by Thursday 10 December (initial) or
# Monday 7 December (review); exclusion requests by Wednesday 9 December.
CONFERENCE_DATE = date(2026, 12, 14)
BEFORE = "2026-12-01 10:00 +0000"


def use_profile(name: str) -> None:
    AuthoritySettings.objects.update_or_create(singleton=True, defaults={"profile": name})


def health_agency() -> Agency:
    return AgencyFactory.create(name="Testshire Health", type=AgencyType.HEALTH)


def health_visitor(child: Child) -> User:
    """An agency professional in health who works with the child: sees the conference."""
    user = UserFactory.create(
        first_name="Hana", agency=health_agency(), roles=[Role.AGENCY_PROFESSIONAL]
    )
    professional = ProfessionalFactory.create(
        name="Hana Visitor", agency=health_agency(), job_title="Health visitor", user=user
    )
    InvolvementFactory.create(professional=professional, child=child, role="Health visitor")
    return user


@dataclasses.dataclass
class Setting:
    conference: Conference
    police_report: Report
    health_report: Report
    csc_report: Report


def conference_with_reports(
    *,
    child: Child,
    chair: User,
    police: Agency,
    social_worker: User,
    conference_type: str = ConferenceType.INITIAL,
) -> Setting:
    conference = ConferenceFactory.create(
        type=conference_type,
        date=CONFERENCE_DATE,
        status=ConferenceStatus.SCHEDULED,
        chair=chair,
        household=child.household,
    )
    ConferenceChildFactory.create(conference=conference, child=child)
    # The police officers who work with the child are invited, as at every initial conference
    # (Medway; Cornwall): the police report is theirs to write (London CP4 §7.10).
    for officer in Professional.objects.filter(agency=police, involvements__child=child):
        InvitationFactory.create(conference=conference, professional=officer)
    assert social_worker.agency is not None
    return Setting(
        conference=conference,
        police_report=ReportFactory.create(
            conference=conference, kind=ReportKind.POLICE, agency=police
        ),
        health_report=ReportFactory.create(
            conference=conference, kind=ReportKind.AGENCY, agency=health_agency()
        ),
        csc_report=ReportFactory.create(
            conference=conference,
            kind=ReportKind.CHILDRENS_SOCIAL_CARE,
            agency=social_worker.agency,
        ),
    )
