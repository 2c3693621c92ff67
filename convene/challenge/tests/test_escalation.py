"""Escalating dissent (issue 13, London CP4 §11; Register R:19): an agency's dissent climbs the
authority's stages, each with its own due date and holder; a family's goes to the head of
service; overdue stages are on the holder's list; the system administrator sets the stages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from convene.access.models import User
from convene.authority.selectors import authority_procedures
from convene.challenge.models import Escalation, EscalationStage, EscalationStep
from convene.challenge.selectors import steps_waiting_for
from convene.conferences.decision import services as decision
from convene.conferences.decision.rules import DecisionEntry
from convene.conferences.enums import ConferenceStatus, ParticipantGroup
from convene.conferences.models import ConferenceChild, Dissent
from convene.core.services import Actor
from convene.notifications.models import OutboundMessage
from convene.people.enums import AgencyType
from convene.people.models import Agency
from convene.plans.enums import MeetingStatus
from convene.plans.models import CoreGroupMeeting, Plan
from convene.reminders.services import daily_reminders_send
from convene.returns import deadline_store
from convene.testing.factories import (
    AgencyFactory,
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    CoreGroupMeetingFactory,
)
from convene.testing.pages import main_content

pytestmark = pytest.mark.django_db

HELD_ON = date(2026, 11, 30)  # a Monday


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-11-30 15:00 +0000", tick=False):
        yield


@pytest.fixture
def decided(chair: User) -> ConferenceChild:
    conference = ConferenceFactory.create(
        date=HELD_ON, status=ConferenceStatus.HELD, chair=chair, quorate=True
    )
    subject = ConferenceChildFactory.create(conference=conference, child=ChildFactory.create())
    decision.decision_record(
        subject=subject,
        entry=DecisionEntry(outcome="cin_plan", reasons="Support is enough for now"),
        version=subject.version,
        by=Actor(chair),
        today=HELD_ON,
    )
    subject.refresh_from_db()
    return subject


def _dissent(subject: ConferenceChild, chair: User, *, agency: bool = True) -> Dissent:
    health = AgencyFactory.create(name="Testshire Health", type=AgencyType.HEALTH)
    return decision.dissent_add(
        subject=subject,
        group=ParticipantGroup.HEALTH if agency else ParticipantGroup.PARENT_CARER,
        agency=health if agency else None,
        name="Dr Ada Example" if agency else "Jo Example",
        reasons="The bruising needs a plan",
        by=Actor(chair),
        today=HELD_ON,
    )


def _answer(client, escalation: Escalation, *, resolved: bool, answer: str = "We met"):
    step = escalation.steps.get(answered_on__isnull=True)
    return client.post(
        reverse("challenge:escalation", args=[escalation.pk]),
        {"resolved": "yes" if resolved else "no", "answer": answer, "version": step.version},
    )


def test_an_agencys_dissent_climbs_the_stages_each_with_its_due_date_and_holder(
    decided, chair, senior_manager, as_user
):
    escalation = _dissent(decided, chair).escalation
    first = escalation.steps.get()
    assert (first.holder, first.due) == ("chair", date(2026, 12, 7))  # 5 working days
    assert _answer(as_user(chair), escalation, resolved=False).status_code == 302

    second = escalation.steps.get(order=2)
    assert second.holder == "chairs_manager"
    manager = chair.team.manager
    assert steps_waiting_for(manager) == [second] and steps_waiting_for(chair) == []
    # Only the holder answers: the chair no longer can.
    assert _answer(as_user(chair), escalation, resolved=False).status_code == 404
    _answer(as_user(manager), escalation, resolved=False)

    third = escalation.steps.get(order=3)
    assert third.holder == "head_of_service" and third.due == HELD_ON + timedelta(days=28)
    _answer(as_user(senior_manager), escalation, resolved=False, answer="The decision stands")
    escalation.refresh_from_db()
    assert escalation.closed_on == HELD_ON and escalation.resolved is False
    page = main_content(as_user(chair).get(reverse("challenge:escalation", args=[escalation.pk])))
    assert "not resolved after the last stage" in page and "The decision stands" in page


def test_resolved_at_the_first_stage_closes_it(decided, chair, as_user):
    escalation = _dissent(decided, chair).escalation
    _answer(as_user(chair), escalation, resolved=True, answer="Agreed a review in 6 weeks")
    escalation.refresh_from_db()
    assert escalation.resolved is True and escalation.steps.count() == 1


def test_a_familys_dissent_goes_to_the_head_of_service(decided, chair, senior_manager):
    escalation = _dissent(decided, chair, agency=False).escalation
    step = escalation.steps.get()
    assert step.holder == "head_of_service"
    assert steps_waiting_for(senior_manager) == [step]


def test_an_answer_needs_words_and_a_stale_one_is_refused(decided, chair, as_user):
    escalation = _dissent(decided, chair).escalation
    client = as_user(chair)
    empty = client.post(
        reverse("challenge:escalation", args=[escalation.pk]),
        {"resolved": "yes", "answer": "", "version": 1},
    )
    assert "Enter your answer" in main_content(empty)
    stale = client.post(
        reverse("challenge:escalation", args=[escalation.pk]),
        {"resolved": "yes", "answer": "Agreed", "version": 99},
    )
    assert "This changed since you opened it" in main_content(stale)
    assert EscalationStep.objects.get().answered_on is None


def test_only_those_who_see_the_conferences_challenges_find_it(
    decided, chair, outsider, police_officer, as_user
):
    escalation = _dissent(decided, chair).escalation
    url = reverse("challenge:escalation", args=[escalation.pk])
    assert as_user(outsider).get(url).status_code == 404
    assert as_user(police_officer).get(url).status_code == 404
    assert as_user(chair).get(url).status_code == 200


def test_overdue_stages_are_on_the_holders_list_and_in_the_daily_reminder(decided, chair, as_user):
    _dissent(decided, chair)
    with time_machine.travel("2026-12-09 09:00 +0000", tick=False):
        page = main_content(as_user(chair).get(reverse("challenge:waiting")))
        assert "Overdue" in page and "Dr Ada Example" in page
        daily_reminders_send(today=date(2026, 12, 9), profile=authority_procedures())
    body = OutboundMessage.objects.get(to=chair.email, reference__startswith="daily").body
    assert "Dissent, appeals and complaints to answer:" in body and "(overdue)" in body


def test_the_system_administrator_sets_the_stages_for_dissent_from_now_on(
    decided, chair, system_administrator, as_user
):
    earlier = _dissent(decided, chair).escalation.steps.get()
    client = as_user(system_administrator)
    url = reverse("challenge:stages")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "stage": "1",
            "stage-1-name": "The chair meets the agency",
            "stage-1-holder": "chair",
            "stage-1-days": "3",
            "stage-1-working_days": "yes",
        },
    )
    assert response.status_code == 302
    assert EscalationStage.objects.count() == 3  # the defaults kept, the first changed
    assert EscalationStage.objects.get(order=1).days == 3
    later = _dissent(decided, chair).escalation.steps.get()
    assert later.due == date(2026, 12, 3) and earlier.due == date(2026, 12, 7)
    assert client.post(reverse("challenge:stage-remove", args=[2])).status_code == 302
    assert client.post(reverse("challenge:stage-remove", args=[3])).status_code == 302
    client.post(reverse("challenge:stage-remove", args=[1]))
    assert EscalationStage.objects.count() == 1  # at least one is kept
    assert as_user(chair).get(url).status_code == 404


def test_dissent_at_a_core_group_meeting_escalates_from_the_plans_conference(
    chair, social_worker, as_user
):
    """London CP4 §11.2: the protocol covers core group meetings too."""
    child = ChildFactory.create(social_worker=social_worker)
    conference = ConferenceFactory.create(
        date=HELD_ON, status=ConferenceStatus.HELD, chair=chair, quorate=True
    )
    subject = ConferenceChildFactory.create(conference=conference, child=child)
    decision.decision_record(
        subject=subject,
        entry=DecisionEntry(outcome="cp_plan", category="NEG", reasons="Neglect"),
        version=subject.version,
        by=Actor(chair),
        today=HELD_ON,
    )
    plan = Plan.objects.get(child=child)
    meeting = CoreGroupMeetingFactory.create(
        plan=plan, date=date(2026, 12, 1), status=MeetingStatus.SCHEDULED
    )
    url = reverse("plans:core-group-dissent", args=[plan.pk, meeting.pk])
    client = as_user(social_worker)
    assert client.get(url).status_code == 404  # not held yet
    CoreGroupMeeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
    deadline_store.refresh_for(meeting)
    AgencyFactory.create(name="Testshire Police", type=AgencyType.POLICE)
    response = client.post(
        url,
        {
            "group": "police",
            "agency": Agency.objects.get(name="Testshire Police").pk,
            "name": "DC Example",
            "reasons": "The plan needs a written agreement.",
        },
    )
    assert response.status_code == 302
    dissent = Dissent.objects.get(core_group_meeting=meeting)
    step = dissent.escalation.steps.get()
    assert step.holder == "chair" and steps_waiting_for(chair) == [step]
    told = OutboundMessage.objects.get(to=chair.email, reference__startswith="escalation-step")
    assert "what a core group decided on 1 December 2026" in told.body
    page = main_content(client.get(reverse("plans:core-group", args=[plan.pk, meeting.pk])))
    assert "DC Example" in page
