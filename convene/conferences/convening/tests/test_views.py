"""The convening pages: who may use them, what they show, and how they refuse bad input."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from convene.access.enums import Role
from convene.access.models import User
from convene.conferences.convening import services as convening
from convene.conferences.enums import ConferenceStatus, Route
from convene.conferences.models import Conference
from convene.core.services import Actor
from convene.people.models import Child
from convene.referrals.models import Section47Enquiry
from convene.returns import deadline_store
from convene.testing.factories import ChildFactory, PlanFactory, UserFactory

pytestmark = pytest.mark.django_db

AsUser = Callable[[User], Client]
TODAY = date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel("2026-11-02 10:00 +00:00", tick=False):
        yield


@pytest.fixture
def sibling(child: Child) -> Child:
    return ChildFactory.create(first_name="Sami", household=child.household)


@pytest.fixture
def enquiry(child: Child, social_worker: User) -> Section47Enquiry:
    return convening.enquiry_record(
        household=child.household,
        children=[child],
        strategy_discussion_date=TODAY,
        by=Actor(social_worker),
        today=TODAY,
    )[0]


@pytest.fixture
def conference(enquiry: Section47Enquiry, team_manager: User, sibling: Child) -> Conference:
    made = convening.conference_decide(
        enquiries=[enquiry],
        convene=True,
        decided_on=TODAY,
        considered=[
            convening.Consideration(enquiry.child, True),
            convening.Consideration(sibling, False, "Visits only"),
        ],
        by=Actor(team_manager),
        today=TODAY,
    )
    assert made is not None
    return made


@pytest.fixture
def other_social_worker() -> User:
    return UserFactory.create(first_name="Other", roles=[Role.SOCIAL_WORKER])


def schedule_data(chair: User, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "date_day": "19",
        "date_month": "11",
        "date_year": "2026",
        "starts_at": "10:00",
        "ends_at": "12:00",
        "mode": "in_person",
        "venue": "Civic Centre",
        "virtual_link": "",
        "chair": str(chair.pk),
        "delay_reason": "",
        "version": "1",
    }
    data.update(changes)
    return data


def child_pages(child: Child) -> list[str]:
    return [
        reverse("conferences:enquiry-record", args=[child.pk]),
        reverse("conferences:decide", args=[child.pk]),
        reverse("conferences:start", args=[child.pk]),
        reverse("conferences:start-route", args=[child.pk, Route.TRANSFER_IN]),
    ]


@pytest.mark.parametrize("persona", ["outsider", "police_officer", "other_social_worker"])
def test_the_start_pages_are_not_found_for_people_who_may_not_use_them(
    persona: str, request: pytest.FixtureRequest, as_user: AsUser, child_known_to_police: Child
) -> None:
    client = as_user(request.getfixturevalue(persona))
    for url in child_pages(child_known_to_police):
        assert client.get(url).status_code == 404, url


def test_a_social_worker_may_not_decide_or_start_a_conference(
    as_user: AsUser, social_worker: User, child: Child
) -> None:
    client = as_user(social_worker)
    assert client.get(reverse("conferences:decide", args=[child.pk])).status_code == 404
    assert client.get(reverse("conferences:start", args=[child.pk])).status_code == 404


@pytest.mark.parametrize(
    "persona", ["outsider", "police_officer", "social_worker", "team_manager", "chair"]
)
def test_the_schedule_and_cancel_pages_are_only_for_administrators(
    persona: str, request: pytest.FixtureRequest, as_user: AsUser, conference: Conference
) -> None:
    client = as_user(request.getfixturevalue(persona))
    for name in ("conferences:schedule", "conferences:cancel"):
        assert client.get(reverse(name, args=[conference.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["outsider", "police_officer", "social_worker"])
def test_the_conferences_list_is_not_found_for_others(
    persona: str, request: pytest.FixtureRequest, as_user: AsUser
) -> None:
    client = as_user(request.getfixturevalue(persona))
    assert client.get(reverse("conferences:list")).status_code == 404


def test_a_social_worker_records_a_strategy_discussion(
    as_user: AsUser, social_worker: User, child: Child
) -> None:
    url = reverse("conferences:enquiry-record", args=[child.pk])
    response = as_user(social_worker).post(
        url,
        {
            "children": [child.pk],
            "strategy_discussion_date_day": "2",
            "strategy_discussion_date_month": "11",
            "strategy_discussion_date_year": "2026",
        },
    )
    assert response.status_code == 302
    assert Section47Enquiry.objects.get(child=child).strategy_discussion_date == TODAY


def test_bad_input_shows_the_error_summary(
    as_user: AsUser, social_worker: User, child: Child
) -> None:
    url = reverse("conferences:enquiry-record", args=[child.pk])
    response = as_user(social_worker).post(url, {"strategy_discussion_date_day": "31"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Select the children the strategy discussion was about" in page
    assert "Date of the strategy discussion must include a month and year" in page


def test_the_decision_page_lists_every_child_of_the_household(
    as_user: AsUser, team_manager: User, child: Child, sibling: Child, enquiry: Section47Enquiry
) -> None:
    client = as_user(team_manager)
    url = reverse("conferences:decide", args=[child.pk])
    page = client.get(url).content.decode()
    assert "Is the conference about Mina Example?" in page
    assert "Is the conference about Sami Example?" in page
    response = client.post(
        url,
        {
            "enquiries": [enquiry.pk],
            "convene": "yes",
            "decided_on_day": "2",
            "decided_on_month": "11",
            "decided_on_year": "2026",
            f"subject_{child.pk}": "yes",
            f"subject_{sibling.pk}": "no",
            f"reason_{sibling.pk}": "",
        },
    )
    assert "Enter why Sami Example is not a subject of the conference" in response.content.decode()
    assert not Conference.objects.exists()
    response = client.post(
        url,
        {
            "enquiries": [enquiry.pk],
            "convene": "yes",
            "decided_on_day": "2",
            "decided_on_month": "11",
            "decided_on_year": "2026",
            f"subject_{child.pk}": "yes",
            f"subject_{sibling.pk}": "no",
            f"reason_{sibling.pk}": "Lives with father",
        },
    )
    conference = Conference.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("conferences:detail", args=[conference.pk])
    assert conference.subjects.count() == 2


def test_a_manager_starts_a_transfer_in_conference(
    as_user: AsUser, team_manager: User, child: Child
) -> None:
    url = reverse("conferences:start-route", args=[child.pk, Route.TRANSFER_IN])
    response = as_user(team_manager).post(
        url,
        {
            "counts_from_day": "2",
            "counts_from_month": "11",
            "counts_from_year": "2026",
            f"subject_{child.pk}": "yes",
        },
    )
    assert response.status_code == 302
    assert Conference.objects.get().route == Route.TRANSFER_IN


def test_the_overview_shows_the_deadline_with_its_explanation(
    as_user: AsUser, administrator: User, conference: Conference
) -> None:
    page = as_user(administrator).get(reverse("conferences:detail", args=[conference.pk]))
    text = page.content.decode()
    assert "Monday 23 November 2026" in text
    assert "15 working days after the strategy discussion (London CP4 §1.7)" in text
    assert reverse("conferences:schedule", args=[conference.pk]) in text


def test_the_overview_offers_arranging_only_to_administrators_and_only_before_it_is_held(
    as_user: AsUser,
    administrator: User,
    team_manager: User,
    conference: Conference,
) -> None:
    url = reverse("conferences:detail", args=[conference.pk])
    pages = ("conferences:schedule", "conferences:cancel")
    links = [reverse(name, args=[conference.pk]) for name in pages]
    manager_page = as_user(team_manager).get(url).content.decode()
    assert not any(link in manager_page for link in links)
    Conference.objects.filter(pk=conference.pk).update(
        status=ConferenceStatus.HELD, date=date(2026, 10, 30)
    )
    deadline_store.refresh_for(conference)
    held_page = as_user(administrator).get(url).content.decode()
    assert not any(link in held_page for link in links)


def test_the_list_shows_conferences_to_arrange_with_their_deadline(
    as_user: AsUser, chair: User, conference: Conference
) -> None:
    page = as_user(chair).get(reverse("conferences:list")).content.decode()
    assert "23 November 2026" in page and "Mina Example" in page and "To arrange" in page


def test_the_chair_picker_offers_chairs_and_explains_who_is_not_offered(
    as_user: AsUser, administrator: User, chair: User, team_manager: User, conference: Conference
) -> None:
    team_manager.role_grants.create(role=Role.CONFERENCE_CHAIR)
    page = as_user(administrator).get(reverse("conferences:schedule", args=[conference.pk]))
    text = page.content.decode()
    assert f'value="{chair.pk}"' in text
    assert f'value="{team_manager.pk}"' not in text
    assert "the team manager of Mina Example" in text


def test_a_conflicted_chair_posted_anyway_is_refused_with_the_reason(
    as_user: AsUser, administrator: User, social_worker: User, conference: Conference
) -> None:
    social_worker.role_grants.create(role=Role.CONFERENCE_CHAIR)
    url = reverse("conferences:schedule", args=[conference.pk])
    response = as_user(administrator).post(url, schedule_data(social_worker))
    assert "There is a problem" in response.content.decode()
    assert "allocated social worker for Mina Example" in response.content.decode()


def test_scheduling_on_a_working_day_saves_at_once(
    as_user: AsUser, administrator: User, chair: User, conference: Conference
) -> None:
    url = reverse("conferences:schedule", args=[conference.pk])
    response = as_user(administrator).post(url, schedule_data(chair))
    conference.refresh_from_db()
    assert response.status_code == 302
    assert conference.status == ConferenceStatus.SCHEDULED


def test_a_weekend_date_asks_to_check_before_saving(
    as_user: AsUser, administrator: User, chair: User, conference: Conference
) -> None:
    client = as_user(administrator)
    url = reverse("conferences:schedule", args=[conference.pk])
    data = schedule_data(chair, date_day="21")
    response = client.post(url, data)
    assert "Check the date: Saturday 21 November 2026 is a weekend" in response.content.decode()
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.TO_ARRANGE
    response = client.post(url, {**data, "change": "yes"})
    assert 'name="date_day"' in response.content.decode()
    response = client.post(url, {**data, "confirmed": "yes"})
    conference.refresh_from_db()
    assert response.status_code == 302
    assert conference.date == date(2026, 11, 21)


def test_an_afternoon_start_warns_about_the_school_run(
    as_user: AsUser, administrator: User, chair: User, conference: Conference
) -> None:
    url = reverse("conferences:schedule", args=[conference.pk])
    data = schedule_data(chair, starts_at="14:45", ends_at="16:00")
    response = as_user(administrator).post(url, data)
    assert "parents may be collecting children from school" in response.content.decode()


def test_a_late_date_without_a_reason_shows_the_error_summary(
    as_user: AsUser, administrator: User, chair: User, conference: Conference
) -> None:
    url = reverse("conferences:schedule", args=[conference.pk])
    response = as_user(administrator).post(url, schedule_data(chair, date_day="24"))
    text = response.content.decode()
    assert "There is a problem" in text
    assert "after the deadline of 23 November 2026" in text


def test_a_stale_schedule_form_is_refused(
    as_user: AsUser, administrator: User, chair: User, conference: Conference
) -> None:
    client = as_user(administrator)
    url = reverse("conferences:schedule", args=[conference.pk])
    client.post(url, schedule_data(chair))
    response = client.post(url, schedule_data(chair, date_day="20"))
    assert "This changed since you opened it" in response.content.decode()
    conference.refresh_from_db()
    assert conference.date == date(2026, 11, 19)


def test_cancelling_needs_a_reason(
    as_user: AsUser, administrator: User, conference: Conference
) -> None:
    client = as_user(administrator)
    url = reverse("conferences:cancel", args=[conference.pk])
    response = client.post(url, {"reason": "", "version": "1"})
    assert "Enter why the conference is cancelled" in response.content.decode()
    response = client.post(url, {"reason": "Moved away", "version": "1"})
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.CANCELLED


def test_the_childs_record_links_to_the_pages_the_person_may_use(
    as_user: AsUser, social_worker: User, team_manager: User, child: Child
) -> None:
    url = reverse("people:child-detail", args=[child.pk])
    worker_page = as_user(social_worker).get(url).content.decode()
    assert "Record a strategy discussion" in worker_page
    assert "Decide whether to convene" not in worker_page
    manager_page = as_user(team_manager).get(url).content.decode()
    assert "Decide whether to convene" in manager_page and "Start a conference" in manager_page


def test_each_page_opens_for_the_person_it_is_for(
    as_user: AsUser,
    social_worker: User,
    team_manager: User,
    administrator: User,
    child: Child,
    conference: Conference,
) -> None:
    pages = [
        (social_worker, reverse("conferences:enquiry-record", args=[child.pk])),
        (team_manager, reverse("conferences:decide", args=[child.pk])),
        (team_manager, reverse("conferences:start", args=[child.pk])),
        (team_manager, reverse("conferences:start-route", args=[child.pk, Route.PRE_BIRTH])),
        (administrator, reverse("conferences:start-route", args=[child.pk, Route.REVIEW])),
        (administrator, reverse("conferences:list")),
        (administrator, reverse("conferences:schedule", args=[conference.pk])),
        (administrator, reverse("conferences:cancel", args=[conference.pk])),
    ]
    for person, url in pages:
        assert as_user(person).get(url).status_code == 200, url


def test_an_administrator_may_start_a_review_but_not_a_transfer_in(
    as_user: AsUser, administrator: User, child: Child
) -> None:
    client = as_user(administrator)
    start = reverse("conferences:start", args=[child.pk])
    # No plan and no deferred decision: nothing an administrator may start, so no link and
    # no page (the service would refuse a review without a plan).
    record = client.get(reverse("people:child-detail", args=[child.pk])).content.decode()
    assert start not in record
    assert client.get(start).status_code == 404
    PlanFactory.create(child=child, start_date=date(2026, 1, 5))
    page = client.get(start)
    assert page.status_code == 200
    assert Route.REVIEW.label in page.content.decode()
    assert Route.RECONVENED.label not in page.content.decode()
    # Nor the strategy discussion, which administrators do not record.
    assert reverse("conferences:enquiry-record", args=[child.pk]) not in page.content.decode()
    assert Route.TRANSFER_IN.label not in page.content.decode()
    url = reverse("conferences:start-route", args=[child.pk, Route.TRANSFER_IN])
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("conferences:start-route", args=[child.pk, "nonsense"])).status_code
        == 404
    )


def test_a_start_with_no_date_shows_the_error_summary(
    as_user: AsUser, team_manager: User, child: Child
) -> None:
    url = reverse("conferences:start-route", args=[child.pk, Route.EMERGENCY_PROTECTION_ORDER])
    response = as_user(team_manager).post(url, {f"subject_{child.pk}": "yes"})
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Enter the date the emergency protection order ends" in text


def test_a_second_strategy_discussion_while_the_first_enquiry_is_open_shows_why(
    as_user: AsUser, social_worker: User, child: Child, enquiry: Section47Enquiry
) -> None:
    """DfE census rule 8890: a section 47 enquiry may not start while another is ongoing."""
    url = reverse("conferences:enquiry-record", args=[child.pk])
    response = as_user(social_worker).post(
        url,
        {
            "children": [child.pk],
            "strategy_discussion_date_day": "2",
            "strategy_discussion_date_month": "11",
            "strategy_discussion_date_year": "2026",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert (
        "Mina Example already has a section 47 enquiry open since 2 November 2026: record the "
        "conference for that enquiry, or end it first"
    ) in page
    assert 'href="#id_children_0"' in page
    assert Section47Enquiry.objects.filter(child=child).count() == 1


def test_starting_an_initial_conference_while_one_is_open_shows_why(
    as_user: AsUser, team_manager: User, child: Child, sibling: Child, conference: Conference
) -> None:
    url = reverse("conferences:start-route", args=[child.pk, Route.EMERGENCY_PROTECTION_ORDER])
    response = as_user(team_manager).post(
        url,
        {
            "counts_from_day": "9",
            "counts_from_month": "11",
            "counts_from_year": "2026",
            f"subject_{child.pk}": "yes",
            f"subject_{sibling.pk}": "no",
            f"reason_{sibling.pk}": "Visits only",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert (
        "Mina Example already has an open initial child protection conference, decided on "
        "2 November 2026: hold or cancel it first"
    ) in page
    assert Conference.objects.count() == 1


def test_the_decide_page_offers_the_strategy_discussion_only_to_those_who_record_it(
    as_user: AsUser, senior_manager: User, team_manager: User, child: Child
) -> None:
    url = reverse("conferences:decide", args=[child.pk])
    record = reverse("conferences:enquiry-record", args=[child.pk])
    assert record in as_user(team_manager).get(url).content.decode()
    assert record not in as_user(senior_manager).get(url).content.decode()
    assert as_user(senior_manager).get(record).status_code == 404
