"""The daily e-mail reminding each person of the reports they owe."""

from __future__ import annotations

from datetime import date, time
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from convene.access.models import User
from convene.conferences.enums import ConferenceStatus, ReportKind
from convene.conferences.models import Conference
from convene.notifications.models import SentMessage
from convene.people.models import Child
from convene.testing.factories import (
    ConferenceChildFactory,
    ConferenceFactory,
    ReportFactory,
)

pytestmark = pytest.mark.django_db

NOW = "2026-12-01 07:00 +0000"  # a Tuesday


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _conference(child: Child, on: date) -> Conference:
    conference = ConferenceFactory.create(
        date=on, starts_at=time(10, 0), ends_at=time(12, 0), status=ConferenceStatus.SCHEDULED
    )
    ConferenceChildFactory.create(conference=conference, child=child)
    return conference


def _run() -> str:
    out = StringIO()
    call_command("send_daily_reminders", stdout=out)
    return out.getvalue().strip()


def test_a_social_worker_who_owes_reports_gets_one_email_a_day_naming_no_child(
    social_worker: User, child: Child, outsider: User, django_capture_on_commit_callbacks
) -> None:
    csc = social_worker.agency
    kind = ReportKind.CHILDRENS_SOCIAL_CARE
    ReportFactory.create(conference=_conference(child, date(2026, 12, 14)), agency=csc, kind=kind)
    ReportFactory.create(conference=_conference(child, date(2026, 12, 2)), agency=csc, kind=kind)
    with django_capture_on_commit_callbacks(execute=True):
        assert _run() == "Queued 1 reminder."
    with django_capture_on_commit_callbacks(execute=True):
        assert _run() == "Queued 0 reminders."
    message = SentMessage.objects.get()
    assert message.to == social_worker.email
    assert "You owe 2 reports for child protection conferences, 1 of them late." in message.body
    assert "on 2 December 2026: due to the chair by 30 November 2026 (late)" in message.body
    assert child.first_name not in message.body and child.last_name not in message.body


def test_no_one_is_reminded_of_nothing(social_worker: User) -> None:
    assert _run() == "Queued 0 reminders."


def test_beat_runs_the_reminders_once_a_day_however_often(
    social_worker: User, child: Child, django_capture_on_commit_callbacks
) -> None:
    from convene.celery import app
    from convene.conferences.yours.tasks import send_daily_reminders

    assert "daily-reminders-at-7am" in app.conf.beat_schedule
    csc = social_worker.agency
    kind = ReportKind.CHILDRENS_SOCIAL_CARE
    ReportFactory.create(conference=_conference(child, date(2026, 12, 14)), agency=csc, kind=kind)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_reminders() == 1
        assert send_daily_reminders() == 0
    assert SentMessage.objects.count() == 1
