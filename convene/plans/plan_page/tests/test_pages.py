"""The plan page, the family's copy in plain words, and the pages that keep the plan up to date:
who may open and change them, what they show, and that their queries do not grow with the plan."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from convene.access.enums import AuditVerb, Role
from convene.access.models import AuditEvent, User
from convene.people.models import Child
from convene.plans.enums import ActionStatus, CoreGroupKind, MeetingStatus
from convene.plans.models import Action, CoreGroupAttendance, Objective, Plan
from convene.returns import deadline_store
from convene.testing.factories import (
    ActionFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    CoreGroupMeetingFactory,
    CoreGroupMemberFactory,
    ObjectiveFactory,
    PlanFactory,
    UserFactory,
)
from convene.testing.pages import count_queries, main_content

pytestmark = pytest.mark.django_db

STARTED = date(2026, 3, 2)
NOW = "2026-03-17 12:00 +0000"
TODAY = date(2026, 3, 17)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def plan(child: Child) -> Plan:
    plan = PlanFactory.create(
        child=child,
        start_date=STARTED,
        started_by=ConferenceFactory.create(date=STARTED),
        contingency_plan="If Mina is not safe at home, she stays with her aunt.",
    )
    mother = CoreGroupMemberFactory.create(plan=plan, name="Jo Example", role="Mother")
    objective = ObjectiveFactory.create(plan=plan, text="Mina goes to school every day")
    ActionFactory.create(
        plan=plan, owner=mother, objective=objective, due=date(2026, 3, 13), text="Walk to school"
    )
    ActionFactory.create(plan=plan, owner=mother, due=date(2026, 4, 30), text="See the dentist")
    return plan


def _main(response: Any) -> str:
    """The page's <main>, from the test client's response (typed as a plain response)."""
    return main_content(response)


def _url(name: str, plan: Plan, *args: int) -> str:
    return reverse(f"plans:{name}", args=[plan.pk, *args])


def test_the_plan_page_shows_the_plan_with_overdue_actions_and_what_is_due(
    plan: Plan, as_user: Callable[[User], Client], social_worker: User
):
    page = as_user(social_worker).get(_url("plan", plan))
    assert page.status_code == 200
    text = _main(page)
    assert "Mina goes to school every day" in text and "If Mina is not safe at home" in text
    assert "1 action is overdue" in text
    assert text.count('<br><strong class="govuk-tag govuk-tag--red">Overdue') == 1  # the action
    assert "First core group meeting" in text and "First review conference" in text
    assert "Add an objective" in text and "Arrange a core group meeting" in text
    # A child of 9 has no safer-sleeping section.
    assert "sudden unexpected death in infancy" not in text
    assert AuditEvent.objects.filter(
        child=plan.child, verb=AuditVerb.VIEWED_CHILD, reason="Opened the child protection plan"
    ).exists()


def test_an_unborn_childs_plan_has_the_safer_sleeping_discussion(
    as_user: Callable[[User], Client], social_worker: User
):
    unborn = Child.objects.create(
        la_child_id="UNBORN-1",
        last_name="Example",
        expected_date_of_birth=date(2026, 6, 1),
        social_worker=social_worker,
    )
    plan = PlanFactory.create(child=unborn, start_date=STARTED)
    text = _main(as_user(social_worker).get(_url("plan", plan)))
    assert "Safer sleeping: sudden unexpected death in infancy (SUDI)" in text
    words = _main(as_user(social_worker).get(_url("plain-words", plan)))
    assert "The plan to keep your baby safe" in words and "Sleeping safely" in words


@pytest.mark.parametrize(
    ("persona", "status", "changes"),
    [
        ("social_worker", 200, True),
        ("team_manager", 200, True),
        ("chair", 200, False),
        ("administrator", 200, False),
        ("police_officer", 404, False),
        ("outsider", 404, False),
    ],
)
def test_who_may_open_the_plan_and_who_may_change_it(
    request, plan: Plan, as_user: Callable[[User], Client], persona: str, status: int, changes: bool
):
    client = as_user(request.getfixturevalue(persona))
    page = client.get(_url("plan", plan))
    assert page.status_code == status
    if status == 200:
        assert ("Add an objective" in page.content.decode()) is changes
    # Every page that changes the plan is a 404 for those who may not change it.
    for url in (
        _url("plan-change", plan),
        _url("objective-add", plan),
        _url("member-add", plan),
        _url("action-add", plan),
        _url("action-progress", plan, plan.actions.get(text="Walk to school").pk),
    ):
        assert client.get(url).status_code == (200 if changes else 404), url
        if not changes:
            assert client.post(url, {"text": "x", "version": "1"}).status_code == 404


def test_a_professional_working_with_the_child_may_read_the_plan(
    plan: Plan, as_user: Callable[[User], Client], police_officer: User, child_known_to_police
):
    client = as_user(police_officer)
    assert client.get(_url("plan", plan)).status_code == 200
    assert client.get(_url("plain-words", plan)).status_code == 200
    assert client.get(_url("objective-add", plan)).status_code == 404


def test_an_ended_plan_shows_its_pages_without_their_forms(
    plan: Plan, as_user: Callable[[User], Client], social_worker: User
):
    Plan.objects.filter(pk=plan.pk).update(end_date=date(2026, 3, 16))
    deadline_store.refresh_for(plan)
    client = as_user(social_worker)
    page = _main(client.get(_url("plan", plan)))
    assert "Ended 16 March 2026" in page and "Add an objective" not in page
    assert "Overdue" not in page and "What is due" not in page
    add = _main(client.get(_url("objective-add", plan)))
    assert "it can no longer be changed" in add and "<form" not in add
    refused = client.post(_url("objective-add", plan), {"text": "Too late"})
    assert refused.status_code == 200 and not Objective.objects.filter(text="Too late").exists()


def test_the_social_worker_keeps_the_plan_up_to_date(
    plan: Plan, as_user: Callable[[User], Client], social_worker: User
):
    client = as_user(social_worker)
    added = client.post(_url("objective-add", plan), {"text": "Mina sees the dentist"})
    assert added.status_code == 302 and added["Location"] == _url("plan", plan)
    objective = Objective.objects.get(text="Mina sees the dentist")
    changed = client.post(
        _url("objective-change", plan, objective.pk),
        {"text": "Mina sees the dentist twice a year", "version": "1"},
    )
    assert changed.status_code == 302
    stale = client.post(
        _url("objective-change", plan, objective.pk), {"text": "Stale words", "version": "1"}
    )
    assert b"This changed since you opened it" in stale.content
    assert b"Stale words" in stale.content  # what was typed is kept
    member = client.post(
        _url("member-add", plan),
        {"kind": CoreGroupKind.FAMILY_FRIEND, "name": "Sam Example", "role": "Aunt"},
    )
    assert member.status_code == 302
    aunt = plan.core_group.get(name="Sam Example")
    action = client.post(
        _url("action-add", plan),
        {
            "text": "Take Mina to the dentist",
            "owner": aunt.pk,
            "due_day": "30",
            "due_month": "4",
            "due_year": "2026",
            "objective": objective.pk,
        },
    )
    assert action.status_code == 302
    added_action = Action.objects.get(text="Take Mina to the dentist")
    progress = client.post(
        _url("action-progress", plan, added_action.pk),
        {"status": ActionStatus.DONE, "progress": "", "version": "1"},
    )
    assert b"Say what was done" in progress.content and b"govuk-error-summary" in progress.content
    done = client.post(
        _url("action-progress", plan, added_action.pk),
        {"status": ActionStatus.DONE, "progress": "Seen on 16 March", "version": "1"},
    )
    assert done.status_code == 302
    added_action.refresh_from_db()
    assert added_action.done_on == TODAY
    page = _main(client.get(_url("plan", plan)))
    assert "Seen on 16 March" in page and "Done on 17 Mar 2026" in page


def test_the_lead_social_worker_and_contingency_plan_are_changed_with_their_version(
    plan: Plan, as_user: Callable[[User], Client], social_worker: User
):
    client = as_user(social_worker)
    form = client.get(_url("plan-change", plan))
    assert b"sudi_discussion" not in form.content  # Mina is 9
    saved = client.post(
        _url("plan-change", plan),
        {
            "lead_social_worker": social_worker.pk,
            "contingency_plan": "If Mina is hurt, an emergency strategy discussion is held.",
            "version": "1",
        },
    )
    assert saved.status_code == 302
    plan.refresh_from_db()
    assert plan.lead_social_worker == social_worker and plan.version == 2


def test_a_member_leaves_once_their_actions_are_given_to_someone_else(
    plan: Plan, as_user: Callable[[User], Client], social_worker: User
):
    client = as_user(social_worker)
    mother = plan.core_group.get()
    page = _main(client.get(_url("member-leave", plan, mother.pk)))
    assert "owns 2 open actions" in page and "<form" not in page
    Action.objects.filter(plan=plan).update(status=ActionStatus.STOPPED)
    left = client.post(
        _url("member-leave", plan, mother.pk),
        {"left_on_day": "17", "left_on_month": "3", "left_on_year": "2026", "version": "1"},
    )
    assert left.status_code == 302
    page = _main(client.get(_url("plan", plan)))
    assert "Who has left the core group" in page and "left on 17 March 2026" in page


def test_the_plain_words_page_has_the_whole_plan_and_no_abbreviations(
    plan: Plan, as_user: Callable[[User], Client], social_worker: User
):
    meeting = CoreGroupMeetingFactory.create(
        plan=plan, date=date(2026, 3, 26), venue="Family Centre, Room 2"
    )
    meeting.starts_at = "10:00"
    meeting.save()
    page = as_user(social_worker).get(_url("plain-words", plan))
    text = _main(page)
    assert "The plan to keep Mina safe" in text
    assert "because of worries about neglect (when a child&#x27;s basic needs" in text
    assert "Mina goes to school every day" in text and "Walk to school" in text
    assert "This is late" in text and "See the dentist" in text
    assert "Jo Example, Mother" in text
    assert "Thursday 26 March 2026 at 10:00 a.m., at Family Centre, Room 2" in text
    assert "The next one must be held by" in text
    assert "If Mina is not safe at home, she stays with her aunt." in text
    words = re.sub(r"<[^>]+>", " ", text)
    assert re.findall(r"\b[A-Z]{2,}\b", words) == []
    assert AuditEvent.objects.filter(
        child=plan.child, reason="Opened the plan in plain words, to print or share"
    ).exists()


def test_the_childs_record_links_to_this_authoritys_plans_only(
    plan: Plan, as_user: Callable[[User], Client], social_worker: User
):
    elsewhere = PlanFactory.create(
        child=plan.child,
        start_date=date(2024, 1, 8),
        end_date=date(2025, 1, 6),
        other_authority=True,
    )
    page = as_user(social_worker).get(reverse("people:child-detail", args=[plan.child.pk]))
    text = page.content.decode()
    assert _url("plan", plan) in text and _url("plan", elsewhere) not in text


# Queries -------------------------------------------------------------------------------------


def _grow(plan: Plan, n: int, by: User) -> None:
    """n more objectives, members, actions (with progress) and meetings (with attendance)."""
    for i in range(n):
        objective = ObjectiveFactory.create(plan=plan, text=f"Objective {i}")
        member = CoreGroupMemberFactory.create(plan=plan, kind=CoreGroupKind.PROFESSIONAL)
        CoreGroupMemberFactory.create(plan=plan, left_on=date(2026, 3, 10))
        action = ActionFactory.create(plan=plan, owner=member, objective=objective)
        ActionFactory.create(plan=plan, owner=member, status=ActionStatus.DONE)
        meeting = CoreGroupMeetingFactory.create(
            plan=plan, date=date(2026, 3, 3 + i), status=MeetingStatus.HELD
        )
        CoreGroupAttendance.objects.create(meeting=meeting, member=member, attended=True)
        action.updates.create(
            meeting=meeting, date=meeting.date, status=ActionStatus.IN_PROGRESS, recorded_by=by
        )


@pytest.mark.parametrize("name", ["plan", "plain-words"])
def test_the_plan_pages_make_as_many_queries_for_a_busy_plan_as_for_a_small_one(
    plan: Plan, as_user: Callable[[User], Client], social_worker: User, name: str
):
    client = as_user(social_worker)
    few = count_queries(client, _url(name, plan))
    _grow(plan, 4, social_worker)
    many = count_queries(client, _url(name, plan))
    assert few == many, f"{name}: {few} queries for a small plan, {many} for a busy one"


def test_the_meeting_record_of_the_conference_links_to_the_plan_for_those_who_may_open_it(
    plan: Plan, as_user: Callable[[User], Client], chair: User
):
    conference = plan.started_by
    assert conference is not None
    conference.chair = chair
    conference.save()
    ConferenceChildFactory.create(conference=conference, child=plan.child, outcome="cp_plan")
    url = reverse("conferences:decision-record", args=[conference.pk])
    assert _url("plan", plan) in as_user(chair).get(url).content.decode()
    # A minute-taker records the meeting but does not open children's records or plans.
    minutes = as_user(UserFactory.create(roles=[Role.MINUTE_TAKER])).get(url)
    assert minutes.status_code == 200 and _url("plan", plan) not in minutes.content.decode()
