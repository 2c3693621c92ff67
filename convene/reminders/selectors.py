"""What each person should be reminded of today. The work shared by kind of role (conferences
to book, core groups to book) is worked out once per sweep; each person's own work (reports,
invitations, actions) takes a few queries each."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from convene import policy
from convene.access.models import User
from convene.challenge.selectors import appeals_waiting_for, steps_waiting_for
from convene.conferences.enums import Response
from convene.conferences.letters.selectors import documents_to_send
from convene.conferences.models import ConferenceChild
from convene.conferences.rules import BEING_ARRANGED
from convene.conferences.yours.selectors import invited_to, reports_owed
from convene.plans.enums import MeetingStatus
from convene.plans.models import CoreGroupMeeting
from convene.plans.selectors import actions_owned_by
from convene.returns.deadlines import DeadlineKind, authority_work_items
from convene.timescales import Profile

from .rules import (
    BOOK_CONFERENCE_NOTICE,
    BOOK_CORE_GROUP_NOTICE,
    Reminder,
    Section,
    book_by,
    day,
    falls_due,
)

# Conferences the conference service books; core group meetings the lead social worker books.
CONFERENCES_TO_BOOK = frozenset(
    {
        DeadlineKind.ICPC,
        DeadlineKind.FIRST_REVIEW,
        DeadlineKind.NEXT_REVIEW,
        DeadlineKind.POST_BIRTH,
        DeadlineKind.RECONVENE,
        DeadlineKind.EARLY_REVIEW,
    }
)
CORE_GROUPS_TO_BOOK = frozenset({DeadlineKind.CORE_GROUP_FIRST, DeadlineKind.CORE_GROUP_NEXT})


@dataclass
class Bookings:
    """Conferences and core group meetings not yet booked whose booking falls due."""

    conferences: list[Reminder] = field(default_factory=list)  # for conference administrators
    core_groups: dict[int, list[Reminder]] = field(default_factory=dict)  # by lead social worker


def bookings_to_make(*, today: date, window_end: date, profile: Profile) -> Bookings:
    """Three queries for the deadlines, one for conferences already booked, one for core
    groups already booked, however many children there are."""
    calendar = profile.calendar
    booked_conference = set(
        ConferenceChild.objects.filter(
            is_subject=True, conference__status__in=BEING_ARRANGED, conference__date__isnull=False
        ).values_list("child_id", flat=True)
    )
    booked_core_group = set(
        CoreGroupMeeting.objects.filter(
            status=MeetingStatus.SCHEDULED, date__gte=today, plan__end_date__isnull=True
        ).values_list("plan__child_id", flat=True)
    )
    found = Bookings()
    core_groups: dict[int, list[Reminder]] = defaultdict(list)
    for item in authority_work_items(as_of=today, procedures=profile):
        deadline = item.deadline
        if deadline.kind in CONFERENCES_TO_BOOK and item.child.pk not in booked_conference:
            notice = BOOK_CONFERENCE_NOTICE
        elif deadline.kind in CORE_GROUPS_TO_BOOK and item.child.pk not in booked_core_group:
            notice = BOOK_CORE_GROUP_NOTICE
        else:
            continue
        by = book_by(deadline.due, notice, calendar)
        if not falls_due(by, window_end=window_end):
            continue
        reminder = Reminder(
            Section.BOOKINGS,
            f"{deadline.kind.label}, due by {day(deadline.due)}: book it by {day(by)}",
            by,
            by < today,
        )
        if notice == BOOK_CONFERENCE_NOTICE:
            found.conferences.append(reminder)
        elif item.child.social_worker_id is not None:
            core_groups[item.child.social_worker_id].append(reminder)
    found.core_groups = dict(core_groups)
    return found


def report_reminders(
    user: User, *, today: date, window_end: date, profile: Profile
) -> list[Reminder]:
    reminders = []
    for owed in reports_owed(user, today=today, profile=profile):
        if owed.due is None or not (owed.late or falls_due(owed.due, window_end=window_end)):
            continue
        conference = owed.report.conference
        assert conference.date is not None  # it has a due date, so it has a date
        reminders.append(
            Reminder(
                Section.REPORTS,
                f"{owed.report.get_kind_display()} report for the conference on "
                f"{day(conference.date)}: due to the chair by {day(owed.due)}",
                owed.due,
                owed.late,
            )
        )
    return reminders


def invitation_reminders(user: User, *, today: date, window_end: date) -> list[Reminder]:
    """Invitations not yet answered to conferences in the window: say before the day."""
    reminders = []
    for row in invited_to(user, today=today):
        invitation = row.invitation
        conference = invitation.conference
        if invitation.response != Response.AWAITING or conference.date is None:
            continue
        if not falls_due(conference.date, window_end=window_end):
            continue
        reminders.append(
            Reminder(
                Section.INVITATIONS,
                f"{conference.get_type_display()} on {day(conference.date)}: say whether you "
                "will come or send a report",
                conference.date,
                False,
            )
        )
    return reminders


def document_reminders(
    user: User, *, today: date, window_end: date, profile: Profile
) -> list[Reminder]:
    """Decision letters and records to sign (the chair) or send (the conference service)."""
    reminders = []
    for row in documents_to_send(user, today=today, profile=profile):
        if not (row.late or falls_due(row.due, window_end=window_end)):
            continue
        conference = row.conference
        assert conference.date is not None
        reminders.append(
            Reminder(
                Section.DOCUMENTS,
                f"{row.action.capitalize()} the {row.kind.label.lower()} of the "
                f"{conference.get_type_display().lower()} on {day(conference.date)}: due by "
                f"{day(row.due)}",
                row.due,
                row.late,
            )
        )
    return reminders


def dissent_reminders(user: User, *, today: date, window_end: date) -> list[Reminder]:
    """Stages of escalated dissent this person answers, and appeals they answer in writing
    (head of service), by their due dates."""
    if not policy.may_hold_dissent_stages(user):
        return []
    appeals = [
        Reminder(
            Section.DISSENT,
            f"An appeal against a conference decision: answer in writing by {day(appeal.due)}",
            appeal.due,
            appeal.due < today,
        )
        for appeal in appeals_waiting_for(user)
        if falls_due(appeal.due, window_end=window_end)
    ]
    return appeals + [
        Reminder(
            Section.DISSENT,
            f"Disagreement with a conference decision ({step.name}): answer by {day(step.due)}",
            step.due,
            step.due < today,
        )
        for step in steps_waiting_for(user)
        if falls_due(step.due, window_end=window_end)
    ]


def action_reminders(user: User, *, today: date, window_end: date) -> list[Reminder]:
    """The actions this person owns, by their due date. The action's words are not repeated:
    they may name the family."""
    return [
        Reminder(
            Section.ACTIONS,
            f"An action in a child protection plan, due by {day(action.due)}",
            action.due,
            action.due < today,
        )
        for action in actions_owned_by(user)
        if falls_due(action.due, window_end=window_end)
    ]
