"""The daily reminder: one e-mail a day to each person with work due in the next 2 working days
or overdue (issue 11): reports to write, invitations to answer, conferences and core groups to
book, actions they own. It names no child."""

from __future__ import annotations

from datetime import date, datetime, time
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from convene.access.models import User
from convene.authority.selectors import authority_procedures
from convene.conferences.enums import ChildOutcome, ConferenceStatus, ReportKind, Response
from convene.conferences.models import Conference
from convene.notifications.embedded import EmbeddedDispatcher
from convene.notifications.gateway import gateway
from convene.notifications.models import OutboundMessage, SentMessage
from convene.people.models import Child
from convene.plans.enums import MeetingStatus
from convene.plans.models import Plan
from convene.reminders import rules
from convene.reminders.rules import Reminder, Section
from convene.reminders.services import daily_reminders_send, reminder_reference
from convene.testing.factories import (
    ActionFactory,
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    CoreGroupMeetingFactory,
    CoreGroupMemberFactory,
    InvitationFactory,
    PlanFactory,
    ProfessionalFactory,
    ReportFactory,
)

pytestmark = pytest.mark.django_db

NOW = "2026-12-01 07:00 +0000"  # a Tuesday: the window runs to Thursday 3 December
TODAY = date(2026, 12, 1)
LONDON = ZoneInfo("Europe/London")


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


def _plan(child: Child, started: date, worker: User) -> Plan:
    """A plan a conference of Convene's started, so Convene keeps its core groups."""
    return PlanFactory.create(
        child=child,
        start_date=started,
        started_by=_conference_held(child, started),
        lead_social_worker=worker,
    )


def _conference_held(child: Child, on: date) -> Conference:
    conference = ConferenceFactory.create(date=on, status=ConferenceStatus.HELD)
    ConferenceChildFactory.create(conference=conference, child=child, outcome=ChildOutcome.CP_PLAN)
    return conference


# Rules --------------------------------------------------------------------------------


def test_the_reminders_go_from_7am_once_a_day():
    morning = datetime(2026, 12, 1, 6, 59, tzinfo=LONDON)
    assert not rules.reminders_due(morning, None)
    assert rules.reminders_due(morning.replace(hour=7, minute=0), None)
    assert not rules.reminders_due(morning.replace(hour=9), date(2026, 12, 1))
    assert rules.reminders_due(morning.replace(hour=9), date(2026, 11, 30))


def test_the_window_is_2_working_days_and_skips_the_weekend():
    calendar = authority_procedures().calendar
    assert rules.window_ends(date(2026, 12, 1), calendar) == date(2026, 12, 3)
    assert rules.window_ends(date(2026, 12, 3), calendar) == date(2026, 12, 7)  # Thu → Mon


def test_the_digest_lists_overdue_first_by_section_and_counts_them():
    reminders = [
        Reminder(Section.ACTIONS, "An action, due by 3 December 2026", date(2026, 12, 3), False),
        Reminder(Section.REPORTS, "Report B", date(2026, 12, 2), False),
        Reminder(Section.REPORTS, "Report A", date(2026, 11, 30), True),
    ]
    body = rules.digest_body(reminders)
    assert rules.digest_subject(reminders) == "Your work in Convene: 3 things to do, 1 overdue"
    assert body.index("Reports to write:") < body.index("Actions you own")
    assert body.index("- Report A (overdue)") < body.index("- Report B")
    assert body.startswith("You have 3 things to do in Convene that are due in the next 2")


def test_a_long_section_lists_its_most_urgent_and_counts_the_rest():
    """Issue 16: across a large authority the bookings can run to thousands."""
    reminders = [
        Reminder(Section.BOOKINGS, f"Booking {n:03}", date(2026, 12, 1 + n % 3), n < 5)
        for n in range(rules.DIGEST_LIMIT + 40)
    ]
    body = rules.digest_body(reminders)
    assert body.count("\n- Booking ") == rules.DIGEST_LIMIT
    assert "- and 40 more, the most urgent listed first on your home page" in body
    assert "- Booking 000 (overdue)" in body  # overdue first
    assert rules.digest_subject(reminders).startswith(
        f"Your work in Convene: {rules.DIGEST_LIMIT + 40} things to do"
    )


# What each person is reminded of -----------------------------------------------------


def test_reports_are_reminded_when_due_in_the_window_or_late_naming_no_child(
    social_worker: User, child: Child, django_capture_on_commit_callbacks
) -> None:
    csc = social_worker.agency
    kind = ReportKind.CHILDRENS_SOCIAL_CARE
    ReportFactory.create(conference=_conference(child, date(2026, 12, 14)), agency=csc, kind=kind)
    ReportFactory.create(conference=_conference(child, date(2026, 12, 2)), agency=csc, kind=kind)
    with django_capture_on_commit_callbacks(execute=True):
        assert _run() == "Queued 1 reminder."
    message = SentMessage.objects.get()
    assert message.to == social_worker.email
    assert message.subject == "Your work in Convene: 1 thing to do, 1 overdue"
    assert "on 2 December 2026: due to the chair by 30 November 2026 (overdue)" in message.body
    assert "14 December" not in message.body  # due to the chair on 10 December: not yet
    assert child.first_name not in message.body + message.subject
    assert child.last_name not in message.body + message.subject


def test_running_again_the_same_day_sends_nothing_more(
    social_worker: User, child: Child, django_capture_on_commit_callbacks
) -> None:
    csc = social_worker.agency
    kind = ReportKind.CHILDRENS_SOCIAL_CARE
    ReportFactory.create(conference=_conference(child, date(2026, 12, 2)), agency=csc, kind=kind)
    with django_capture_on_commit_callbacks(execute=True):
        assert _run() == "Queued 1 reminder."
        # More work since the first run does not make a second e-mail that day.
        ReportFactory.create(
            conference=_conference(child, date(2026, 12, 3)), agency=csc, kind=kind
        )
        assert _run() == "Queued 0 reminders."
    assert SentMessage.objects.count() == 1


def test_one_reminder_a_day_even_when_a_second_sweep_raced_the_first(social_worker: User):
    # The other sweep queued its e-mail between this one's look and its write.
    reference = reminder_reference(social_worker, TODAY)
    assert gateway().send_email(
        to="x@example.org", subject="S", body="A", reference=reference, once=True
    )
    assert not gateway().send_email(
        to="x@example.org", subject="S", body="B", reference=reference, once=True
    )
    assert OutboundMessage.objects.count() == 1


def test_no_one_is_reminded_of_nothing(social_worker: User) -> None:
    assert _run() == "Queued 0 reminders."


def test_invitations_not_answered_are_reminded_before_the_conference(
    police_officer: User, child: Child
) -> None:
    professional = ProfessionalFactory.create(user=police_officer, agency=police_officer.agency)
    soon = InvitationFactory.create(
        conference=_conference(child, date(2026, 12, 3)),
        professional=professional,
        sent_on=date(2026, 11, 20),
    )
    # Not sent yet: nothing to answer.
    InvitationFactory.create(
        conference=_conference(child, date(2026, 12, 1)), professional=professional
    )
    InvitationFactory.create(
        conference=_conference(child, date(2026, 12, 2)),
        professional=professional,
        response=Response.ATTENDING,
    )
    InvitationFactory.create(
        conference=_conference(child, date(2026, 12, 21)), professional=professional
    )
    daily_reminders_send(today=TODAY, profile=authority_procedures())
    body = OutboundMessage.objects.get(to=police_officer.email).body
    assert "Invitations to answer:" in body
    assert f"{soon.conference.get_type_display()} on 3 December 2026: say whether" in body
    assert "2 December" not in body and "21 December" not in body
    assert "1 December 2026: say" not in body


def test_the_chair_is_reminded_to_sign_the_decision_letter_when_it_falls_due(
    chair: User, child: Child
) -> None:
    held = ConferenceFactory.create(
        date=date(2026, 11, 30), status=ConferenceStatus.HELD, chair=chair
    )
    ConferenceChildFactory.create(
        conference=held, child=child, outcome=ChildOutcome.CIN_PLAN, decided_on=held.date
    )
    daily_reminders_send(today=TODAY, profile=authority_procedures())
    body = OutboundMessage.objects.get(to=chair.email).body
    assert "Letters and records to send:" in body
    assert (
        f"- Sign the decision letter of the {held.get_type_display().lower()} on 30 November "
        "2026: due by 1 December 2026"
    ) in body
    assert "Sign the conference record" not in body  # due in 20 working days: not yet


def test_actions_are_reminded_to_their_owner_without_their_words(police_officer: User):
    professional = ProfessionalFactory.create(user=police_officer, agency=police_officer.agency)
    owner = CoreGroupMemberFactory.create(professional=professional, name="Pip Officer")
    ActionFactory.create(plan=owner.plan, owner=owner, due=date(2026, 11, 20), text="Visit Mina")
    ActionFactory.create(plan=owner.plan, owner=owner, due=date(2027, 1, 20))
    daily_reminders_send(today=TODAY, profile=authority_procedures())
    body = OutboundMessage.objects.get(to=police_officer.email).body
    assert "- An action in a child protection plan, due by 20 November 2026 (overdue)" in body
    assert "Mina" not in body and "January" not in body


def test_core_groups_to_book_go_to_the_lead_social_worker_until_booked(
    social_worker: User, child: Child, administrator: User
) -> None:
    plan = _plan(child, date(2026, 9, 21), social_worker)
    CoreGroupMeetingFactory.create(plan=plan, date=date(2026, 10, 29), status=MeetingStatus.HELD)
    daily_reminders_send(today=TODAY, profile=authority_procedures())
    body = OutboundMessage.objects.get(to=social_worker.email).body
    assert "Conferences and meetings to book:" in body
    assert "- Next core group meeting, due by 10 December 2026: book it by 3 December" in body
    # Not the administrators' to book (and its review, due 21 December, is not yet).
    assert not OutboundMessage.objects.filter(to=administrator.email).exists()

    OutboundMessage.objects.all().delete()
    CoreGroupMeetingFactory.create(plan=plan, date=date(2026, 12, 9))  # now booked
    daily_reminders_send(today=date(2026, 12, 2), profile=authority_procedures())
    assert not OutboundMessage.objects.filter(to=social_worker.email).exists()


def test_review_conferences_to_book_go_to_conference_administrators(
    social_worker: User, administrator: User, chair: User
) -> None:
    child = ChildFactory.create(social_worker=social_worker)
    plan = _plan(child, date(2026, 9, 14), social_worker)
    CoreGroupMeetingFactory.create(plan=plan, date=date(2026, 11, 26), status=MeetingStatus.HELD)
    daily_reminders_send(today=TODAY, profile=authority_procedures())
    body = OutboundMessage.objects.get(to=administrator.email).body
    assert "- First review conference, due by 14 December 2026: book it by 30 November" in body
    assert "(overdue)" in body
    assert not OutboundMessage.objects.filter(to=chair.email).exists()

    OutboundMessage.objects.all().delete()
    _conference(child, date(2026, 12, 11))  # booked
    daily_reminders_send(today=date(2026, 12, 2), profile=authority_procedures())
    assert not OutboundMessage.objects.filter(to=administrator.email).exists()


def test_the_sweep_takes_a_constant_number_of_queries_per_person(
    social_worker: User, child: Child, django_assert_max_num_queries
) -> None:
    csc = social_worker.agency
    kind = ReportKind.CHILDRENS_SOCIAL_CARE
    for on in (date(2026, 12, 2), date(2026, 12, 3), date(2026, 12, 4)):
        ReportFactory.create(conference=_conference(child, on), agency=csc, kind=kind)
        _plan(ChildFactory.create(social_worker=social_worker), date(2026, 9, 21), social_worker)
    # Each person: reports, invitations, conferences to convene, letters, dissent, actions.
    with django_assert_max_num_queries(29):
        assert daily_reminders_send(today=TODAY, profile=authority_procedures()) == 1


# Celery beat and the embedded dispatcher ---------------------------------------------


def test_beat_runs_the_reminders_at_7am_once_a_day_however_often(
    social_worker: User, child: Child, django_capture_on_commit_callbacks
) -> None:
    from convene.celery import app
    from convene.reminders.tasks import send_daily_reminders

    schedule = app.conf.beat_schedule["daily-reminders-at-7am"]
    assert schedule["task"] == send_daily_reminders.name
    assert schedule["schedule"].hour == {7} and schedule["schedule"].minute == {0}
    csc = social_worker.agency
    kind = ReportKind.CHILDRENS_SOCIAL_CARE
    ReportFactory.create(conference=_conference(child, date(2026, 12, 2)), agency=csc, kind=kind)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_reminders() == 1
        assert send_daily_reminders() == 0
    assert SentMessage.objects.count() == 1


def test_the_embedded_dispatcher_queues_the_reminders_from_7am_and_sends_them(
    social_worker: User, child: Child, settings
) -> None:
    settings.NOTIFICATIONS_DISPATCH = "off"  # only the dispatcher under test sends
    csc = social_worker.agency
    kind = ReportKind.CHILDRENS_SOCIAL_CARE
    ReportFactory.create(conference=_conference(child, date(2026, 12, 2)), agency=csc, kind=kind)
    clock = [datetime(2026, 12, 1, 6, 59, tzinfo=LONDON)]
    dispatcher = EmbeddedDispatcher(poll_seconds=30, clock=lambda: clock[0])
    dispatcher.run_once()
    assert not OutboundMessage.objects.exists()
    clock[0] = datetime(2026, 12, 1, 7, 1, tzinfo=LONDON)
    dispatcher.run_once()
    dispatcher.run_once()
    assert dispatcher.reminders_queued_on == date(2026, 12, 1)
    assert SentMessage.objects.get().to == social_worker.email
