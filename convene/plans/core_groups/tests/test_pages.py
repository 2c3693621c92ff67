"""Core group meeting pages: arranging a meeting with the members invited, recording it, the
actions agreed there, who may do each, and that the pages' queries do not grow with the plan."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from convene.access.models import User
from convene.plans.enums import ActionStatus, MeetingStatus
from convene.plans.models import (
    Action,
    CoreGroupMeeting,
    CoreGroupMember,
    Plan,
    ReviewBroughtForward,
)
from convene.testing.factories import (
    ActionFactory,
    ConferenceFactory,
    CoreGroupMeetingFactory,
    CoreGroupMemberFactory,
    PlanFactory,
)
from convene.testing.pages import count_queries, main_content

pytestmark = pytest.mark.django_db

STARTED = date(2026, 3, 2)
NOW = "2026-03-17 12:00 +0000"
MET = date(2026, 3, 16)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def plan(child) -> Plan:
    plan = PlanFactory.create(
        child=child, start_date=STARTED, started_by=ConferenceFactory.create(date=STARTED)
    )
    mother = CoreGroupMemberFactory.create(plan=plan, name="Jo Example", role="Mother")
    CoreGroupMemberFactory.create(
        plan=plan, kind="professional", name="Dr Ada Okafor", role="Health visitor"
    )
    CoreGroupMemberFactory.create(
        plan=plan, name="Lee Example", role="Father", left_on=date(2026, 3, 9)
    )
    ActionFactory.create(plan=plan, owner=mother, due=date(2026, 4, 1), text="Walk to school")
    return plan


def _main(response: Any) -> str:
    """The page's <main>, from the test client's response (typed as a plain response)."""
    return main_content(response)


def _url(name: str, plan: Plan, *args: int) -> str:
    return reverse(f"plans:{name}", args=[plan.pk, *args])


def _members(plan: Plan) -> dict[str, CoreGroupMember]:
    return {m.name: m for m in plan.core_group.all()}


def test_a_meeting_is_arranged_with_the_core_group_invited(
    plan: Plan, as_user: Callable[[User], Client], social_worker: User
):
    client = as_user(social_worker)
    form = _main(client.get(_url("core-group-schedule", plan)))
    assert "Jo Example, Mother" in form and "Dr Ada Okafor, Health visitor" in form
    assert "Lee Example" not in form  # he left the core group
    saved = client.post(
        _url("core-group-schedule", plan),
        {
            "date_day": "16",
            "date_month": "3",
            "date_year": "2026",
            "starts_at": "10:00",
            "venue": "Family Centre, Room 2",
        },
    )
    assert saved.status_code == 302
    meeting = CoreGroupMeeting.objects.get(plan=plan)
    assert (meeting.status, meeting.starts_at) == (MeetingStatus.SCHEDULED, time(10, 0))
    page = _main(client.get(_url("core-group", plan, meeting.pk)))
    assert "Who is invited" in page and "Jo Example, Mother" in page
    assert "Record the meeting" in page


def test_the_record_of_a_meeting_through_its_page(
    plan: Plan, as_user: Callable[[User], Client], social_worker: User
):
    client = as_user(social_worker)
    meeting = CoreGroupMeetingFactory.create(plan=plan, date=MET, starts_at=time(10, 0))
    members = _members(plan)
    action = Action.objects.get(plan=plan)
    jo, ada = members["Jo Example"], members["Dr Ada Okafor"]
    url = _url("core-group-record", plan, meeting.pk)
    form = client.get(url)
    assert form.status_code == 200 and f'name="attended_{jo.pk}"'.encode() in form.content
    refused = client.post(url, {"version": "1", "decisions": ""})
    assert b"Select whether Jo Example came" in refused.content
    assert b"Enter what the core group decided" in refused.content
    saved = client.post(
        url,
        {
            "version": "1",
            f"attended_{jo.pk}": "yes",
            f"views_{jo.pk}": "",
            f"attended_{ada.pk}": "no",
            f"views_{ada.pk}": "Mina's weight is steady.",
            "decisions": "Keep the morning routine.",
            f"status_{action.pk}": ActionStatus.IN_PROGRESS,
            f"progress_{action.pk}": "Mina was at school 9 days of 10.",
            f"version_{action.pk}": "1",
            "early_review": "on",
            "early_review_reason": "A new incident at home.",
        },
    )
    assert saved.status_code == 302
    assert saved["Location"] == _url("core-group", plan, meeting.pk)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.early_review_requested
    assert ReviewBroughtForward.objects.get(plan=plan).due == date(2026, 4, 15)
    page = _main(client.get(_url("core-group", plan, meeting.pk)))
    assert "Mina&#x27;s weight is steady." in page and "Keep the morning routine." in page
    assert "Mina was at school 9 days of 10." in page
    assert "Add an action agreed at this meeting" in page
    again = _main(client.get(url))
    assert "already saved" in again and "<form" not in again
    plan_page = _main(client.get(_url("plan", plan)))
    assert "1 of 2" in plan_page and "Due by 15 April 2026" in plan_page


def test_an_action_agreed_at_the_meeting_goes_in_its_record(
    plan: Plan, as_user: Callable[[User], Client], social_worker: User
):
    client = as_user(social_worker)
    scheduled = CoreGroupMeetingFactory.create(plan=plan, date=date(2026, 3, 26))
    assert client.get(_url("core-group-action-add", plan, scheduled.pk)).status_code == 404
    held = CoreGroupMeetingFactory.create(plan=plan, date=MET, status=MeetingStatus.HELD)
    jo = _members(plan)["Jo Example"]
    added = client.post(
        _url("core-group-action-add", plan, held.pk),
        {
            "text": "Register Mina with a dentist",
            "owner": jo.pk,
            "due_day": "30",
            "due_month": "4",
            "due_year": "2026",
        },
    )
    assert added["Location"] == _url("core-group", plan, held.pk)
    action = Action.objects.get(plan=plan, text="Walk to school")
    changed = client.post(
        _url("core-group-action-change", plan, held.pk, action.pk),
        {
            "text": action.text,
            "owner": jo.pk,
            "due_day": "8",
            "due_month": "4",
            "due_year": "2026",
            "version": "1",
        },
    )
    assert changed.status_code == 302
    page = _main(client.get(_url("core-group", plan, held.pk)))
    assert "New action agreed at this meeting" in page
    assert "Changed at this meeting: due by, from 1 April 2026 to 8 April 2026" in page


def test_a_meeting_to_come_is_moved_or_cancelled(
    plan: Plan, as_user: Callable[[User], Client], team_manager: User
):
    client = as_user(team_manager)
    meeting = CoreGroupMeetingFactory.create(
        plan=plan, date=date(2026, 3, 26), starts_at=time(10, 0)
    )
    future = _main(client.get(_url("core-group-record", plan, meeting.pk)))
    assert "Record the meeting on the day, or after it." in future and "<form" not in future
    moved = client.post(
        _url("core-group-change", plan, meeting.pk),
        {
            "date_day": "27",
            "date_month": "3",
            "date_year": "2026",
            "starts_at": "14:00",
            "venue": "Online",
            "version": "1",
        },
    )
    assert moved.status_code == 302
    stale = client.post(_url("core-group-cancel", plan, meeting.pk), {"version": "1"})
    assert b"This changed since you opened it" in stale.content
    cancelled = client.post(_url("core-group-cancel", plan, meeting.pk), {"version": "2"})
    assert cancelled.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.date, meeting.status) == (date(2026, 3, 27), MeetingStatus.CANCELLED)
    page = _main(client.get(_url("core-group", plan, meeting.pk)))
    assert "This meeting was cancelled." in page and "Change" not in page


@pytest.mark.parametrize(
    ("persona", "reads", "writes"),
    [
        ("social_worker", True, True),
        ("team_manager", True, True),
        ("chair", True, False),
        ("administrator", True, False),
        ("police_officer", False, False),
        ("outsider", False, False),
    ],
)
def test_who_may_see_and_record_core_group_meetings(
    request, plan: Plan, as_user: Callable[[User], Client], persona: str, reads: bool, writes: bool
):
    client = as_user(request.getfixturevalue(persona))
    meeting = CoreGroupMeetingFactory.create(plan=plan, date=MET)
    assert client.get(_url("core-group", plan, meeting.pk)).status_code == (200 if reads else 404)
    for url in (
        _url("core-group-schedule", plan),
        _url("core-group-record", plan, meeting.pk),
        _url("core-group-change", plan, meeting.pk),
        _url("core-group-cancel", plan, meeting.pk),
    ):
        assert client.get(url).status_code == (200 if writes else 404), url
        if not writes:
            assert client.post(url, {"version": "1"}).status_code == 404
    assert CoreGroupMeeting.objects.get(pk=meeting.pk).status == MeetingStatus.SCHEDULED


def test_a_meeting_of_another_plan_is_not_found(
    plan: Plan, as_user: Callable[[User], Client], social_worker: User
):
    other = CoreGroupMeetingFactory.create(date=MET)
    client = as_user(social_worker)
    assert client.get(_url("core-group", plan, other.pk)).status_code == 404
    assert client.get(_url("core-group-record", plan, other.pk)).status_code == 404


# Queries -------------------------------------------------------------------------------------


def _grow(plan: Plan, n: int) -> None:
    for i in range(n):
        member = CoreGroupMemberFactory.create(plan=plan, kind="professional")
        ActionFactory.create(plan=plan, owner=member, due=date(2026, 4, 1 + i))


@pytest.mark.parametrize("held", [False, True])
def test_the_meeting_pages_make_as_many_queries_for_a_busy_plan_as_for_a_small_one(
    plan: Plan, as_user: Callable[[User], Client], social_worker: User, held: bool
):
    meeting = CoreGroupMeetingFactory.create(
        plan=plan, date=MET, status=MeetingStatus.HELD if held else MeetingStatus.SCHEDULED
    )
    client = as_user(social_worker)
    urls = [_url("core-group", plan, meeting.pk)]
    if not held:
        urls += [_url("core-group-record", plan, meeting.pk), _url("core-group-schedule", plan)]
    few = [count_queries(client, url) for url in urls]
    _grow(plan, 5)
    if held:
        for member in plan.core_group.all():
            meeting.attendance.create(member=member, attended=True)
        for action in plan.actions.all():
            action.updates.create(
                meeting=meeting, date=MET, status=action.status, recorded_by=social_worker
            )
    many = [count_queries(client, url) for url in urls]
    assert few == many


def test_a_record_made_from_a_stale_page_keeps_what_was_typed_and_saves_on_the_latest(
    plan: Plan, as_user: Callable[[User], Client], social_worker: User
):
    client = as_user(social_worker)
    meeting = CoreGroupMeetingFactory.create(plan=plan, date=MET)
    members = _members(plan)
    action = Action.objects.get(plan=plan)
    jo, ada = members["Jo Example"], members["Dr Ada Okafor"]
    typed = {
        "version": "1",
        f"attended_{jo.pk}": "yes",
        f"attended_{ada.pk}": "yes",
        "decisions": "Keep the morning routine.",
        f"status_{action.pk}": ActionStatus.IN_PROGRESS,
        f"progress_{action.pk}": "Most days.",
        f"version_{action.pk}": "1",
    }
    # Someone records progress on the action, and adds another, while the page is open.
    Action.objects.filter(pk=action.pk).update(version=2)
    ActionFactory.create(plan=plan, owner=jo, due=date(2026, 5, 1), text="Added since")
    stale = client.post(_url("core-group-record", plan, meeting.pk), typed)
    text = stale.content.decode()
    assert "This changed since you opened it" in text and "Most days." in text
    assert f'name="version_{action.pk}" value="2"' in text and "Added since" in text
    again = typed | {f"version_{action.pk}": "2"}
    added = Action.objects.get(text="Added since")
    again |= {f"status_{added.pk}": added.status, f"version_{added.pk}": "1"}
    saved = client.post(_url("core-group-record", plan, meeting.pk), again)
    assert saved.status_code == 302
    action.refresh_from_db()
    assert (action.progress, action.version) == ("Most days.", 3)


def test_a_record_with_made_up_action_fields_is_refused_not_an_error(
    plan: Plan, as_user: Callable[[User], Client], social_worker: User
):
    meeting = CoreGroupMeetingFactory.create(plan=plan, date=MET)
    other = ActionFactory.create(due=date(2026, 4, 1))  # another child's plan
    posted = {
        "version": "1",
        "version_99999999999999999999": "1",
        f"version_{other.pk}": "1",
        f"status_{other.pk}": "done",
        f"progress_{other.pk}": "Not this plan's",
    }
    page = as_user(social_worker).post(_url("core-group-record", plan, meeting.pk), posted)
    assert page.status_code == 200 and b"govuk-error-summary" in page.content
    other.refresh_from_db()
    assert other.status == ActionStatus.NOT_STARTED
