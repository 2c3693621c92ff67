"""The chair's decision for each child and what it sets going (London CP4 §9.6, §10.1 to §10.4,
§11.1; Register R:19 to R:21): every outcome, every refusal, the plan, the review, the
deadlines on the work list, dissent, scores and views, and who may do each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.urls import reverse

from convene.access.enums import AuditVerb, Role
from convene.access.models import AuditEvent, User
from convene.authority.selectors import authority_procedures
from convene.conferences.decision import services
from convene.conferences.decision.rules import DecisionEntry
from convene.conferences.enums import (
    Attendance,
    ChildOutcome,
    ConferenceStatus,
    ConferenceType,
    ParticipantGroup,
)
from convene.conferences.models import Conference, ConferenceChild, Invitation
from convene.core.services import Actor, ServiceError, StaleEdit
from convene.notifications.models import SentMessage
from convene.people.enums import AgencyType
from convene.people.models import Child
from convene.plans.enums import Category, CoreGroupKind, PlanEndReason
from convene.plans.models import CoreGroupMeeting, Plan, PlanReview
from convene.returns import deadline_store
from convene.returns.deadlines import DeadlineKind, deadlines_as_of
from convene.testing.factories import (
    AgencyFactory,
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    InvitationFactory,
    PlanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HELD_ON = date(2026, 3, 9)
TODAY = date(2026, 3, 9)


@dataclass
class Held:
    conference: Conference
    kai: ConferenceChild
    mia: ConferenceChild
    chair: User
    worker: User
    health: Invitation
    parent: Invitation

    @property
    def by(self) -> Actor:
        return Actor(self.chair)


@pytest.fixture
def held() -> Held:
    chair = UserFactory.create(roles=[Role.CONFERENCE_CHAIR])
    worker = UserFactory.create(first_name="Sam", last_name="Okafor", roles=[Role.SOCIAL_WORKER])
    conference = ConferenceFactory.create(
        date=HELD_ON, status=ConferenceStatus.HELD, chair=chair, quorate=True
    )
    kai = ConferenceChildFactory.create(
        conference=conference, child=ChildFactory.create(first_name="Kai", social_worker=worker)
    )
    mia = ConferenceChildFactory.create(
        conference=conference, child=ChildFactory.create(first_name="Mia", social_worker=worker)
    )
    health = InvitationFactory.create(conference=conference, attendance=Attendance.PRESENT)
    parent = InvitationFactory.create(
        conference=conference,
        role="parent_carer",
        professional=None,
        agency=None,
        name="Jo Example",
        attendance=Attendance.PRESENT,
    )
    return Held(conference, kai, mia, chair, worker, health, parent)


def _decide(subject: ConferenceChild, by: Actor, **entry: str) -> ConferenceChild:
    entry.setdefault("reasons", "Left alone at night; no food in the house.")
    subject.refresh_from_db()
    return services.decision_record(
        subject=subject, entry=DecisionEntry(**entry), version=subject.version, by=by, today=TODAY
    )


# Every decision recorded here leaves its decision letter and record due (issue 12): those are
# tested once below, and left out of what each decision sets going.
AFTER_EVERY_DECISION = {DeadlineKind.DECISION_LETTER.value, DeadlineKind.RECORD.value}


def _deadlines(child: Child, on: date = TODAY, *, all_kinds: bool = False) -> dict[str, date]:
    found = deadlines_as_of(
        as_of=on, procedures=authority_procedures(), children=Child.objects.filter(pk=child.pk)
    )
    return {
        d.kind.value: d.due for d in found if all_kinds or d.kind.value not in AFTER_EVERY_DECISION
    }


# Outcomes ---------------------------------------------------------------------------------


def test_a_plan_starts_on_the_conference_date_with_its_category_and_lead_social_worker(held):
    _decide(held.kai, held.by, outcome="cp_plan", category="NEG")
    plan = Plan.objects.get(child=held.kai.child)
    assert plan.start_date == HELD_ON and plan.end_date is None
    assert plan.initial_category == plan.latest_category == Category.NEGLECT
    assert plan.started_by == held.conference and plan.lead_social_worker == held.worker
    # The lead social worker is the core group's first member.
    assert [(m.name, m.role) for m in plan.core_group.all()] == [
        ("Sam Okafor", "Lead social worker")
    ]
    held.kai.refresh_from_db()
    assert held.kai.outcome == ChildOutcome.CP_PLAN and held.kai.decided_by == held.chair
    # The first review (3 months) and the first core group (10 working days) fall due, and the
    # decision letter (1 working day) and the record (20 working days) until they are sent.
    assert _deadlines(held.kai.child, all_kinds=True) == {
        "first_review": date(2026, 6, 9),
        "core_group_first": date(2026, 3, 23),
        "decision_letter": date(2026, 3, 10),
        "record": date(2026, 4, 8),
    }
    # Once the first core group has met, the next is due 6 weeks later.
    CoreGroupMeeting.objects.create(plan=plan, date=date(2026, 3, 20))
    assert _deadlines(held.kai.child, date(2026, 3, 20)) == {
        "first_review": date(2026, 6, 9),
        "core_group_next": date(2026, 5, 1),
    }


def test_a_child_in_need_plan_or_no_further_action_starts_no_plan(held):
    _decide(held.kai, held.by, outcome="cin_plan")
    _decide(held.mia, held.by, outcome="nfa", recommendations="Early help from the family hub")
    assert not Plan.objects.exists()
    # The child in need plan is reviewed every 12 weeks (London CP4 §10.10).
    assert _deadlines(held.kai.child) == {"cin_review": date(2026, 6, 1)}
    assert _deadlines(held.mia.child) == {}


def test_a_deferral_keeps_its_reasons_and_the_reconvened_conference_falls_due(held):
    _decide(
        held.kai,
        held.by,
        outcome="deferred",
        deferral_reasons="The police check is not back",
        interim_plan="Kai stays with his aunt",
    )
    assert _deadlines(held.kai.child) == {"reconvene_deferred": date(2026, 3, 23)}
    # The reconvened conference, held, clears it.
    again = ConferenceFactory.create(
        type=ConferenceType.RECONVENED, date=date(2026, 3, 20), status=ConferenceStatus.HELD
    )
    ConferenceChildFactory.create(conference=again, child=held.kai.child)
    assert _deadlines(held.kai.child, date(2026, 3, 20)) == {}


def test_an_inquorate_conference_leaves_an_early_review_due(held):
    Conference.objects.filter(pk=held.conference.pk).update(quorate=False)
    deadline_store.refresh_for(held.conference)
    _decide(held.kai, held.by, outcome="nfa", recommendations="Early help")
    assert _deadlines(held.kai.child) == {"early_review": date(2026, 4, 9)}


def _review(child: Child, plan_start: date = date(2025, 12, 1)) -> tuple[ConferenceChild, Plan]:
    plan = PlanFactory.create(child=child, start_date=plan_start)
    chair = UserFactory.create(roles=[Role.CONFERENCE_CHAIR])
    review = ConferenceFactory.create(
        type=ConferenceType.REVIEW, date=HELD_ON, status=ConferenceStatus.HELD, chair=chair
    )
    return ConferenceChildFactory.create(conference=review, child=child), plan


def _chair(subject: ConferenceChild) -> User:
    assert subject.conference.chair is not None
    return subject.conference.chair


def test_a_review_continues_the_plan_and_writes_the_review_the_census_counts(held):
    subject, plan = _review(held.kai.child)
    assert _deadlines(held.kai.child)["first_review"] == date(2026, 3, 1)  # overdue before
    _decide(subject, Actor(_chair(subject)), outcome="continue_plan", category="EMO")
    review = PlanReview.objects.get(plan=plan)
    assert review.date == HELD_ON and review.plan_continues and review.attendance == subject
    plan.refresh_from_db()
    assert plan.initial_category == "NEG" and plan.latest_category == "EMO"
    # The next review counts from this one (6 months): the old deadline is gone.
    assert _deadlines(held.kai.child) == {"next_review": date(2026, 9, 9)}


def test_a_review_ends_the_plan_with_its_reason(held):
    subject, plan = _review(held.kai.child)
    _decide(
        subject,
        Actor(_chair(subject)),
        outcome="end_plan",
        plan_end_reason=PlanEndReason.NO_LONGER_AT_RISK,
        after_plan="cin_plan",
    )
    plan.refresh_from_db()
    assert plan.end_date == HELD_ON and plan.end_reason == PlanEndReason.NO_LONGER_AT_RISK
    assert PlanReview.objects.get(plan=plan).plan_continues is False
    # A child in need plan follows, reviewed every 12 weeks.
    assert _deadlines(held.kai.child) == {"cin_review": date(2026, 6, 1)}


# Refusals ---------------------------------------------------------------------------------


def test_deciding_twice_is_refused(held):
    _decide(held.kai, held.by, outcome="cin_plan")
    with pytest.raises(ServiceError, match="A decision has already been recorded for Kai"):
        _decide(held.kai, held.by, outcome="cp_plan", category="NEG")
    assert not Plan.objects.exists()


def test_deciding_at_a_conference_not_held_is_refused(held):
    Conference.objects.filter(pk=held.conference.pk).update(status=ConferenceStatus.SCHEDULED)
    deadline_store.refresh_for(held.conference)
    held.kai.conference.refresh_from_db()
    with pytest.raises(ServiceError, match="only once the conference has been marked held"):
        _decide(held.kai, held.by, outcome="cin_plan")


def test_a_category_for_a_decision_without_a_plan_is_refused(held):
    with pytest.raises(ServiceError) as refused:
        _decide(held.kai, held.by, outcome="cin_plan", category="NEG")
    assert refused.value.problems == {
        "category": "A category is given only for a child protection plan"
    }


def test_a_deferral_without_reasons_is_refused(held):
    with pytest.raises(ServiceError) as refused:
        _decide(held.kai, held.by, outcome="deferred")
    assert set(refused.value.problems) == {"deferral_reasons", "interim_plan"}
    held.kai.refresh_from_db()
    assert held.kai.outcome == ""


def test_a_decision_from_a_stale_page_is_refused(held):
    version = held.kai.version
    _decide(held.kai, held.by, outcome="cin_plan")
    with pytest.raises(StaleEdit):
        services.decision_record(
            subject=ConferenceChild.objects.get(pk=held.mia.pk),
            entry=DecisionEntry(outcome="cin_plan", reasons="x"),
            version=version + 5,
            by=held.by,
            today=TODAY,
        )


def test_the_decision_is_audited_on_the_childs_trail_only(held):
    _decide(held.kai, held.by, outcome="cp_plan", category="NEG")
    reasons = list(
        AuditEvent.objects.filter(child=held.kai.child, verb__in=[AuditVerb.CHANGED, "created"])
        .order_by("pk")
        .values_list("reason", flat=True)
    )
    assert "Decision recorded: Child protection plan (Neglect)" in reasons
    assert "Child protection plan started (Neglect)" in reasons
    assert not AuditEvent.objects.filter(child=held.mia.child).exists()


# Dissent, scores and views ----------------------------------------------------------------


def test_agency_dissent_starts_the_escalation_and_a_parents_is_recorded(held):
    with pytest.raises(ServiceError, match="Record the decision first"):
        services.dissent_add(
            subject=held.kai,
            group=ParticipantGroup.HEALTH,
            agency=None,
            name="Dr A",
            reasons="x",
            by=held.by,
            today=TODAY,
        )
    _decide(held.kai, held.by, outcome="cin_plan")
    health = AgencyFactory.create(name="Testshire Health", type=AgencyType.HEALTH)
    agency = services.dissent_add(
        subject=held.kai,
        group=ParticipantGroup.HEALTH,
        agency=health,
        name="Dr Ada Okafor",
        reasons="The bruising needs a plan",
        by=held.by,
        today=TODAY,
    )
    parent = services.dissent_add(
        subject=held.kai,
        group=ParticipantGroup.PARENT_CARER,
        agency=health,
        name="Jo Example",
        reasons="We were not listened to",
        by=held.by,
        today=TODAY,
    )
    assert agency.escalation_started_on == TODAY and parent.escalation_started_on is None
    assert parent.agency is None


def test_the_head_of_service_is_told_of_any_dissent_at_once_naming_no_child(
    held, senior_manager, django_capture_on_commit_callbacks
):
    _decide(held.kai, held.by, outcome="cin_plan")
    with django_capture_on_commit_callbacks(execute=True):
        dissent = services.dissent_add(
            subject=held.kai,
            group=ParticipantGroup.PARENT_CARER,
            agency=None,
            name="Jo Example",
            reasons="We were not listened to",
            by=held.by,
            today=TODAY,
        )
    # A family's dissent goes straight to the head of service, to answer in writing in 28 days.
    message = SentMessage.objects.get(to=senior_manager.email)
    assert "Jo Example" in message.body
    step = dissent.escalation.steps.get()
    assert step.due == TODAY + timedelta(days=28)
    assert f"answer by {step.due:%-d %B %Y}" in message.body
    child = held.kai.child
    assert child.first_name not in message.subject + message.body


def test_an_agencys_dissent_goes_to_the_chair_first_and_the_head_of_service_is_told(
    held, senior_manager, django_capture_on_commit_callbacks
):
    _decide(held.kai, held.by, outcome="cin_plan")
    health = AgencyFactory.create(name="Testshire Health", type=AgencyType.HEALTH)
    with django_capture_on_commit_callbacks(execute=True):
        dissent = services.dissent_add(
            subject=held.kai,
            group=ParticipantGroup.HEALTH,
            agency=health,
            name="Dr Ada Okafor",
            reasons="The bruising needs a plan",
            by=held.by,
            today=TODAY,
        )
    step = dissent.escalation.steps.get()
    assert step.holder == "chair"
    told = SentMessage.objects.get(to=senior_manager.email)
    assert "within 28 days" in told.body and "Dr Ada Okafor" in told.body
    reason = AuditEvent.objects.get(
        object_type="conferences.Dissent", object_id=str(dissent.pk)
    ).reason
    assert f"head of service told: {senior_manager.get_full_name()}" in reason


def test_scores_are_recorded_by_name_and_role_and_fixed_once_decided(held):
    def record(score: int | None) -> None:
        held.conference.refresh_from_db()
        services.scores_record(
            conference=held.conference,
            scores=[
                services.ScoreGiven(
                    held.parent, held.kai.child, score, ParticipantGroup.PARENT_CARER, "Parent"
                )
            ],
            version=held.conference.version,
            by=held.by,
        )

    record(7)
    [score] = held.conference.safety_scores.all()
    assert (score.name, score.group, score.score) == ("Jo Example", "parent_carer", 7)
    with pytest.raises(ServiceError, match="from 0 to 10"):
        record(11)
    _decide(held.kai, held.by, outcome="cin_plan")
    with pytest.raises(ServiceError, match="can no longer change"):
        record(3)
    record(7)  # unchanged is fine


def test_an_agency_view_says_whether_a_plan_is_needed(held):
    with pytest.raises(ServiceError) as refused:
        services.view_add(
            conference=held.conference,
            child=held.kai.child,
            group=ParticipantGroup.HEALTH,
            agency=None,
            name="Dr Ada Okafor",
            plan_needed="",
            category="",
            view="Worried",
            brought_by_social_worker=False,
            by=held.by,
        )
    assert set(refused.value.problems) == {"agency", "plan_needed"}
    view = services.view_add(
        conference=held.conference,
        child=held.kai.child,
        group=ParticipantGroup.CHILD,
        agency=None,
        name="Kai",
        plan_needed="",
        category="",
        view="I want to stay at home with my dog.",
        brought_by_social_worker=True,
        by=held.by,
    )
    assert view.brought_by_social_worker and view.group == "child"


def test_the_outline_plan_is_drafted_for_a_plan_started_here(held):
    _decide(held.kai, held.by, outcome="cp_plan", category="NEG")
    plan = Plan.objects.get(child=held.kai.child)
    objective = services.objective_add(plan=plan, text="Kai goes to school every day", by=held.by)
    mother = services.member_add(
        plan=plan,
        kind=CoreGroupKind.PARENT_CARER,
        name="Jo Example",
        role="Mother",
        agency=None,
        by=held.by,
    )
    with pytest.raises(ServiceError) as refused:
        services.action_add(
            plan=plan,
            text="Walk Kai to school",
            owner=mother,
            due=date(2026, 3, 1),
            objective=objective,
            by=held.by,
            today=TODAY,
        )
    assert refused.value.problems == {"due": "The date it is due must be today or in the future"}
    services.action_add(
        plan=plan,
        text="Walk Kai to school",
        owner=mother,
        due=date(2026, 4, 1),
        objective=objective,
        by=held.by,
        today=TODAY,
    )
    services.outline_update(
        plan=plan,
        lead_social_worker=held.worker,
        contingency_plan="If Kai misses school again, a review is called",
        sudi_discussion="",
        version=plan.version,
        by=held.by,
    )
    plan.refresh_from_db()
    assert plan.contingency_plan.startswith("If Kai") and plan.actions.count() == 1


# Pages -------------------------------------------------------------------------------------


def _client(client, user: User):
    client.force_login(user)
    return client


def test_the_chair_records_the_decision_through_the_page(client, held):
    url = reverse("conferences:decision-decide", args=[held.conference.pk, held.kai.child.pk])
    page = _client(client, held.chair).get(url)
    assert page.status_code == 200 and b"Decision for Kai" in page.content
    refused = client.post(url, {"outcome": "deferred", "reasons": "x", "version": 1})
    assert b"Enter why the decision is put off" in refused.content
    assert b"govuk-error-summary" in refused.content
    saved = client.post(
        url, {"outcome": "cp_plan", "category": "NEG", "reasons": "Neglect", "version": 1}
    )
    assert saved.status_code == 302
    assert Plan.objects.filter(child=held.kai.child, latest_category="NEG").exists()
    again = client.get(url)
    assert b"Record the decision</button>" not in again.content


def test_a_minute_taker_records_the_meeting_but_only_the_chair_decides(client, held):
    minutes = UserFactory.create(roles=[Role.MINUTE_TAKER])
    _client(client, minutes)
    scores = reverse("conferences:decision-scores", args=[held.conference.pk])
    assert client.get(scores).status_code == 200
    decide = reverse("conferences:decision-decide", args=[held.conference.pk, held.kai.child.pk])
    assert client.get(decide).status_code == 404
    worker = UserFactory.create(roles=[Role.SOCIAL_WORKER])
    _client(client, worker)
    assert client.get(scores).status_code == 404


def test_the_childs_record_shows_the_plan_deadlines_and_the_scores_chart(client, held):
    services.scores_record(
        conference=held.conference,
        scores=[
            services.ScoreGiven(
                held.parent, held.kai.child, 6, ParticipantGroup.PARENT_CARER, "Parent"
            ),
            services.ScoreGiven(held.health, held.kai.child, 2, ParticipantGroup.HEALTH, "Health"),
        ],
        version=held.conference.version,
        by=held.by,
    )
    _decide(held.kai, held.by, outcome="cp_plan", category="NEG")
    admin = UserFactory.create(roles=[Role.CONFERENCE_ADMINISTRATOR])
    page = _client(client, admin).get(reverse("people:child-detail", args=[held.kai.child.pk]))
    text = page.content.decode()
    assert "First review conference" in text and "First core group meeting" in text
    assert "Safety scores over time" in text and "<svg" in text
    assert "Lead social worker: Sam Okafor" in text
