"""Pure rules for the daily reminder: when it is sent, what it covers, and what it says.
No clock is read here: the sweep works out today once and passes it in."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from convene.timescales.calendars import Calendar

# The reminder goes at 7am in England (Europe/London, summer time too), before the working day.
SEND_AT = time(7, 0)
# It covers what falls due in the next 2 working days, and everything overdue.
WINDOW_WORKING_DAYS = 2
# A conference must be booked in time for its invitations and reports (the review's reports
# reach the family 5 working days before it), and a core group meeting in time to invite the
# group. Convene's defaults; the procedures say only that they are arranged "in time".
BOOK_CONFERENCE_NOTICE = 10  # working days before the conference is due
BOOK_CORE_GROUP_NOTICE = 5  # working days before the core group meeting is due


class Section(enum.Enum):
    """The digest's parts, in the order it lists them."""

    REPORTS = "Reports to write"
    INVITATIONS = "Invitations to answer"
    CHAIR = "Conferences to chair"
    ARRANGE = "Conferences to arrange"
    DECISIONS = "Decisions to convene"
    ALLOCATE = "Children to allocate"
    DOCUMENTS = "Letters and records to send"
    DISSENT = "Dissent, appeals and complaints to answer"
    BOOKINGS = "Conferences and meetings to book"
    ACTIONS = "Actions you own in child protection plans"


@dataclass(frozen=True)
class Reminder:
    """One thing a person must do: in the daily e-mail (what, due, late) and on their home
    page (with a link to the page where it is done, and whom it is about)."""

    section: Section
    what: str  # names no child, e.g. "First review conference, due by 4 December 2026"
    due: date | None  # when it must be done (None: no deadline is known)
    late: bool
    url: str = ""  # where it is done (the home page links to it; the e-mail does not)
    about: str = ""  # the children or household, for the home page only: never e-mailed
    # For a home page that lists only the first of a long list: this line stands for `more`
    # further tasks of its section, on the page it links to.
    more: int = 0


def urgency(reminder: Reminder) -> tuple[bool, bool, date, str]:
    """Overdue first, then soonest due, those with no known date last."""
    return (not reminder.late, reminder.due is None, reminder.due or date.max, reminder.what)


def reminders_due(local_now: datetime, last_day: date | None) -> bool:
    """Whether a sweep should queue today's reminders: from 7am, once a day."""
    return local_now.time() >= SEND_AT and last_day != local_now.date()


def window_ends(today: date, calendar: Calendar) -> date:
    """The last day a reminder covers: 2 working days after today."""
    return calendar.add_working_days(today, WINDOW_WORKING_DAYS)


def falls_due(due: date | None, *, window_end: date | None) -> bool:
    """Due by the end of the window, overdue included. With no window (the home page),
    everything falls due; with no due date, nothing does in a window."""
    if window_end is None:
        return True
    return due is not None and due <= window_end


def book_by(due: date, notice: int, calendar: Calendar) -> date:
    return calendar.add_working_days(due, -notice)


def day(when: date) -> str:
    return f"{when.day} {when:%B %Y}"


# An e-mail lists at most this many of a section (the conference service's bookings across a
# large authority can run to thousands): the rest are on the home page and the work list.
DIGEST_LIMIT = 25


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'' if n == 1 else 's'}"


def digest_subject(reminders: Sequence[Reminder]) -> str:
    """Names no one: only how much there is."""
    late = sum(1 for r in reminders if r.late)
    subject = f"Your work in Convene: {_count(len(reminders), 'thing')} to do"
    return subject + (f", {late} overdue" if late else "")


def digest_body(reminders: Sequence[Reminder]) -> str:
    """The e-mail's text: each section's reminders, overdue first then soonest. It names no
    child or family: the details are behind sign-in."""
    late = sum(1 for r in reminders if r.late)
    lines = [
        f"You have {_count(len(reminders), 'thing')} to do in Convene that "
        + ("are" if len(reminders) != 1 else "is")
        + " due in the next 2 working days"
        + (f" or overdue ({late} overdue)." if late else "."),
    ]
    for section in Section:
        mine = sorted((r for r in reminders if r.section is section), key=urgency)
        if not mine:
            continue
        lines += ["", f"{section.value}:"]
        lines += [f"- {r.what}" + (" (overdue)" if r.late else "") for r in mine[:DIGEST_LIMIT]]
        if len(mine) > DIGEST_LIMIT:
            more = len(mine) - DIGEST_LIMIT
            lines.append(f"- and {more:,} more, the most urgent listed first on your home page")
    lines += [
        "",
        "Sign in to Convene to see the details: each of these is linked from your home page.",
    ]
    return "\n".join(lines)
