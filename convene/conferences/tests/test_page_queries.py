"""Each conference page makes the same number of queries for a household of one child as for a
household of six with many invitations, reports, contributions and requests to exclude someone
(STYLE.md: reads are selectors, so a page's query count does not grow with the data)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from convene.access.models import User
from convene.conferences.enums import (
    Attendance,
    ConferenceStatus,
    ConferenceType,
    ContributionKind,
    ExclusionDecision,
    InviteeRole,
    ReportKind,
    ReportStatus,
    Route,
)
from convene.conferences.models import (
    Conference,
    Contribution,
    ExclusionRequest,
    Invitation,
    ParticipantView,
    RecordingRequest,
    SafetyScore,
)
from convene.people.enums import AgencyType
from convene.people.models import Agency, Child
from convene.testing.factories import (
    AdultFactory,
    AgencyFactory,
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    InvitationFactory,
    InvolvementFactory,
    PlanFactory,
    ProfessionalFactory,
    ReportFactory,
)
from convene.testing.pages import count_queries

pytestmark = pytest.mark.django_db

# The conference is held on Tuesday 10 March 2026; the pages are opened that afternoon, so the
# attendance register is open and reports are late.
DAY = date(2026, 3, 10)
ON_THE_DAY = "2026-03-10 15:00 +0000"


@dataclasses.dataclass
class Busy:
    """A conference that can be made busier, and the people who look at it."""

    conference: Conference
    chair: User
    administrator: User
    police: Agency
    grown: int = 0

    def grow(self) -> None:
        """Five more children, 23 more invitations, 8 more reports, 10 contributions, four
        requests to exclude someone, three to record the meeting, and two other conferences."""
        self.grown += 1
        household = self.conference.household
        agencies = [_agency(f"Agency {self.grown}-{n}", AgencyType.HEALTH) for n in range(4)]
        for n in range(5):
            child = ChildFactory.create(household=household, date_of_birth=date(2015 + n, 1, 1))
            ConferenceChildFactory.create(conference=self.conference, child=child)
            for agency in agencies[:2]:
                _involved(child, agency)
            _invite(self.conference, InviteeRole.CHILD, child=child)
        for n in range(6):
            adult = AdultFactory.create(household=household)
            invitation = _invite(self.conference, InviteeRole.PARENT_CARER, adult=adult)
            if n < 4:
                _exclusion(self.conference, invitation, self.administrator, decided=n % 2 == 1)
        for n in range(8):
            agency = agencies[n % len(agencies)]
            _professional(self.conference, agency, interpreter=n % 3 == 0)
            ReportFactory.create(
                conference=self.conference,
                agency=agency,
                status=ReportStatus.SUBMITTED if n % 2 else ReportStatus.REQUESTED,
                submitted_on=date(2026, 3, 2) if n % 2 else None,
            )
        for n in range(3):
            InvitationFactory.create(
                conference=self.conference,
                role=InviteeRole.OBSERVER,
                professional=ProfessionalFactory.create(agency=agencies[n]),
            )
        InvitationFactory.create(
            conference=self.conference,
            professional=ProfessionalFactory.create(agency=agencies[3]),
            agency=None,
            attendance=Attendance.APOLOGIES,
        )
        for n in range(3):
            RecordingRequest.objects.create(conference=self.conference, requested_by=f"Parent {n}")
        for n in range(10):
            _contribution(self.conference, self.administrator, child=None if n % 2 else child)
        PlanFactory.create(child=child, start_date=date(2026, 1, 20))
        # A first review (counting from the plan's start) and a later one.
        for status, counts_from in (
            (ConferenceStatus.SCHEDULED, date(2026, 1, 20)),
            (ConferenceStatus.TO_ARRANGE, date(2026, 2, 1)),
        ):
            other = ConferenceFactory.create(
                type=ConferenceType.REVIEW,
                route=Route.REVIEW,
                counts_from=counts_from,
                date=DAY if status == ConferenceStatus.SCHEDULED else None,
                status=status,
                chair=self.chair,
                household=household,
            )
            ConferenceChildFactory.create(conference=other, child=child)
            _invite(other, InviteeRole.CHILD, child=child)
            ReportFactory.create(conference=other, agency=agencies[0])


def _agency(name: str, type: AgencyType) -> Agency:
    return AgencyFactory.create(name=name, type=type)


def _involved(child: Child, agency: Agency) -> None:
    professional = ProfessionalFactory.create(agency=agency)
    InvolvementFactory.create(professional=professional, child=child, started=date(2026, 1, 5))


def _invite(conference: Conference, role: InviteeRole, **who: object) -> Invitation:
    return InvitationFactory.create(
        conference=conference,
        role=role,
        professional=None,
        agency=None,
        attendance=Attendance.PRESENT,
        **who,
    )


def _professional(conference: Conference, agency: Agency, *, interpreter: bool) -> Invitation:
    return InvitationFactory.create(
        conference=conference,
        professional=ProfessionalFactory.create(agency=agency),
        attendance=Attendance.PRESENT,
        interpreter_language="Polish" if interpreter else "",
    )


def _exclusion(
    conference: Conference, invitation: Invitation, by: User, *, decided: bool
) -> ExclusionRequest:
    return ExclusionRequest.objects.create(
        conference=conference,
        invitation=invitation,
        requested_by=by,
        requested_on=date(2026, 3, 2),
        grounds="Invented grounds",
        evidence="Invented evidence",
        decision=ExclusionDecision.WHOLE if decided else ExclusionDecision.PENDING,
    )


def _contribution(conference: Conference, by: User, *, child: Child | None) -> Contribution:
    return Contribution.objects.create(
        conference=conference,
        child=child,
        kind=ContributionKind.STATEMENT,
        from_whom="Their mother",
        file="contributions/2026/03/words.txt",
        content_type="text/plain",
        uploaded_by=by,
    )


def _conference(chair: User, **fields: object) -> Conference:
    return ConferenceFactory.create(
        route=Route.SECTION_47,
        counts_from=date(2026, 2, 20),
        date=DAY,
        status=ConferenceStatus.SCHEDULED,
        chair=chair,
        **fields,
    )


@pytest.fixture
def busy(chair: User, administrator: User, social_worker: User, police: Agency) -> Busy:
    """One child, three invitations and two reports, one of them the police's."""
    csc = _agency("Testshire Children's Social Care", AgencyType.CHILDRENS_SOCIAL_CARE)
    child = ChildFactory.create(social_worker=social_worker)
    conference = _conference(chair, household=child.household)
    ConferenceChildFactory.create(conference=conference, child=child)
    _involved(child, police)
    _invite(conference, InviteeRole.CHILD, child=child)
    _professional(conference, csc, interpreter=False)
    _professional(conference, police, interpreter=True)
    ReportFactory.create(conference=conference, kind=ReportKind.POLICE, agency=police)
    ReportFactory.create(conference=conference, kind=ReportKind.CHILDRENS_SOCIAL_CARE, agency=csc)
    return Busy(conference, chair, administrator, police)


def _same_queries_when_busier(busy: Busy, client: Client, url: str) -> tuple[int, int]:
    with time_machine.travel(ON_THE_DAY, tick=False):
        few = count_queries(client, url)
        busy.grow()
        busy.grow()
        many = count_queries(client, url)
    return few, many


PAGES: list[tuple[str, Callable[[Busy], str]]] = [
    ("detail", lambda b: reverse("conferences:detail", args=[b.conference.pk])),
    ("list", lambda b: reverse("conferences:list")),
    ("invitations", lambda b: reverse("conferences:invitations", args=[b.conference.pk])),
    ("reports", lambda b: reverse("conferences:reports", args=[b.conference.pk])),
    ("contributions", lambda b: reverse("conferences:contributions", args=[b.conference.pk])),
    ("attendance", lambda b: reverse("conferences:meeting-attendance", args=[b.conference.pk])),
    ("quorum", lambda b: reverse("conferences:meeting-quorum", args=[b.conference.pk])),
    ("home", lambda b: reverse("core:home")),
]
# The meeting's own pages are the chair's (and a minute-taker's).
MEETING_PAGES: list[tuple[str, Callable[[Busy], str]]] = [
    ("meeting record", lambda b: reverse("conferences:decision-record", args=[b.conference.pk])),
    ("safety scores", lambda b: reverse("conferences:decision-scores", args=[b.conference.pk])),
    ("views", lambda b: reverse("conferences:decision-views", args=[b.conference.pk])),
]


@pytest.mark.parametrize("persona", ["administrator", "chair"])
@pytest.mark.parametrize(("page", "url"), PAGES, ids=[name for name, _ in PAGES])
def test_a_conference_page_makes_as_many_queries_for_a_busy_household_as_for_a_small_one(
    busy: Busy,
    as_user: Callable[[User], Client],
    persona: str,
    page: str,
    url: Callable[[Busy], str],
) -> None:
    client = as_user(getattr(busy, persona))
    few, many = _same_queries_when_busier(busy, client, url(busy))
    assert few == many, f"{page}: {few} queries for a small conference, {many} for a busy one"


@pytest.mark.parametrize(("page", "url"), MEETING_PAGES, ids=[name for name, _ in MEETING_PAGES])
def test_a_meeting_page_makes_as_many_queries_for_a_busy_household_as_for_a_small_one(
    busy: Busy, as_user: Callable[[User], Client], page: str, url: Callable[[Busy], str]
) -> None:
    few, many = _same_queries_when_busier(busy, as_user(busy.chair), url(busy))
    assert few == many, f"{page}: {few} queries for a small conference, {many} for a busy one"


def _score_and_view_everything(busy: Busy) -> None:
    """Every participant scores every child, and gives a view on each; a decision for the
    first child, with a dissent."""
    conference = busy.conference
    children = [s.child for s in conference.subjects.all()]
    for invitation in conference.invitations.all():
        for child in children:
            SafetyScore.objects.get_or_create(
                conference=conference,
                child=child,
                invitation=invitation,
                defaults={"name": "Someone", "role": "Role", "group": "health", "score": 4},
            )
            ParticipantView.objects.create(
                conference=conference,
                child=child,
                group="health",
                name="Someone",
                view="A view",
                recorded_by=busy.chair,
            )


def test_the_decision_page_makes_as_many_queries_however_many_take_part(
    busy: Busy, as_user: Callable[[User], Client]
) -> None:
    """Issue 9: the decision page's queries do not grow with the participants and children."""
    Conference.objects.filter(pk=busy.conference.pk).update(status=ConferenceStatus.HELD)
    first = busy.conference.subjects.order_by("pk").first()
    assert first is not None
    urls = [
        reverse("conferences:decision-decide", args=[busy.conference.pk, first.child_id]),
        reverse("conferences:decision-record", args=[busy.conference.pk]),
        reverse("conferences:detail", args=[busy.conference.pk]),
    ]
    client = as_user(busy.chair)
    with time_machine.travel(ON_THE_DAY, tick=False):
        _score_and_view_everything(busy)
        few = [count_queries(client, url) for url in urls]
        busy.grow()
        busy.grow()
        _score_and_view_everything(busy)
        many = [count_queries(client, url) for url in urls]
    assert few == many
