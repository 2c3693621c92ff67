"""Starting and scheduling conferences: the services, their transitions and audit rows."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest

from convene.access.enums import AuditVerb, Role
from convene.access.models import AuditEvent, User
from convene.conferences import selectors
from convene.conferences.convening import services as convening
from convene.conferences.enums import (
    ChildOutcome,
    ConferenceStatus,
    ConferenceType,
    MeetingMode,
    Route,
)
from convene.conferences.models import Conference
from convene.core.services import Actor, ServiceError, StaleEdit
from convene.notifications.models import SentMessage
from convene.people.models import Child
from convene.referrals.models import Section47Enquiry
from convene.returns import deadline_store
from convene.testing.factories import (
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    PlanFactory,
    UserFactory,
)
from convene.timescales import get_profile

pytestmark = pytest.mark.django_db

LONDON = get_profile("london")
TODAY = date(2026, 11, 2)
STRATEGY = date(2026, 11, 2)  # the initial conference is due by 23 November 2026 (§1.7)


@pytest.fixture
def sibling(child: Child) -> Child:
    return ChildFactory.create(
        first_name="Sami", household=child.household, date_of_birth=date(2024, 3, 1)
    )


@pytest.fixture
def enquiry(child: Child, social_worker: User) -> Section47Enquiry:
    return convening.enquiry_record(
        household=child.household,
        children=[child],
        strategy_discussion_date=STRATEGY,
        by=Actor(social_worker),
        today=TODAY,
    )[0]


def decide(enquiry: Section47Enquiry, manager: User, sibling: Child) -> Conference:
    conference = convening.conference_decide(
        enquiries=[enquiry],
        convene=True,
        decided_on=TODAY,
        considered=[
            convening.Consideration(enquiry.child, True),
            convening.Consideration(sibling, False, "Lives here at weekends only"),
        ],
        by=Actor(manager),
        today=TODAY,
    )
    assert conference is not None
    return conference


@pytest.fixture
def conference(enquiry: Section47Enquiry, team_manager: User, sibling: Child) -> Conference:
    return decide(enquiry, team_manager, sibling)


def schedule(conference: Conference, chair: User, by: User, **changes: Any) -> Conference:
    values: dict[str, Any] = {
        "conference": conference,
        "date": date(2026, 11, 19),
        "starts_at": time(10, 0),
        "ends_at": time(12, 0),
        "mode": MeetingMode.IN_PERSON,
        "venue": "Civic Centre, Room 4",
        "chair": chair,
        "version": conference.version,
        "by": Actor(by),
        "today": TODAY,
        "profile": LONDON,
    }
    values.update(changes)
    return convening.conference_schedule(**values)


def test_recording_a_strategy_discussion_starts_an_enquiry_for_each_child(
    child: Child, sibling: Child, social_worker: User
) -> None:
    made = convening.enquiry_record(
        household=child.household,
        children=[child, sibling],
        strategy_discussion_date=STRATEGY,
        by=Actor(social_worker),
        today=TODAY,
    )
    assert {e.child for e in made} == {child, sibling}
    assert made[0].worker == social_worker.get_full_name()
    assert AuditEvent.objects.filter(child=sibling, verb=AuditVerb.CREATED).exists()


def test_a_strategy_discussion_in_the_future_is_refused(child: Child, social_worker: User) -> None:
    with pytest.raises(ServiceError, match="today or in the past"):
        convening.enquiry_record(
            household=child.household,
            children=[child],
            strategy_discussion_date=date(2026, 11, 3),
            by=Actor(social_worker),
            today=TODAY,
        )


def test_deciding_to_convene_lists_every_child_of_the_household(
    conference: Conference, child: Child, sibling: Child, team_manager: User
) -> None:
    considered = {c.child: c for c in conference.subjects.all()}
    assert set(considered) == {child, sibling}
    assert considered[child].is_subject and considered[child].enquiry is not None
    assert not considered[sibling].is_subject
    assert considered[sibling].not_subject_reason == "Lives here at weekends only"
    assert conference.status == ConferenceStatus.TO_ARRANGE
    assert conference.type == ConferenceType.INITIAL
    assert conference.route == Route.SECTION_47
    assert conference.counts_from == STRATEGY
    assert (conference.decided_by, conference.decided_on) == (team_manager, TODAY)
    deadline = selectors.conference_deadline(conference, LONDON)
    assert deadline is not None and deadline.due == date(2026, 11, 23)
    # The decision is on the trail of the child it is about, not of a brother or sister who
    # was only considered.
    created = AuditEvent.objects.filter(verb=AuditVerb.CREATED, object_repr=str(conference))
    assert created.filter(child=child).count() == 1
    assert not created.filter(child=sibling).exists()


def test_a_child_left_out_of_the_conference_needs_a_reason(
    enquiry: Section47Enquiry, team_manager: User, sibling: Child
) -> None:
    with pytest.raises(ServiceError, match="Enter why Sami"):
        convening.conference_decide(
            enquiries=[enquiry],
            convene=True,
            decided_on=TODAY,
            considered=[
                convening.Consideration(enquiry.child, True),
                convening.Consideration(sibling, False),
            ],
            by=Actor(team_manager),
            today=TODAY,
        )


def test_every_child_of_the_household_must_be_considered(
    enquiry: Section47Enquiry, team_manager: User, sibling: Child
) -> None:
    with pytest.raises(ServiceError, match="every child of the household"):
        convening.conference_decide(
            enquiries=[enquiry],
            convene=True,
            decided_on=TODAY,
            considered=[convening.Consideration(enquiry.child, True)],
            by=Actor(team_manager),
            today=TODAY,
        )


def test_deciding_not_to_convene_ends_the_enquiry_with_no_conference(
    enquiry: Section47Enquiry, team_manager: User
) -> None:
    result = convening.conference_decide(
        enquiries=[enquiry],
        convene=False,
        decided_on=TODAY,
        reason="Concerns not substantiated",
        by=Actor(team_manager),
        today=TODAY,
    )
    enquiry.refresh_from_db()
    assert result is None
    assert enquiry.conference_not_required and enquiry.end_date == TODAY
    assert "Concerns not substantiated" in enquiry.outcome_notes
    assert not Conference.objects.exists()
    assert AuditEvent.objects.filter(
        child=enquiry.child, verb=AuditVerb.CHANGED, reason__contains="No conference needed"
    ).exists()


def test_an_enquiry_already_decided_on_is_refused_as_stale(
    enquiry: Section47Enquiry, team_manager: User, sibling: Child
) -> None:
    decide(enquiry, team_manager, sibling)
    with pytest.raises(StaleEdit):
        decide(enquiry, team_manager, sibling)


@pytest.mark.parametrize(
    ("route", "counts_from", "due", "type_"),
    [
        (Route.TRANSFER_IN, date(2026, 11, 2), date(2026, 11, 23), ConferenceType.TRANSFER_IN),
        (Route.EMERGENCY_PROTECTION_ORDER, date(2026, 11, 10), date(2026, 11, 9), "initial"),
        (Route.CHILD_ASSESSMENT_ORDER, date(2026, 11, 10), date(2026, 11, 10), "initial"),
        (Route.LOOKED_AFTER_RETURNING_HOME, date(2026, 11, 2), date(2026, 11, 17), "initial"),
        (Route.RECONVENED, date(2026, 11, 2), date(2026, 11, 16), ConferenceType.RECONVENED),
    ],
)
def test_other_routes_start_a_conference_to_arrange_with_their_deadline(
    route: Route, counts_from: date, due: date, type_: str, child: Child, team_manager: User
) -> None:
    if route == Route.RECONVENED:
        # Reconvened after the decision for the child was deferred.
        ConferenceChildFactory.create(
            conference=ConferenceFactory.create(date=counts_from),
            child=child,
            outcome=ChildOutcome.DEFERRED,
        )
    conference = convening.conference_start(
        route=route,
        child=child,
        counts_from=counts_from,
        considered=[convening.Consideration(child, True)],
        by=Actor(team_manager),
        today=TODAY,
    )
    assert conference.status == ConferenceStatus.TO_ARRANGE
    assert conference.type == type_
    deadline = selectors.conference_deadline(conference, LONDON)
    assert deadline is not None and deadline.due == due


def test_a_pre_birth_conference_counts_back_from_the_due_date(team_manager: User) -> None:
    unborn = ChildFactory.create(
        first_name="", date_of_birth=None, expected_date_of_birth=date(2027, 3, 15)
    )
    conference = convening.conference_start(
        route=Route.PRE_BIRTH,
        child=unborn,
        counts_from=date(2027, 3, 15),
        considered=[convening.Consideration(unborn, True)],
        by=Actor(team_manager),
        today=TODAY,
    )
    deadline = selectors.conference_deadline(conference, LONDON)
    assert conference.type == ConferenceType.PRE_BIRTH
    assert deadline is not None and deadline.due == date(2027, 1, 4)


def test_a_pre_birth_conference_about_no_unborn_baby_is_refused(
    child: Child, team_manager: User
) -> None:
    with pytest.raises(ServiceError, match="unborn"):
        convening.conference_start(
            route=Route.PRE_BIRTH,
            child=child,
            counts_from=date(2027, 3, 15),
            considered=[convening.Consideration(child, True)],
            by=Actor(team_manager),
            today=TODAY,
        )


def test_a_review_counts_from_the_plan_start_then_from_the_last_review(
    child: Child, administrator: User
) -> None:
    plan = PlanFactory.create(child=child, start_date=date(2026, 8, 20))
    assert selectors.review_counts_from(child) == date(2026, 8, 20)
    conference = convening.conference_start(
        route=Route.REVIEW,
        child=child,
        counts_from=date(2026, 8, 20),
        considered=[convening.Consideration(child, True)],
        by=Actor(administrator),
        today=TODAY,
    )
    deadline = selectors.conference_deadline(conference, LONDON)
    assert deadline is not None and deadline.due == date(2026, 11, 20)  # §1.20: 3 months
    plan.reviews.create(date=date(2026, 10, 1))
    assert selectors.review_counts_from(child) == date(2026, 10, 1)
    later = convening.conference_start(
        route=Route.REVIEW,
        child=child,
        counts_from=date(2026, 10, 1),
        considered=[convening.Consideration(child, True)],
        by=Actor(administrator),
        today=TODAY,
    )
    deadline = selectors.conference_deadline(later, LONDON)
    assert deadline is not None and deadline.due == date(2027, 4, 1)  # §1.20: 6 months


def test_scheduling_sets_the_arrangements_and_audits_them(
    conference: Conference, chair: User, administrator: User, child: Child
) -> None:
    scheduled = schedule(conference, chair, administrator)
    assert scheduled.status == ConferenceStatus.SCHEDULED
    assert (scheduled.date, scheduled.chair, scheduled.venue) == (
        date(2026, 11, 19),
        chair,
        "Civic Centre, Room 4",
    )
    assert scheduled.version == 2
    event = AuditEvent.objects.filter(child=child, verb=AuditVerb.CHANGED).first()
    assert event is not None and "Scheduled for 19 November 2026" in event.reason


def test_rescheduling_keeps_the_history_in_the_audit_trail(
    conference: Conference, chair: User, administrator: User, child: Child
) -> None:
    schedule(conference, chair, administrator)
    schedule(conference, chair, administrator, date=date(2026, 11, 20), version=2)
    reasons = list(
        AuditEvent.objects.filter(child=child, verb=AuditVerb.CHANGED).values_list(
            "reason", flat=True
        )
    )
    assert any("Rescheduled from 19 November 2026 10:00" in r for r in reasons)
    assert any("Scheduled for 19 November 2026" in r for r in reasons)


def test_a_stale_version_is_refused(
    conference: Conference, chair: User, administrator: User
) -> None:
    schedule(conference, chair, administrator)
    with pytest.raises(StaleEdit, match="This changed since you opened it"):
        schedule(conference, chair, administrator, date=date(2026, 11, 20), version=1)


def test_a_date_after_the_deadline_without_a_reason_is_refused(
    conference: Conference, chair: User, administrator: User
) -> None:
    with pytest.raises(ServiceError, match="after the deadline of 23 November") as refused:
        schedule(conference, chair, administrator, date=date(2026, 11, 24))
    assert refused.value.field == "delay_reason"
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.TO_ARRANGE


def test_a_late_date_with_a_reason_saves_and_the_team_manager_is_told(
    conference: Conference,
    chair: User,
    administrator: User,
    team_manager: User,
    child: Child,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        late = schedule(
            conference, chair, administrator, date=date(2026, 11, 24), delay_reason="Police report"
        )
    message = SentMessage.objects.get()
    assert message.to == team_manager.email
    assert "after its deadline of 23 November 2026" in message.body
    assert "Police report" in message.body
    assert late.delay_reason == "Police report"
    told = AuditEvent.objects.filter(child=child, reason__startswith="Delay reported to").get()
    assert team_manager.get_full_name() in told.reason
    assert "Police report" in told.reason


def test_it_refuses_the_allocated_social_worker_as_chair(
    conference: Conference, social_worker: User, administrator: User
) -> None:
    social_worker.role_grants.create(role=Role.CONFERENCE_CHAIR)
    worker = User.objects.get(pk=social_worker.pk)
    with pytest.raises(ServiceError, match="allocated social worker") as refused:
        schedule(conference, worker, administrator)
    assert refused.value.field == "chair"


def test_it_refuses_a_chair_who_manages_the_case(
    conference: Conference, team_manager: User, administrator: User
) -> None:
    team_manager.role_grants.create(role=Role.CONFERENCE_CHAIR)
    manager = User.objects.get(pk=team_manager.pk)
    with pytest.raises(ServiceError, match="team manager") as refused:
        schedule(conference, manager, administrator)
    assert refused.value.field == "chair"


def test_it_refuses_someone_who_does_not_chair_conferences(
    conference: Conference, administrator: User
) -> None:
    with pytest.raises(ServiceError, match="Select someone who chairs conferences") as refused:
        schedule(conference, administrator, administrator)
    assert refused.value.field == "chair"


def test_the_chair_of_the_childs_earlier_conference_is_offered_first(
    conference: Conference, chair: User, child: Child, team_manager: User
) -> None:
    earlier = UserFactory.create(first_name="Aaron", roles=[Role.CONFERENCE_CHAIR])
    ConferenceChildFactory.create(
        child=child, conference=ConferenceFactory.create(chair=earlier, date=date(2025, 1, 6))
    )
    team_manager.role_grants.create(role=Role.CONFERENCE_CHAIR)
    chairs, earlier_ids, refused = selectors.chair_candidates(conference)
    assert chairs[0] == earlier
    assert earlier_ids == {earlier.pk}
    assert chair in chairs and team_manager not in chairs
    assert "team manager" in refused[team_manager.pk]


@pytest.mark.parametrize("status", [ConferenceStatus.HELD, ConferenceStatus.CANCELLED])
def test_scheduling_is_refused_from_the_wrong_status(
    conference: Conference, chair: User, administrator: User, status: ConferenceStatus
) -> None:
    Conference.objects.filter(pk=conference.pk).update(status=status, date=date(2026, 11, 10))
    deadline_store.refresh_for(conference)
    conference.refresh_from_db()
    with pytest.raises(ServiceError, match="cannot schedule a conference that has been held"):
        schedule(conference, chair, administrator)


def test_cancelling_records_why_and_cannot_be_done_twice(
    conference: Conference, administrator: User, child: Child
) -> None:
    convening.conference_cancel(
        conference=conference, reason="Family moved away", version=1, by=Actor(administrator)
    )
    assert conference.status == ConferenceStatus.CANCELLED
    assert AuditEvent.objects.filter(child=child, reason="Cancelled: Family moved away").exists()
    with pytest.raises(ServiceError, match="cannot cancel a conference that has been held"):
        convening.conference_cancel(
            conference=conference, reason="Again", version=2, by=Actor(administrator)
        )


# One section 47 enquiry, and one initial conference, at a time (DfE census rule 8890) ------


def _record(child: Child, by: User, on: date, end_date: date | None = None) -> None:
    convening.enquiry_record(
        household=child.household,
        children=[child],
        strategy_discussion_date=on,
        end_date=end_date,
        by=Actor(by),
        today=date(2026, 11, 24),
    )


def test_a_second_enquiry_while_the_first_is_open_is_refused(
    enquiry: Section47Enquiry, child: Child, social_worker: User
) -> None:
    with pytest.raises(ServiceError) as refused:
        _record(child, social_worker, date(2026, 11, 20))
    assert refused.value.field == "children"
    assert refused.value.message == (
        f"{child.display_name} already has a section 47 enquiry open since 2 November 2026: "
        "record the conference for that enquiry, or end it first"
    )
    assert Section47Enquiry.objects.filter(child=child).count() == 1


def test_a_second_enquiry_is_refused_while_its_conference_is_still_to_be_held(
    conference: Conference, child: Child, social_worker: User
) -> None:
    with pytest.raises(ServiceError, match="open since 2 November 2026"):
        _record(child, social_worker, date(2026, 11, 20))


def test_a_new_enquiry_may_start_once_the_first_ended_with_no_conference_needed(
    enquiry: Section47Enquiry, child: Child, social_worker: User, team_manager: User
) -> None:
    convening.conference_decide(
        enquiries=[enquiry],
        convene=False,
        decided_on=date(2026, 11, 5),
        reason="No significant harm",
        by=Actor(team_manager),
        today=date(2026, 11, 24),
    )
    _record(child, social_worker, date(2026, 11, 20))
    assert Section47Enquiry.objects.filter(child=child).count() == 2


def test_a_new_enquiry_may_start_after_the_first_ones_conference_was_held(
    conference: Conference, child: Child, social_worker: User
) -> None:
    Conference.objects.filter(pk=conference.pk).update(
        status=ConferenceStatus.HELD, date=date(2026, 11, 19)
    )
    deadline_store.refresh_for(conference)
    _record(child, social_worker, date(2026, 11, 20))
    assert Section47Enquiry.objects.filter(child=child).count() == 2


def test_no_enquiry_is_recorded_for_any_child_when_one_of_them_is_refused(
    enquiry: Section47Enquiry, child: Child, sibling: Child, social_worker: User
) -> None:
    with pytest.raises(ServiceError, match=child.display_name):
        convening.enquiry_record(
            household=child.household,
            children=[sibling, child],
            strategy_discussion_date=date(2026, 11, 20),
            by=Actor(social_worker),
            today=date(2026, 11, 24),
        )
    assert not Section47Enquiry.objects.filter(child=sibling).exists()


def test_a_second_initial_conference_is_refused_while_the_first_is_open(
    conference: Conference, child: Child, team_manager: User
) -> None:
    with pytest.raises(ServiceError) as refused:
        convening.conference_start(
            route=Route.EMERGENCY_PROTECTION_ORDER,
            child=child,
            counts_from=date(2026, 11, 10),
            considered=_considered(child),
            by=Actor(team_manager),
            today=TODAY,
        )
    assert refused.value.field == f"subject_{child.pk}"
    assert refused.value.message == (
        f"{child.display_name} already has an open initial child protection conference, "
        "decided on 2 November 2026: hold or cancel it first"
    )


def _considered(child: Child) -> list[convening.Consideration]:
    return [
        convening.Consideration(kid, kid == child, "" if kid == child else "Visits only")
        for kid in selectors.household_children(child)
    ]


def test_deciding_to_convene_on_a_second_enquiry_is_refused_while_the_first_conference_is_open(
    conference: Conference, child: Child, sibling: Child, team_manager: User
) -> None:
    # An enquiry recorded twice before the check existed: two open at once.
    second = Section47Enquiry.objects.create(child=child, strategy_discussion_date=STRATEGY)
    with pytest.raises(ServiceError, match="already has an open initial child protection"):
        decide(second, team_manager, sibling)


@pytest.mark.parametrize(
    ("status", "outcome"),
    [(ConferenceStatus.CANCELLED, ""), (ConferenceStatus.HELD, "cp_plan")],
)
def test_a_new_initial_conference_may_start_once_the_first_is_cancelled_or_decided(
    conference: Conference, child: Child, team_manager: User, status: str, outcome: str
) -> None:
    Conference.objects.filter(pk=conference.pk).update(status=status, date=date(2026, 11, 19))
    conference.subjects.filter(child=child).update(outcome=outcome)
    deadline_store.refresh_for(conference)
    started = convening.conference_start(
        route=Route.EMERGENCY_PROTECTION_ORDER,
        child=child,
        counts_from=date(2026, 11, 25),
        considered=_considered(child),
        by=Actor(team_manager),
        today=TODAY,
    )
    assert started.type == ConferenceType.INITIAL


def test_a_review_may_be_started_while_an_initial_conference_is_open(
    conference: Conference, child: Child, administrator: User
) -> None:
    PlanFactory.create(child=child, start_date=date(2026, 6, 1))
    started = convening.conference_start(
        route=Route.REVIEW,
        child=child,
        counts_from=date(2026, 6, 1),
        considered=_considered(child),
        by=Actor(administrator),
        today=TODAY,
    )
    assert started.type == ConferenceType.REVIEW


# The lead social worker is invited when a conference is started or scheduled --------------


def test_deciding_to_convene_invites_the_lead_social_worker(
    conference: Conference, social_worker: User
) -> None:
    invited = conference.invitations.get()
    assert invited.professional is not None
    assert invited.professional.user == social_worker


def test_starting_a_conference_on_another_route_invites_the_lead_social_worker(
    child: Child, social_worker: User, team_manager: User
) -> None:
    started = convening.conference_start(
        route=Route.TRANSFER_IN,
        child=child,
        counts_from=TODAY,
        considered=[convening.Consideration(child, True)],
        by=Actor(team_manager),
        today=TODAY,
    )
    assert started.invitations.filter(professional__user=social_worker).exists()


def test_scheduling_invites_a_social_worker_allocated_since(
    conference: Conference, child: Child, chair: User, administrator: User
) -> None:
    newly = UserFactory.create(first_name="Nia", roles=[Role.SOCIAL_WORKER])
    Child.objects.filter(pk=child.pk).update(social_worker=newly)
    schedule(conference, chair, administrator)
    assert conference.invitations.filter(professional__user=newly).exists()
    assert conference.invitations.count() == 2


def test_a_reconvened_conference_needs_a_deferred_decision(
    child: Child, team_manager: User
) -> None:
    with pytest.raises(ServiceError, match="whose decision was deferred"):
        convening.conference_start(
            route=Route.RECONVENED,
            child=child,
            counts_from=date(2026, 11, 2),
            considered=[convening.Consideration(child, True)],
            by=Actor(team_manager),
            today=TODAY,
        )
