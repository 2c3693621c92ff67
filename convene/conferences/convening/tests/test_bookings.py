"""Bookings (issue 15): a chair, a venue or a meeting link is never double-booked; a start time
already past is questioned; the chair's diary shows their week."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from convene.access.models import User
from convene.conferences.convening import rules
from convene.conferences.convening.tests.test_services import schedule
from convene.conferences.diary.views import week_starting
from convene.conferences.enums import ConferenceStatus, MeetingMode
from convene.conferences.models import Conference
from convene.core.bookings import Booking, booking_clashes, clash_message
from convene.core.services import ServiceError
from convene.people.models import Child
from convene.testing.factories import ConferenceChildFactory, ConferenceFactory, UserFactory

from .test_services import conference, enquiry, sibling  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
DAY = date(2026, 11, 19)


def booking(pk: int = 1, start: int = 10, end: int | None = 12, **changes: Any) -> Booking:
    values: dict[str, Any] = {
        "key": f"conference:{pk}",
        "what": f"conference number {pk}",
        "day": DAY,
        "starts_at": time(start),
        "ends_at": time(end) if end is not None else None,
        "chair_id": 7,
        "chair_name": "Tobias Reed",
        "venue": "Civic Centre, Room 4",
        "virtual_link": "",
    }
    return Booking(**(values | changes))


def core_group(pk: int = 1, start: int = 10, venue: str = "Civic Centre, Room 4") -> Booking:
    return Booking(
        key=f"core_group:{pk}",
        what="a core group meeting",
        day=DAY,
        starts_at=time(start),
        ends_at=None,
        venue=venue,
    )


@pytest.mark.parametrize(
    ("other", "clash"),
    [
        (booking(2), "chair"),
        (booking(2, 11, 13), "chair"),
        (booking(2, 9, 11), "chair"),
        (booking(2, 12, 14), None),  # starts as the other ends
        (booking(2, 8, 10), None),
        (booking(2, day=date(2026, 11, 20)), None),
        (booking(2, chair_id=8), "venue"),
        (booking(2, chair_id=8, venue="  civic centre,  ROOM 4 "), "venue"),
        (booking(2, chair_id=8, venue="Civic Centre, Room 5"), None),
        (booking(2, chair_id=None, venue="", virtual_link="https://meet.example/x/"), None),
        (booking(1), None),  # itself, being rescheduled
        # A core group meeting records no end time: it is taken to last an hour and a half.
        (core_group(start=11), "venue"),
        (core_group(start=9), "venue"),
        (core_group(start=8), None),
        (core_group(start=11, venue="Family Centre"), None),
    ],
)
def test_a_booking_clashes_with_an_overlapping_one_sharing_chair_or_place(
    other: Booking, clash: str | None
) -> None:
    found = booking_clashes(booking(), [other])
    assert [what for what, _ in found] == ([clash] if clash else [])


def test_a_shared_meeting_link_clashes_even_as_a_core_groups_venue() -> None:
    link = "https://meet.example/x"
    wanted = booking(venue="", virtual_link=link)
    other = booking(2, chair_id=8, venue="", virtual_link=link + "/")
    assert booking_clashes(wanted, [other]) == [("virtual_link", other)]
    meeting = core_group(start=11, venue=link)
    assert booking_clashes(wanted, [meeting]) == [("virtual_link", meeting)]
    assert booking_clashes(core_group(2, venue=link), [wanted]) == [("venue", wanted)]


def test_the_refusal_shows_the_other_booking() -> None:
    assert clash_message("chair", booking(12), booking()) == (
        "Tobias Reed is already chairing conference number 12 on Thursday 19 November 2026 "
        "from 10:00 to 12:00: choose another chair or time"
    )
    assert clash_message("venue", core_group(), booking()) == (
        "Civic Centre, Room 4 is already booked for a core group meeting on Thursday 19 "
        "November 2026 at 10:00: choose another venue or time"
    )


@pytest.mark.parametrize(
    ("day", "starts", "now", "warned"),
    [
        (DAY, time(10), datetime(2026, 11, 19, 11, 0, tzinfo=LONDON), True),
        (DAY, time(12), datetime(2026, 11, 19, 11, 0, tzinfo=LONDON), False),
        (date(2026, 11, 20), time(10), datetime(2026, 11, 19, 11, 0, tzinfo=LONDON), False),
        (DAY, time(10), None, False),
    ],
)
def test_a_start_time_already_past_today_is_questioned(
    day: date, starts: time, now: datetime | None, warned: bool
) -> None:
    warning = rules.past_start_warning(day, starts, now)
    assert bool(warning) == warned
    if warned:
        assert warning == "Check the time: 10:00 today has already passed (it is now 11:00)"


# The service -------------------------------------------------------------------------


def other_conference(chair: User | None, **changes: Any) -> Conference:
    values: dict[str, Any] = {
        "status": ConferenceStatus.SCHEDULED,
        "date": DAY,
        "starts_at": time(11),
        "ends_at": time(13),
        "chair": chair,
        "mode": MeetingMode.IN_PERSON,
        "venue": "Elsewhere",
    }
    return ConferenceFactory.create(**(values | changes))


def test_scheduling_refuses_a_chair_already_chairing_then(
    conference: Conference,  # noqa: F811
    chair: User,
    administrator: User,
) -> None:
    other = other_conference(chair)
    with pytest.raises(ServiceError, match=f"already chairing conference number {other.pk}") as e:
        schedule(conference, chair, administrator)
    assert e.value.field == "chair"
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.TO_ARRANGE


def test_scheduling_refuses_a_room_or_link_already_booked_then(
    conference: Conference,  # noqa: F811
    chair: User,
    administrator: User,
) -> None:
    other_conference(UserFactory.create(), venue="Civic Centre, Room 4")
    with pytest.raises(ServiceError, match="Civic Centre, Room 4 is already booked") as e:
        schedule(conference, chair, administrator)
    assert e.value.field == "venue"
    link = "https://meet.example.org/conference-room"
    other_conference(UserFactory.create(), mode=MeetingMode.VIRTUAL, venue="", virtual_link=link)
    with pytest.raises(ServiceError, match="meeting link is already booked") as e:
        schedule(
            conference, chair, administrator, mode=MeetingMode.VIRTUAL, venue="", virtual_link=link
        )
    assert e.value.field == "virtual_link"


def test_held_cancelled_and_back_to_back_conferences_do_not_clash(
    conference: Conference,  # noqa: F811
    chair: User,
    administrator: User,
) -> None:
    other_conference(chair, status=ConferenceStatus.CANCELLED)
    other_conference(chair, status=ConferenceStatus.HELD)
    other_conference(chair, starts_at=time(12), ends_at=time(13), venue="Civic Centre, Room 4")
    assert schedule(conference, chair, administrator).status == ConferenceStatus.SCHEDULED
    # Rescheduling it to the same time does not clash with itself.
    assert schedule(conference, chair, administrator, version=2).version == 3


# The pages ---------------------------------------------------------------------------


def test_the_schedule_page_questions_a_start_time_already_past(
    conference: Conference,  # noqa: F811
    administrator: User,
    chair: User,
    as_user: Any,
) -> None:
    client: Client = as_user(administrator)
    posted = {
        "date_day": "2",
        "date_month": "11",
        "date_year": "2026",
        "starts_at": "09:00",
        "ends_at": "11:00",
        "mode": MeetingMode.IN_PERSON,
        "venue": "Civic Centre, Room 4",
        "chair": str(chair.pk),
        "version": str(conference.version),
    }
    with time_machine.travel(datetime(2026, 11, 2, 14, 0, tzinfo=LONDON), tick=False):
        page = client.post(reverse("conferences:schedule", args=[conference.pk]), posted)
    assert page.status_code == 200
    assert "Check the time: 09:00 today has already passed (it is now 14:00)" in page.text


def test_the_chairs_diary_shows_their_week(
    chair: User, administrator: User, child: Child, as_user: Any
) -> None:
    mine = other_conference(chair, venue="Civic Centre, Room 4")
    ConferenceChildFactory.create(conference=mine, child=child)
    other_conference(UserFactory.create(), venue="Not mine")
    client: Client = as_user(chair)
    with time_machine.travel(datetime(2026, 11, 18, 9, 0, tzinfo=LONDON), tick=False):
        week = client.get(reverse("conferences:diary")).text
        next_week = client.get(reverse("conferences:diary") + "?week=2026-11-25").text
        junk = client.get(reverse("conferences:diary") + "?week=99999-1-1")
        home = client.get(reverse("core:home")).text
        refused = as_user(administrator).get(reverse("conferences:diary"))
    assert "Week beginning Monday 16 November 2026" in week
    assert "Thursday 19 November" in week and "11:00 to 13:00" in week
    assert "Civic Centre, Room 4" in week and child.display_name in week
    assert "Not mine" not in week
    assert "Week beginning Monday 23 November 2026" in next_week and "11:00" not in next_week
    assert junk.status_code == 200 and "Week beginning Monday 16 November 2026" in junk.text
    assert reverse("conferences:diary") in home
    assert refused.status_code == 404


def test_a_week_starts_on_the_monday_of_the_day_asked_for() -> None:
    on = date(2026, 11, 18)
    assert week_starting("", on) == date(2026, 11, 16)
    assert week_starting("2026-11-29", on) == date(2026, 11, 23)
    assert week_starting("nonsense", on) == date(2026, 11, 16)
    assert week_starting("0001-01-01", on) == date(2026, 11, 16)


def test_the_schedule_page_shows_the_clash_on_the_chair_field(
    conference: Conference,  # noqa: F811
    administrator: User,
    chair: User,
    as_user: Any,
) -> None:
    other = other_conference(chair)
    posted = {
        "date_day": "19",
        "date_month": "11",
        "date_year": "2026",
        "starts_at": "10:00",
        "ends_at": "12:00",
        "mode": MeetingMode.IN_PERSON,
        "venue": "Civic Centre, Room 4",
        "chair": str(chair.pk),
        "version": str(conference.version),
    }
    with time_machine.travel(datetime(2026, 11, 2, 9, 0, tzinfo=LONDON), tick=False):
        page = as_user(administrator).post(
            reverse("conferences:schedule", args=[conference.pk]), posted
        )
    assert page.status_code == 200
    assert f"is already chairing conference number {other.pk}" in page.text
    assert 'href="#id_chair_0"' in page.text  # the error summary links to the chair field
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.TO_ARRANGE
