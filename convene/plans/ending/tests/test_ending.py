"""Ending a plan without a conference: by a senior manager, in the allowed cases, after
consulting the agencies and the core group; everyone is told (London CP4 §10.5 to §10.9,
§2.6). Everyone here is invented."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from convene.access.models import AuditEvent
from convene.conferences.enums import ConferenceType, Delivery, InviteeRole
from convene.conferences.models import Conference
from convene.core.services import Actor, ServiceError
from convene.notifications.enums import Channel
from convene.notifications.models import SentMessage
from convene.people.models import Child, Professional
from convene.plans.ending import rules, services
from convene.plans.ending.rules import EndingFacts
from convene.plans.ending.views import plan_links
from convene.plans.enums import CoreGroupKind, PlanEndReason
from convene.plans.models import ChildInNeedPlan, CoreGroupMember, Plan, PlanEnding
from convene.returns import deadline_store
from convene.testing.factories import (
    AdultFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    InvitationFactory,
    PlanFactory,
    ProfessionalFactory,
)
from convene.timescales import get_profile

pytestmark = pytest.mark.django_db

TODAY = date(2026, 4, 15)
NOW = "2026-04-15 10:00 +0100"
START = date(2026, 1, 5)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@dataclass
class Family:
    plan: Plan
    child: Child
    health_visitor: Professional


@pytest.fixture
def family(child_known_to_police, social_worker) -> Family:
    """Mina's plan, started at an initial conference to which her mother (by e-mail), her
    father (by letter), a health visitor, an interpreter with no address and Mina herself were
    invited; the core group adds her aunt (no address) and a school nurse who has left."""
    child = child_known_to_police
    household = child.household
    household.address, household.postcode = "1 Invented Row, Testtown", "TS1 1AA"
    household.save()
    conference = ConferenceFactory.create(
        type=ConferenceType.INITIAL, date=START, household=household
    )
    ConferenceChildFactory.create(conference=conference, child=child)
    mother = AdultFactory.create(
        first_name="Mari", household=household, email="mari@family.example"
    )
    father = AdultFactory.create(first_name="Dai", household=household)
    health_visitor = ProfessionalFactory.create(name="Hana Visitor", email="hana@nhs.example")
    InvitationFactory.create(
        conference=conference,
        role=InviteeRole.PARENT_CARER,
        adult=mother,
        professional=None,
        agency=None,
        email=mother.email,
    )
    InvitationFactory.create(
        conference=conference,
        role=InviteeRole.PARENT_CARER,
        adult=father,
        professional=None,
        agency=None,
        delivery=Delivery.LETTER,
        address="1 Invented Row, Testtown\nTS1 1AA",
    )
    InvitationFactory.create(
        conference=conference, professional=health_visitor, email=health_visitor.email
    )
    InvitationFactory.create(
        conference=conference,
        role=InviteeRole.INTERPRETER,
        professional=None,
        agency=None,
        name="Ivo Interpreter",
    )
    InvitationFactory.create(
        conference=conference,
        role=InviteeRole.CHILD,
        child=child,
        professional=None,
        agency=None,
        delivery=Delivery.LETTER,
        address="1 Invented Row, Testtown\nTS1 1AA",
    )
    plan = PlanFactory.create(
        child=child, start_date=START, started_by=conference, lead_social_worker=social_worker
    )
    # The health visitor is in the core group too: told once.
    CoreGroupMember.objects.create(
        plan=plan,
        kind=CoreGroupKind.PROFESSIONAL,
        name="Hana Visitor",
        role="Health visitor",
        professional=health_visitor,
    )
    CoreGroupMember.objects.create(
        plan=plan,
        kind=CoreGroupKind.FAMILY_FRIEND,
        name="Anni Aunt",
        role="Aunt",
        adult=AdultFactory.create(first_name="Anni", household=None),
    )
    CoreGroupMember.objects.create(
        plan=plan,
        kind=CoreGroupKind.PROFESSIONAL,
        name="Sol School-Nurse",
        role="School nurse",
        professional=ProfessionalFactory.create(name="Sol", email="sol@school.example"),
        left_on=date(2026, 3, 1),
    )
    return Family(plan=plan, child=child, health_visitor=health_visitor)


def _data(plan: Plan, **changes) -> dict[str, object]:
    return {
        "reason": PlanEndReason.CARE_ORDER.value,
        "details": "A care order was made at Testtown Family Court on 10 April 2026.",
        "consultation": "Hana Visitor (health) and the school agreed on 13 April 2026.",
        "consulted_on_day": "13",
        "consulted_on_month": "4",
        "consulted_on_year": "2026",
        "ended_on_day": "15",
        "ended_on_month": "4",
        "ended_on_year": "2026",
        "version": plan.version,
    } | changes


def _end(client, plan: Plan, **changes):
    return client.post(reverse("plans:end", args=[plan.pk]), _data(plan, **changes), follow=True)


def test_a_senior_manager_sees_who_will_be_told_before_ending_the_plan(
    family, senior_manager, as_user
):
    page = as_user(senior_manager).get(reverse("plans:end", args=[family.plan.pk]))
    text = page.content.decode()
    assert "Mari Example, by e-mail" in text and "Dai Example, by letter" in text
    assert text.count("Hana Visitor, by e-mail") == 1
    assert "Tell them yourself" in text and "Ivo Interpreter" in text and "Anni Aunt" in text
    assert "Sol School-Nurse" not in text


def test_a_senior_manager_ends_the_plan_and_everyone_is_told(
    family, senior_manager, as_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _end(as_user(senior_manager), family.plan)
    plan = family.plan
    plan.refresh_from_db()
    assert (plan.end_date, plan.end_reason) == (TODAY, PlanEndReason.CARE_ORDER)
    ending = PlanEnding.objects.get(plan=plan)
    assert (ending.reason, ending.consulted_on, ending.ended_on, ending.ended_by) == (
        PlanEndReason.CARE_ORDER,
        date(2026, 4, 13),
        TODAY,
        senior_manager,
    )
    assert "Hana Visitor (health)" in ending.consultation
    sent = {(m.channel, m.to.splitlines()[0]) for m in SentMessage.objects.all()}
    assert sent == {
        (Channel.EMAIL, "mari@family.example"),
        (Channel.EMAIL, "hana@nhs.example"),
        (Channel.LETTER, "1 Invented Row, Testtown"),
    }
    # Dai and Mina share an address, so two letters go there, each to its own person.
    assert SentMessage.objects.filter(channel=Channel.LETTER).count() == 2
    body = SentMessage.objects.filter(to="hana@nhs.example").get().body
    assert "started on 5 January 2026 ended on 15 April 2026" in body
    assert "a court has made a care order" in body
    assert "No child in need plan follows it" in body
    assert family.child.first_name not in body
    text = response.content.decode()
    assert "The plan has ended. 4 people were told" in text
    assert "Ivo Interpreter" in text and "Anni Aunt" in text
    assert "How the plan ended" in text and "A care order was made" in text
    trail = AuditEvent.objects.filter(child=family.child).values_list("reason", flat=True)
    assert any(r.startswith("Child protection plan ended without a conference") for r in trail)
    assert any(r.startswith("Told that the plan ended") and "Anni Aunt" in r for r in trail)


def test_where_support_continues_a_child_in_need_plan_follows(
    family, senior_manager, as_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _end(as_user(senior_manager), family.plan, cin_plan_follows="on")
    cin_plan = ChildInNeedPlan.objects.get()
    assert (cin_plan.child, cin_plan.start_date, cin_plan.follows, cin_plan.end_date) == (
        family.child,
        TODAY,
        family.plan,
        None,
    )
    assert all("a child in need plan starts now" in m.body for m in SentMessage.objects.all())


def test_a_child_who_has_died_is_not_written_to(
    family, senior_manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ended = services.plan_end_without_conference(
            plan=family.plan,
            version=family.plan.version,
            facts=EndingFacts(
                reason=PlanEndReason.DIED,
                details="Invented",
                consultation="Invented",
                consulted_on=date(2026, 4, 13),
                ended_on=TODAY,
            ),
            today=TODAY,
            profile=get_profile("london"),
            by=Actor(senior_manager),
        )
    assert family.child.display_name not in {r.name for r in ended.told}
    assert SentMessage.objects.filter(channel=Channel.LETTER).count() == 1


# Each refusal ---------------------------------------------------------------------------------


def _not_ended(plan: Plan) -> bool:
    plan.refresh_from_db()
    return plan.end_date is None and not PlanEnding.objects.exists()


def test_a_reason_that_needs_a_review_conference_is_refused(family, senior_manager, as_user):
    page = _end(
        as_user(senior_manager), family.plan, reason=PlanEndReason.NO_LONGER_AT_RISK.value
    ).content.decode()
    assert "Otherwise it ends at a review conference" in page
    assert _not_ended(family.plan)


def test_the_service_refuses_a_reason_that_needs_a_review_conference(family, senior_manager):
    with pytest.raises(ServiceError) as refused:
        services.plan_end_without_conference(
            plan=family.plan,
            version=family.plan.version,
            facts=EndingFacts(
                reason=PlanEndReason.NO_LONGER_AT_RISK,
                details="Invented",
                consultation="Invented",
                consulted_on=date(2026, 4, 13),
                ended_on=TODAY,
            ),
            today=TODAY,
            profile=get_profile("london"),
            by=Actor(senior_manager),
        )
    assert refused.value.problems["reason"] == rules.NOT_ALLOWED
    assert _not_ended(family.plan)


def test_an_ending_without_the_consultation_recorded_is_refused(family, senior_manager, as_user):
    page = _end(
        as_user(senior_manager), family.plan, consultation="", consulted_on_day=""
    ).content.decode()
    assert "Record who you consulted" in page
    assert "Date you consulted them must include a day" in page
    assert _not_ended(family.plan)


def test_a_plan_already_ended_is_not_ended_again(family, senior_manager, as_user):
    Plan.objects.filter(pk=family.plan.pk).update(
        end_date=date(2026, 4, 1), end_reason=PlanEndReason.NO_LONGER_AT_RISK
    )
    deadline_store.refresh_for(family.plan)
    client = as_user(senior_manager)
    page = client.get(reverse("plans:end", args=[family.plan.pk])).content.decode()
    assert "This plan ended on 1 April 2026" in page and "End the plan and tell" not in page
    refused = _end(client, family.plan).content.decode()
    assert "This plan has already ended, on 1 April 2026" in refused
    assert not PlanEnding.objects.exists()


@pytest.mark.parametrize(
    ("day", "month"), [("5", "1"), ("2", "1")], ids=["the day it started", "before it started"]
)
def test_a_plan_cannot_end_on_or_before_its_start(family, senior_manager, as_user, day, month):
    page = _end(
        as_user(senior_manager),
        family.plan,
        ended_on_day=day,
        ended_on_month=month,
        consulted_on_day="5",
        consulted_on_month="1",
    ).content.decode()
    assert "The date the plan ends must be after 5 January 2026, when it started" in page
    assert _not_ended(family.plan)


def test_the_databases_refusal_of_an_end_at_the_start_is_said_plainly(
    family, senior_manager, monkeypatch
):
    # Were the rules to let it through, the database refuses (DfE rule 8840): a clear message.
    monkeypatch.setattr(rules, "ending_problems", lambda *args, **kwargs: {})
    with pytest.raises(ServiceError) as refused:
        services.plan_end_without_conference(
            plan=family.plan,
            version=family.plan.version,
            facts=EndingFacts(
                reason=PlanEndReason.CARE_ORDER,
                details="Invented",
                consultation="Invented",
                consulted_on=START,
                ended_on=START,
            ),
            today=TODAY,
            profile=get_profile("london"),
            by=Actor(senior_manager),
        )
    assert refused.value.problems == {
        "ended_on": "The date the plan ends must be after 5 January 2026, when it started"
    }
    assert _not_ended(family.plan)


def test_a_child_in_need_plan_does_not_follow_when_one_is_open(family, senior_manager, as_user):
    ChildInNeedPlan.objects.create(child=family.child, start_date=date(2025, 1, 6))
    page = _end(as_user(senior_manager), family.plan, cin_plan_follows="on").content.decode()
    assert "already has a child in need plan, open since 6 January 2025" in page
    assert _not_ended(family.plan)


def test_an_ending_from_a_stale_page_is_refused(family, senior_manager, as_user):
    Plan.objects.filter(pk=family.plan.pk).update(version=family.plan.version + 1)
    page = _end(as_user(senior_manager), family.plan).content.decode()
    assert "This changed since you opened it" in page
    assert _not_ended(family.plan)


@pytest.mark.parametrize(
    "persona",
    ["social_worker", "team_manager", "chair", "administrator", "data_officer", "outsider"],
)
def test_only_a_senior_manager_may_end_a_plan_without_a_conference(
    family, as_user, request, persona
):
    client = as_user(request.getfixturevalue(persona))
    url = reverse("plans:end", args=[family.plan.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _data(family.plan)).status_code == 404
    assert _not_ended(family.plan)


def test_the_end_page_warns_of_a_review_conference_still_arranged(family, senior_manager, as_user):
    review = Conference.objects.create(type=ConferenceType.REVIEW, date=date(2026, 5, 1))
    ConferenceChildFactory.create(conference=review, child=family.child)
    page = as_user(senior_manager).get(reverse("plans:end", args=[family.plan.pk]))
    assert "Ask the conference team to cancel it" in page.content.decode()


def test_the_plan_page_is_offered_the_ending_links_each_person_may_use(
    family, senior_manager, social_worker, django_capture_on_commit_callbacks
):
    plan = family.plan
    end_url = reverse("plans:end", args=[plan.pk])
    assert plan_links(senior_manager, plan, today=TODAY) == [
        ("End the plan without a conference", end_url)
    ]
    assert plan_links(social_worker, plan, today=TODAY) == []
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_end_without_conference(
            plan=plan,
            version=plan.version,
            facts=EndingFacts(
                reason=PlanEndReason.LEFT_COUNTRY,
                details="Invented",
                consultation="Invented",
                consulted_on=date(2026, 4, 13),
                ended_on=TODAY,
                cin_plan_follows=True,
            ),
            today=TODAY,
            profile=get_profile("london"),
            by=Actor(senior_manager),
        )
    cin_url = reverse("plans:cin-plan", args=[ChildInNeedPlan.objects.get().pk])
    assert plan_links(senior_manager, plan, today=TODAY) == [
        ("How the plan ended", end_url),
        ("Child in need plan from 15 April 2026", cin_url),
    ]
    assert plan_links(social_worker, plan, today=TODAY) == [
        ("Child in need plan from 15 April 2026", cin_url)
    ]
