"""Keeping the plan up to date between conferences (London CP4 §9.7 to §9.9, §14.3): every
change refused on a plan that is not open, refused from a stale page, and audited on the
child's trail."""

from __future__ import annotations

from datetime import date

import pytest

from convene.access.enums import AuditVerb, Role
from convene.access.models import AuditEvent
from convene.core.services import Actor, ServiceError, StaleEdit
from convene.plans.enums import ActionStatus, CoreGroupKind
from convene.plans.models import ActionUpdate, Plan
from convene.plans.plan_page import services
from convene.returns import deadline_store
from convene.testing.factories import (
    ActionFactory,
    CoreGroupMeetingFactory,
    CoreGroupMemberFactory,
    ObjectiveFactory,
    PlanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)


@pytest.fixture
def plan(child) -> Plan:
    return PlanFactory.create(child=child, start_date=date(2026, 1, 12))


@pytest.fixture
def by(social_worker) -> Actor:
    return Actor(social_worker)


def _trail(plan: Plan) -> list[str]:
    return list(
        AuditEvent.objects.filter(child=plan.child).order_by("id").values_list("reason", flat=True)
    )


def test_the_lead_social_worker_and_contingency_plan_change_from_the_version_read(plan, by):
    worker = UserFactory.create(first_name="Rhian", roles=[Role.SOCIAL_WORKER])
    services.plan_update(
        plan=plan,
        lead_social_worker=worker,
        contingency_plan="  If Mina misses school again, the core group asks for a review.  ",
        sudi_discussion="",
        version=1,
        by=by,
    )
    plan.refresh_from_db()
    assert plan.lead_social_worker == worker and plan.version == 2
    assert plan.contingency_plan == "If Mina misses school again, the core group asks for a review."
    assert _trail(plan)[-1].startswith("Plan changed")
    with pytest.raises(StaleEdit):
        services.plan_update(
            plan=plan,
            lead_social_worker=worker,
            contingency_plan="Someone else's words",
            sudi_discussion="",
            version=1,
            by=by,
        )


@pytest.mark.parametrize("how", ["ended", "elsewhere"])
def test_a_plan_that_is_not_open_cannot_change(plan, by, how):
    if how == "ended":
        Plan.objects.filter(pk=plan.pk).update(end_date=date(2026, 3, 1))
    else:
        Plan.objects.filter(pk=plan.pk).update(other_authority=True)
    plan.refresh_from_db()
    deadline_store.refresh_for(plan)
    member = CoreGroupMemberFactory.create(plan=plan)
    action = ActionFactory.create(plan=plan, owner=member, due=date(2026, 4, 1))
    refused = [
        lambda: services.objective_add(plan=plan, text="Mina is safe at home", by=by),
        lambda: services.member_add(
            plan=plan, kind=CoreGroupKind.CHILD, name="Mina", role="The child", agency=None, by=by
        ),
        lambda: services.action_progress(
            action=action,
            status=ActionStatus.DONE,
            progress="Done",
            version=action.version,
            by=by,
            today=TODAY,
        ),
    ]
    for attempt in refused:
        with pytest.raises(ServiceError, match="Only an open plan"):
            attempt()


def test_an_objective_changes_from_the_plans_version(plan, by):
    objective = ObjectiveFactory.create(plan=plan, text="Mina goes to school")
    services.objective_change(
        objective=objective, text="Mina goes to school every day", version=1, by=by
    )
    assert objective.text == "Mina goes to school every day"
    with pytest.raises(StaleEdit):
        services.objective_change(objective=objective, text="Other words", version=1, by=by)
    assert "Objective changed (it was: Mina goes to school)" in _trail(plan)
    with pytest.raises(ServiceError, match="Enter what the plan is to achieve"):
        services.objective_change(objective=objective, text=" ", version=2, by=by)


def test_a_member_who_owns_open_actions_cannot_leave_until_they_are_given_to_someone(plan, by):
    mother = CoreGroupMemberFactory.create(plan=plan, name="Jo Example")
    aunt = CoreGroupMemberFactory.create(plan=plan, name="Sam Example", role="Aunt")
    action = ActionFactory.create(plan=plan, owner=mother, due=date(2026, 4, 1))
    with pytest.raises(ServiceError, match="Jo Example owns 1 open action: give it"):
        services.member_leave(member=mother, left_on=TODAY, version=1, by=by, today=TODAY)
    services.action_change(
        action=action,
        text=action.text,
        owner=aunt,
        due=action.due,
        objective=None,
        version=action.version,
        by=by,
        today=TODAY,
    )
    services.member_leave(member=mother, left_on=TODAY, version=1, by=by, today=TODAY)
    assert mother.left_on == TODAY
    with pytest.raises(ServiceError, match="left the core group on 10 March 2026"):
        services.member_leave(member=mother, left_on=TODAY, version=2, by=by, today=TODAY)
    # Someone who has left is no one to give an action to.
    with pytest.raises(ServiceError) as refused:
        services.action_add(
            plan=plan, text="Call Mina", owner=mother, due=TODAY, objective=None, by=by, today=TODAY
        )
    assert "owner" in refused.value.problems


@pytest.mark.parametrize(
    ("left_on", "message"),
    [
        (None, "Enter the date they left"),
        (date(2026, 3, 11), "must be today or in the past"),
        (date(2026, 1, 11), "on or after the plan started (12 January 2026)"),
    ],
)
def test_the_day_a_member_left_is_checked(plan, by, left_on, message):
    member = CoreGroupMemberFactory.create(plan=plan)
    with pytest.raises(ServiceError) as refused:
        services.member_leave(member=member, left_on=left_on, version=1, by=by, today=TODAY)
    assert message in refused.value.problems["left_on"]


def test_an_overdue_action_keeps_its_date_while_its_words_change_but_a_new_date_is_ahead(plan, by):
    action = ActionFactory.create(plan=plan, due=date(2026, 3, 1), text="Book a GP visit")
    services.action_change(
        action=action,
        text="Book a visit to the family doctor",
        owner=action.owner,
        due=date(2026, 3, 1),
        objective=None,
        version=1,
        by=by,
        today=TODAY,
    )
    with pytest.raises(ServiceError) as refused:
        services.action_change(
            action=action,
            text=action.text,
            owner=action.owner,
            due=date(2026, 3, 5),
            objective=None,
            version=2,
            by=by,
            today=TODAY,
        )
    assert refused.value.problems == {"due": "The date it is due must be today or in the future"}
    with pytest.raises(StaleEdit):
        services.action_change(
            action=action,
            text="Stale words",
            owner=action.owner,
            due=date(2026, 4, 5),
            objective=None,
            version=1,
            by=by,
            today=TODAY,
        )
    assert "Action changed: what is to be done" in _trail(plan)


def test_an_action_of_a_member_who_left_may_change_without_moving(plan, by):
    member = CoreGroupMemberFactory.create(plan=plan, left_on=date(2026, 3, 1))
    action = ActionFactory.create(plan=plan, owner=member, due=date(2026, 4, 1))
    services.action_change(
        action=action,
        text="New words",
        owner=member,
        due=action.due,
        objective=None,
        version=1,
        by=by,
        today=TODAY,
    )
    assert action.text == "New words"


def test_progress_updates_the_action_and_keeps_its_history(plan, by):
    action = ActionFactory.create(plan=plan, due=date(2026, 4, 1))
    services.action_progress(
        action=action,
        status=ActionStatus.IN_PROGRESS,
        progress="Two of four sessions done",
        version=1,
        by=by,
        today=date(2026, 3, 2),
    )
    with pytest.raises(ServiceError, match="Say what was done"):
        services.action_progress(
            action=action, status=ActionStatus.DONE, progress="", version=2, by=by, today=TODAY
        )
    with pytest.raises(ServiceError, match="Enter the progress made"):
        services.action_progress(
            action=action,
            status=ActionStatus.IN_PROGRESS,
            progress="",
            version=2,
            by=by,
            today=TODAY,
        )
    services.action_progress(
        action=action,
        status=ActionStatus.DONE,
        progress="All four sessions done",
        version=2,
        by=by,
        today=TODAY,
    )
    action.refresh_from_db()
    assert (action.status, action.done_on, action.progress) == (
        ActionStatus.DONE,
        TODAY,
        "All four sessions done",
    )
    history = list(action.updates.values_list("date", "status", "progress", "recorded_by"))
    assert history == [
        (date(2026, 3, 2), "in_progress", "Two of four sessions done", by.user.pk),
        (TODAY, "done", "All four sessions done", by.user.pk),
    ]
    with pytest.raises(StaleEdit):
        services.action_progress(
            action=action,
            status=ActionStatus.IN_PROGRESS,
            progress="x",
            version=2,
            by=by,
            today=TODAY,
        )
    assert AuditEvent.objects.filter(
        child=plan.child, verb=AuditVerb.CHANGED, reason="Progress recorded: Done"
    ).exists()


def test_actions_agreed_and_changed_at_a_meeting_go_in_its_record(plan, by):
    meeting = CoreGroupMeetingFactory.create(plan=plan, date=date(2026, 3, 9), status="held")
    owner = CoreGroupMemberFactory.create(plan=plan)
    agreed = services.action_add(
        plan=plan,
        text="Register with a dentist",
        owner=owner,
        due=date(2026, 4, 30),
        objective=None,
        by=by,
        today=TODAY,
        meeting=meeting,
    )
    services.action_change(
        action=agreed,
        text=agreed.text,
        owner=owner,
        due=date(2026, 5, 29),
        objective=None,
        version=1,
        by=by,
        today=TODAY,
        meeting=meeting,
    )
    recorded = list(ActionUpdate.objects.filter(meeting=meeting).values_list("date", "progress"))
    assert recorded == [
        (date(2026, 3, 9), "New action agreed at this meeting"),
        (date(2026, 3, 9), "Changed at this meeting: due by, from 30 April 2026 to 29 May 2026"),
    ]
    other = CoreGroupMeetingFactory.create(date=date(2026, 3, 9), status="held")
    with pytest.raises(ServiceError, match="another plan"):
        services.action_add(
            plan=plan,
            text="x",
            owner=owner,
            due=TODAY,
            objective=None,
            by=by,
            today=TODAY,
            meeting=other,
        )
