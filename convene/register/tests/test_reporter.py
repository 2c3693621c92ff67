"""Register-based areas (issue 13, item 5; Register guidance): a referral to the children's
reporter is recorded against the decision for a child, with the reasons and whether the social
work report went, and then the day the conference minutes were sent."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from convene.authority.models import AuthoritySettings
from convene.conferences.decision import services as decision
from convene.conferences.decision.rules import DecisionEntry
from convene.conferences.enums import ConferenceStatus
from convene.conferences.models import ConferenceChild
from convene.core.services import Actor, ServiceError
from convene.register import services
from convene.register.models import ReporterReferral
from convene.testing.factories import ChildFactory, ConferenceChildFactory, ConferenceFactory
from convene.testing.pages import main_content

pytestmark = pytest.mark.django_db

HELD_ON = date(2026, 11, 30)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-12-10 15:00 +0000", tick=False):
        yield


@pytest.fixture
def subject(chair) -> ConferenceChild:
    conference = ConferenceFactory.create(
        date=HELD_ON, status=ConferenceStatus.HELD, chair=chair, quorate=True
    )
    found = ConferenceChildFactory.create(conference=conference, child=ChildFactory.create())
    decision.decision_record(
        subject=found,
        entry=DecisionEntry(outcome="cin_plan", reasons="Support is enough for now"),
        version=found.version,
        by=Actor(chair),
        today=HELD_ON,
    )
    found.refresh_from_db()
    return found


def _refer(subject: ConferenceChild, chair, *, profile: str = "register", **changes):
    values: dict[str, Any] = {
        "reasons": "The family will not work with us.",
        "referred_on": date(2026, 12, 1),
    }
    return services.reporter_referral_record(
        subject=subject,
        report_sent=True,
        profile_name=profile,
        today=date(2026, 12, 10),
        by=Actor(chair),
        **(values | changes),
    )


def test_a_referral_and_then_the_minutes_sent_are_recorded(subject, chair):
    referral = _refer(subject, chair)
    assert referral.report_sent and referral.minutes_sent_on is None
    with pytest.raises(ServiceError, match="recorded already"):
        _refer(subject, chair)
    services.reporter_minutes_sent(
        referral=referral,
        sent_on=date(2026, 12, 9),
        version=referral.version,
        today=date(2026, 12, 10),
        by=Actor(chair),
    )
    with pytest.raises(ServiceError, match="were sent on 9 December 2026"):
        services.reporter_minutes_sent(
            referral=referral,
            sent_on=date(2026, 12, 10),
            version=referral.version,
            today=date(2026, 12, 10),
            by=Actor(chair),
        )


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"profile": "london"}, "register-based areas"),
        ({"reasons": " "}, "not complete"),
        ({"referred_on": date(2026, 11, 27)}, "not complete"),  # before the conference
        ({"referred_on": date(2026, 12, 11)}, "not complete"),  # in the future
    ],
)
def test_a_referral_is_refused_outside_a_register_area_or_incomplete(
    subject, chair, changes, words
):
    with pytest.raises(ServiceError, match=words):
        _refer(subject, chair, **changes)
    assert not ReporterReferral.objects.exists()


def test_the_page_is_for_the_chair_and_administrators_in_register_areas_only(
    subject, chair, administrator, social_worker, as_user
):
    url = reverse("register:reporter", args=[subject.conference_id])
    assert as_user(chair).get(url).status_code == 404  # a London area: no such page
    AuthoritySettings.objects.create(profile="register", nation="scotland")
    assert as_user(social_worker).get(url).status_code == 404
    response = as_user(chair).post(
        url,
        {
            "form": "refer",
            "child": subject.pk,
            "reasons": "Compulsory measures may be needed.",
            "referred_on_day": "1",
            "referred_on_month": "12",
            "referred_on_year": "2026",
            "report_sent": "on",
        },
    )
    assert response.status_code == 302
    referral = ReporterReferral.objects.get()
    admin = as_user(administrator)
    wrong = admin.post(url, {"form": f"minutes-{referral.pk}", f"minutes-{referral.pk}-version": 1})
    assert "Enter the date the minutes were sent" in main_content(wrong)
    done = admin.post(
        url,
        {
            "form": f"minutes-{referral.pk}",
            f"minutes-{referral.pk}-sent_on_day": "9",
            f"minutes-{referral.pk}-sent_on_month": "12",
            f"minutes-{referral.pk}-sent_on_year": "2026",
            f"minutes-{referral.pk}-version": referral.version,
        },
    )
    assert done.status_code == 302
    referral.refresh_from_db()
    assert referral.minutes_sent_on == date(2026, 12, 9)
