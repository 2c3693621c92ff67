"""The administrator's and the chair's work lists: conferences to arrange or hold, what each
still needs, most urgent first, in a constant number of queries."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convene.access.models import User
from convene.conferences.enums import (
    ChildOutcome,
    ConferenceStatus,
    ConferenceType,
    InviteeRole,
    ReportStatus,
    Response,
    Route,
)
from convene.conferences.meeting.rules import ConferenceFacts, urgency_date, what_is_missing
from convene.conferences.models import Conference, ExclusionRequest
from convene.conferences.selectors import (
    UpcomingConference,
    upcoming_for_administrator,
    upcoming_for_chair,
)
from convene.people.enums import AgencyType
from convene.testing.factories import (
    AgencyFactory,
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    InvitationFactory,
    ProfessionalFactory,
    ReportFactory,
)

TODAY = date(2026, 3, 2)  # a Monday


def _facts(**changes: object) -> ConferenceFacts:
    values: dict[str, object] = {
        "status": ConferenceStatus.SCHEDULED,
        "is_initial": True,
        "has_chair": True,
        "date": date(2026, 3, 10),
        "deadline": None,
        "reports_due": date(2026, 3, 6),
        "reports_late": 0,
        "reports_waiting": 0,
        "unanswered_invitations": 0,
        "exclusions_pending": 0,
        "interpreters_not_booked": 0,
        "police_invited": True,
    }
    values.update(changes)
    return ConferenceFacts(**values)  # type: ignore[arg-type]


# The rules -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "missing"),
    [
        ({}, []),
        ({"has_chair": False}, ["No chair"]),
        ({"status": ConferenceStatus.TO_ARRANGE, "date": None}, ["No date"]),
        ({"unanswered_invitations": 1}, ["1 invitation not answered"]),
        ({"unanswered_invitations": 3}, ["3 invitations not answered"]),
        # Reports are late only once the day they were due has passed.
        (
            {"reports_waiting": 2, "reports_due": date(2026, 3, 2)},
            ["2 reports not submitted yet, due by 2 Mar 2026"],
        ),
        ({"reports_late": 2, "reports_due": date(2026, 2, 27)}, ["2 reports late"]),
        ({"reports_late": 1, "reports_due": date(2026, 2, 27)}, ["1 report late"]),
        ({"reports_waiting": 0, "reports_due": date(2026, 2, 27)}, []),
        ({"exclusions_pending": 1}, ["1 exclusion request to decide"]),
        ({"interpreters_not_booked": 2}, ["2 interpreters not booked"]),
        ({"police_invited": False}, ["Police not invited"]),
        ({"police_invited": False, "is_initial": False}, []),
        ({"date": date(2026, 2, 27)}, ["Not marked as held"]),
    ],
)
def test_what_is_missing(changes, missing):
    assert [str(m) for m in what_is_missing(_facts(**changes), today=TODAY)] == missing


def test_police_not_invited_is_the_one_a_list_can_offer_to_put_right():
    found = what_is_missing(_facts(police_invited=False, has_chair=False), today=TODAY)
    assert [(m.text, m.fix_text) for m in found] == [
        ("No chair", ""),
        ("Police not invited", "Invite the police"),
    ]


def test_a_conference_to_arrange_is_due_by_its_deadline_and_a_scheduled_one_by_its_date():
    deadline = date(2026, 3, 20)
    to_arrange = _facts(status=ConferenceStatus.TO_ARRANGE, date=None, deadline=deadline)
    assert urgency_date(to_arrange) == deadline
    assert urgency_date(_facts(deadline=deadline)) == date(2026, 3, 10)


# The selectors -------------------------------------------------------------------------


def _texts(row: UpcomingConference) -> list[str]:
    return [str(missing) for missing in row.missing]


def _to_arrange(strategy_discussion: date, **kwargs: object) -> Conference:
    conference = ConferenceFactory.create(
        status=ConferenceStatus.TO_ARRANGE,
        date=None,
        route=Route.SECTION_47,
        counts_from=strategy_discussion,
        **kwargs,
    )
    ConferenceChildFactory.create(conference=conference, child=ChildFactory.create())
    return conference


def _scheduled(on: date, **kwargs: object) -> Conference:
    kwargs.setdefault("status", ConferenceStatus.SCHEDULED)
    conference = ConferenceFactory.create(date=on, **kwargs)
    ConferenceChildFactory.create(conference=conference, child=ChildFactory.create())
    return conference


@pytest.mark.django_db
def test_most_urgent_first_by_deadline_or_date(chair):
    # London CP4 §1.7: 15 working days after the strategy discussion.
    due_16_march = _to_arrange(date(2026, 2, 23))
    on_12_march = _scheduled(date(2026, 3, 12), chair=chair)
    on_30_march = _scheduled(date(2026, 3, 30), chair=chair)
    due_9_march = _to_arrange(date(2026, 2, 16))
    decided = _scheduled(date(2026, 2, 20), status=ConferenceStatus.HELD)
    decided.subjects.update(outcome=ChildOutcome.CIN_PLAN)
    _scheduled(date(2026, 3, 5), status=ConferenceStatus.CANCELLED)
    rows = upcoming_for_administrator(today=TODAY)
    assert [row.conference for row in rows] == [due_9_march, on_12_march, due_16_march, on_30_march]
    assert [row.due for row in rows] == [
        date(2026, 3, 9),
        date(2026, 3, 12),
        date(2026, 3, 16),
        date(2026, 3, 30),
    ]
    assert rows[0].due_label == "Hold by" and rows[1].due_label == "Conference on"


@pytest.mark.django_db
def test_a_held_conference_stays_listed_until_every_decision_is_recorded(chair):
    """Issue 9: a held conference with work outstanding appeared on nobody's list."""
    held = _scheduled(date(2026, 2, 20), status=ConferenceStatus.HELD, chair=chair)
    ConferenceChildFactory.create(conference=held, child=ChildFactory.create())
    for rows in (upcoming_for_administrator(today=TODAY), upcoming_for_chair(chair, today=TODAY)):
        [row] = rows
        assert row.conference == held and row.due_label == "Held on" and not row.overdue
        assert [str(m) for m in row.missing] == ["2 decisions not recorded"]
    first, _ = held.subjects.all()
    first.outcome = ChildOutcome.CP_PLAN
    first.save()
    [row] = upcoming_for_chair(chair, today=TODAY)
    assert [str(m) for m in row.missing] == ["1 decision not recorded"]
    held.subjects.update(outcome=ChildOutcome.NO_FURTHER_ACTION)
    assert upcoming_for_chair(chair, today=TODAY) == []


@pytest.mark.django_db
def test_the_chair_sees_only_the_conferences_they_chair(chair, administrator):
    mine = _scheduled(date(2026, 3, 12), chair=chair)
    _scheduled(date(2026, 3, 11), chair=administrator)
    _to_arrange(date(2026, 2, 16))
    assert [row.conference for row in upcoming_for_chair(chair, today=TODAY)] == [mine]


@pytest.mark.django_db
def test_a_scheduled_conference_lists_what_it_still_needs(chair):
    conference = _scheduled(date(2026, 3, 4), type=ConferenceType.INITIAL)
    health = AgencyFactory.create(name="Testshire Health", type=AgencyType.HEALTH)
    InvitationFactory.create(
        conference=conference,
        professional=ProfessionalFactory.create(agency=health),
        interpreter_language="Polish",
        sent_on=date(2026, 2, 20),
    )
    parent = InvitationFactory.create(
        conference=conference,
        role=InviteeRole.PARENT_CARER,
        professional=None,
        agency=None,
        name="Alex Parent",
        response=Response.ATTENDING,
        sent_on=date(2026, 2, 20),
    )
    # London CP4 §7.8: reports reach the chair 2 working days before an initial conference,
    # so for Wednesday 4 March they were due on Monday 2 March: not late yet today.
    ReportFactory.create(conference=conference, agency=health)
    ExclusionRequest.objects.create(
        conference=conference,
        invitation=parent,
        requested_by=chair,
        requested_on=date(2026, 2, 20),
        grounds="Fictional grounds",
        evidence="Fictional evidence",
    )
    [row] = upcoming_for_administrator(today=TODAY)
    assert _texts(row) == [
        "No chair",
        "1 invitation not answered",
        "1 report not submitted yet, due by 2 Mar 2026",
        "1 exclusion request to decide",
        "1 interpreter not booked",
        "Police not invited",
    ]
    [row] = upcoming_for_administrator(today=date(2026, 3, 3))
    assert "1 report late" in _texts(row)


@pytest.mark.django_db
def test_a_review_conferences_reports_are_due_earlier(chair):
    # London CP4 §7.8: 5 working days before a review: for Monday 9 March, Monday 2 March.
    conference = _scheduled(date(2026, 3, 9), type=ConferenceType.REVIEW, chair=chair)
    ReportFactory.create(conference=conference)
    [row] = upcoming_for_chair(chair, today=date(2026, 3, 3))
    assert _texts(row) == ["1 report late"]
    ReportFactory.create(conference=conference, status=ReportStatus.SUBMITTED)
    [row] = upcoming_for_chair(chair, today=date(2026, 3, 2))
    assert _texts(row) == ["1 report not submitted yet, due by 2 Mar 2026"]


@pytest.mark.django_db
def test_a_conference_to_arrange_overdue_is_flagged():
    _to_arrange(date(2026, 1, 5))
    [row] = upcoming_for_administrator(today=TODAY)
    assert row.overdue and _texts(row) == ["No chair", "No date", "Police not invited"]


def _busy_conference(chair: User, on: date) -> Conference:
    conference = _scheduled(on, chair=chair)
    police = AgencyFactory.create(name="Testshire Police", type=AgencyType.POLICE)
    InvitationFactory.create(
        conference=conference, professional=ProfessionalFactory.create(agency=police)
    )
    InvitationFactory.create(conference=conference)
    ReportFactory.create(conference=conference)
    return conference


@pytest.mark.django_db
def test_the_work_lists_take_a_constant_number_of_queries(chair, django_assert_num_queries):
    # Seven: the first-review test is an EXISTS on the list's own query (one query fewer than
    # prefetching every open plan).
    _busy_conference(chair, date(2026, 3, 10))
    with django_assert_num_queries(7):
        upcoming_for_administrator(today=TODAY)
    for day in (11, 12, 13):
        _busy_conference(chair, date(2026, 3, day))
    _to_arrange(date(2026, 2, 16))
    with django_assert_num_queries(7):
        assert len(upcoming_for_administrator(today=TODAY)) == 5
    with django_assert_num_queries(7):
        assert len(upcoming_for_chair(chair, today=TODAY)) == 4


# The home page -------------------------------------------------------------------------


def _home_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        body = client.get(reverse("core:home")).content.decode()
    return len(queries), body


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["administrator", "chair"])
def test_the_home_page_lists_upcoming_conferences_in_constant_queries(
    as_user, request, chair, persona
):
    client = as_user(request.getfixturevalue(persona))
    with time_machine.travel("2026-03-02 09:00 +0000", tick=False):
        conferences = [_busy_conference(chair, date(2026, 3, 10))]
        few, body = _home_queries(client)
        for day in (11, 12, 13):
            conferences.append(_busy_conference(chair, date(2026, 3, day)))
        many, body = _home_queries(client)
    assert few == many
    links = [body.find(reverse("conferences:detail", args=[c.pk])) for c in conferences]
    assert -1 not in links and links == sorted(links)
    assert "Conference on 10 Mar 2026" in body
    assert "2 invitations not sent" in body


@pytest.mark.django_db
def test_a_chair_with_nothing_to_chair_is_told_so(as_user, chair):
    body = as_user(chair).get(reverse("core:home")).content.decode()
    assert "You have no conferences to chair." in body


@pytest.mark.django_db
def test_police_not_invited_links_the_administrator_to_invite_them_and_not_the_chair(
    as_user, administrator, chair
):
    conference = _scheduled(date(2026, 3, 10), chair=chair)
    invite = (
        reverse("conferences:invitations-add-professional", args=[conference.pk])
        + "?agency_type=police"
    )
    with time_machine.travel("2026-03-02 09:00 +0000", tick=False):
        for_administrator = as_user(administrator).get(reverse("core:home")).content.decode()
        for_chair = as_user(chair).get(reverse("core:home")).content.decode()
    assert "Police not invited" in for_administrator
    assert f'href="{invite}"' in for_administrator.replace("&amp;", "&")
    assert "Invite the police" in for_administrator
    assert "Police not invited" in for_chair
    assert "Invite the police" not in for_chair


@pytest.mark.django_db
def test_no_link_is_offered_once_the_police_are_invited(as_user, administrator, chair):
    conference = _busy_conference(chair, date(2026, 3, 10))
    with time_machine.travel("2026-03-02 09:00 +0000", tick=False):
        body = as_user(administrator).get(reverse("core:home")).content.decode()
    assert reverse("conferences:detail", args=[conference.pk]) in body
    assert "Police not invited" not in body and "Invite the police" not in body
