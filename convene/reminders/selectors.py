"""What each person must do: the one source of the daily reminder (what falls due in its
window) and of the home page's task list (everything, each with a link to where it is done).
The work shared by kind of role (conferences and core groups to book) is worked out once per
sweep; each person's own work takes a few queries each, however much of it there is."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from convene import policy
from convene.access.enums import Role
from convene.access.models import User
from convene.challenge.selectors import (
    appeals_waiting_for,
    complaints_waiting_for,
    steps_waiting_for,
)
from convene.conferences import selectors as conferences
from convene.conferences.convening.rules import deadline_for
from convene.conferences.enums import ConferenceStatus, Response, Route
from convene.conferences.letters.enums import DocumentKind
from convene.conferences.letters.selectors import ToSend, documents_to_send
from convene.conferences.models import Conference, ConferenceChild
from convene.conferences.rules import BEING_ARRANGED
from convene.conferences.yours.selectors import invited_to, reports_owed
from convene.people.models import Child
from convene.people.selectors import children_to_allocate
from convene.plans.enums import MeetingStatus
from convene.plans.models import CoreGroupMeeting
from convene.plans.selectors import actions_owned_by
from convene.policy import ChildAction
from convene.referrals.models import Section47Enquiry
from convene.returns import deadline_store
from convene.returns.deadlines import DeadlineKind, work_items
from convene.returns.models import OpenDeadline
from convene.timescales import Profile, is_overdue

from .rules import (
    BOOK_CONFERENCE_NOTICE,
    BOOK_CORE_GROUP_NOTICE,
    Reminder,
    Section,
    book_by,
    day,
    falls_due,
    urgency,
    window_ends,
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
    conferences_in_all: int = 0  # with a limit: how many conferences there are to book in all
    core_groups: dict[int, list[Reminder]] = field(default_factory=dict)  # by lead social worker


def bookings_to_make(
    *,
    today: date,
    window_end: date,
    profile: Profile,
    children: QuerySet[Child] | None = None,
    limit: int | None = None,
    core_groups_of: User | None = None,
) -> Bookings:
    """The stored open deadlines whose booking falls due in the window, for children with
    nothing booked yet, soonest first: one query, however many children there are. Across the
    authority, or for `children` only (a social worker's home page: their own children's core
    groups). For one person's home page, `limit` keeps the conference service's first
    conferences to book (and counts them all, one more query) and `core_groups_of` only the
    core groups of the children allocated to that person."""
    rows = _bookings_due(today=today, window_end=window_end, profile=profile, children=children)
    found = Bookings()
    if limit is not None or core_groups_of is not None:
        conferences = rows.filter(kind__in=CONFERENCES_TO_BOOK)
        core_groups = rows.filter(kind__in=CORE_GROUPS_TO_BOOK)
        if core_groups_of is not None:
            core_groups = core_groups.filter(child__social_worker=core_groups_of)
        if limit is not None:
            found.conferences_in_all = conferences.count()
            conferences = conferences[:limit]
        items = work_items([*conferences, *core_groups], as_of=today)
    else:
        items = work_items(rows, as_of=today)
    by_worker: dict[int, list[Reminder]] = defaultdict(list)
    for item in items:
        deadline = item.deadline
        to_book = deadline.kind in CONFERENCES_TO_BOOK
        notice = BOOK_CONFERENCE_NOTICE if to_book else BOOK_CORE_GROUP_NOTICE
        by = book_by(deadline.due, notice, profile.calendar)
        reminder = Reminder(
            Section.BOOKINGS,
            f"{deadline.kind.label}, due by {day(deadline.due)}: book it by {day(by)}",
            by,
            by < today,
            url=reverse("people:child-detail", args=[item.child.pk]),
            about=item.child.display_name,
        )
        if to_book:
            found.conferences.append(reminder)
        elif item.child.social_worker_id is not None:
            by_worker[item.child.social_worker_id].append(reminder)
    found.core_groups = dict(by_worker)
    return found


def _last_due_to_book(window_end: date, notice: int, profile: Profile) -> date:
    """The latest due date whose booking (`notice` working days before) falls due by the end
    of the window: booking dates only grow with due dates, so this bounds them in SQL."""
    calendar = profile.calendar
    last = window_end
    while book_by(last + timedelta(days=1), notice, calendar) <= window_end:
        last += timedelta(days=1)
    return last


def _bookings_due(
    *, today: date, window_end: date, profile: Profile, children: QuerySet[Child] | None
) -> QuerySet[OpenDeadline]:
    # A conference already being arranged (with a date or not) is on the arranging list
    # (`arranging_reminders`), not to book again.
    conference_booked = ConferenceChild.objects.filter(
        child=OuterRef("child"), is_subject=True, conference__status__in=BEING_ARRANGED
    )
    core_group_booked = CoreGroupMeeting.objects.filter(
        plan__child=OuterRef("child"),
        status=MeetingStatus.SCHEDULED,
        date__gte=today,
        plan__end_date__isnull=True,
    )
    conferences = _last_due_to_book(window_end, BOOK_CONFERENCE_NOTICE, profile)
    core_groups = _last_due_to_book(window_end, BOOK_CORE_GROUP_NOTICE, profile)
    return deadline_store.open_rows(children).filter(
        (Q(kind__in=CONFERENCES_TO_BOOK, due__lte=conferences) & ~Exists(conference_booked))
        | (Q(kind__in=CORE_GROUPS_TO_BOOK, due__lte=core_groups) & ~Exists(core_group_booked))
    )


def _names(children: list[Child], conference: Conference | None = None) -> str:
    names = ", ".join(child.display_name for child in children)
    household = conference.household if conference is not None else None
    return f"{names} ({household.name})" if names and household is not None else names


def report_reminders(
    user: User, *, today: date, window_end: date | None, profile: Profile
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
                f"{owed.report.get_kind_display()} for the conference on "
                f"{day(conference.date)}: due to the chair by {day(owed.due)}",
                owed.due,
                owed.late,
                url=reverse("conferences:report-edit", args=[owed.report.pk]),
                about=_names(owed.children, conference),
            )
        )
    return reminders


def invitation_reminders(user: User, *, today: date, window_end: date | None) -> list[Reminder]:
    """Invitations not yet answered to conferences in the window: say before the day."""
    reminders = []
    for row in invited_to(user, today=today):
        invitation = row.invitation
        conference = invitation.conference
        # Sent and not answered: one not sent yet is the administrators' to send first.
        if invitation.response != Response.AWAITING or invitation.sent_on is None:
            continue
        if conference.date is None:
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
                url=reverse("conferences:detail", args=[conference.pk]),
                about=_names(row.children, conference),
            )
        )
    return reminders


def _document_what(row: ToSend) -> str:
    assert row.conference.date is not None
    what = (
        f"the {row.kind.label.lower()} of the {row.conference.get_type_display().lower()} on "
        f"{day(row.conference.date)}"
    )
    if row.action == "chase":
        return f"Ask the chair to sign {what}: due by {day(row.due)}"
    return f"{row.action.capitalize()} {what}: due by {day(row.due)}"


def document_reminders(
    user: User, *, today: date, window_end: date | None, profile: Profile
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
                _document_what(row),
                row.due,
                row.late,
                url=reverse(
                    "conferences:letters-letter"
                    if row.kind == DocumentKind.LETTER
                    else "conferences:record",
                    args=[conference.pk],
                ),
                about=conference.household.name if conference.household else "",
            )
        )
    return reminders


def dissent_reminders(user: User, *, today: date, window_end: date | None) -> list[Reminder]:
    """Stages of escalated dissent this person answers, appeals they answer in writing (head
    of service) by their due dates, and complaints they decide (the chair's manager) from the
    day they came in."""
    if not policy.may_hold_dissent_stages(user):
        return []
    appeals = [
        Reminder(
            Section.DISSENT,
            f"An appeal against a conference decision: answer in writing by {day(appeal.due)}",
            appeal.due,
            appeal.due < today,
            url=reverse("challenge:appeal", args=[appeal.pk]),
            about=appeal.decision.child.display_name,
        )
        for appeal in appeals_waiting_for(user)
        if falls_due(appeal.due, window_end=window_end)
    ]
    steps = [
        Reminder(
            Section.DISSENT,
            f"Disagreement with a conference decision ({step.name}): answer by {day(step.due)}",
            step.due,
            step.due < today,
            url=reverse("challenge:escalation", args=[step.escalation_id]),
            about=step.escalation.dissent.decision.child.display_name,
        )
        for step in steps_waiting_for(user)
        if falls_due(step.due, window_end=window_end)
    ]
    # A complaint has no due date of its own: the family waits from the day it came in.
    complaints = [
        Reminder(
            Section.DISSENT,
            f"A complaint about a conference, received on {day(complaint.received_on)}: decide it",
            complaint.received_on,
            False,
            url=reverse("challenge:complaint", args=[complaint.pk]),
        )
        for complaint in complaints_waiting_for(user)
        if falls_due(complaint.received_on, window_end=window_end)
    ]
    return appeals + steps + complaints


def action_reminders(user: User, *, today: date, window_end: date | None) -> list[Reminder]:
    """The actions this person owns, by their due date. The action's words are not repeated:
    they may name the family."""
    return [
        Reminder(
            Section.ACTIONS,
            f"An action in a child protection plan, due by {day(action.due)}",
            action.due,
            action.due < today,
            url=reverse("plans:plan", args=[action.plan_id]),
            about=action.plan.child.display_name,
        )
        for action in actions_owned_by(user)
        if falls_due(action.due, window_end=window_end)
    ]


def _conference_what(row: conferences.UpcomingConference) -> str:
    conference = row.conference
    kind = conference.get_type_display()
    if conference.status == ConferenceStatus.TO_ARRANGE:
        when = f", hold by {day(row.due)}" if row.due else ""
        head = f"Arrange the {kind.lower()}{when}"
    elif conference.status == ConferenceStatus.HELD:
        assert conference.date is not None
        head = f"{kind} held on {day(conference.date)}"
    else:
        assert conference.date is not None
        head = f"{kind} on {day(conference.date)}"
    return f"{head}: " + "; ".join(m.text for m in row.missing)


def _conference_reminders(
    rows: list[conferences.UpcomingConference], section: Section, window_end: date | None
) -> list[Reminder]:
    """The conferences with something still missing, each as the work lists show it (the
    same `what_is_missing`, so the counts agree with the conference's own page)."""
    return [
        Reminder(
            section,
            _conference_what(row),
            row.due,
            row.overdue or (row.conference.status == ConferenceStatus.HELD and bool(row.missing)),
            url=reverse("conferences:detail", args=[row.conference.pk]),
            about=_names(row.children, row.conference),
        )
        for row in rows
        if row.missing and falls_due(row.due, window_end=window_end)
    ]


def arranging_reminders(
    user: User,
    *,
    today: date,
    window_end: date | None,
    rows: list[conferences.UpcomingConference] | None = None,
) -> list[Reminder]:
    """For the conference service: every conference to arrange or hold that still needs
    something, and every held one with decisions to record (from `rows`, when the page has
    already read `upcoming_for_administrator`)."""
    if not policy.has_arrange(user):
        return []
    if rows is None:
        rows = conferences.upcoming_for_administrator(today=today)
    return _conference_reminders(rows, Section.ARRANGE, window_end)


def chairing_reminders(user: User, *, today: date, window_end: date | None) -> list[Reminder]:
    """For a chair: the conferences they chair that still need something (exclusion requests
    to decide, decisions to record once held)."""
    if not policy.can_chair(user):
        return []
    rows = conferences.upcoming_for_chair(user, today=today)
    return _conference_reminders(rows, Section.CHAIR, window_end)


def convening_reminders(
    user: User, *, today: date, window_end: date | None, profile: Profile
) -> list[Reminder]:
    """For a team manager: section 47 enquiries of their team's children with no decision
    yet on an initial conference, due by the conference's own deadline (London CP4 §1.7).
    Two queries."""
    allowed = policy.allowed_q("child", user, ChildAction.DECIDE_TO_CONVENE, today=today)
    if allowed == policy.NOBODY:
        return []
    # Their own team's: a senior manager may decide for any child, but is not asked to.
    children = Child.objects.filter(allowed, social_worker__team__manager=user).values("pk")
    enquiries = (
        Section47Enquiry.objects.filter(
            child__in=children, conference_not_required=False, conferences__isnull=True
        )
        .select_related("child", "child__household")
        .order_by("strategy_discussion_date", "pk")
    )
    reminders = []
    for enquiry in enquiries:
        due = deadline_for(Route.SECTION_47, enquiry.strategy_discussion_date, profile).due
        if not falls_due(due, window_end=window_end):
            continue
        reminders.append(
            Reminder(
                Section.DECISIONS,
                "Decide whether to convene an initial child protection conference: strategy "
                f"discussion on {day(enquiry.strategy_discussion_date)}, conference due by "
                f"{day(due)}",
                due,
                is_overdue(due, today),
                url=reverse("conferences:decide", args=[enquiry.child_id]),
                about=_names([enquiry.child]),
            )
        )
    return reminders


def allocation_reminders(user: User, *, limit: int | None = None) -> list[Reminder]:
    """For the conference service: children with no allocated social worker (no due date, so
    on the home page only, never in the daily e-mail's window). One query; with a limit, the
    first `limit` and a line for the rest (two queries)."""
    children = children_to_allocate(user)
    shown = list(children if limit is None else children[: limit + 1])
    reminders = [
        Reminder(
            Section.ALLOCATE,
            "Allocate a social worker",
            None,
            False,
            url=reverse("people:child-allocate", args=[child.pk]),
            about=child.display_name,
        )
        for child in shown[:limit]
    ]
    if limit is not None and len(shown) > limit:
        more = children.count() - limit
        reminders.append(
            _more(
                Section.ALLOCATE,
                more,
                "child",
                "children",
                f"{reverse('people:child-list')}?allocated=no",
            )
        )
    return reminders


def _more(section: Section, more: int, one: str, many: str, url: str) -> Reminder:
    """The line that stands for the rest of a long list on a home page."""
    things = one if more == 1 else many
    return Reminder(
        section, f"{more:,} more {things}: see them all", None, False, url=url, more=more
    )


def _first(reminders: list[Reminder], limit: int | None, url: str) -> list[Reminder]:
    """The `limit` most urgent of a section, and a line for the rest."""
    if limit is None or len(reminders) <= limit:
        return reminders
    kept = sorted(reminders, key=urgency)[:limit]
    section = reminders[0].section
    return [*kept, _more(section, len(reminders) - limit, "conference", "conferences", url)]


def work_for(
    user: User,
    *,
    today: date,
    profile: Profile,
    window_end: date | None = None,
    bookings: Bookings | None = None,
    limit: int | None = None,
    to_arrange: list[conferences.UpcomingConference] | None = None,
) -> list[Reminder]:
    """Everything this person must do, most urgent first: with a window (the daily reminder)
    what falls due in it or is overdue; without one (the home page), everything. Bookings
    are for the window either way (a booking is a task from its book-by date). With a limit
    (the home page), a section that can hold the whole authority's work (conferences to book,
    arrange or chair, children to allocate) lists its `limit` most urgent and a line linking to
    the rest, so the page costs the same however much there is. `to_arrange`: the home page's
    own reading of `upcoming_for_administrator`, not read twice."""
    if bookings is None:
        # One person's page: the authority's bookings for the conference service, else only
        # the core groups of the children allocated to them.
        booking_window = window_end or window_ends(today, profile.calendar)
        if policy.has_arrange(user):
            bookings = bookings_to_make(
                today=today,
                window_end=booking_window,
                profile=profile,
                limit=limit,
                core_groups_of=user,
            )
        elif Role.SOCIAL_WORKER in user.roles:
            bookings = bookings_to_make(
                today=today,
                window_end=booking_window,
                profile=profile,
                children=Child.objects.filter(social_worker=user),
            )
        else:
            bookings = Bookings()
    conferences_list = reverse("conferences:list")
    reminders: list[Reminder] = []
    if policy.does_case_work(user):
        reminders += report_reminders(user, today=today, window_end=window_end, profile=profile)
    reminders += invitation_reminders(user, today=today, window_end=window_end)
    chairing = chairing_reminders(user, today=today, window_end=window_end)
    reminders += _first(chairing, limit, conferences_list)
    arranging = arranging_reminders(user, today=today, window_end=window_end, rows=to_arrange)
    reminders += _first(arranging, limit, conferences_list)
    reminders += convening_reminders(user, today=today, window_end=window_end, profile=profile)
    reminders += document_reminders(user, today=today, window_end=window_end, profile=profile)
    reminders += dissent_reminders(user, today=today, window_end=window_end)
    reminders += action_reminders(user, today=today, window_end=window_end)
    if window_end is None:
        reminders += allocation_reminders(user, limit=limit)
    if policy.has_arrange(user):
        reminders += bookings.conferences
        more = bookings.conferences_in_all - len(bookings.conferences)
        if more > 0:
            work_list = reverse("returns:work-list")
            reminders.append(_more(Section.BOOKINGS, more, "conference", "conferences", work_list))
    reminders += bookings.core_groups.get(user.pk, [])
    return sorted(reminders, key=urgency)
